-- Volunteer shifts (issue 14): a task at a time, with a number of places, one row per date so each
-- can be taken on its own (storage/shifts.py). `taken` is kept right in the transaction that takes or
-- gives back a place, and the UPDATE that raises it checks `taken < places`: never more people than places.
CREATE TABLE shifts (
    id INTEGER PRIMARY KEY,
    task TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    places INTEGER NOT NULL CHECK (places >= 1),
    taken INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= places),
    created_by INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    cancelled_at TEXT,
    gaps_asked_at TEXT -- 48 hours before, volunteers of the task were asked to fill a free place (once)
);
CREATE INDEX shifts_by_start ON shifts (starts_at);
CREATE INDEX shifts_by_task ON shifts (task COLLATE NOCASE);
CREATE INDEX shifts_to_ask ON shifts (starts_at) WHERE gaps_asked_at IS NULL AND cancelled_at IS NULL;

-- Who took a place. A place given back is deleted; a deleted member's past shifts stay on their anonymous
-- row, so the hours per month stay right. `attended`: ticked by an organiser after the shift.
CREATE TABLE shift_volunteers (
    shift_id INTEGER NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id),
    taken_at TEXT NOT NULL,
    attended INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (shift_id, member_id)
);
CREATE INDEX shift_volunteers_by_member ON shift_volunteers (member_id, shift_id);
