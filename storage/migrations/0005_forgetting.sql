-- Forgetting: unfinished sign-ups go after 7 days without activity, and a
-- deleted account that was paused (or lost its organiser role) leaves only a
-- one-way fingerprint, never its Telegram id.

-- When the persistence last wrote a row: the last activity of an unfinished
-- sign-up. Rows from before this migration count from now.
ALTER TABLE user_data ADD COLUMN updated_at TEXT;
UPDATE user_data SET updated_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now');
ALTER TABLE conversation_states ADD COLUMN updated_at TEXT;
UPDATE conversation_states SET updated_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now');

-- An organiser's search text is no longer stored (it could name a member who
-- has deleted their account since): remove what earlier versions kept.
UPDATE user_data SET data = json_remove(data, '$.find') WHERE json_type(data, '$.find') IS NOT NULL;
DELETE FROM user_data WHERE data = '{}';

-- The Telegram user of a conversation (the last part of its key), so one
-- person's conversations are found with an index instead of reading every key.
ALTER TABLE conversation_states ADD COLUMN user_id INTEGER;
UPDATE conversation_states SET user_id = json_extract(key, '$[#-1]');
CREATE INDEX conversation_states_user ON conversation_states (user_id);

-- Visitors (chose a language, did not sign up) from the oldest: the clean-up.
CREATE INDEX members_visitors ON members (created_at) WHERE status = 'visitor';

-- Secrets this bot makes for itself, once. 'fingerprint' keys the HMAC below.
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
INSERT INTO secrets (name, value) VALUES ('fingerprint', randomblob(32));

-- A deleted account that was paused, or whose organiser role was taken away:
-- HMAC-SHA256 of its Telegram id with the secret above. It cannot be turned
-- back into the id; it only answers "is this the same Telegram account?" when
-- someone signs up again. No name, no date, no member id.
CREATE TABLE fingerprints (
    hash              BLOB PRIMARY KEY,
    suspended         INTEGER NOT NULL DEFAULT 0,  -- a new sign-up waits for an organiser
    organiser_removed INTEGER NOT NULL DEFAULT 0   -- ORGANISER_IDS does not make them organiser again
) WITHOUT ROWID;
