-- The desk (issue 13): a member added by an organiser has no Telegram account; a one-time code joins
-- one to them later (storage/desk.py).

-- At most one code a member: a new one replaces the old. Only a keyed hash of the code is kept
-- (HMAC-SHA256 with the 'fingerprint' secret of migration 0005), never the code itself. A used code
-- stays (used_at) so that it is refused as used; the row goes when the member deletes their account.
CREATE TABLE join_codes (
    member_id  INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    hash       BLOB NOT NULL UNIQUE,
    made_at    TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

-- Wrong tries at a code, to allow 5 an hour per Telegram account: a keyed hash of the account (as
-- above), never its id. Rows older than an hour are removed at the next try.
CREATE TABLE join_tries (
    account BLOB NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX join_tries_account ON join_tries (account, at);
CREATE INDEX join_tries_at ON join_tries (at);

-- 🔗 Link finds members without Telegram: few among many, so a small index of only them.
CREATE INDEX members_without_telegram ON members (member_no)
    WHERE telegram_id IS NULL AND status IN ('pending', 'active', 'suspended');
