-- Money paid back on a share purchase that lapsed (issue 15, storage/shares.py pay_back). A purchase in
-- instalments that lapses after some of them were received owes that money back, unless its lapsed instalments
-- are received later and complete it. An organiser pays it back by bank transfer and marks it once: the amount,
-- who and when. It then no longer waits; the status stays 'lapsed' (a CHECK cannot change in SQLite), and the
-- money counts as paid back in the month it went out (storage/income.py), while the share income stays in the
-- month it came.
ALTER TABLE share_requests ADD COLUMN paid_back_cents INTEGER CHECK (paid_back_cents > 0);
ALTER TABLE share_requests ADD COLUMN paid_back_by INTEGER REFERENCES members (id);
ALTER TABLE share_requests ADD COLUMN paid_back_at TEXT;
-- What may still owe money back: lapsed purchases in instalments not paid back (those with a received instalment).
CREATE INDEX share_requests_to_pay_back ON share_requests (asked_at, id)
    WHERE status = 'lapsed' AND instalments > 1 AND paid_back_at IS NULL;
CREATE INDEX share_requests_paid_back ON share_requests (paid_back_at) WHERE paid_back_at IS NOT NULL;
