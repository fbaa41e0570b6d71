"""Activities, sign-ups (RSVPs) with capacity and a waiting list, and attendance.

The rules that must never break are settled here, inside one transaction:
never more people than places (a held offer counts as taken), one RSVP per
member (the primary key), and the waiting list order.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage import notifications
from storage.db import Database

GOING, WAITING, OFFERED = "going", "waiting", "offered"


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


@dataclass(frozen=True)
class Activity(Plan):
    """A published activity, with how many come, have a place offered, and wait."""

    id: int
    cancelled: bool
    created_by: int | None
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


@dataclass(frozen=True)
class Offer:
    """How to offer a freed place (see bot/timing.py: offer_timing)."""

    to_everyone: bool
    deliver: datetime
    expires: datetime


class Answer(enum.Enum):
    GOING = "going"
    WAITING = "waiting"
    ALREADY_GOING = "already_going"
    ALREADY_WAITING = "already_waiting"
    CLOSED = "closed"  # cancelled, started, or gone
    GONE = "gone"  # an offered place that is no longer free


@dataclass(frozen=True)
class Rsvp:
    answer: Answer
    position: int | None = None  # on the waiting list


_SELECT = """
    SELECT a.*,
           (SELECT count(*) FROM rsvps r WHERE r.activity_id = a.id AND r.status = 'going') AS going,
           (SELECT count(*) FROM rsvps r WHERE r.activity_id = a.id AND r.status = 'offered') AS offered,
           (SELECT count(*) FROM rsvps r WHERE r.activity_id = a.id AND r.status = 'waiting') AS waiting
    FROM activities a
"""


def _activity(row: aiosqlite.Row) -> Activity:
    return Activity(
        id=row["id"], title=row["title"], description=row["description"],
        starts_at=datetime.fromisoformat(row["starts_at"]), ends_at=datetime.fromisoformat(row["ends_at"]),
        place=row["place"], capacity=row["capacity"], cost_cents=row["cost_cents"], bring=row["bring"],
        cancelled=row["cancelled_at"] is not None, created_by=row["created_by"], offer_round=row["offer_round"],
        going=row["going"], offered=row["offered"], waiting=row["waiting"],
    )


async def _get(conn: aiosqlite.Connection, activity_id: int) -> Activity | None:
    cursor = await conn.execute(_SELECT + " WHERE a.id = ?", (activity_id,))
    row = await cursor.fetchone()
    return _activity(row) if row else None


async def get(db: Database, activity_id: int) -> Activity | None:
    row = await db.fetchone(_SELECT + " WHERE a.id = ?", (activity_id,))
    return _activity(row) if row else None


async def create(db: Database, plan: Plan, *, created_by: int, now: datetime, weeks: int = 1) -> list[Activity]:
    """Publish an activity, repeated weekly for `weeks` weeks."""
    ids = []
    async with db.transaction() as conn:
        for week in range(weeks):
            shift = timedelta(weeks=week)
            cursor = await conn.execute(
                "INSERT INTO activities (title, description, starts_at, ends_at, place, capacity, cost_cents,"
                " bring, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (plan.title, plan.description, (plan.starts_at + shift).isoformat(), (plan.ends_at + shift).isoformat(),
                 plan.place, plan.capacity, plan.cost_cents, plan.bring, created_by, now.isoformat()),
            )
            ids.append(cursor.lastrowid)
    return [await get(db, activity_id) for activity_id in ids]


async def upcoming(db: Database, now: datetime) -> list[Activity]:
    """Activities that have not started and are not cancelled, soonest first."""
    rows = await db.fetchall(
        _SELECT + " WHERE a.cancelled_at IS NULL AND a.starts_at > ? ORDER BY a.starts_at, a.id", (now.isoformat(),)
    )
    return [_activity(row) for row in rows]


async def starting_between(db: Database, start: datetime, end: datetime) -> list[Activity]:
    rows = await db.fetchall(
        _SELECT + " WHERE a.cancelled_at IS NULL AND a.starts_at > ? AND a.starts_at <= ? ORDER BY a.starts_at",
        (start.isoformat(), end.isoformat()),
    )
    return [_activity(row) for row in rows]


async def recent_and_upcoming(db: Database, since: datetime) -> list[Activity]:
    """For organisers: everything from `since` on, cancelled too, soonest first."""
    rows = await db.fetchall(_SELECT + " WHERE a.starts_at > ? ORDER BY a.starts_at, a.id", (since.isoformat(),))
    return [_activity(row) for row in rows]


# A member's status for an activity, and how many wait before them (themselves included).
_STATUS = (
    "SELECT me.status, (SELECT count(*) FROM rsvps w WHERE w.activity_id = me.activity_id"
    " AND w.status = 'waiting' AND w.queued_at <= me.queued_at) FROM rsvps me"
    " WHERE me.activity_id = ? AND me.member_id = ?"
)


async def _waiting_position(conn: aiosqlite.Connection, activity_id: int, member_id: int) -> int:
    cursor = await conn.execute(_STATUS, (activity_id, member_id))
    return (await cursor.fetchone())[1]


async def _open(conn: aiosqlite.Connection, activity_id: int, now: datetime) -> Activity | None:
    """The activity if people can still sign up for it: there, not cancelled, not started."""
    activity = await _get(conn, activity_id)
    if activity is None or activity.cancelled or activity.starts_at <= now:
        return None
    return activity


async def rsvp(db: Database, activity_id: int, member_id: int, now: datetime) -> Rsvp:
    """✅ I'm coming: a place if one is free, else the waiting list. Tapping twice is one RSVP."""
    async with db.transaction() as conn:
        activity = await _open(conn, activity_id, now)
        if activity is None:
            return Rsvp(Answer.CLOSED)
        cursor = await conn.execute(
            "SELECT status FROM rsvps WHERE activity_id = ? AND member_id = ?", (activity_id, member_id)
        )
        existing = await cursor.fetchone()
        if existing:
            if existing[0] == WAITING:
                return Rsvp(Answer.ALREADY_WAITING, await _waiting_position(conn, activity_id, member_id))
            return Rsvp(Answer.ALREADY_GOING)
        free = activity.places_left is None or activity.places_left > 0
        await conn.execute(
            "INSERT INTO rsvps (activity_id, member_id, status, queued_at, created_at) VALUES"
            " (?, ?, ?, (SELECT COALESCE(MAX(queued_at), 0) + 1 FROM rsvps WHERE activity_id = ?), ?)",
            (activity_id, member_id, GOING if free else WAITING, activity_id, now.isoformat()),
        )
        if not free:
            return Rsvp(Answer.WAITING, await _waiting_position(conn, activity_id, member_id))
        return Rsvp(Answer.GOING)


async def _offer_freed_place(conn: aiosqlite.Connection, activity: Activity, offer: Offer) -> None:
    """A place came free: hold it for the first on the waiting list, or tell everyone waiting."""
    if offer.to_everyone:
        cursor = await conn.execute(
            "UPDATE activities SET offer_round = offer_round + 1 WHERE id = ? RETURNING offer_round", (activity.id,)
        )
        round_ = (await cursor.fetchone())[0]
        cursor = await conn.execute(
            "SELECT member_id FROM rsvps WHERE activity_id = ? AND status = 'waiting' ORDER BY queued_at",
            (activity.id,),
        )
        for (member_id,) in await cursor.fetchall():
            await notifications.enqueue(
                conn, f"open_offer:{activity.id}:{round_}:{member_id}", "open_offer", member_id=member_id,
                activity_id=activity.id, deliver_at=offer.deliver, expires_at=offer.expires,
            )
        return
    cursor = await conn.execute(
        "UPDATE rsvps SET status = 'offered', offer_expires_at = ? WHERE activity_id = ? AND member_id ="
        " (SELECT member_id FROM rsvps WHERE activity_id = ? AND status = 'waiting' ORDER BY queued_at LIMIT 1)"
        " RETURNING member_id",
        (offer.expires.isoformat(), activity.id, activity.id),
    )
    row = await cursor.fetchone()
    if row:
        await notifications.enqueue(
            conn, f"offer:{activity.id}:{row[0]}:{offer.expires.isoformat()}", "offer", member_id=row[0],
            activity_id=activity.id, deliver_at=offer.deliver, expires_at=offer.expires,
            payload={"expires": offer.expires.isoformat()},
        )


async def withdraw(db: Database, activity_id: int, member_id: int, offer: Offer) -> str | None:
    """❌ I can't come (or no to an offer): leave the list; a freed place is offered on. Returns the old status."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM rsvps WHERE activity_id = ? AND member_id = ? RETURNING status", (activity_id, member_id)
        )
        row = await cursor.fetchone()
        if row is None:
            return None
        activity = await _get(conn, activity_id)
        if row[0] in (GOING, OFFERED) and activity.waiting and not activity.cancelled:
            await _offer_freed_place(conn, activity, offer)
        return row[0]


async def accept_offer(db: Database, activity_id: int, member_id: int, now: datetime) -> Rsvp:
    """✅ Yes, I'm coming on an offer: the held place, or (in the last hours) a free place if still there."""
    async with db.transaction() as conn:
        activity = await _open(conn, activity_id, now)
        if activity is None:
            return Rsvp(Answer.CLOSED)
        cursor = await conn.execute(
            "SELECT status, offer_expires_at FROM rsvps WHERE activity_id = ? AND member_id = ?",
            (activity_id, member_id),
        )
        row = await cursor.fetchone()
        if row is None:
            return Rsvp(Answer.GONE)
        status, expires = row
        if status == GOING:
            return Rsvp(Answer.ALREADY_GOING)
        held = status == OFFERED and datetime.fromisoformat(expires) > now
        if not held and not (status == WAITING and activity.places_left):
            return Rsvp(Answer.GONE)
        await conn.execute(
            "UPDATE rsvps SET status = 'going', offer_expires_at = NULL WHERE activity_id = ? AND member_id = ?",
            (activity_id, member_id),
        )
        if not held:  # the first tap on "a place is free" took it: tell the others it is gone
            cursor = await conn.execute(
                "SELECT member_id FROM rsvps WHERE activity_id = ? AND status = 'waiting'", (activity_id,)
            )
            for (other,) in await cursor.fetchall():
                await notifications.enqueue(
                    conn, f"offer_gone:{activity_id}:{activity.offer_round}:{other}", "offer_gone", member_id=other,
                    activity_id=activity_id, deliver_at=now, expires_at=activity.starts_at,
                )
        return Rsvp(Answer.GOING)


async def expired_offers(db: Database, now: datetime) -> list[tuple[int, int]]:
    """(activity id, member id) of offers whose time is up."""
    rows = await db.fetchall(
        "SELECT activity_id, member_id FROM rsvps WHERE status = 'offered' AND offer_expires_at <= ?",
        (now.isoformat(),),
    )
    return [(row[0], row[1]) for row in rows]


async def expire_offer(db: Database, activity_id: int, member_id: int, now: datetime, offer: Offer) -> bool:
    """An offer nobody answered in time: the member leaves the list, is told, and the place moves on."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM rsvps WHERE activity_id = ? AND member_id = ? AND status = 'offered' AND offer_expires_at <= ?",
            (activity_id, member_id, now.isoformat()),
        )
        if cursor.rowcount != 1:
            return False
        activity = await _get(conn, activity_id)
        await notifications.enqueue(
            conn, f"offer_expired:{activity_id}:{member_id}:{now.isoformat()}", "offer_expired", member_id=member_id,
            activity_id=activity_id, deliver_at=offer.deliver, expires_at=activity.starts_at,
        )
        if activity.waiting and not activity.cancelled:
            await _offer_freed_place(conn, activity, offer)
    return True


async def status_of(db: Database, activity_id: int, member_id: int) -> tuple[str, int | None] | None:
    """The member's status for one activity and, when waiting, their position."""
    row = await db.fetchone(_STATUS, (activity_id, member_id))
    if row is None:
        return None
    return row[0], row[1] if row[0] == WAITING else None


async def of_member(db: Database, member_id: int, now: datetime) -> list[tuple[Activity, str, int | None]]:
    """The member's upcoming activities: (activity, status, waiting position), soonest first."""
    rows = await db.fetchall(
        "SELECT r.activity_id FROM rsvps r JOIN activities a ON a.id = r.activity_id"
        " WHERE r.member_id = ? AND a.cancelled_at IS NULL AND a.starts_at > ? ORDER BY a.starts_at",
        (member_id, now.isoformat()),
    )
    found = []
    for row in rows:
        activity = await get(db, row[0])
        status, position = await status_of(db, row[0], member_id)
        found.append((activity, status, position))
    return found


async def going_since(db: Database, activity_id: int) -> list[tuple[int, datetime]]:
    """(member id, when they signed up) of everyone coming."""
    rows = await db.fetchall(
        "SELECT member_id, created_at FROM rsvps WHERE activity_id = ? AND status = 'going'", (activity_id,)
    )
    return [(row[0], datetime.fromisoformat(row[1])) for row in rows]


async def people(db: Database, activity_id: int, status: str) -> list[int]:
    """Member ids with a status (going, waiting, offered), in list order."""
    rows = await db.fetchall(
        "SELECT member_id FROM rsvps WHERE activity_id = ? AND status = ? ORDER BY queued_at", (activity_id, status)
    )
    return [row[0] for row in rows]


async def update(db: Database, activity_id: int, *, now: datetime, deliver: datetime, **changes: object) -> Activity | None:
    """Change time, place or description; everyone coming or waiting is told what changed."""
    allowed = {"starts_at", "ends_at", "place", "description"}
    if set(changes) - allowed:
        raise ValueError(f"cannot change {set(changes) - allowed}")
    values = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in changes.items()}
    async with db.transaction() as conn:
        activity = await _get(conn, activity_id)
        if activity is None or activity.cancelled:
            return None
        await conn.execute(
            f"UPDATE activities SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?", (*values.values(), activity_id)
        )
        if "starts_at" in changes:  # reminders are planned again for the new time
            await notifications.forget_unsent(conn, activity_id, ("reminder_day", "reminder_2h"))
        await _tell_everyone(conn, activity_id, "activity_changed", now, deliver, {"changed": sorted(changes)})
    return await get(db, activity_id)


async def cancel(db: Database, activity_id: int, *, now: datetime, deliver: datetime) -> Activity | None:
    """The activity does not go on; everyone coming or waiting is told."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE activities SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL", (now.isoformat(), activity_id)
        )
        if cursor.rowcount != 1:
            return None
        await notifications.forget_unsent(conn, activity_id, None)
        await _tell_everyone(conn, activity_id, "activity_cancelled", now, deliver, {})
    return await get(db, activity_id)


async def _tell_everyone(
    conn: aiosqlite.Connection, activity_id: int, kind: str, now: datetime, deliver: datetime, payload: dict
) -> None:
    cursor = await conn.execute("SELECT member_id FROM rsvps WHERE activity_id = ?", (activity_id,))
    for (member_id,) in await cursor.fetchall():
        await notifications.enqueue(
            conn, f"{kind}:{activity_id}:{member_id}:{now.isoformat()}:{json.dumps(payload)}", kind,
            member_id=member_id, activity_id=activity_id, deliver_at=deliver, payload=payload,
        )


async def set_attendance(db: Database, activity_id: int, member_id: int, present: bool) -> None:
    async with db.transaction() as conn:
        if present:
            await conn.execute("INSERT OR IGNORE INTO attendance VALUES (?, ?)", (activity_id, member_id))
        else:
            await conn.execute("DELETE FROM attendance WHERE activity_id = ? AND member_id = ?", (activity_id, member_id))


async def attended(db: Database, activity_id: int) -> set[int]:
    rows = await db.fetchall("SELECT member_id FROM attendance WHERE activity_id = ?", (activity_id,))
    return {row[0] for row in rows}


@dataclass(frozen=True)
class MonthReport:
    activities_held: int
    attendance: int
    unique_participants: int
    new_participants: int


async def month_report(db: Database, start: datetime, end: datetime) -> MonthReport:
    """Participation between two UTC moments (a month in local time), for reports to funders."""
    window = (start.isoformat(), end.isoformat())
    held = await db.fetchone(
        "SELECT count(*) FROM activities WHERE cancelled_at IS NULL AND starts_at >= ? AND starts_at < ?", window
    )
    seen = await db.fetchone(
        "SELECT count(*), count(DISTINCT t.member_id) FROM attendance t JOIN activities a ON a.id = t.activity_id"
        " WHERE a.starts_at >= ? AND a.starts_at < ?",
        window,
    )
    new = await db.fetchone(
        "SELECT count(*) FROM (SELECT t.member_id, MIN(a.starts_at) AS first FROM attendance t"
        " JOIN activities a ON a.id = t.activity_id GROUP BY t.member_id) WHERE first >= ? AND first < ?",
        window,
    )
    return MonthReport(held[0], seen[0], seen[1], new[0])


async def held_between(db: Database, start: datetime, end: datetime) -> list[tuple[Activity, int]]:
    """Activities that took place (not cancelled) in a period, with how many were there."""
    rows = await db.fetchall(
        "SELECT a.id, (SELECT count(*) FROM attendance t WHERE t.activity_id = a.id) FROM activities a"
        " WHERE a.cancelled_at IS NULL AND a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at",
        (start.isoformat(), end.isoformat()),
    )
    return [(await get(db, row[0]), row[1]) for row in rows]


async def of_member_for_export(db: Database, member_id: int) -> dict:
    """Every RSVP and attendance of a member, for "download my data"."""
    rsvps = await db.fetchall(
        "SELECT a.title, a.starts_at, r.status, r.created_at FROM rsvps r JOIN activities a ON a.id = r.activity_id"
        " WHERE r.member_id = ? ORDER BY a.starts_at",
        (member_id,),
    )
    present = await db.fetchall(
        "SELECT a.title, a.starts_at FROM attendance t JOIN activities a ON a.id = t.activity_id"
        " WHERE t.member_id = ? ORDER BY a.starts_at",
        (member_id,),
    )
    return {
        "activities_signed_up": [{"activity": r[0], "starts_at": r[1], "status": r[2], "since": r[3]} for r in rsvps],
        "activities_attended": [{"activity": r[0], "starts_at": r[1]} for r in present],
    }
