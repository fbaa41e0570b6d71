-- Membership: sign-up answers, consent, member number, pause.
ALTER TABLE members ADD COLUMN member_no INTEGER;          -- "lid 0042"; given on admission, never reused
ALTER TABLE members ADD COLUMN neighbourhood TEXT;         -- NULL: "other"
ALTER TABLE members ADD COLUMN interests TEXT NOT NULL DEFAULT '';  -- space-separated
ALTER TABLE members ADD COLUMN business_name TEXT;
ALTER TABLE members ADD COLUMN business_line TEXT;
ALTER TABLE members ADD COLUMN kvk TEXT;
ALTER TABLE members ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;   -- non-essential messages off
ALTER TABLE members ADD COLUMN consent_at TEXT;
ALTER TABLE members ADD COLUMN consent_version TEXT;
ALTER TABLE members ADD COLUMN deleted_at TEXT;
CREATE UNIQUE INDEX members_member_no ON members (member_no);

-- Who did what to whom, and when. Plain member ids, no names: it outlives
-- deleted members without identifying them.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor_id  INTEGER,
    action    TEXT NOT NULL,
    target_id INTEGER
);

-- The approval card each organiser got for a pending member, to update them all.
CREATE TABLE approval_cards (
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (member_id, chat_id)
);

-- PTB persistence: half-finished conversations and their answers.
CREATE TABLE conversation_states (
    name  TEXT NOT NULL,
    key   TEXT NOT NULL,   -- JSON list, e.g. [chat_id, user_id]
    state TEXT NOT NULL,   -- JSON
    PRIMARY KEY (name, key)
);
CREATE TABLE user_data (
    user_id INTEGER PRIMARY KEY,
    data    TEXT NOT NULL  -- JSON
);
