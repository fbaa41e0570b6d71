-- Shares paid in instalments (issue 15, storage/shares.py). A purchase is paid at once (one payment: the
-- request's own reference) or in 2, 5 or 10 monthly instalments, each its own payment with its own reference and
-- due day; an organiser marks each one received or lapsed. The purchase is received (and in the register) when
-- every instalment is received; when one lapses, the purchase lapses. Amounts are integer cents and add up to
-- the purchase's amount.
ALTER TABLE share_requests ADD COLUMN instalments INTEGER NOT NULL DEFAULT 1 CHECK (instalments IN (1, 2, 5, 10));
CREATE TABLE share_instalments (
    id           INTEGER PRIMARY KEY,
    request_id   INTEGER NOT NULL REFERENCES share_requests (id),
    number       INTEGER NOT NULL CHECK (number >= 1),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    reference    TEXT UNIQUE, -- ISO 11649 creditor reference (bot/payments.py reference)
    due_on       TEXT NOT NULL, -- the local day it is due (YYYY-MM-DD)
    status       TEXT NOT NULL CHECK (status IN ('pending', 'received', 'lapsed')),
    decided_by   INTEGER REFERENCES members (id),
    decided_at   TEXT,
    UNIQUE (request_id, number)
);
