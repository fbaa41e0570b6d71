"""Rooms of the community building, and who rents them when (issue 14).

The rule that must never break: two confirmed bookings, or a booking and a published activity in that room,
never overlap, the cleaning buffer included. It is settled in the one transaction that confirms (`confirm`),
so two organisers tapping ✅ at the same moment can never both win. The free times offered to members come
from the same rule (`fits`), so what is offered can be confirmed unless someone else got there first.

With the time bank on, a member can pay part of the time in hours where organisers allow it (`hours_share`),
at the member price only: one rented hour is one time-bank hour, so hours never get a euro value, and
price_cents stays the euros due for the rest of the time. The hours move when the member asks, in that
transaction (storage/hours.py for_booking checks they have them), and come back whenever the booking does not
go ahead: declined, cancelled, left out of a season, or freed when the member leaves.
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage import audit, hours, outbox
from storage.db import Database, Row, rows_part
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

MEMBER, BUSINESS, OTHER = "member", "business", "other"  # the three prices of a room
RATES = (MEMBER, BUSINESS, OTHER)
ASKED, CONFIRMED, DECLINED, CANCELLED = "asked", "confirmed", "declined", "cancelled"
# The messages about a booking (bot/room_notices.py words them).
REQUEST, CONFIRMED_NOTICE, DECLINED_NOTICE, CANCELLED_NOTICE, REMINDER = (
    "room_request",
    "room_confirmed",
    "room_declined",
    "room_cancelled",
    "room_reminder",
)
FREED = "room_freed"  # to organisers: a confirmed booking of a member who deleted their account is free again
EXPIRED = "room_expired"  # to the member: nobody decided before the time came; hours paid go back
EXPIRE_AT_ONCE = 100  # requests ended by one run of expire_unanswered, so it never holds the event loop long
TOLD_FOR = timedelta(days=2)  # how long the message that nobody answered may wait (night, an outage)
STEP = timedelta(minutes=30)  # start times and lengths go in half hours
MAX_HALF_HOURS = 16  # 8 hours
CANCEL_UNTIL = timedelta(hours=24)  # a member cancels up to a day before; later, an organiser decides
REMIND_BEFORE = timedelta(hours=24)
SHARES = (0, 25, 50, 100)  # the part of the time (percent) organisers may allow to be paid in hours
Span = tuple[int, int]  # opening hours of one day: minutes from midnight, local time
Busy = list[tuple[datetime, datetime]]


@dataclass(frozen=True)
class RoomPlan:
    """What an organiser fills in for a room."""

    name: str
    capacity: int
    facilities: str
    prices: tuple[int, int, int]  # cents an hour for members, for ZZP'ers and businesses, for others
    opening: tuple[Span | None, ...]  # Monday to Sunday; None: closed
    buffer_minutes: int
    notice_hours: int
    hours_share: int = field(default=0, kw_only=True)  # percent of the time that may be paid in hours (SHARES)

    def price(self, rate: str, minutes: int, paid_halves: int = 0) -> int:
        """What `minutes` in this room cost at a rate, in cents (rounded to whole cents): euros only for the time
        not paid in hours."""
        return round(self.prices[RATES.index(rate)] * (minutes - paid_halves * 30) / 60)

    def halves_allowed(self, rate: str, half_hours: int) -> int:
        """The most of `half_hours` that may be paid in hours: the room's share, rounded down, and only at the
        member price (what ZZP'ers and businesses pay is income)."""
        return half_hours * self.hours_share // 100 if rate == MEMBER else 0


@dataclass(frozen=True)
class Room(RoomPlan):
    id: int
    active: bool


@dataclass(frozen=True)
class Booking:
    id: int
    room_id: int
    room_name: str
    member_id: int
    member_name: str | None
    starts_at: datetime
    ends_at: datetime
    purpose: str | None
    people: int
    rate: str
    price_cents: int
    status: str
    reason: str | None
    series_id: int | None = None  # a date of a weekly slot for a season (the id of its first date)
    paid_halves: int = 0  # half hours paid in the time bank; price_cents is the euros for the rest

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Outcome(enum.Enum):
    DONE = "done"
    CLASH = "clash"  # another booking or an activity has that time now
    DECIDED = "decided"  # someone decided about it already, or it was cancelled
    PAST = "past"  # it started
    TOO_LATE = "too_late"  # less than a day before: an organiser decides
    NOT_YOURS = "not_yours"
    GONE = "gone"  # no such booking, or the room is off


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    booking: Booking | None


def read_opening(text: str) -> tuple[Span | None, ...]:
    """The opening hours as stored ("09:00-17:00,,..."), Monday to Sunday."""

    def span(part: str) -> Span | None:
        if not part:
            return None
        start, end = (time.fromisoformat(moment) for moment in part.split("-"))
        return start.hour * 60 + start.minute, (end.hour * 60 + end.minute) or 24 * 60  # 00:00: open until midnight

    return tuple(span(part) for part in text.split(","))


def write_opening(opening: tuple[Span | None, ...]) -> str:
    return ",".join(f"{clock(span[0])}-{clock(span[1] % (24 * 60))}" if span else "" for span in opening)


def clock(minutes: int) -> str:
    """Minutes from midnight as "09:30" (24:00 for the end of the day)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _room(row: Row) -> Room:
    return Room(
        id=row["id"],
        name=row["name"],
        capacity=row["capacity"],
        facilities=row["facilities"],
        prices=(row["member_cents"], row["business_cents"], row["other_cents"]),
        opening=read_opening(row["opening"]),
        buffer_minutes=row["buffer_minutes"],
        notice_hours=row["notice_hours"],
        hours_share=row["hours_share"],
        active=bool(row["active"]),
    )


_BOOKING = (
    "SELECT b.*, r.name AS room_name, m.first_name FROM room_bookings b JOIN rooms r ON r.id = b.room_id"
    " JOIN members m ON m.id = b.member_id"
)


def _booking(row: Row) -> Booking:
    return Booking(
        id=row["id"],
        room_id=row["room_id"],
        room_name=row["room_name"],
        member_id=row["member_id"],
        member_name=row["first_name"],
        starts_at=datetime.fromisoformat(row["starts_at"]),
        ends_at=datetime.fromisoformat(row["ends_at"]),
        purpose=row["purpose"],
        people=row["people"],
        rate=row["rate"],
        price_cents=row["price_cents"],
        status=row["status"],
        reason=row["reason"],
        series_id=row["series_id"],
        paid_halves=row["paid_halves"],
    )


def _values(plan: RoomPlan) -> tuple[object, ...]:
    return (
        plan.name,
        plan.capacity,
        plan.facilities,
        *plan.prices,
        write_opening(plan.opening),
        plan.buffer_minutes,
        plan.notice_hours,
        plan.hours_share,
    )


_FIELDS = (
    "name, capacity, facilities, member_cents, business_cents, other_cents, opening, buffer_minutes, notice_hours,"
    " hours_share"
)
_PLACES = ", ".join("?" * (len(_FIELDS.split(",")) + 1))  # the fields and created_at


def create(db: Database, plan: RoomPlan, now: datetime) -> Room:
    with db.transaction() as conn:
        row = conn.execute(
            f"INSERT INTO rooms ({_FIELDS}, created_at) VALUES ({_PLACES}) RETURNING *",
            (*_values(plan), now.isoformat()),
        ).fetchone()
    return _room(row)


def update(db: Database, room_id: int, plan: RoomPlan) -> Room | None:
    """New settings for a room; confirmed bookings stay as they are."""
    sets = ", ".join(f"{field} = ?" for field in _FIELDS.split(", "))
    with db.transaction() as conn:
        row = conn.execute(f"UPDATE rooms SET {sets} WHERE id = ? RETURNING *", (*_values(plan), room_id)).fetchone()
    return _room(row) if row else None


def switch(db: Database, room_id: int, active: bool) -> Room | None:
    """Switch a room on or off: an off room takes no new requests (what is confirmed stays)."""
    with db.transaction() as conn:
        row = conn.execute("UPDATE rooms SET active = ? WHERE id = ? RETURNING *", (int(active), room_id)).fetchone()
    return _room(row) if row else None


def get(db: Database, room_id: int) -> Room | None:
    row = db.fetchone("SELECT * FROM rooms WHERE id = ?", (room_id,))
    return _room(row) if row else None


def listed(db: Database, page: int, *, only_active: bool) -> Page[Room]:
    """The rooms by name, one page; for members only the ones switched on."""
    where = " WHERE active = 1" if only_active else ""
    rows = db.fetchall(f"SELECT * FROM rooms{where} ORDER BY name, id" + limit_offset(page))
    return page_of(rows, page, _room)


_BUSY = (
    "SELECT starts_at, ends_at FROM room_bookings WHERE room_id = :room AND status = 'confirmed'"
    " AND id != :skip AND starts_at < :end AND ends_at > :start"
    " UNION ALL SELECT starts_at, ends_at FROM activities WHERE room_id = :room AND cancelled_at IS NULL"
    " AND starts_at < :end AND ends_at > :start"
)


def _busy_params(room_id: int, start: datetime, end: datetime, skip: int = 0) -> dict[str, object]:
    return {"room": room_id, "skip": skip, "start": start.isoformat(), "end": end.isoformat()}


def _periods(rows: list[Row]) -> Busy:
    return [(datetime.fromisoformat(row[0]), datetime.fromisoformat(row[1])) for row in rows]


def _busy(conn: sqlite3.Connection, room_id: int, start: datetime, end: datetime, skip: int = 0) -> Busy:
    """Inside a transaction: what occupies a room between two moments: confirmed bookings (but `skip`) and
    published activities in it."""
    return _periods(conn.execute(_BUSY, _busy_params(room_id, start, end, skip)).fetchall())


def busy(db: Database, room_id: int, day: date, tz: ZoneInfo, days: int = 1) -> Busy:
    """What occupies a room on `days` local days from `day` (and a little around them, for the cleaning)."""
    start = datetime.combine(day, time(0), tz).astimezone(UTC) - timedelta(hours=2)
    return _periods(db.fetchall(_BUSY, _busy_params(room_id, start, start + timedelta(days=days, hours=4))))


def fits(room: Room, start: datetime, end: datetime, tz: ZoneInfo, now: datetime, occupied: Busy) -> bool:
    """Can the room be booked from start to end: open then, enough notice, nothing in the way (buffer included)."""
    return start >= now + timedelta(hours=room.notice_hours) and clear(room, start, end, tz, occupied)


def clear(room: Room, start: datetime, end: datetime, tz: ZoneInfo, occupied: Busy) -> bool:
    """Is the room open from start to end with nothing in the way (buffer included); notice aside."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    span = room.opening[local_start.weekday()]
    if span is None or local_end.date() != local_start.date() and local_end.time() != time(0):
        return False
    first = local_start.hour * 60 + local_start.minute
    last = (local_end.hour * 60 + local_end.minute) or 24 * 60
    if not (span[0] <= first and last <= span[1]):
        return False
    buffer = timedelta(minutes=room.buffer_minutes)
    return all(end + buffer <= taken_from or start >= taken_until + buffer for taken_from, taken_until in occupied)


def free_starts(room: Room, day: date, tz: ZoneInfo, now: datetime, occupied: Busy) -> list[datetime]:
    """The start times (every half hour) on a local day at which at least half an hour is free."""
    span = room.opening[day.weekday()]
    if span is None:
        return []
    midnight = datetime.combine(day, time(0), tz)
    starts = (
        (midnight + timedelta(minutes=minute)).astimezone(UTC) for minute in range(span[0], span[1], STEP.seconds // 60)
    )
    return [start for start in starts if fits(room, start, start + STEP, tz, now, occupied)]


def lengths(room: Room, start: datetime, tz: ZoneInfo, now: datetime, occupied: Busy) -> list[int]:
    """How long a booking from `start` can be, in half hours (½ to 8 hours)."""
    fitting = []
    for half_hours in range(1, MAX_HALF_HOURS + 1):
        if not fits(room, start, start + STEP * half_hours, tz, now, occupied):
            break
        fitting.append(half_hours)
    return fitting


def rate_of(business_name: str | None) -> str:
    """A member with business details rents as a ZZP'er; every other member at the member price."""
    return BUSINESS if business_name else MEMBER


@dataclass(frozen=True)
class Request:
    room_id: int
    member_id: int
    starts_at: datetime
    ends_at: datetime
    purpose: str
    people: int
    paid_halves: int = 0  # of each date, paid in the time bank

    @property
    def half_hours(self) -> int:
        return (self.ends_at - self.starts_at) // STEP


def ask(db: Database, request: Request, tz: ZoneInfo, now: datetime, *, timebank: bool = False) -> Booking | None:
    """✅ Ask: the request is stored (its hours paid) and every active organiser gets a card to decide; None
    when the room is off, too small, the time is no longer free, or the hours cannot be paid."""
    with db.transaction() as conn:
        checked = _askable(conn, request, tz, now, timebank=timebank)
        if checked is None:
            return None
        room, rate = checked
        booking_id = _insert(conn, room, request, rate, request.starts_at, now)
        outbox.add(
            conn,
            [
                _message(REQUEST, booking_id, organiser, now, request.starts_at, f"{REQUEST}:{booking_id}:{organiser}")
                for organiser in _organisers(conn)
            ],
        )
        return _booking(conn.execute(_BOOKING + " WHERE b.id = ?", (booking_id,)).fetchone())


def _askable(
    conn: sqlite3.Connection, request: Request, tz: ZoneInfo, now: datetime, *, timebank: bool, dates: int = 1
) -> tuple[Room, str] | None:
    """Inside a transaction: the room and the member's rate, when the room is on, the member active, the room big
    enough, the (first) time still free, and the hours (for all `dates`) can be paid."""
    row = conn.execute("SELECT * FROM rooms WHERE id = ? AND active = 1", (request.room_id,)).fetchone()
    member = conn.execute(
        "SELECT business_name FROM members WHERE id = ? AND status = 'active'", (request.member_id,)
    ).fetchone()
    if row is None or member is None:
        return None
    room = _room(row)
    occupied = _busy(conn, room.id, request.starts_at - timedelta(hours=2), request.ends_at + timedelta(hours=2))
    if request.people > room.capacity or not fits(room, request.starts_at, request.ends_at, tz, now, occupied):
        return None
    rate = rate_of(member["business_name"])
    if request.paid_halves and not (
        timebank
        and 0 < request.paid_halves <= room.halves_allowed(rate, request.half_hours)
        and request.paid_halves * dates <= hours.halves_of(conn, request.member_id)
    ):
        return None
    return room, rate


def _insert(conn: sqlite3.Connection, room: Room, request: Request, rate: str, start: datetime, now: datetime) -> int:
    """Inside a transaction: one asked date, at the member's rate, the length of the request from `start`; its
    hours paid to the cooperative (`_askable` checked the member has them)."""
    end = start + (request.ends_at - request.starts_at)
    minutes = int((end - start).total_seconds() // 60)
    booking_id = int(
        conn.execute(
            "INSERT INTO room_bookings (room_id, member_id, starts_at, ends_at, purpose, people, rate, price_cents,"
            " paid_halves, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'asked', ?) RETURNING id",
            (
                room.id,
                request.member_id,
                start.isoformat(),
                end.isoformat(),
                request.purpose,
                request.people,
                rate,
                room.price(rate, minutes, request.paid_halves),
                request.paid_halves,
                now.isoformat(),
            ),
        ).fetchone()[0]
    )
    if request.paid_halves:
        member_id, paid_halves = request.member_id, request.paid_halves
        paid = hours.for_booking(conn, booking_id, member_id, paid_halves, now, by=member_id, note=room.name)
        assert paid is not None, "the hours were checked in this transaction"
    return booking_id


def _give_back(conn: sqlite3.Connection, dates: list[Booking], by: int | None, now: datetime) -> None:
    """Inside the transaction that declines, cancels or frees dates: the hours paid for them go back."""
    for d in dates:
        if d.paid_halves:
            hours.for_booking(conn, d.id, d.member_id, 0, now, by=by)


def _organisers(conn: sqlite3.Connection) -> list[int]:
    """The active organisers who can get a request card."""
    rows = conn.execute(
        "SELECT m.id FROM members m JOIN member_roles r ON r.member_id = m.id AND r.role = 'organiser'"
        " WHERE m.status = 'active' AND m.telegram_id IS NOT NULL"
    ).fetchall()
    return [row[0] for row in rows]


def _message(
    kind: str, booking_id: int, member_id: int, deliver_at: datetime, starts_at: datetime, key: str
) -> Message:
    return Message(
        key, kind, member_id, None, deliver_at=deliver_at, expires_at=starts_at, payload={"booking": booking_id}
    )


def _tell_booker(conn: sqlite3.Connection, kind: str, booking: Booking, now: datetime) -> None:
    outbox.add(conn, [_message(kind, booking.id, booking.member_id, now, booking.starts_at, f"{kind}:{booking.id}")])


def _current(conn: sqlite3.Connection, booking_id: int) -> Booking | None:
    row = conn.execute(_BOOKING + " WHERE b.id = ?", (booking_id,)).fetchone()
    return _booking(row) if row else None


def _decide(
    conn: sqlite3.Connection, booking: Booking, status: str, by: int, reason: str | None, now: datetime
) -> Booking:
    conn.execute(
        "UPDATE room_bookings SET status = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?",
        (status, reason, by, now.isoformat(), booking.id),
    )
    audit.record(conn, by, f"room_{status}", booking.member_id, now)
    if status != CONFIRMED:
        _give_back(conn, [booking], by, now)
    changed = _current(conn, booking.id)
    assert changed is not None
    return changed


def confirm(db: Database, booking_id: int, organiser_id: int, now: datetime) -> Decision:
    """✅ Confirm: only while it is asked and not started, and only when nothing confirmed meanwhile is in the
    way (checked in this transaction: of two overlapping requests confirmed at once, exactly one wins)."""
    with db.transaction() as conn:
        booking = _current(conn, booking_id)
        if booking is None or booking.series_id is not None:
            return Decision(Outcome.GONE, None)
        if booking.status != ASKED:
            return Decision(Outcome.DECIDED, booking)
        if booking.starts_at <= now:
            return Decision(Outcome.PAST, booking)
        room = _room(conn.execute("SELECT * FROM rooms WHERE id = ?", (booking.room_id,)).fetchone())
        buffer = timedelta(minutes=room.buffer_minutes)
        if _busy(conn, room.id, booking.starts_at - buffer, booking.ends_at + buffer, skip=booking.id):
            return Decision(Outcome.CLASH, booking)
        confirmed = _decide(conn, booking, CONFIRMED, organiser_id, None, now)
        _tell_booker(conn, CONFIRMED_NOTICE, confirmed, now)
        _plan_reminders(conn, [booking], now)
        return Decision(Outcome.DONE, confirmed)


def _plan_reminders(conn: sqlite3.Connection, confirmed: list[Booking], now: datetime) -> None:
    """Inside the confirming transaction: a reminder the day before each date (none when that has passed)."""
    outbox.add(
        conn,
        [
            _message(REMINDER, b.id, b.member_id, b.starts_at - REMIND_BEFORE, b.starts_at, f"{REMINDER}:{b.id}")
            for b in confirmed
            if b.starts_at - REMIND_BEFORE > now
        ],
    )


def decline(db: Database, booking_id: int, organiser_id: int, reason: str, now: datetime) -> Decision:
    """❌ Decline with a reason, while it is asked; the member is told."""
    with db.transaction() as conn:
        booking = _current(conn, booking_id)
        if booking is None or booking.series_id is not None:
            return Decision(Outcome.GONE, None)
        if booking.status != ASKED:
            return Decision(Outcome.DECIDED, booking)
        declined = _decide(conn, booking, DECLINED, organiser_id, reason, now)
        _tell_booker(conn, DECLINED_NOTICE, declined, now)
        return Decision(Outcome.DONE, declined)


def expire_unanswered(db: Database, now: datetime) -> int:
    """Requests nobody decided about before their time came (scheduled work): declined without a reason, the
    hours paid go back, and the member is told; a season's dates each on their own. How many."""
    with db.transaction() as conn:
        rows = conn.execute(
            _BOOKING + " WHERE b.status = 'asked' AND b.starts_at <= ? ORDER BY b.starts_at LIMIT ?",
            (now.isoformat(), EXPIRE_AT_ONCE),
        ).fetchall()
        for row in rows:
            booking = _booking(row)
            conn.execute(
                "UPDATE room_bookings SET status = 'declined', decided_at = ? WHERE id = ? AND status = 'asked'",
                (now.isoformat(), booking.id),
            )
            _give_back(conn, [booking], None, now)
            told = {"booking": booking.id}
            outbox.add(
                conn, [Message(f"{EXPIRED}:{booking.id}", EXPIRED, booking.member_id, None, now, now + TOLD_FOR, told)]
            )
        return len(rows)


def cancel(db: Database, booking_id: int, member_id: int, now: datetime) -> Decision:
    """The member's own ❌ Cancel: a request, or a booking up to a day before it starts."""
    with db.transaction() as conn:
        booking = _current(conn, booking_id)
        if booking is None or booking.member_id != member_id:
            return Decision(Outcome.NOT_YOURS, None)
        if booking.series_id is not None:
            return Decision(Outcome.GONE, booking)  # a season is cancelled as a whole (cancel_season)
        if booking.status not in (ASKED, CONFIRMED):
            return Decision(Outcome.DECIDED, booking)
        if booking.starts_at <= now:
            return Decision(Outcome.PAST, booking)
        if booking.status == CONFIRMED and booking.starts_at - now < CANCEL_UNTIL:
            return Decision(Outcome.TOO_LATE, booking)
        return Decision(Outcome.DONE, _decide(conn, booking, CANCELLED, member_id, None, now))


def cancel_by_organiser(db: Database, booking_id: int, organiser_id: int, reason: str, now: datetime) -> Decision:
    """An organiser cancels a confirmed booking that has not started, with a reason; the booker is told."""
    with db.transaction() as conn:
        booking = _current(conn, booking_id)
        if booking is None:
            return Decision(Outcome.GONE, None)
        if booking.status != CONFIRMED:
            return Decision(Outcome.DECIDED, booking)
        if booking.starts_at <= now:
            return Decision(Outcome.PAST, booking)
        cancelled = _decide(conn, booking, CANCELLED, organiser_id, reason, now)
        _tell_booker(conn, CANCELLED_NOTICE, cancelled, now)
        return Decision(Outcome.DONE, cancelled)


def booking(db: Database, booking_id: int) -> Booking | None:
    row = db.fetchone(_BOOKING + " WHERE b.id = ?", (booking_id,))
    return _booking(row) if row else None


def _next_of_season(statuses: str, still: str) -> str:
    """SQL: the row is no date of a season, or its season's next date with one of `statuses` (`still`: a
    condition on that date's times, with one ? for now)."""
    return (
        " AND (b.series_id IS NULL OR b.id = (SELECT s.id FROM room_bookings s WHERE s.series_id = b.series_id"
        f" AND s.status IN ({statuses}) AND s.{still} ORDER BY s.starts_at, s.id LIMIT 1))"
    )


def of_member(db: Database, member_id: int, now: datetime, page: int) -> Page[Booking]:
    """A member's requests and bookings that have not ended, soonest first; a season once, at its next date."""
    rows = db.fetchall(
        _BOOKING
        + " WHERE b.member_id = ? AND b.ends_at > ? AND b.status IN ('asked', 'confirmed')"
        + _next_of_season("'asked', 'confirmed'", "ends_at > ?")
        + " ORDER BY b.starts_at, b.id"
        + limit_offset(page),
        (member_id, now.isoformat(), now.isoformat()),
    )
    return page_of(rows, page, _booking)


def waiting(db: Database, now: datetime, page: int) -> Page[Booking]:
    """Requests nobody decided about yet, soonest first (for organisers); a season once, at its next date."""
    rows = db.fetchall(
        _BOOKING
        + " WHERE b.status = 'asked' AND b.starts_at > ?"
        + _next_of_season("'asked'", "starts_at > ?")
        + " ORDER BY b.starts_at, b.id"
        + limit_offset(page),
        (now.isoformat(), now.isoformat()),
    )
    return page_of(rows, page, _booking, counted=False)


# --- a weekly slot for a season: every date a booking of its own, tied by series_id ---

SEASON_REQUEST, SEASON_CONFIRMED, SEASON_DECLINED = (
    "room_season_request",
    "room_season_confirmed",
    "room_season_declined",
)
SEASON_MONTHS = (1, 3, 6)  # the quick choices for how long a season lasts
LONGEST_SEASON = timedelta(days=366)
WEEK = timedelta(days=7)


def season_starts(first: datetime, until: date, tz: ZoneInfo) -> list[datetime]:
    """Every week at the local time of `first`, up to and including the day `until` (summer time kept)."""
    local = first.astimezone(tz)
    weeks = (until - local.date()).days // 7
    return [
        datetime.combine(local.date() + WEEK * n, local.time(), tz).astimezone(UTC) for n in range(max(weeks + 1, 0))
    ]


def season_clashes(db: Database, room: Room, starts: list[datetime], length: timedelta, tz: ZoneInfo) -> list[datetime]:
    """The dates of a planned season that are not free now: a confirmed booking or an activity in the way
    (cleaning included), or the room closed then."""
    if not starts:
        return []
    occupied = _periods(db.fetchall(_BUSY, _busy_params(room.id, starts[0] - timedelta(hours=2), starts[-1] + length)))
    return [start for start in starts if not clear(room, start, start + length, tz, occupied)]


@dataclass(frozen=True)
class Season:
    """A weekly slot for a season: all its dates in order, asked, confirmed, declined and cancelled as a whole."""

    dates: tuple[Booking, ...]

    @property
    def first(self) -> Booking:
        return self.dates[0]

    @property
    def id(self) -> int:
        return self.first.id

    def having(self, *statuses: str) -> list[Booking]:
        return [d for d in self.dates if d.status in statuses]


@dataclass(frozen=True)
class SeasonDecision:
    outcome: Outcome
    season: Season | None
    done: tuple[Booking, ...] = ()  # the dates confirmed, declined or cancelled now
    left: tuple[Booking, ...] = ()  # confirming: the dates left out (not free); cancelling: kept (< 24 h)


_SEASON = _BOOKING + " WHERE b.series_id = ? ORDER BY b.starts_at, b.id"


def _season(rows: list[Row]) -> Season | None:
    return Season(tuple(_booking(row) for row in rows)) if rows else None


def season(db: Database, series_id: int) -> Season | None:
    return _season(db.fetchall(_SEASON, (series_id,)))


def _current_season(conn: sqlite3.Connection, series_id: int) -> Season | None:
    return _season(conn.execute(_SEASON, (series_id,)).fetchall())


def still_clashing(db: Database, found: Season, tz: ZoneInfo, now: datetime) -> list[Booking]:
    """The asked dates of a season that would be left out if it were confirmed now."""
    asked = [d for d in found.having(ASKED) if d.starts_at > now]
    room = get(db, found.first.room_id)
    if not asked or room is None:
        return []
    late = set(season_clashes(db, room, [d.starts_at for d in asked], asked[0].ends_at - asked[0].starts_at, tz))
    return [d for d in asked if d.starts_at in late]


def _season_message(kind: str, found: Season, member_id: int, now: datetime, key: str) -> Message:
    return Message(
        key, kind, member_id, None, deliver_at=now, expires_at=found.dates[-1].starts_at, payload={"series": found.id}
    )


def _settle(
    conn: sqlite3.Connection, dates: list[Booking], status: str, by: int, reason: str | None, now: datetime
) -> None:
    conn.executemany(
        "UPDATE room_bookings SET status = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?",
        [(status, reason, by, now.isoformat(), d.id) for d in dates],
    )
    if status != CONFIRMED:
        _give_back(conn, dates, by, now)


def ask_season(
    db: Database, request: Request, until: date, tz: ZoneInfo, now: datetime, *, timebank: bool = False
) -> Season | None:
    """✅ Ask for every week until `until`: every date is stored as asked (its hours paid), and every organiser
    gets ONE card for the season. None when the first date is no longer free or the hours of all dates cannot be
    paid; later dates that clash are shown, and left out (their hours given back) when it is confirmed."""
    starts = season_starts(request.starts_at, until, tz)
    if len(starts) < 2 or until - request.starts_at.astimezone(tz).date() > LONGEST_SEASON:
        raise ValueError("a season has two dates or more, and lasts at most a year")
    with db.transaction() as conn:
        checked = _askable(conn, request, tz, now, timebank=timebank, dates=len(starts))
        if checked is None:
            return None
        room, rate = checked
        ids = [_insert(conn, room, request, rate, start, now) for start in starts]
        conn.executemany("UPDATE room_bookings SET series_id = ? WHERE id = ?", [(ids[0], i) for i in ids])
        found = _current_season(conn, ids[0])
        assert found is not None
        key = f"{SEASON_REQUEST}:{found.id}"
        outbox.add(conn, [_season_message(SEASON_REQUEST, found, o, now, f"{key}:{o}") for o in _organisers(conn)])
        return found


def confirm_season(db: Database, series_id: int, organiser_id: int, tz: ZoneInfo, now: datetime) -> SeasonDecision:
    """✅ Confirm all that are free: in ONE transaction each asked date is confirmed when it is free at this
    moment, the others are left out (declined). Of two organisers at once the second finds nothing asked."""
    with db.transaction() as conn:
        found = _current_season(conn, series_id)
        if found is None:
            return SeasonDecision(Outcome.GONE, None)
        asked = found.having(ASKED)
        if not asked:
            return SeasonDecision(Outcome.DECIDED, found)
        if asked[-1].starts_at <= now:
            return SeasonDecision(Outcome.PAST, found)
        room = _room(conn.execute("SELECT * FROM rooms WHERE id = ?", (found.first.room_id,)).fetchone())
        buffer = timedelta(minutes=room.buffer_minutes)
        confirmed: list[Booking] = []
        left: list[Booking] = []
        for d in asked:
            occupied = _busy(conn, room.id, d.starts_at - buffer, d.ends_at + buffer, skip=d.id)
            free = d.starts_at > now and clear(room, d.starts_at, d.ends_at, tz, occupied)
            (confirmed if free else left).append(d)
        _settle(conn, confirmed, CONFIRMED, organiser_id, None, now)
        _settle(conn, left, DECLINED, organiser_id, None, now)
        audit.record(conn, organiser_id, "room_season_confirmed", found.first.member_id, now)
        _plan_reminders(conn, confirmed, now)
        key = f"{SEASON_CONFIRMED}:{found.id}"
        outbox.add(conn, [_season_message(SEASON_CONFIRMED, found, found.first.member_id, now, key)])
        return SeasonDecision(Outcome.DONE, _current_season(conn, series_id), tuple(confirmed), tuple(left))


def decline_season(db: Database, series_id: int, organiser_id: int, reason: str, now: datetime) -> SeasonDecision:
    """❌ Decline a whole season with a reason, while it is asked; the member is told."""
    with db.transaction() as conn:
        found = _current_season(conn, series_id)
        if found is None:
            return SeasonDecision(Outcome.GONE, None)
        asked = found.having(ASKED)
        if not asked:
            return SeasonDecision(Outcome.DECIDED, found)
        _settle(conn, asked, DECLINED, organiser_id, reason, now)
        audit.record(conn, organiser_id, "room_season_declined", found.first.member_id, now)
        key = f"{SEASON_DECLINED}:{found.id}"
        outbox.add(conn, [_season_message(SEASON_DECLINED, found, found.first.member_id, now, key)])
        return SeasonDecision(Outcome.DONE, _current_season(conn, series_id), tuple(asked))


def cancel_season(db: Database, series_id: int, member_id: int, now: datetime) -> SeasonDecision:
    """The member's ❌ Cancel the rest: every date to come, by the rule of each date (a confirmed date less than
    a day ahead stays: an organiser decides about that one)."""
    with db.transaction() as conn:
        found = _current_season(conn, series_id)
        if found is None or found.first.member_id != member_id:
            return SeasonDecision(Outcome.NOT_YOURS, None)
        coming = [d for d in found.having(ASKED, CONFIRMED) if d.starts_at > now]
        kept = [d for d in coming if d.status == CONFIRMED and d.starts_at - now < CANCEL_UNTIL]
        gone = [d for d in coming if d not in kept]
        if not coming:
            return SeasonDecision(Outcome.DECIDED, found)
        if not gone:
            return SeasonDecision(Outcome.TOO_LATE, found, (), tuple(kept))
        _settle(conn, gone, CANCELLED, member_id, None, now)
        return SeasonDecision(Outcome.DONE, _current_season(conn, series_id), tuple(gone), tuple(kept))


@dataclass(frozen=True)
class Slot:
    """Something that occupies a room: a confirmed booking (who: the booker) or an activity (its title)."""

    starts_at: datetime
    ends_at: datetime
    who: str | None
    booking_id: int | None


def in_week(db: Database, room_id: int, start: datetime, end: datetime) -> list[Slot]:
    """What occupies a room in a week, in order: at most a few dozen rows."""
    rows = db.fetchall(
        "SELECT b.starts_at, b.ends_at, m.first_name AS who, b.id FROM room_bookings b"
        " JOIN members m ON m.id = b.member_id WHERE b.room_id = :room AND b.status = 'confirmed'"
        " AND b.starts_at < :end AND b.ends_at > :start"
        " UNION ALL SELECT starts_at, ends_at, title, NULL FROM activities WHERE room_id = :room"
        " AND cancelled_at IS NULL AND starts_at < :end AND ends_at > :start ORDER BY 1",
        {"room": room_id, "start": start.isoformat(), "end": end.isoformat()},
    )
    return [Slot(datetime.fromisoformat(r[0]), datetime.fromisoformat(r[1]), r[2], r[3]) for r in rows]


@dataclass(frozen=True)
class Billed:
    """A confirmed booking in the treasurer's month: who pays what."""

    booking: Booking
    member_no: int | None


async def month(db: Database, start: datetime, end: datetime) -> list[Billed]:
    """Confirmed bookings that start in a month, by room and time (a long read, off the loop)."""
    rows = await db.read(
        "SELECT b.*, r.name AS room_name, m.first_name, m.member_no FROM room_bookings b"
        " JOIN rooms r ON r.id = b.room_id JOIN members m ON m.id = b.member_id"
        " WHERE b.status = 'confirmed' AND b.starts_at >= ? AND b.starts_at < ? ORDER BY r.name, b.starts_at",
        (start.isoformat(), end.isoformat()),
    )
    return [Billed(_booking(row), row["member_no"]) for row in rows]


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the deletion's transaction: what they asked for and have not used is freed (organisers see the
    slot free again) and its hours go back; their words go. Past bookings stay on the anonymous row, for the
    income figures."""
    # One message a booking, and one for a whole season (at its next date): not one for every week.
    booked = [
        (row[0], datetime.fromisoformat(row[1]))
        for row in conn.execute(
            "SELECT min(id), min(starts_at) FROM room_bookings WHERE member_id = ? AND status = 'confirmed'"
            " AND starts_at > ? GROUP BY coalesce(series_id, -id)",
            (member_id, now.isoformat()),
        )
    ]
    freed = conn.execute(
        "UPDATE room_bookings SET status = 'cancelled', decided_at = ? WHERE member_id = ?"
        " AND status IN ('asked', 'confirmed') AND starts_at > ? RETURNING id, paid_halves",
        (now.isoformat(), member_id, now.isoformat()),
    ).fetchall()
    for booking_id, paid_halves in freed:
        if paid_halves:
            hours.for_booking(conn, booking_id, member_id, 0, now, by=None)
    organisers = _organisers(conn)
    outbox.add(  # organisers hear that a booked time is free again (a request just disappears from their list)
        conn,
        [
            _message(FREED, booking_id, organiser, now, starts_at, f"{FREED}:{booking_id}:{organiser}")
            for booking_id, starts_at in booked
            for organiser in organisers
        ],
    )
    conn.execute("UPDATE room_bookings SET purpose = NULL, reason = NULL WHERE member_id = ?", (member_id,))


@dataclass(frozen=True)
class Kept:
    """A member's booking as "download my data" shows it."""

    room: str
    starts_at: datetime
    ends_at: datetime
    purpose: str | None
    people: int
    price_cents: int
    status: str
    reason: str | None


# Every request and booking of a member, in time order (for "download my data").
OF_MEMBER = rows_part(
    "SELECT r.name, b.starts_at, b.ends_at, b.purpose, b.people, b.price_cents, b.status, b.reason"
    " FROM room_bookings b JOIN rooms r ON r.id = b.room_id WHERE b.member_id = :member ORDER BY b.starts_at",
    ("name", "starts_at", "ends_at", "purpose", "people", "price_cents", "status", "reason"),
    lambda row: Kept(
        row["name"],
        datetime.fromisoformat(row["starts_at"]),
        datetime.fromisoformat(row["ends_at"]),
        row["purpose"],
        row["people"],
        row["price_cents"],
        row["status"],
        row["reason"],
    ),
)
