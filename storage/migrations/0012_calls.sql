-- The call list (issue 13): what the bot would have told a member without Telegram waits in the outbox
-- for an organiser to say it by phone (storage/calls.py). The sender moves such a row here when it is
-- due (outcome 'call', dropped_at set); called_at says it was done, by called_by, or (called_by NULL)
-- that it no longer held when the list was read (the activity was cancelled, the vote closed).
ALTER TABLE outbox ADD COLUMN called_at TEXT;
ALTER TABLE outbox ADD COLUMN called_by INTEGER REFERENCES members (id) ON DELETE SET NULL;
CREATE INDEX outbox_to_call ON outbox (deliver_at, id) WHERE outcome = 'call' AND called_at IS NULL;

-- A phone number a member gave at the desk, so an organiser can call them. Shown to organisers only.
ALTER TABLE members ADD COLUMN phone TEXT;
