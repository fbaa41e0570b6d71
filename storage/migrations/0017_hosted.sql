-- Residents host activities (issue 14, storage/hosting.py): a member proposes an activity with the
-- planning steps organisers use; an organiser publishes it with the member as host, asks a question
-- (the member changes it and sends it again) or declines it with a reason.
CREATE TABLE hosted_proposals (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    place       TEXT NOT NULL,
    room_id     INTEGER REFERENCES rooms (id),
    capacity    INTEGER CHECK (capacity IS NULL OR capacity > 0),
    cost_cents  INTEGER NOT NULL CHECK (cost_cents >= 0),
    bring       TEXT,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'asked', 'approved', 'declined')),
    answer      TEXT,  -- the organiser's question or reason
    activity_id INTEGER REFERENCES activities (id),  -- once published
    decided_by  INTEGER REFERENCES members (id),
    decided_at  TEXT,
    sent_at     TEXT NOT NULL,  -- the last time the member sent it (again)
    round       INTEGER NOT NULL DEFAULT 1,  -- how many times they sent it: each time the organisers hear it
    created_at  TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX hosted_proposals_waiting ON hosted_proposals (sent_at) WHERE status = 'pending';
CREATE INDEX hosted_proposals_member ON hosted_proposals (member_id, created_at);

-- The member who hosts a published activity (created_by stays the organiser who published it).
ALTER TABLE activities ADD COLUMN host_id INTEGER REFERENCES members (id);
CREATE INDEX activities_host ON activities (host_id, starts_at) WHERE host_id IS NOT NULL;
