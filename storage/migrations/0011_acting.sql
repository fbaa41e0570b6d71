-- Acting for a member (issue 13): an organiser signs a member up or off at their request. The audit log
-- keeps how the member asked ('desk', 'phone' or 'paper'; storage/audit.py REASONS); NULL for the rest.
ALTER TABLE audit_log ADD COLUMN reason TEXT;
