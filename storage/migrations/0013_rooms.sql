-- Rooms of the community building and who rents them when (issue 14, storage/rooms.py).
-- Prices are cents an hour; opening hours are local times, Monday to Sunday, like
-- "09:00-17:00,09:00-17:00,,..." (empty: closed that day).
CREATE TABLE rooms (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    capacity       INTEGER NOT NULL CHECK (capacity > 0),
    facilities     TEXT NOT NULL DEFAULT '',
    member_cents   INTEGER NOT NULL CHECK (member_cents >= 0),
    business_cents INTEGER NOT NULL CHECK (business_cents >= 0),
    other_cents    INTEGER NOT NULL CHECK (other_cents >= 0),
    opening        TEXT NOT NULL,
    buffer_minutes INTEGER NOT NULL CHECK (buffer_minutes >= 0),
    notice_hours   INTEGER NOT NULL CHECK (notice_hours >= 0),
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL
);

-- A request to rent a room, and what became of it. The member row stays (anonymous after deletion), so the
-- treasurer's figures keep adding up; their own words (purpose) go with the account.
CREATE TABLE room_bookings (
    id          INTEGER PRIMARY KEY,
    room_id     INTEGER NOT NULL REFERENCES rooms (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    purpose     TEXT,
    people      INTEGER NOT NULL CHECK (people > 0),
    rate        TEXT NOT NULL CHECK (rate IN ('member', 'business', 'other')),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    status      TEXT NOT NULL CHECK (status IN ('asked', 'confirmed', 'declined', 'cancelled')),
    reason      TEXT,
    decided_by  INTEGER REFERENCES members (id),
    decided_at  TEXT,
    created_at  TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX room_bookings_room ON room_bookings (room_id, starts_at);
CREATE INDEX room_bookings_member ON room_bookings (member_id, starts_at);
CREATE INDEX room_bookings_open ON room_bookings (starts_at) WHERE status = 'asked';

-- A published activity can take place in one of the rooms: it occupies it.
ALTER TABLE activities ADD COLUMN room_id INTEGER REFERENCES rooms (id);
CREATE INDEX activities_room ON activities (room_id, starts_at) WHERE room_id IS NOT NULL;
