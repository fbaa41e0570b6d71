-- With the time bank on, the cooperative credits the hours of a shift to each volunteer ticked as came
-- (issue 14, storage/hours.py for_shift): once per volunteer per shift, settled by the unique index below.
-- Un-ticking, and ticking again, add correcting transfers that name the shift too, as corrections of a post do.
ALTER TABLE hour_transfers ADD COLUMN shift_id INTEGER REFERENCES shifts (id);
CREATE UNIQUE INDEX hour_transfers_shift ON hour_transfers (shift_id, to_account)
    WHERE shift_id IS NOT NULL AND corrects IS NULL;
