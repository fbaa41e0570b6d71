-- Announcements: an organiser's message to many members (storage/announcements.py), sent through the outbox.

CREATE TABLE announcements (
    id                  INTEGER PRIMARY KEY,
    created_by          INTEGER REFERENCES members (id),
    audience_kind       TEXT NOT NULL
                        CHECK (audience_kind IN ('everyone', 'neighbourhood', 'interest', 'role', 'activity', 'language')),
    audience_value      TEXT,                       -- the neighbourhood, interest, role, activity id or language
    original_language   TEXT NOT NULL,              -- the language the organiser wrote it in
    photo               TEXT,                       -- a Telegram file_id
    confirm             INTEGER NOT NULL DEFAULT 0, -- members get a ✅ Understood button
    urgent              INTEGER NOT NULL DEFAULT 0, -- also at night, also to members who paused messages
    created_at          TEXT NOT NULL,
    send_at             TEXT NOT NULL,              -- its recipients are chosen and written from this moment
    expires_at          TEXT NOT NULL,              -- 📌 Announcements shows it until then; unsent ones are dropped
    withdrawn_at        TEXT,
    corrected_at        TEXT,
    recipient_cursor    INTEGER DEFAULT 0,          -- members with an id above this are still to be written; NULL: done
    progress_chat_id    INTEGER,                    -- the organiser's message that shows the progress
    progress_message_id INTEGER,
    reported_at         TEXT,                       -- when that message showed the final report
    -- How the deliveries stand, kept by the triggers below in the transaction that changes a delivery.
    total               INTEGER NOT NULL DEFAULT 0,
    waiting             INTEGER NOT NULL DEFAULT 0,
    sent                INTEGER NOT NULL DEFAULT 0,
    unreachable         INTEGER NOT NULL DEFAULT 0,
    failed              INTEGER NOT NULL DEFAULT 0,
    skipped             INTEGER NOT NULL DEFAULT 0, -- not sent: withdrawn, paused meanwhile, left, too late
    confirmed           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX announcements_writing ON announcements (send_at) WHERE recipient_cursor IS NOT NULL;
CREATE INDEX announcements_reporting ON announcements (id) WHERE reported_at IS NULL AND progress_message_id IS NOT NULL;
CREATE INDEX announcements_created_by ON announcements (created_by);
CREATE INDEX announcements_dropping ON announcements (id) WHERE withdrawn_at IS NOT NULL AND waiting > 0;

-- The words, one text per language; the organiser's own is the original.
CREATE TABLE announcement_texts (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    language        TEXT NOT NULL,
    text            TEXT NOT NULL,
    original        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (announcement_id, language)
);

-- One row per recipient: how it went, and where the message is (to edit or delete it later).
CREATE TABLE announcement_deliveries (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id),
    member_id       INTEGER NOT NULL REFERENCES members (id),
    status          TEXT NOT NULL DEFAULT 'waiting'
                    CHECK (status IN ('waiting', 'sent', 'unreachable', 'failed', 'skipped')),
    reason          TEXT,                           -- why it failed or was skipped
    language        TEXT NOT NULL,                  -- the text they get: theirs if there is one, else the original
    chat_id         INTEGER,
    message_id      INTEGER,
    sent_at         TEXT,
    confirmed_at    TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (announcement_id, member_id)
);
CREATE INDEX announcement_deliveries_member ON announcement_deliveries (member_id, announcement_id);

CREATE TRIGGER announcement_deliveries_insert AFTER INSERT ON announcement_deliveries BEGIN
    UPDATE announcements SET total = total + 1, waiting = waiting + (NEW.status = 'waiting')
    WHERE id = NEW.announcement_id;
END;
CREATE TRIGGER announcement_deliveries_status AFTER UPDATE OF status ON announcement_deliveries BEGIN
    UPDATE announcements SET
        waiting = waiting + (NEW.status = 'waiting') - (OLD.status = 'waiting'),
        sent = sent + (NEW.status = 'sent') - (OLD.status = 'sent'),
        unreachable = unreachable + (NEW.status = 'unreachable') - (OLD.status = 'unreachable'),
        failed = failed + (NEW.status = 'failed') - (OLD.status = 'failed'),
        skipped = skipped + (NEW.status = 'skipped') - (OLD.status = 'skipped')
    WHERE id = NEW.announcement_id;
END;
CREATE TRIGGER announcement_deliveries_confirmed AFTER UPDATE OF confirmed_at ON announcement_deliveries BEGIN
    UPDATE announcements SET confirmed = confirmed + (NEW.confirmed_at IS NOT NULL) - (OLD.confirmed_at IS NOT NULL)
    WHERE id = NEW.announcement_id;
END;

-- The outbox learns how a message went: the Telegram message id once sent, why it was dropped,
-- how many tries failed. An announcement's row records it on its delivery in the same statement.
ALTER TABLE outbox ADD COLUMN announcement_id INTEGER;
ALTER TABLE outbox ADD COLUMN message_id INTEGER;
ALTER TABLE outbox ADD COLUMN outcome TEXT;       -- dropped: 'unreachable', 'failed' or NULL (no longer wanted)
ALTER TABLE outbox ADD COLUMN reason TEXT;
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;  -- tries that failed and wait for another
CREATE INDEX outbox_announcement_unsent ON outbox (announcement_id) WHERE sent_at IS NULL AND dropped_at IS NULL;

CREATE TRIGGER outbox_announcement_sent AFTER UPDATE OF sent_at ON outbox
WHEN NEW.announcement_id IS NOT NULL AND NEW.sent_at IS NOT NULL AND OLD.sent_at IS NULL BEGIN
    UPDATE announcement_deliveries SET status = 'sent', reason = NULL, message_id = NEW.message_id,
        sent_at = NEW.sent_at, attempts = NEW.attempts + 1
    WHERE announcement_id = NEW.announcement_id AND member_id = NEW.member_id;
END;
CREATE TRIGGER outbox_announcement_dropped AFTER UPDATE OF dropped_at ON outbox
WHEN NEW.announcement_id IS NOT NULL AND NEW.dropped_at IS NOT NULL AND OLD.dropped_at IS NULL BEGIN
    UPDATE announcement_deliveries SET status = coalesce(NEW.outcome, 'skipped'), reason = NEW.reason,
        attempts = NEW.attempts + (NEW.outcome IS NOT NULL)
    WHERE announcement_id = NEW.announcement_id AND member_id = NEW.member_id AND status = 'waiting';
END;
