-- With the time bank on, a member can pay part of a room in hours (issue 14, storage/rooms.py, storage/hours.py
-- for_booking): one rented hour is one time-bank hour, so hours never get a euro value.
-- hours_share: the part of the time (percent) organisers allow to be paid in hours, at the member price only.
-- paid_halves: the half hours a booking is paid in; price_cents stays the euros due for the rest of the time.
-- The hours move from the member to the cooperative when they ask, once per booking (the unique index below);
-- they come back by a correcting transfer that names the booking too, when it does not go ahead.
ALTER TABLE rooms ADD COLUMN hours_share INTEGER NOT NULL DEFAULT 0 CHECK (hours_share BETWEEN 0 AND 100);
ALTER TABLE room_bookings ADD COLUMN paid_halves INTEGER NOT NULL DEFAULT 0 CHECK (paid_halves >= 0);
ALTER TABLE hour_transfers ADD COLUMN booking_id INTEGER REFERENCES room_bookings (id);
CREATE UNIQUE INDEX hour_transfers_booking ON hour_transfers (booking_id)
    WHERE booking_id IS NOT NULL AND corrects IS NULL;
