-- Help and services: members ask and offer (posts), talk through the bot about a post (talks),
-- report what is wrong (reports), follow categories, and keep track of hours given (the time bank).

-- A request or an offer in one category. It ends after WIJKBOT_POST_DAYS unless its author keeps it;
-- an ended post stays (without its words once the author deleted their account) so the monthly
-- figures keep adding up.
CREATE TABLE posts (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER REFERENCES members (id),
    side         TEXT NOT NULL CHECK (side IN ('request', 'offer')),
    category     TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('free', 'swap', 'paid')),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    price_cents  INTEGER CHECK (price_cents IS NULL OR price_cents > 0),
    price_unit   TEXT CHECK (price_unit IS NULL OR price_unit IN ('hour', 'job')),
    created_at   TEXT NOT NULL,
    ends_at      TEXT NOT NULL,                 -- when it ends by itself
    ended_at     TEXT,                          -- NULL: still up
    end_reason   TEXT CHECK (end_reason IS NULL OR end_reason IN ('helped', 'deleted', 'expired', 'hidden', 'left')),
    helper_id    INTEGER REFERENCES members (id), -- who helped (✅ Helped), if the author said so
    reactions    INTEGER NOT NULL DEFAULT 0,    -- conversations started about it (kept by storage/talks.py)
    alert_cursor INTEGER,                       -- a request's alerts still to write (storage/help_news.py):
                                                -- to its followers with a member id above this; NULL: none
    CHECK ((kind = 'paid') = (price_cents IS NOT NULL)),
    CHECK ((price_cents IS NULL) = (price_unit IS NULL))
);
CREATE INDEX posts_browse ON posts (side, category, created_at) WHERE ended_at IS NULL;
CREATE INDEX posts_member ON posts (member_id, created_at);
CREATE INDEX posts_ending ON posts (ends_at) WHERE ended_at IS NULL;
CREATE INDEX posts_created ON posts (created_at);
CREATE INDEX posts_alerting ON posts (id) WHERE alert_cursor IS NOT NULL;  -- the few whose alerts are being written

-- The categories a member can help with and wants to hear about: a message at once when a request
-- is published (at most 3 a day), and/or the weekly digest.
ALTER TABLE members ADD COLUMN help_alerts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN help_digest INTEGER NOT NULL DEFAULT 0;
CREATE TABLE follows (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    category  TEXT NOT NULL,
    PRIMARY KEY (member_id, category)
);
CREATE INDEX follows_category ON follows (category, member_id);
-- The weeks whose digest is being or was planned: the scheduler looks every minute and plans a batch of
-- followers at a time, each week once (storage/help_news.py). The 3 alerts a day are counted on their
-- outbox keys, so need no table.
CREATE TABLE digest_weeks (
    week            TEXT PRIMARY KEY,  -- the ISO week, like 2026-W49
    planned_at      TEXT NOT NULL,     -- when planning began
    follower_cursor INTEGER DEFAULT 0  -- followers with a member id above this are still to plan; NULL: done
);

-- A conversation between a post's author and one member who reacted, relayed by the bot so
-- neither sees the other's Telegram account. One per post and responder.
CREATE TABLE talks (
    id           INTEGER PRIMARY KEY,
    post_id      INTEGER NOT NULL REFERENCES posts (id),
    author_id    INTEGER REFERENCES members (id),
    responder_id INTEGER REFERENCES members (id),
    started_at   TEXT NOT NULL,
    ended_at     TEXT,
    ended_by     INTEGER,
    UNIQUE (post_id, responder_id)
);
CREATE INDEX talks_author ON talks (author_id, started_at);
CREATE INDEX talks_responder ON talks (responder_id, started_at);

CREATE TABLE talk_messages (
    id         INTEGER PRIMARY KEY,
    talk_id    INTEGER NOT NULL REFERENCES talks (id) ON DELETE CASCADE,
    sender_id  INTEGER REFERENCES members (id),
    body       TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    delivered  INTEGER NOT NULL DEFAULT 1       -- 0: the other side blocked the sender
);
CREATE INDEX talk_messages_talk ON talk_messages (talk_id, id);
CREATE INDEX talk_messages_sender ON talk_messages (sender_id);

-- A member who does not want messages from another member any more.
CREATE TABLE blocks (
    member_id  INTEGER NOT NULL REFERENCES members (id),
    blocked_id INTEGER NOT NULL REFERENCES members (id),
    at         TEXT NOT NULL,
    PRIMARY KEY (member_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (blocked_id);

-- ⚠️ A report about a post or a relayed message, for the organisers; it keeps a copy of what was reported.
CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    reporter_id INTEGER REFERENCES members (id),
    reported_id INTEGER REFERENCES members (id),
    post_id     INTEGER REFERENCES posts (id),
    message_id  INTEGER REFERENCES talk_messages (id) ON DELETE SET NULL,
    content     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    handled_at  TEXT,
    handled_by  INTEGER,
    outcome     TEXT CHECK (outcome IS NULL OR outcome IN ('hidden', 'suspended', 'dismissed', 'left'))
);  -- left: the reported member deleted their account before an organiser decided
CREATE INDEX reports_open ON reports (created_at) WHERE handled_at IS NULL;
-- A member reports the same post or message once: a second ⚠️ (a double tap) makes no second report.
CREATE UNIQUE INDEX reports_post_once ON reports (reporter_id, post_id) WHERE post_id IS NOT NULL;
CREATE UNIQUE INDEX reports_message_once ON reports (reporter_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX reports_reporter ON reports (reporter_id);
CREATE INDEX reports_reported ON reports (reported_id);

-- The time bank: every member has an account once hours move, and so does the cooperative.
-- A transfer moves half hours from one account to another, so all balances add up to zero.
CREATE TABLE hour_accounts (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER UNIQUE REFERENCES members (id),  -- NULL: the cooperative's own account
    given     INTEGER NOT NULL DEFAULT 0,              -- half hours received for help given
    received  INTEGER NOT NULL DEFAULT 0               -- half hours paid for help received
);
INSERT INTO hour_accounts (id, member_id) VALUES (1, NULL);

CREATE TABLE hour_transfers (
    id           INTEGER PRIMARY KEY,
    from_account INTEGER NOT NULL REFERENCES hour_accounts (id),  -- who was helped (debited)
    to_account   INTEGER NOT NULL REFERENCES hour_accounts (id),  -- who helped (credited)
    halves       INTEGER NOT NULL CHECK (halves <> 0),            -- negative only in a correction
    post_id      INTEGER REFERENCES posts (id),
    corrects     INTEGER REFERENCES hour_transfers (id),
    note         TEXT,
    created_at   TEXT NOT NULL,
    created_by   INTEGER,
    CHECK (from_account <> to_account)
);
CREATE UNIQUE INDEX hour_transfers_post ON hour_transfers (post_id) WHERE post_id IS NOT NULL AND corrects IS NULL;
CREATE INDEX hour_transfers_from ON hour_transfers (from_account, created_at);
CREATE INDEX hour_transfers_to ON hour_transfers (to_account, created_at);
CREATE INDEX hour_transfers_created ON hour_transfers (created_at);
CREATE INDEX hour_transfers_corrects ON hour_transfers (corrects) WHERE corrects IS NOT NULL;  -- a transfer's corrections

-- Each account's totals follow its transfers in the same statement.
CREATE TRIGGER hour_transfers_count AFTER INSERT ON hour_transfers BEGIN
    UPDATE hour_accounts SET given = given + NEW.halves WHERE id = NEW.to_account;
    UPDATE hour_accounts SET received = received + NEW.halves WHERE id = NEW.from_account;
END;

-- Messages about posts and talks in the outbox.
ALTER TABLE outbox ADD COLUMN post_id INTEGER;
ALTER TABLE outbox ADD COLUMN talk_id INTEGER;
-- Unsent messages about a post, dropped when it ends (storage/posts.py); sent ones are never looked up by post.
CREATE INDEX outbox_post_unsent ON outbox (post_id) WHERE sent_at IS NULL AND dropped_at IS NULL;
CREATE INDEX outbox_talk ON outbox (talk_id) WHERE talk_id IS NOT NULL;
