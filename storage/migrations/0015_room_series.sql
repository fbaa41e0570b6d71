-- A weekly slot for a season (issue 14, storage/rooms.py ask_season). Every date is a booking of its own, so
-- each is checked for overlap, reminded, cancelled by the 24 h rule and counted in the treasurer's month;
-- series_id (the id of the season's first date) ties the dates together, so they are asked, confirmed,
-- declined and cancelled as a whole.
ALTER TABLE room_bookings ADD COLUMN series_id INTEGER REFERENCES room_bookings (id);
CREATE INDEX room_bookings_series ON room_bookings (series_id, starts_at) WHERE series_id IS NOT NULL;
