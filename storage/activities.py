"""Activities, sign-ups (RSVPs) with capacity and a waiting list, and attendance.

The rules that must never break are settled here, inside one transaction:
never more people than places (a held offer counts as taken), one RSVP per
member (the primary key), and the waiting list order. Each tap is one
storage call: it acts, plans that member's messages and returns the card as
it is now. The counts on an activity are kept by triggers (migration 0004).
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from storage import audit, outbox
from storage.audit import Acting
from storage.db import Database, Row, rows_part
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

GOING, WAITING, OFFERED = "going", "waiting", "offered"
REMINDER_KINDS = ("reminder_day", "reminder_2h")
# An organiser signed a member up or off at their request: the audit action, and the kind of the member's message.
SIGNED_UP_FOR, SIGNED_OFF_FOR = "signed_up_by_organiser", "signed_off_by_organiser"


@dataclass(frozen=True)
class Plan:
    """What an organiser fills in for a new activity (times in UTC)."""

    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int | None
    cost_cents: int
    bring: str | None
    room_id: int | None = None  # one of the building's rooms (storage/rooms.py): the activity occupies it


@dataclass(frozen=True, kw_only=True)
class Activity(Plan):
    """A published activity, with how many come, have a place offered, and wait."""

    id: int
    cancelled: bool
    created_by: int | None
    host_id: int | None = None  # the member who hosts it (storage/hosting.py); None: the organisers
    offer_round: int = 0
    going: int = 0
    offered: int = 0
    waiting: int = 0

    @property
    def places_left(self) -> int | None:
        """Free places; None when there is no limit."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.going - self.offered)

    def open_at(self, now: datetime) -> bool:
        """Can people still sign up? Not cancelled and not started."""
        return not self.cancelled and self.starts_at > now


@dataclass(frozen=True)
class Card:
    """An activity as one member sees it: the activity and where they are on its lists."""

    activity: Activity
    status: str | None  # going, offered, waiting, or None
    position: int | None = None  # on the waiting list


@dataclass(frozen=True)
class Reminder:
    kind: str
    due: datetime
    expires: datetime  # after this the reminder is no use any more: dropped


@dataclass(frozen=True)
class Offer:
    """How to offer a freed place: to the first on the waiting list until `expires`, or to all at once."""

    to_everyone: bool
    deliver: datetime
    expires: datetime


class Timing(Protocol):
    """The bot's rules for when messages about an activity go out (bot/timing.py), passed in."""

    def reminders(self, starts_at: datetime) -> list[Reminder]: ...

    def offer(self, starts_at: datetime, now: datetime) -> Offer: ...


class Answer(enum.Enum):
    GOING = "going"
    WAITING = "waiting"
    ALREADY_GOING = "already_going"
    ALREADY_WAITING = "already_waiting"
    CLOSED = "closed"  # started: too late to sign up
    CANCELLED = "cancelled"
    STARTED = "started"  # too late to leave
    TAKEN = "taken"  # an offered place that is no longer free
    HELD = "held"  # a place is held for them: they answer on the offer
    LEFT = "left"
    NOT_LISTED = "not_listed"
    NO_MEMBER = "no_member"  # acting for someone who is not an active member (any more)


@dataclass(frozen=True)
class Rsvp:
    """How a tap ended, and the card as it is now (None: the activity is gone)."""

    answer: Answer
    card: Card | None


_ACTIVITY = "SELECT a.* FROM activities a"
# The activity with this member's status and, when waiting, how many wait before them (themselves included).
_CARD = (
    "SELECT a.*, me.status AS my_status,"
    " CASE me.status WHEN 'waiting' THEN (SELECT count(*) FROM rsvps w WHERE w.activity_id = a.id"
    " AND w.status = 'waiting' AND w.queued_at <= me.queued_at) END AS my_position"
    " FROM activities a LEFT JOIN rsvps me ON me.activity_id = a.id AND me.member_id = ?"
)
# The last place in line of an activity: one index lookup per status (rsvps_list), not a scan.
_LAST_IN_LINE = (
    "SELECT COALESCE(max(q), 0) FROM (SELECT max(queued_at) AS q FROM rsvps WHERE activity_id = :a AND status = 'going'"
    " UNION ALL SELECT max(queued_at) FROM rsvps WHERE activity_id = :a AND status = 'offered'"
    " UNION ALL SELECT max(queued_at) FROM rsvps WHERE activity_id = :a AND status = 'waiting')"
)


def plan_of(row: Row) -> Plan:
    """What was planned, from a row with the Plan's columns (an activity, or a member's proposal of one)."""
    return Plan(
        title=row["title"],
        description=row["description"],
        starts_at=datetime.fromisoformat(row["starts_at"]),
        ends_at=datetime.fromisoformat(row["ends_at"]),
        place=row["place"],
        capacity=row["capacity"],
        cost_cents=row["cost_cents"],
        bring=row["bring"],
        room_id=row["room_id"],
    )


def _activity(row: Row) -> Activity:
    return Activity(
        **vars(plan_of(row)),
        id=row["id"],
        cancelled=row["cancelled_at"] is not None,
        created_by=row["created_by"],
        host_id=row["host_id"],
        offer_round=row["offer_round"],
        going=row["going_count"],
        offered=row["offered_count"],
        waiting=row["waiting_count"],
    )


def _activity_in(conn: sqlite3.Connection, activity_id: int) -> Activity:
    """Inside a transaction: the activity as it is now (it must exist)."""
    return _activity(conn.execute(_ACTIVITY + " WHERE a.id = ?", (activity_id,)).fetchone())


def _card_of(row: Row) -> Card:
    return Card(_activity(row), row["my_status"], row["my_position"])


def _card(conn: sqlite3.Connection, activity_id: int, member_id: int) -> Card | None:
    row = conn.execute(_CARD + " WHERE a.id = ?", (member_id, activity_id)).fetchone()
    return _card_of(row) if row else None


def get(db: Database, activity_id: int) -> Activity | None:
    row = db.fetchone(_ACTIVITY + " WHERE a.id = ?", (activity_id,))
    return _activity(row) if row else None


def card(db: Database, activity_id: int, member_id: int) -> Card | None:
    """The activity and this member's place on its lists, in one query."""
    row = db.fetchone(_CARD + " WHERE a.id = ?", (member_id, activity_id))
    return _card_of(row) if row else None


class RoomTaken(ValueError):
    """The activity's room is booked or in use then (storage/rooms.py): nothing was published or changed."""

    def __init__(self, starts: list[datetime]) -> None:
        super().__init__(f"the room is taken at {starts}")
        self.starts = starts  # the starts of the dates that clash


def _room_taken(conn: sqlite3.Connection, room_id: int | None, start: datetime, end: datetime, skip: int = 0) -> bool:
    """Inside a transaction: whether a confirmed booking or another activity uses the room then, the room's
    cleaning time included (the rule storage/rooms.py keeps for bookings, kept here for activities)."""
    if room_id is None:
        return False
    room = conn.execute("SELECT buffer_minutes FROM rooms WHERE id = ?", (room_id,)).fetchone()
    buffer = timedelta(minutes=room[0] if room else 0)
    clash = conn.execute(
        "SELECT 1 FROM room_bookings WHERE room_id = :room AND status = 'confirmed' AND starts_at < :end"
        " AND ends_at > :start UNION ALL SELECT 1 FROM activities WHERE room_id = :room AND cancelled_at IS NULL"
        " AND id != :skip AND starts_at < :end AND ends_at > :start LIMIT 1",
        {"room": room_id, "skip": skip, "start": (start - buffer).isoformat(), "end": (end + buffer).isoformat()},
    ).fetchone()
    return clash is not None


def weekly(starts_at: datetime, ends_at: datetime, weeks: int, tz: ZoneInfo | None) -> list[tuple[datetime, datetime]]:
    """The same times `weeks` weeks in a row. In the local time zone `tz` the clock time stays the same across
    a change to or from summer time (14:00 stays 14:00); without one, whole weeks of UTC."""

    def later(moment: datetime, week: int) -> datetime:
        return (moment.astimezone(tz) + timedelta(weeks=week)).astimezone(UTC) if tz else moment + timedelta(weeks=week)

    return [(later(starts_at, week), later(ends_at, week)) for week in range(weeks)]


def create(
    db: Database, plan: Plan, *, created_by: int | None, now: datetime, weeks: int = 1, tz: ZoneInfo | None = None
) -> list[Activity]:
    """Publish an activity, repeated weekly for `weeks` weeks (at the same local time in `tz`). RoomTaken when
    its room is in use on one of the dates: then nothing is published."""
    with db.transaction() as conn:
        return insert(conn, plan, created_by=created_by, now=now, weeks=weeks, tz=tz)


def insert(
    conn: sqlite3.Connection,
    plan: Plan,
    *,
    created_by: int | None,
    now: datetime,
    weeks: int = 1,
    host_id: int | None = None,
    tz: ZoneInfo | None = None,
) -> list[Activity]:
    """Inside a transaction: `create`, for a caller that decides more in the same transaction (a member's
    proposal published with them as host, storage/hosting.py). RoomTaken: the caller's transaction is undone."""
    dates = weekly(plan.starts_at, plan.ends_at, weeks, tz)
    taken = [start for start, end in dates if _room_taken(conn, plan.room_id, start, end)]
    if taken:
        raise RoomTaken(taken)
    ids = []
    for start, end in dates:
        cursor = conn.execute(
            "INSERT INTO activities (title, description, starts_at, ends_at, place, capacity, cost_cents,"
            " bring, room_id, created_by, host_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                plan.title,
                plan.description,
                start.isoformat(),
                end.isoformat(),
                plan.place,
                plan.capacity,
                plan.cost_cents,
                plan.bring,
                plan.room_id,
                created_by,
                host_id,
                now.isoformat(),
            ),
        )
        ids.append(cursor.lastrowid)
    rows = conn.execute(
        _ACTIVITY + f" WHERE a.id IN ({', '.join('?' for _ in ids)}) ORDER BY a.starts_at", ids
    ).fetchall()
    return [_activity(row) for row in rows]


def upcoming(db: Database, now: datetime, page: int) -> Page[Activity]:
    """Activities that have not started and are not cancelled, soonest first, one page."""
    rows = db.fetchall(
        _ACTIVITY + " WHERE a.cancelled_at IS NULL AND a.starts_at > ? ORDER BY a.starts_at, a.id" + limit_offset(page),
        (now.isoformat(),),
    )
    return page_of(rows, page, _activity)


def starting_between(db: Database, start: datetime, end: datetime) -> list[Activity]:
    """Activities not cancelled that start from `start` until (not at) `end`, soonest first: a week's
    programme on paper. A week holds a handful, so one read of all of them."""
    rows = db.fetchall(
        _ACTIVITY + " WHERE a.cancelled_at IS NULL AND a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at, a.id",
        (start.isoformat(), end.isoformat()),
    )
    return [_activity(row) for row in rows]


def recent_and_upcoming(
    db: Database, since: datetime, now: datetime, page: int, host_id: int | None = None
) -> Page[Activity]:
    """For organisers (or a host: only what they host), one page: what is coming (soonest first), then what
    happened since `since` (latest first, for ticking who was there); cancelled ones too."""
    rows = db.fetchall(
        _ACTIVITY + " WHERE a.starts_at > :since AND (:host IS NULL OR a.host_id = :host) ORDER BY a.starts_at <= :now,"
        " CASE WHEN a.starts_at > :now THEN a.starts_at END, a.starts_at DESC, a.id" + limit_offset(page),
        {"since": since.isoformat(), "now": now.isoformat(), "host": host_id},
    )
    return page_of(rows, page, _activity)


def of_member(db: Database, member_id: int, now: datetime, page: int) -> Page[Card]:
    """The member's upcoming activities with their status, soonest first, one page."""
    rows = db.fetchall(
        _CARD + " WHERE me.member_id IS NOT NULL AND a.cancelled_at IS NULL AND a.starts_at > ?"
        " ORDER BY a.starts_at, a.id" + limit_offset(page),
        (member_id, now.isoformat()),
    )
    return page_of(rows, page, _card_of)


def _reminders(conn: sqlite3.Connection, activity: Activity, member_id: int, since: datetime, timing: Timing) -> None:
    """Plan a member's reminders; one whose moment passed before they signed up is skipped."""
    outbox.add(
        conn,
        [
            Message(
                f"{r.kind}:{activity.id}:{member_id}:{activity.starts_at.isoformat()}",
                r.kind,
                member_id,
                activity.id,
                deliver_at=r.due,
                expires_at=r.expires,
            )
            for r in timing.reminders(activity.starts_at)
            if r.due >= since
        ],
    )


def _now_going(conn: sqlite3.Connection, activity: Activity, member_id: int, now: datetime, timing: Timing) -> Card:
    """After someone got a place: their reminders, the creator's notice when it is full, and the card."""
    _reminders(conn, activity, member_id, now, timing)
    card = _card(conn, activity.id, member_id)
    assert card is not None
    if card.activity.places_left == 0 and activity.created_by is not None:
        outbox.add(
            conn,
            [
                Message(
                    f"activity_full:{activity.id}",
                    "activity_full",
                    activity.created_by,
                    activity.id,
                    deliver_at=now,
                    expires_at=activity.starts_at,
                )
            ],
        )
    return card


def _too_late(card: Card | None, started: Answer) -> Answer:
    """Why nothing can change any more: the activity was cancelled, or it started."""
    return Answer.CANCELLED if card is not None and card.activity.cancelled else started


def _active(conn: sqlite3.Connection, member_id: int) -> bool:
    return conn.execute("SELECT 1 FROM members WHERE id = ? AND status = 'active'", (member_id,)).fetchone() is not None


def _acted(conn: sqlite3.Connection, by: Acting, what: str, activity: Activity, member_id: int, now: datetime) -> None:
    """Inside the act's transaction: the audit entry with how the member asked, and their message when they
    have Telegram (bot/acting_notices.py words it when it goes out; without a chat there is nobody to tell)."""
    audit.record(conn, by.organiser_id, what, member_id, now, reason=by.reason)
    if conn.execute("SELECT 1 FROM members WHERE id = ? AND telegram_id IS NOT NULL", (member_id,)).fetchone():
        message = Message(
            f"{what}:{activity.id}:{member_id}:{now.isoformat()}",
            what,
            member_id,
            activity.id,
            deliver_at=now,
            expires_at=activity.starts_at,
            payload={"by": by.organiser_id},
        )
        outbox.add(conn, [message])


def rsvp(
    db: Database, activity_id: int, member_id: int, now: datetime, timing: Timing, for_member_by: Acting | None = None
) -> Rsvp:
    """✅ I'm coming: a place if one is free, else the waiting list. Tapping twice is one RSVP.

    An organiser acting for the member (`for_member_by`) goes by the same rules; what they did is logged."""
    with db.transaction() as conn:
        if for_member_by is not None and not _active(conn, member_id):
            return Rsvp(Answer.NO_MEMBER, None)
        card = _card(conn, activity_id, member_id)
        if card is None or not card.activity.open_at(now):
            return Rsvp(_too_late(card, Answer.CLOSED), card)
        if card.status == WAITING:
            return Rsvp(Answer.ALREADY_WAITING, card)
        if card.status == OFFERED:
            return Rsvp(Answer.HELD, card)
        if card.status is not None:
            return Rsvp(Answer.ALREADY_GOING, card)
        activity = card.activity
        free = activity.places_left is None or activity.places_left > 0
        last = conn.execute(_LAST_IN_LINE, {"a": activity_id}).fetchone()[0]
        conn.execute(
            "INSERT INTO rsvps (activity_id, member_id, status, queued_at, created_at) VALUES (?, ?, ?, ?, ?)",
            (activity_id, member_id, GOING if free else WAITING, last + 1, now.isoformat()),
        )
        if for_member_by is not None:
            _acted(conn, for_member_by, SIGNED_UP_FOR, activity, member_id, now)
        if not free:
            return Rsvp(Answer.WAITING, _card(conn, activity_id, member_id))
        return Rsvp(Answer.GOING, _now_going(conn, activity, member_id, now, timing))


def _offer_freed_place(conn: sqlite3.Connection, activity: Activity, now: datetime, timing: Timing) -> None:
    """A place came free: hold it for the first on the waiting list, or tell everyone waiting."""
    if not activity.waiting or not activity.open_at(now):
        return
    offer = timing.offer(activity.starts_at, now)
    if offer.to_everyone:
        round_ = conn.execute(
            "UPDATE activities SET offer_round = offer_round + 1 WHERE id = ? RETURNING offer_round", (activity.id,)
        ).fetchone()[0]
        outbox.tell_list(
            conn,
            activity.id,
            "open_offer",
            str(round_),
            deliver_at=offer.deliver,
            expires_at=offer.expires,
            payload={},
            statuses=(WAITING,),
        )
        return
    row = conn.execute(
        "UPDATE rsvps SET status = 'offered', offer_expires_at = ? WHERE activity_id = ? AND member_id ="
        " (SELECT member_id FROM rsvps WHERE activity_id = ? AND status = 'waiting' ORDER BY queued_at LIMIT 1)"
        " RETURNING member_id",
        (offer.expires.isoformat(), activity.id, activity.id),
    ).fetchone()
    if row:
        outbox.add(
            conn,
            [
                Message(
                    f"offer:{activity.id}:{row[0]}:{offer.expires.isoformat()}",
                    "offer",
                    row[0],
                    activity.id,
                    deliver_at=offer.deliver,
                    expires_at=activity.starts_at,  # the window starts again when it really goes out
                    payload={"expires": offer.expires.isoformat()},
                )
            ],
        )


def _leave(conn: sqlite3.Connection, activity_id: int, member_id: int, now: datetime, timing: Timing) -> str | None:
    """Take a member off an activity's lists; their place goes to the next. Returns their old status."""
    row = conn.execute(
        "DELETE FROM rsvps WHERE activity_id = ? AND member_id = ? RETURNING status", (activity_id, member_id)
    ).fetchone()
    if row is None:
        return None
    outbox.forget_unsent(conn, activity_id, REMINDER_KINDS, member_id)
    if row[0] in (GOING, OFFERED):
        activity = _activity_in(conn, activity_id)
        _offer_freed_place(conn, activity, now, timing)
    return str(row[0])


def withdraw(
    db: Database, activity_id: int, member_id: int, now: datetime, timing: Timing, for_member_by: Acting | None = None
) -> Rsvp:
    """❌ I can't come (or no to an offer): leave the list; a freed place is offered on.

    Not once it started or was cancelled: then the lists are what happened (funders count them).
    An organiser acting for the member (`for_member_by`) goes by the same rules; what they did is logged."""
    with db.transaction() as conn:
        if for_member_by is not None and not _active(conn, member_id):
            return Rsvp(Answer.NO_MEMBER, None)
        card = _card(conn, activity_id, member_id)
        if card is None or not card.activity.open_at(now):
            return Rsvp(_too_late(card, Answer.STARTED), card)
        was = _leave(conn, activity_id, member_id, now, timing)
        if was and for_member_by is not None:
            _acted(conn, for_member_by, SIGNED_OFF_FOR, card.activity, member_id, now)
        return Rsvp(Answer.LEFT if was else Answer.NOT_LISTED, _card(conn, activity_id, member_id))


def withdraw_everywhere(db: Database, member_id: int, now: datetime, timing: Timing) -> None:
    """Before an account goes: its places in upcoming activities are offered to the next people."""
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT r.activity_id FROM rsvps r JOIN activities a ON a.id = r.activity_id"
            " WHERE r.member_id = ? AND a.cancelled_at IS NULL AND a.starts_at > ?",
            (member_id, now.isoformat()),
        ).fetchall()
        for (activity_id,) in rows:
            _leave(conn, activity_id, member_id, now, timing)


def accept_offer(
    db: Database, activity_id: int, member_id: int, now: datetime, timing: Timing, for_member_by: Acting | None = None
) -> Rsvp:
    """✅ Yes, I'm coming on an offer: the held place, or (in the last hours) a free place if still there.

    An organiser may take it for a member who asked them (`for_member_by`): one without Telegram cannot tap."""
    with db.transaction() as conn:
        if for_member_by is not None and not _active(conn, member_id):
            return Rsvp(Answer.NO_MEMBER, None)
        card = _card(conn, activity_id, member_id)
        if card is None or not card.activity.open_at(now):
            return Rsvp(_too_late(card, Answer.CLOSED), card)
        if card.status == GOING:
            return Rsvp(Answer.ALREADY_GOING, card)
        expires = conn.execute(
            "SELECT offer_expires_at FROM rsvps WHERE activity_id = ? AND member_id = ?", (activity_id, member_id)
        ).fetchone()
        held = card.status == OFFERED and datetime.fromisoformat(expires[0]) > now
        if not held and not (card.status == WAITING and card.activity.places_left):
            return Rsvp(Answer.TAKEN, card)
        conn.execute(
            "UPDATE rsvps SET status = 'going', offer_expires_at = NULL WHERE activity_id = ? AND member_id = ?",
            (activity_id, member_id),
        )
        if not held:  # the first tap on "a place is free" took it: tell the others it is gone
            outbox.tell_list(
                conn,
                activity_id,
                "offer_gone",
                str(card.activity.offer_round),
                deliver_at=now,
                expires_at=card.activity.starts_at,
                payload={},
                statuses=(WAITING,),
            )
        if for_member_by is not None:
            _acted(conn, for_member_by, SIGNED_UP_FOR, card.activity, member_id, now)
        return Rsvp(Answer.GOING, _now_going(conn, card.activity, member_id, now, timing))


def expire_offers(db: Database, now: datetime, timing: Timing) -> int:
    """Offers nobody answered in time: the member leaves the list, is told, and the place moves on."""
    with db.transaction() as conn:
        rows = conn.execute(  # not an offer whose message has not gone out yet (night, an outage): never seen
            "DELETE FROM rsvps WHERE status = 'offered' AND offer_expires_at <= ? AND NOT EXISTS"
            " (SELECT 1 FROM outbox o WHERE o.member_id = rsvps.member_id AND o.activity_id = rsvps.activity_id"
            " AND o.kind = 'offer' AND o.sent_at IS NULL AND o.dropped_at IS NULL)"
            " RETURNING activity_id, member_id",
            (now.isoformat(),),
        ).fetchall()
        for activity_id, member_id in rows:
            activity = _activity_in(conn, activity_id)
            outbox.forget_unsent(conn, activity_id, REMINDER_KINDS, member_id)
            outbox.add(
                conn,
                [
                    Message(
                        f"offer_expired:{activity_id}:{member_id}:{now.isoformat()}",
                        "offer_expired",
                        member_id,
                        activity_id,
                        deliver_at=now,
                        expires_at=activity.starts_at,
                    )
                ],
            )
            _offer_freed_place(conn, activity, now, timing)
    return len(rows)


def offer_deadline(db: Database, activity_id: int, member_id: int) -> datetime | None:
    """Until when a place is held for this member; None when none is."""
    row = db.fetchone(
        "SELECT offer_expires_at FROM rsvps WHERE activity_id = ? AND member_id = ? AND status = 'offered'",
        (activity_id, member_id),
    )
    return datetime.fromisoformat(row[0]) if row and row[0] else None


def offer_going_out(db: Database, activity_id: int, member_id: int, now: datetime, timing: Timing) -> datetime | None:
    """The offer's message goes out now: its window starts now (it is never shorter than when it was made).
    Returns the deadline to show, or None when the place is no longer held for them."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT r.offer_expires_at, a.starts_at FROM rsvps r JOIN activities a ON a.id = r.activity_id"
            " WHERE r.activity_id = ? AND r.member_id = ? AND r.status = 'offered'",
            (activity_id, member_id),
        ).fetchone()
        if row is None:
            return None
        held_until = datetime.fromisoformat(row[0])
        fresh = timing.offer(datetime.fromisoformat(row[1]), now)
        if not fresh.to_everyone and fresh.expires > held_until:
            held_until = fresh.expires
            conn.execute(
                "UPDATE rsvps SET offer_expires_at = ? WHERE activity_id = ? AND member_id = ?",
                (held_until.isoformat(), activity_id, member_id),
            )
        return held_until


@dataclass(frozen=True)
class Person:
    """Someone on an activity's list, as organisers see them."""

    member_id: int
    first_name: str | None
    member_no: int | None
    status: str


async def people(db: Database, activity_id: int, status: str | None = None) -> list[Person]:
    """Everyone on the lists (or with one status), in list order: a long read."""
    rows = await db.read(
        "SELECT r.member_id, m.first_name, m.member_no, r.status FROM rsvps r JOIN members m ON m.id = r.member_id"
        " WHERE r.activity_id = ? AND (? IS NULL OR r.status = ?) ORDER BY r.queued_at",
        (activity_id, status, status),
    )
    return [Person(*row) for row in rows]


def listed_page(db: Database, activity_id: int, page: int, size: int) -> Page[tuple[Person, int]]:
    """Everyone on the lists, one page of `size`, in list order: going, place offered, waiting, each by their
    place in line. Each comes with their number on their own list; `total` counts everyone listed. One query
    over the lists of one activity (found with its index), so it stays short at any number of members."""
    rows = db.fetchall(
        "SELECT r.member_id, m.first_name, m.member_no, r.status,"
        " row_number() OVER (PARTITION BY r.status ORDER BY r.queued_at) AS place,"
        " count(*) OVER () AS total"
        " FROM rsvps r JOIN members m ON m.id = r.member_id WHERE r.activity_id = ?"
        " ORDER BY CASE r.status WHEN 'going' THEN 0 WHEN 'offered' THEN 1 ELSE 2 END, r.queued_at"
        + limit_offset(page, size),
        (activity_id,),
    )
    return page_of(rows, page, lambda row: (Person(*row[:4]), int(row["place"])), counted=True, size=size)


def going_page(db: Database, activity_id: int, page: int) -> Page[tuple[Person, bool]]:
    """Who came, one page, each with whether they are ticked as there; `total` counts everyone going."""
    rows = db.fetchall(
        "SELECT r.member_id, m.first_name, m.member_no, r.status,"
        " EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = r.activity_id"
        " AND t.member_id = r.member_id) AS here,"
        " count(*) OVER () AS total"
        " FROM rsvps r JOIN members m ON m.id = r.member_id WHERE r.activity_id = ? AND r.status = 'going'"
        " ORDER BY r.queued_at" + limit_offset(page),
        (activity_id,),
    )
    return page_of(rows, page, lambda row: (Person(*row[:4]), bool(row["here"])), counted=True)


def present_count(db: Database, activity_id: int) -> int:
    """How many of the people going were ticked as there."""
    row = db.fetchone(
        "SELECT count(*) FROM attendance t JOIN rsvps r ON r.activity_id = t.activity_id AND r.member_id = t.member_id"
        " WHERE t.activity_id = ? AND r.status = 'going'",
        (activity_id,),
    )
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class Updated:
    """How a change ended: the activity as it is now (None: gone, cancelled or started), or why not."""

    activity: Activity | None
    coming: int | None = None  # set when the new number of places is below the people coming: nothing changed


CHANGEABLE = {"title", "description", "starts_at", "ends_at", "place", "capacity", "cost_cents", "bring", "room_id"}
UNTOLD = {"room_id"}  # a change members are not told of by itself (the place changes with the room)


def update(db: Database, activity_id: int, *, now: datetime, timing: Timing, **changes: object) -> Updated:
    """Change a published activity that has not started; everyone coming or waiting is told what changed.

    Fewer places than people coming is refused. More places (or no limit) are offered to the waiting list."""
    if set(changes) - CHANGEABLE:
        raise ValueError(f"cannot change {set(changes) - CHANGEABLE}")
    values = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in changes.items()}
    with db.transaction() as conn:
        row = conn.execute(
            _ACTIVITY + " WHERE a.id = ? AND a.cancelled_at IS NULL AND a.starts_at > ?", (activity_id, now.isoformat())
        ).fetchone()
        if row is None:
            return Updated(None)
        before = _activity(row)
        room_id, starts_at, ends_at = (changes.get(k, getattr(before, k)) for k in ("room_id", "starts_at", "ends_at"))
        assert isinstance(starts_at, datetime) and isinstance(ends_at, datetime)
        if _room_taken(conn, room_id if isinstance(room_id, int) else None, starts_at, ends_at, skip=activity_id):
            raise RoomTaken([starts_at])
        capacity = changes.get("capacity", before.capacity)
        if isinstance(capacity, int) and capacity < before.going + before.offered:
            return Updated(before, coming=before.going + before.offered)
        activity = _activity(
            conn.execute(
                f"UPDATE activities SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ? RETURNING *",
                (*values.values(), activity_id),
            ).fetchone()
        )
        if "starts_at" in changes:  # reminders are planned again for the new time
            outbox.forget_unsent(conn, activity_id, REMINDER_KINDS)
            going = conn.execute(
                "SELECT member_id, created_at FROM rsvps WHERE activity_id = ? AND status = 'going'", (activity_id,)
            ).fetchall()
            for member_id, since in going:
                _reminders(conn, activity, member_id, max(datetime.fromisoformat(since), now), timing)
        changed = sorted(set(changes) - UNTOLD)
        if changed:
            outbox.tell_list(
                conn,
                activity_id,
                "activity_changed",
                f"{now.isoformat()}:{','.join(changed)}",
                deliver_at=now,
                expires_at=activity.starts_at,
                payload={"changed": changed},
            )
        _offer_new_places(conn, activity, now, timing)
        return Updated(_activity_in(conn, activity_id))


def _offer_new_places(conn: sqlite3.Connection, activity: Activity, now: datetime, timing: Timing) -> None:
    """Places that are free while people wait (after more places, or no limit) go to the waiting list."""
    while activity.waiting and (activity.places_left is None or activity.places_left > 0):
        if timing.offer(activity.starts_at, now).to_everyone:
            _offer_freed_place(conn, activity, now, timing)  # one message to all: the first taps win
            return
        _offer_freed_place(conn, activity, now, timing)
        activity = _activity_in(conn, activity.id)


def cancel(db: Database, activity_id: int, *, now: datetime) -> Activity | None:
    """The activity does not go on; everyone coming or waiting is told. None: cancelled already, or it started."""
    with db.transaction() as conn:
        row = conn.execute(
            "UPDATE activities SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL AND starts_at > ?"
            " RETURNING *",
            (now.isoformat(), activity_id, now.isoformat()),
        ).fetchone()
        if row is None:
            return None
        activity = _activity(row)
        outbox.forget_unsent(conn, activity_id, None)
        outbox.tell_list(
            conn, activity_id, "activity_cancelled", "", deliver_at=now, expires_at=activity.starts_at, payload={}
        )
    return activity


def set_attendance(db: Database, activity_id: int, member_id: int, now: datetime, here: bool) -> bool | None:
    """Tick (`here`) or untick someone who was going; whether they are ticked now. The button says which, so
    a double tap sets the same twice instead of undoing itself.

    None, and nothing written: they were not going, or the activity was cancelled or has not started."""
    with db.transaction() as conn:
        going = conn.execute(
            "SELECT 1 FROM rsvps r JOIN activities a ON a.id = r.activity_id WHERE r.activity_id = ?"
            " AND r.member_id = ? AND r.status = 'going' AND a.cancelled_at IS NULL AND a.starts_at <= ?",
            (activity_id, member_id, now.isoformat()),
        ).fetchone()
        if not going:
            return None
        if here:
            conn.execute("INSERT OR IGNORE INTO attendance VALUES (?, ?)", (activity_id, member_id))
        else:
            conn.execute("DELETE FROM attendance WHERE activity_id = ? AND member_id = ?", (activity_id, member_id))
        return here


@dataclass(frozen=True)
class MonthReport:
    activities_held: int
    attendance: int
    unique_participants: int
    new_participants: int


# Activities that took place: not cancelled, and started before :now.
_HELD = "a.cancelled_at IS NULL AND a.starts_at < :now"


async def month_report(db: Database, start: datetime, end: datetime, now: datetime) -> MonthReport:
    """Participation between two UTC moments (a month in local time), for reports to funders: a long read.

    Only activities that took place count, and only the attendance ticked at them."""
    [row] = await db.read(
        f"SELECT (SELECT count(*) FROM activities a WHERE {_HELD} AND a.starts_at >= :s AND a.starts_at < :e),"
        " (SELECT count(*) FROM attendance t JOIN activities a ON a.id = t.activity_id"
        f"  WHERE {_HELD} AND a.starts_at >= :s AND a.starts_at < :e),"
        " (SELECT count(DISTINCT t.member_id) FROM attendance t JOIN activities a ON a.id = t.activity_id"
        f"  WHERE {_HELD} AND a.starts_at >= :s AND a.starts_at < :e),"
        " (SELECT count(*) FROM (SELECT t.member_id, MIN(a.starts_at) AS first FROM attendance t"
        f"  JOIN activities a ON a.id = t.activity_id WHERE {_HELD} GROUP BY t.member_id)"
        "  WHERE first >= :s AND first < :e)",
        {"s": start.isoformat(), "e": end.isoformat(), "now": now.isoformat()},
    )
    return MonthReport(*row)


async def held_between(db: Database, start: datetime, end: datetime, now: datetime) -> list[tuple[Activity, int]]:
    """Activities that took place in a period, with how many were there: a long read."""
    rows = await db.read(
        "SELECT a.*, (SELECT count(*) FROM attendance t WHERE t.activity_id = a.id) AS present FROM activities a"
        f" WHERE {_HELD} AND a.starts_at >= :s AND a.starts_at < :e ORDER BY a.starts_at",
        {"s": start.isoformat(), "e": end.isoformat(), "now": now.isoformat()},
    )
    return [(_activity(row), row["present"]) for row in rows]


SIGNED_UP, ATTENDED, PLANNED = "signed_up", "attended", "planned"


@dataclass(frozen=True)
class Involvement:
    """One way a member is tied to an activity, for "download my data"."""

    kind: str  # SIGNED_UP, ATTENDED, or PLANNED (they published it)
    title: str
    starts_at: datetime
    cancelled: bool
    status: str | None = None  # signed up: going, waiting or offered
    since: datetime | None = None  # signed up: when they did; planned: when it was published


def _involvement(row: dict) -> Involvement:
    return Involvement(
        kind=row["kind"],
        title=row["title"],
        starts_at=datetime.fromisoformat(row["starts_at"]),
        cancelled=row["cancelled_at"] is not None,
        status=row["status"],
        since=datetime.fromisoformat(row["since"]) if row["since"] else None,
    )


# Every activity a member signed up for, was ticked at, or published, by start (for "download my data").
INVOLVEMENT = rows_part(
    f"SELECT '{SIGNED_UP}' AS kind, a.title, a.starts_at, a.cancelled_at, r.status, r.created_at AS since"
    " FROM rsvps r JOIN activities a ON a.id = r.activity_id WHERE r.member_id = :member"
    f" UNION ALL SELECT '{ATTENDED}', a.title, a.starts_at, a.cancelled_at, NULL, NULL"
    " FROM attendance t JOIN activities a ON a.id = t.activity_id WHERE t.member_id = :member"
    f" UNION ALL SELECT '{PLANNED}', a.title, a.starts_at, a.cancelled_at, NULL, a.created_at"
    " FROM activities a WHERE a.created_by = :member"
    " ORDER BY starts_at, kind",
    ("kind", "title", "starts_at", "cancelled_at", "status", "since"),
    _involvement,
)
