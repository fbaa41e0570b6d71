-- Crowdfunding campaigns (issue 15, storage/campaigns.py). An organiser starts a campaign with a goal and an end
-- date; members pledge an amount and pay it by bank transfer with the pledge's reference; an organiser marks a
-- pledge received (or lapsed). All or nothing: the payment details go out only once the goal is reached, and
-- pledges lapse when it closes short of it. Keep it all: members get the details at once. The totals a card
-- shows are kept right in the transaction that changes a pledge. Financial records stay after an account is
-- deleted, on the anonymous member row (the law requires them to be kept).
CREATE TABLE campaigns (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    goal_cents     INTEGER NOT NULL CHECK (goal_cents > 0),
    ends_at        TEXT NOT NULL, -- UTC; the campaign closes by itself then (bot/scheduler.py)
    all_or_nothing INTEGER NOT NULL CHECK (all_or_nothing IN (0, 1)),
    photo          TEXT, -- a Telegram file_id
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reached', 'closed')),
    pledged_cents  INTEGER NOT NULL DEFAULT 0 CHECK (pledged_cents >= 0), -- pledges not lapsed (received too)
    received_cents INTEGER NOT NULL DEFAULT 0 CHECK (received_cents >= 0),
    supporters     INTEGER NOT NULL DEFAULT 0 CHECK (supporters >= 0), -- members with a pledge not lapsed
    reached        INTEGER NOT NULL DEFAULT 0 CHECK (reached IN (0, 1)), -- the goal was reached once
    created_by     INTEGER REFERENCES members (id),
    created_at     TEXT NOT NULL,
    closed_at      TEXT
);
CREATE INDEX campaigns_by_end ON campaigns (ends_at, id) WHERE status != 'closed';
CREATE INDEX campaigns_newest ON campaigns (created_at DESC, id DESC);
CREATE TABLE pledges (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    member_id    INTEGER NOT NULL REFERENCES members (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    anonymous    INTEGER NOT NULL CHECK (anonymous IN (0, 1)), -- not named to other members
    reference    TEXT UNIQUE, -- ISO 11649 creditor reference (bot/payments.py reference)
    status       TEXT NOT NULL CHECK (status IN ('pledged', 'received', 'lapsed')),
    pledged_at   TEXT NOT NULL,
    decided_by   INTEGER REFERENCES members (id),
    decided_at   TEXT
);
CREATE INDEX pledges_campaign ON pledges (campaign_id, status, pledged_at);
CREATE INDEX pledges_member ON pledges (member_id, pledged_at);
-- A double tap pledges once: one open pledge of the same amount per member and campaign.
CREATE UNIQUE INDEX pledges_once ON pledges (campaign_id, member_id, amount_cents) WHERE status = 'pledged';
