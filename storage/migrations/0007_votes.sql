-- Proposals and votes: the members decide (storage/votes.py says what a
-- secret vote keeps, and why that is enough).

-- A member's idea. 'pending': waits for an organiser; 'asked': sent back with
-- a question (answer); 'declined' (answer: the reason); 'voting': put to a vote.
CREATE TABLE proposals (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER REFERENCES members (id) ON DELETE SET NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'asked', 'declined', 'voting')),
    answer      TEXT,
    decided_by  INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    decided_at  TEXT
);
CREATE INDEX proposals_member ON proposals (member_id, status);
CREATE INDEX proposals_waiting ON proposals (created_at) WHERE status = 'pending';

-- A vote. Who may vote is fixed when it opens (opened_at, voters); it closes
-- exactly once (closed_at is set once, by the statement that closes it).
CREATE TABLE votes (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('for_against', 'choice', 'budget')),
    secret         INTEGER NOT NULL CHECK (secret IN (0, 1)),
    live_results   INTEGER NOT NULL CHECK (live_results IN (0, 1)),  -- results visible while open
    quorum_percent INTEGER NOT NULL CHECK (quorum_percent BETWEEN 0 AND 100),
    majority       TEXT NOT NULL CHECK (majority IN ('half', 'two_thirds')),
    budget_cents   INTEGER CHECK (budget_cents > 0),
    opens_at       TEXT NOT NULL,
    closes_at      TEXT NOT NULL,
    opened_at      TEXT,
    closed_at      TEXT,
    eligible_count INTEGER NOT NULL DEFAULT 0,  -- voters when it opened
    voted_count    INTEGER NOT NULL DEFAULT 0,  -- ballots cast, kept by triggers
    proposal_id    INTEGER REFERENCES proposals (id) ON DELETE SET NULL,  -- the member's proposal it puts to a vote
    created_by     INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    CHECK (closes_at > opens_at),
    CHECK ((kind = 'budget') = (budget_cents IS NOT NULL))
);
CREATE INDEX votes_to_open ON votes (opens_at) WHERE opened_at IS NULL;
CREATE INDEX votes_open ON votes (closes_at) WHERE opened_at IS NOT NULL AND closed_at IS NULL;
CREATE INDEX votes_closed ON votes (closed_at) WHERE closed_at IS NOT NULL;

-- The options. For 'for_against' the labels are 'for', 'against', 'abstain'
-- (shown in the member's language). A budget option is a project with an
-- amount; 'funded' is decided at the close, 'outcome' written by organisers after.
CREATE TABLE vote_options (
    id           INTEGER PRIMARY KEY,
    vote_id      INTEGER NOT NULL REFERENCES votes (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL CHECK (position BETWEEN 1 AND 12),
    label        TEXT NOT NULL,
    amount_cents INTEGER CHECK (amount_cents > 0),
    note         TEXT,
    proposal_id  INTEGER REFERENCES proposals (id) ON DELETE SET NULL,
    votes        INTEGER NOT NULL DEFAULT 0,  -- the count, kept by triggers; stays after a secret vote closes
    funded       INTEGER CHECK (funded IN (0, 1)),
    outcome      TEXT,
    UNIQUE (vote_id, position)
);

-- Who may vote: the active members when the vote opened. 'voted': their vote
-- counts (cast by themself or by their proxy); who voted is not secret, what is.
CREATE TABLE voters (
    vote_id   INTEGER NOT NULL REFERENCES votes (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    voted     INTEGER NOT NULL DEFAULT 0 CHECK (voted IN (0, 1)),
    PRIMARY KEY (vote_id, member_id)
) WITHOUT ROWID;
CREATE INDEX voters_member ON voters (member_id);
CREATE INDEX voters_not_voted ON voters (vote_id, member_id) WHERE voted = 0;

-- One ballot per voter per vote (the unique key). cast_by: the proxy who cast
-- it for them. A secret vote's ballots are deleted when it closes.
CREATE TABLE ballots (
    id        INTEGER PRIMARY KEY,
    vote_id   INTEGER NOT NULL REFERENCES votes (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    cast_by   INTEGER REFERENCES members (id) ON DELETE SET NULL,
    cast_at   TEXT NOT NULL,
    UNIQUE (vote_id, member_id)
);
CREATE INDEX ballots_member ON ballots (member_id);
CREATE INDEX ballots_cast_by ON ballots (cast_by) WHERE cast_by IS NOT NULL;

-- What a ballot chose: one option, or for a budget the projects ticked.
CREATE TABLE ballot_choices (
    ballot_id INTEGER NOT NULL REFERENCES ballots (id) ON DELETE CASCADE,
    option_id INTEGER NOT NULL REFERENCES vote_options (id) ON DELETE CASCADE,
    PRIMARY KEY (ballot_id, option_id)
) WITHOUT ROWID;
CREATE INDEX ballot_choices_option ON ballot_choices (option_id);

-- Counts kept in the transaction that casts or changes a ballot, while the
-- vote is open. Deleting a closed secret vote's ballots leaves the counts.
CREATE TRIGGER ballot_choices_count_insert AFTER INSERT ON ballot_choices BEGIN
    UPDATE vote_options SET votes = votes + 1 WHERE id = NEW.option_id;
END;
CREATE TRIGGER ballot_choices_count_delete AFTER DELETE ON ballot_choices
WHEN (SELECT v.closed_at FROM vote_options o JOIN votes v ON v.id = o.vote_id WHERE o.id = OLD.option_id) IS NULL
BEGIN
    UPDATE vote_options SET votes = votes - 1 WHERE id = OLD.option_id;
END;
CREATE TRIGGER ballots_count_insert AFTER INSERT ON ballots BEGIN
    UPDATE votes SET voted_count = voted_count + 1 WHERE id = NEW.vote_id;
    UPDATE voters SET voted = 1 WHERE vote_id = NEW.vote_id AND member_id = NEW.member_id;
END;
CREATE TRIGGER ballots_count_delete AFTER DELETE ON ballots
WHEN (SELECT closed_at FROM votes WHERE id = OLD.vote_id) IS NULL
BEGIN
    UPDATE votes SET voted_count = voted_count - 1 WHERE id = OLD.vote_id;
    UPDATE voters SET voted = 0 WHERE vote_id = OLD.vote_id AND member_id = OLD.member_id;
END;

-- A proxy (volmacht): the giver lets the holder vote for them on one vote.
-- 'asked' -> 'accepted' -> 'used'; or 'refused', 'withdrawn', 'dropped' (the
-- giver voted themself), 'lapsed' (an account was deleted, or the vote closed).
-- option_id: the giver fixed the choice; emptied when a secret vote closes.
CREATE TABLE proxies (
    id         INTEGER PRIMARY KEY,
    vote_id    INTEGER NOT NULL REFERENCES votes (id) ON DELETE CASCADE,
    giver_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    holder_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    option_id  INTEGER REFERENCES vote_options (id) ON DELETE SET NULL,
    status     TEXT NOT NULL CHECK (status IN ('asked', 'accepted', 'used', 'refused', 'withdrawn', 'dropped', 'lapsed')),
    created_at TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    CHECK (giver_id <> holder_id)
);
-- One live proxy per giver per vote.
CREATE UNIQUE INDEX proxies_one_per_giver ON proxies (vote_id, giver_id) WHERE status IN ('asked', 'accepted', 'used');
CREATE INDEX proxies_holder ON proxies (holder_id, vote_id, status);
CREATE INDEX proxies_giver ON proxies (giver_id);

-- The outbox names a vote: reminders and results are dropped when they no longer hold.
ALTER TABLE outbox ADD COLUMN vote_id INTEGER REFERENCES votes (id) ON DELETE CASCADE;
CREATE INDEX outbox_vote ON outbox (vote_id);
