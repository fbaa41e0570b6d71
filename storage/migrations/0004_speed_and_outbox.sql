-- Fast by construction (see storage/db.py): counts kept on the activity by the
-- database itself, an index for every search and join, and the outbox.

-- How many come, have a place offered, and wait: kept right by triggers in the
-- transaction that changes an RSVP, so lists and cards never count rows.
ALTER TABLE activities ADD COLUMN going_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN offered_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN waiting_count INTEGER NOT NULL DEFAULT 0;
UPDATE activities SET
    going_count = (SELECT count(*) FROM rsvps r WHERE r.activity_id = activities.id AND r.status = 'going'),
    offered_count = (SELECT count(*) FROM rsvps r WHERE r.activity_id = activities.id AND r.status = 'offered'),
    waiting_count = (SELECT count(*) FROM rsvps r WHERE r.activity_id = activities.id AND r.status = 'waiting');

CREATE TRIGGER rsvps_count_insert AFTER INSERT ON rsvps BEGIN
    UPDATE activities SET going_count = going_count + (NEW.status = 'going'),
                          offered_count = offered_count + (NEW.status = 'offered'),
                          waiting_count = waiting_count + (NEW.status = 'waiting')
    WHERE id = NEW.activity_id;
END;
CREATE TRIGGER rsvps_count_delete AFTER DELETE ON rsvps BEGIN
    UPDATE activities SET going_count = going_count - (OLD.status = 'going'),
                          offered_count = offered_count - (OLD.status = 'offered'),
                          waiting_count = waiting_count - (OLD.status = 'waiting')
    WHERE id = OLD.activity_id;
END;
CREATE TRIGGER rsvps_count_update AFTER UPDATE OF status ON rsvps BEGIN
    UPDATE activities SET going_count = going_count + (NEW.status = 'going') - (OLD.status = 'going'),
                          offered_count = offered_count + (NEW.status = 'offered') - (OLD.status = 'offered'),
                          waiting_count = waiting_count + (NEW.status = 'waiting') - (OLD.status = 'waiting')
    WHERE id = NEW.activity_id;
END;

-- The waiting list in order, and offers that run out.
CREATE INDEX rsvps_list ON rsvps (activity_id, status, queued_at);
CREATE INDEX rsvps_offers ON rsvps (offer_expires_at) WHERE status = 'offered';
CREATE INDEX attendance_member ON attendance (member_id);
CREATE INDEX activities_created_by ON activities (created_by);
CREATE INDEX members_status ON members (status, member_no);
CREATE INDEX member_roles_role ON member_roles (role, member_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
CREATE INDEX audit_log_target ON audit_log (target_id);

-- The outbox: every message the bot sends by itself. One background sender
-- claims a row (claimed_at), sends it, then marks it sent; a claim older than
-- a minute is a crash and is sent again.
ALTER TABLE notifications RENAME TO outbox;
ALTER TABLE outbox ADD COLUMN claimed_at TEXT;
CREATE INDEX outbox_activity ON outbox (activity_id);
CREATE INDEX outbox_member ON outbox (member_id);
CREATE INDEX outbox_expires ON outbox (expires_at);
CREATE INDEX outbox_claims ON outbox (claimed_at) WHERE claimed_at IS NOT NULL;
-- Every message about an activity is of no use after it starts.
UPDATE outbox SET expires_at = (SELECT starts_at FROM activities a WHERE a.id = outbox.activity_id)
WHERE expires_at IS NULL AND activity_id IS NOT NULL;

-- Reminders are now planned when someone signs up, not by a job that looks
-- ahead. Plan them for everyone already coming (the same keys as before, so
-- one that went out already is not planned again).
INSERT OR IGNORE INTO outbox (key, kind, member_id, activity_id, deliver_at, expires_at)
SELECT printf('%s:%d:%d:%s', reminder.kind, a.id, r.member_id, a.starts_at), reminder.kind, r.member_id, a.id,
       strftime('%Y-%m-%dT%H:%M:%S+00:00', a.starts_at, reminder.due),
       strftime('%Y-%m-%dT%H:%M:%S+00:00', a.starts_at, reminder.expires)
FROM rsvps r
JOIN activities a ON a.id = r.activity_id
JOIN (SELECT 'reminder_day' AS kind, '-24 hours' AS due, '-2 hours' AS expires
      UNION ALL SELECT 'reminder_2h', '-2 hours', '+0 hours') AS reminder
WHERE r.status = 'going' AND a.cancelled_at IS NULL
  AND a.starts_at > strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
  AND r.created_at <= strftime('%Y-%m-%dT%H:%M:%S+00:00', a.starts_at, reminder.due);
