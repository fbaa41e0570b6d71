-- Other income an organiser records by hand (issue 15, storage/income.py): a subsidy, a fund, room rent or
-- activity money that came in another way, contributions, other. Income from confirmed shares, pledges, room
-- bookings and paid activities is counted from their own tables and never recorded here.
-- Amounts are integer cents; received_on is the local day the money came in (a date, not a moment).
-- A money row is never changed: a mistake is ✖️ removed (removed_by/at set once, logged) and recorded again, so
-- the overview of a past month shows what was known and the audit log tells who did what when.
CREATE TABLE income (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL CHECK (source IN ('subsidy', 'fund', 'rooms', 'activities', 'contributions', 'other')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    received_on  TEXT NOT NULL CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note         TEXT NOT NULL DEFAULT '',
    recorded_by  INTEGER REFERENCES members (id),
    recorded_at  TEXT NOT NULL,
    removed_by   INTEGER REFERENCES members (id),
    removed_at   TEXT,
    CHECK (removed_by IS NULL OR removed_at IS NOT NULL)
);
CREATE INDEX income_received ON income (received_on, id) WHERE removed_at IS NULL;
-- The periods the overview adds up: what came in, by when it was confirmed or took place.
CREATE INDEX share_requests_decided ON share_requests (decided_at) WHERE status IN ('received', 'paid');
CREATE INDEX pledges_received ON pledges (decided_at) WHERE status = 'received';
CREATE INDEX room_bookings_confirmed ON room_bookings (starts_at) WHERE status = 'confirmed';
