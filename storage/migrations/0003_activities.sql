-- Activities in and around the community centre. Times are UTC (ISO 8601).
CREATE TABLE activities (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    place        TEXT NOT NULL,
    capacity     INTEGER CHECK (capacity IS NULL OR capacity > 0),  -- NULL: no limit
    cost_cents   INTEGER NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
    bring        TEXT,
    offer_round  INTEGER NOT NULL DEFAULT 0,  -- counts "a place is free, first tap gets it" messages
    cancelled_at TEXT,
    created_by   INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX activities_starts_at ON activities (starts_at);

-- One row per member and activity. 'offered': a freed place is held for them
-- until offer_expires_at. queued_at orders the waiting list.
CREATE TABLE rsvps (
    activity_id      INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    member_id        INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    status           TEXT NOT NULL CHECK (status IN ('going', 'waiting', 'offered')),
    queued_at        INTEGER NOT NULL,
    offer_expires_at TEXT,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (activity_id, member_id)
);
CREATE INDEX rsvps_member ON rsvps (member_id);

-- Who was there, ticked by an organiser afterwards.
CREATE TABLE attendance (
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, member_id)
);

-- Every message the bot sends on its own (reminders, offers, changes), so
-- each goes out once, also across restarts. The key makes it unique.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    member_id   INTEGER REFERENCES members (id) ON DELETE CASCADE,
    activity_id INTEGER REFERENCES activities (id) ON DELETE CASCADE,
    payload     TEXT NOT NULL DEFAULT '{}',
    deliver_at  TEXT NOT NULL,  -- not before (quiet hours)
    expires_at  TEXT,           -- not after: then it is dropped
    sent_at     TEXT,
    dropped_at  TEXT
);
CREATE INDEX notifications_due ON notifications (deliver_at) WHERE sent_at IS NULL AND dropped_at IS NULL;
