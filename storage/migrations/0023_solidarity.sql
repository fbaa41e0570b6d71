-- Solidarity shares (issue 15, storage/shares.py). A member pays for a share that goes to a member who cannot afford
-- one. The purchase is a request like their own (solidarity = 1): when it is received it waits in a pool and is not
-- in the buyer's holding. An organiser gives it to a member: a new received row of the receiver (amount 0: they paid
-- nothing) with gift_of naming the purchase. gift_of is unique: a pool share is given once, however many tap.
ALTER TABLE share_requests ADD COLUMN solidarity INTEGER NOT NULL DEFAULT 0 CHECK (solidarity IN (0, 1));
ALTER TABLE share_requests ADD COLUMN gift_of INTEGER REFERENCES share_requests (id);
CREATE UNIQUE INDEX share_requests_gift ON share_requests (gift_of) WHERE gift_of IS NOT NULL;
-- A double tap asks once: one pending purchase of the same number of shares per member, for themselves or for others.
DROP INDEX share_requests_one_buy;
CREATE UNIQUE INDEX share_requests_one_buy ON share_requests (member_id, shares, solidarity)
    WHERE kind = 'buy' AND status = 'pending';
