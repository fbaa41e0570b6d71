-- What a crowdfunding campaign asks for besides money (issue 15, storage/campaign_needs.py): help ("5 people to
-- paint on Saturday") or things ("paint and brushes"), each with how many are wanted. Members pledge them, one
-- pledge per member per need (a double tap pledges once; withdrawing keeps the row, pledging again reuses it).
-- `pledged` is the sum of the pledges not withdrawn, kept right in the transaction that changes one, and never
-- more than wanted. A help need can become a volunteer shift (storage/shifts.py) with its pledgers on it.
CREATE TABLE campaign_needs (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    kind        TEXT NOT NULL CHECK (kind IN ('help', 'thing')),
    text        TEXT NOT NULL,
    wanted      INTEGER NOT NULL CHECK (wanted >= 1),
    pledged     INTEGER NOT NULL DEFAULT 0 CHECK (pledged >= 0 AND pledged <= wanted),
    shift_id    INTEGER REFERENCES shifts (id), -- 📅 Make a shift: the shift it became
    created_by  INTEGER REFERENCES members (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX campaign_needs_campaign ON campaign_needs (campaign_id, id);
CREATE TABLE need_pledges (
    id           INTEGER PRIMARY KEY,
    need_id      INTEGER NOT NULL REFERENCES campaign_needs (id),
    member_id    INTEGER NOT NULL REFERENCES members (id),
    amount       INTEGER NOT NULL CHECK (amount >= 1),
    status       TEXT NOT NULL CHECK (status IN ('pledged', 'withdrawn')),
    pledged_at   TEXT NOT NULL,
    withdrawn_at TEXT,
    UNIQUE (need_id, member_id)
);
CREATE INDEX need_pledges_need ON need_pledges (need_id, status, pledged_at);
CREATE INDEX need_pledges_member ON need_pledges (member_id, pledged_at);
