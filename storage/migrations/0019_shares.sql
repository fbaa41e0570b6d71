-- Member shares (aandelen, issue 15, storage/shares.py). A member asks to buy shares and pays by bank transfer
-- with the request's reference; an organiser marks the payment received (or lapsed). A member also asks to
-- sell shares back; an organiser marks it paid back. The register is what this table adds up to: received
-- purchases minus paid-back sales. Amounts are integer cents: the number of shares times the price at the
-- time of asking. Financial records stay after an account is deleted, on the anonymous member row (the law
-- requires them to be kept).
CREATE TABLE share_requests (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members (id),
    kind         TEXT NOT NULL CHECK (kind IN ('buy', 'sell')),
    shares       INTEGER NOT NULL CHECK (shares > 0),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    reference    TEXT UNIQUE, -- ISO 11649 creditor reference of a purchase (bot/payments.py reference)
    status       TEXT NOT NULL CHECK (status IN ('pending', 'received', 'paid', 'lapsed')),
    asked_at     TEXT NOT NULL,
    decided_by   INTEGER REFERENCES members (id),
    decided_at   TEXT,
    CHECK (status != 'received' OR kind = 'buy'),
    CHECK (status != 'paid' OR kind = 'sell')
);
CREATE INDEX share_requests_member ON share_requests (member_id, asked_at);
CREATE INDEX share_requests_pending ON share_requests (asked_at, id) WHERE status = 'pending';
CREATE INDEX share_requests_held ON share_requests (member_id) WHERE status IN ('received', 'paid');
-- A double tap asks once: one pending purchase of the same number of shares, one pending sale, per member.
CREATE UNIQUE INDEX share_requests_one_buy ON share_requests (member_id, shares)
    WHERE kind = 'buy' AND status = 'pending';
CREATE UNIQUE INDEX share_requests_one_sell ON share_requests (member_id) WHERE kind = 'sell' AND status = 'pending';
