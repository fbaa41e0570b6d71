"""Volunteer shifts (issue 14): a task at a time with a number of places, taken one place a tap.

The rules that must hold are settled inside one transaction: a place is taken by an UPDATE that only raises
`taken` while it is below `places`, so 20 members tapping for the last place leave exactly one on it. A place
given back (or freed by a deleted account) within 48 hours of the start is offered to the volunteers who did
that task before: one message each, the first tap takes it. Messages are outbox rows (bot/shift_notices.py).
With the time bank on, ticking a volunteer as came credits the shift's hours in the same transaction.
A shift made of a campaign's help need keeps that need agreeing with who is on it (storage/need_pledges.py).
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from storage import activities, hours, need_pledges, outbox
from storage.db import Database, Row, moment, rows_part
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

REMINDER, ASK, CANCELLED = "shift_reminder", "shift_ask", "shift_cancelled"
HOURS, HOURS_BACK = "shift_hours", "shift_hours_back"  # the time bank credited a shift's hours, or took them back
KINDS = (REMINDER, ASK, CANCELLED, HOURS, HOURS_BACK)
SHORT_NOTICE = timedelta(hours=48)  # from then on a free place is asked of the task's volunteers
DAY_BEFORE = timedelta(hours=24)
ASK_AT_ONCE = 20  # shifts asked about by one run of the scheduled work
HOURS_AFTER = timedelta(minutes=10)  # the time bank's message waits this long, so a tick undone at once sends none


@dataclass(frozen=True)
class Plan:
    """A shift as an organiser defines it; weekly ones repeat it a week later each time."""

    task: str
    description: str
    starts_at: datetime
    ends_at: datetime
    places: int


@dataclass(frozen=True)
class Shift:
    id: int
    task: str
    description: str
    starts_at: datetime
    ends_at: datetime
    places: int
    taken: int
    cancelled: bool

    @property
    def places_left(self) -> int:
        return self.places - self.taken

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def halves(self) -> int:
        """What it counts for in the time bank: half hours, to the nearest, at least one."""
        return max(1, (self.minutes + 15) // 30)

    def open_at(self, now: datetime) -> bool:
        """Places can still be taken and given back: not cancelled, not started."""
        return not self.cancelled and self.starts_at > now


def _shift(row: Row) -> Shift:
    return Shift(
        id=row["id"],
        task=row["task"],
        description=row["description"],
        starts_at=datetime.fromisoformat(row["starts_at"]),
        ends_at=datetime.fromisoformat(row["ends_at"]),
        places=row["places"],
        taken=row["taken"],
        cancelled=row["cancelled_at"] is not None,
    )


_SHIFT = "SELECT s.* FROM shifts s"


def create(
    db: Database, plan: Plan, *, created_by: int | None, now: datetime, weeks: int = 1, tz: ZoneInfo | None = None
) -> list[Shift]:
    """Publish a shift, or the same shift `weeks` weeks in a row (at the same local time in `tz`, also across a
    change to summer time): one row a date, each taken on its own."""
    with db.transaction() as conn:
        return [
            insert(conn, plan, start, end, created_by, now)
            for start, end in activities.weekly(plan.starts_at, plan.ends_at, weeks, tz)
        ]


def insert(
    conn: sqlite3.Connection, plan: Plan, start: datetime, end: datetime, created_by: int | None, now: datetime
) -> Shift:
    """One shift, inside the caller's transaction (also storage/campaign_needs.py make_shift)."""
    row = conn.execute(
        "INSERT INTO shifts (task, description, starts_at, ends_at, places, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
        (plan.task, plan.description, start.isoformat(), end.isoformat(), plan.places, created_by, now.isoformat()),
    ).fetchone()
    return _shift(row)


def get(db: Database, shift_id: int) -> Shift | None:
    row = db.fetchone(_SHIFT + " WHERE s.id = ?", (shift_id,))
    return _shift(row) if row else None


def is_on(db: Database, shift_id: int, member_id: int) -> bool:
    row = db.fetchone("SELECT 1 FROM shift_volunteers WHERE shift_id = ? AND member_id = ?", (shift_id, member_id))
    return row is not None


def open_page(db: Database, now: datetime, until: datetime, page: int) -> Page[Shift]:
    """Shifts with a free place from now to `until`, soonest first."""
    rows = db.fetchall(
        _SHIFT + " WHERE s.starts_at > ? AND s.starts_at < ? AND s.cancelled_at IS NULL AND s.taken < s.places"
        " ORDER BY s.starts_at, s.id" + limit_offset(page),
        (now.isoformat(), until.isoformat()),
    )
    return page_of(rows, page, _shift)


def mine(db: Database, member_id: int, now: datetime, page: int) -> Page[Shift]:
    """A member's shifts still to come, soonest first (cancelled ones too, so they see it)."""
    rows = db.fetchall(
        _SHIFT + " JOIN shift_volunteers v ON v.shift_id = s.id WHERE v.member_id = ? AND s.ends_at > ?"
        " ORDER BY s.starts_at, s.id" + limit_offset(page),
        (member_id, now.isoformat()),
    )
    return page_of(rows, page, _shift)


def for_organisers(db: Database, since: datetime, now: datetime, page: int) -> Page[Shift]:
    """What is coming (soonest first), then what happened since `since` (latest first, to tick who came)."""
    rows = db.fetchall(
        _SHIFT + " WHERE s.starts_at > :since ORDER BY s.starts_at <= :now,"
        " CASE WHEN s.starts_at > :now THEN s.starts_at END, s.starts_at DESC, s.id" + limit_offset(page),
        {"since": since.isoformat(), "now": now.isoformat()},
    )
    return page_of(rows, page, _shift)


def gaps(db: Database, now: datetime, until: datetime, page: int) -> Page[Shift]:
    """Shifts with free places from now to `until`, soonest first, with how many there are."""
    rows = db.fetchall(
        "SELECT s.*, count(*) OVER () AS total FROM shifts s WHERE s.starts_at > ? AND s.starts_at < ?"
        " AND s.cancelled_at IS NULL AND s.taken < s.places ORDER BY s.starts_at, s.id" + limit_offset(page),
        (now.isoformat(), until.isoformat()),
    )
    return page_of(rows, page, _shift, counted=True)


class Taken(enum.Enum):
    TAKEN = "taken"
    ALREADY = "already"  # a double tap
    FULL = "full"  # someone else was first
    GONE = "gone"  # cancelled, started, or no such shift


def take(db: Database, shift_id: int, member_id: int, now: datetime) -> Taken:
    """One place for this member, if one is free: checked and taken in one transaction."""
    with db.transaction() as conn:
        return take_in(conn, shift_id, member_id, now)


def take_in(conn: sqlite3.Connection, shift_id: int, member_id: int, now: datetime) -> Taken:
    """`take`, inside the caller's transaction (also storage/campaign_needs.py make_shift)."""
    if conn.execute(
        "SELECT 1 FROM shift_volunteers WHERE shift_id = ? AND member_id = ?", (shift_id, member_id)
    ).fetchone():
        return Taken.ALREADY
    row = conn.execute(
        "UPDATE shifts SET taken = taken + 1 WHERE id = ? AND cancelled_at IS NULL AND starts_at > ?"
        " AND taken < places RETURNING *",
        (shift_id, now.isoformat()),
    ).fetchone()
    if row is None:
        found = conn.execute("SELECT * FROM shifts WHERE id = ?", (shift_id,)).fetchone()
        still_open = found is not None and _shift(found).open_at(now)
        return Taken.FULL if still_open else Taken.GONE
    shift = _shift(row)
    conn.execute(
        "INSERT INTO shift_volunteers (shift_id, member_id, taken_at) VALUES (?, ?, ?)",
        (shift_id, member_id, now.isoformat()),
    )
    need_pledges.place_taken(conn, shift_id, member_id, now)
    due = shift.starts_at - DAY_BEFORE
    if due >= now:  # taken later than that: they know it is soon
        key = f"{REMINDER}:{shift.id}:{member_id}:{shift.starts_at.isoformat()}"
        message = Message(key, REMINDER, member_id, None, due, shift.starts_at, {"shift": shift.id})
        outbox.add(conn, [message])
    return Taken.TAKEN


def give_back(db: Database, shift_id: int, member_id: int, now: datetime) -> Shift | None:
    """Give a place back before the start; within 48 hours the task's other volunteers are asked to take it.

    None: they were not on it, or it started or was cancelled (nothing changes)."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT s.* FROM shifts s JOIN shift_volunteers v ON v.shift_id = s.id"
            " WHERE s.id = ? AND v.member_id = ? AND s.cancelled_at IS NULL AND s.starts_at > ?",
            (shift_id, member_id, now.isoformat()),
        ).fetchone()
        if row is None:
            return None
        return _free_place(conn, _shift(row), member_id, now)


def _free_place(conn: sqlite3.Connection, shift: Shift, member_id: int, now: datetime) -> Shift:
    """Inside a transaction: the member is off an open shift; within 48 hours others are asked."""
    conn.execute("DELETE FROM shift_volunteers WHERE shift_id = ? AND member_id = ?", (shift.id, member_id))
    need_pledges.place_freed(conn, shift.id, member_id, now)
    conn.execute(
        "DELETE FROM outbox WHERE kind = ? AND member_id = ? AND sent_at IS NULL AND key LIKE ?",
        (REMINDER, member_id, f"{REMINDER}:{shift.id}:%"),
    )
    row = conn.execute("UPDATE shifts SET taken = taken - 1 WHERE id = ? RETURNING *", (shift.id,)).fetchone()
    if shift.starts_at - now <= SHORT_NOTICE:
        _ask(conn, shift, now, f"back{member_id}:{now.isoformat()}", member_id)
        # They were just asked: the 48-hour check (ask_for_gaps) must not ask them again for this place.
        conn.execute(
            "UPDATE shifts SET gaps_asked_at = coalesce(gaps_asked_at, ?) WHERE id = ?", (now.isoformat(), shift.id)
        )
    return _shift(row)


def _ask(conn: sqlite3.Connection, shift: Shift, now: datetime, tag: str, leaving: int | None = None) -> None:
    """Inside a transaction: one message to each active member who had a place on another shift of this
    task (the volunteers who know it), who is not on it now and is not the one leaving it."""
    asked = conn.execute(
        "SELECT DISTINCT v.member_id FROM shift_volunteers v JOIN shifts o ON o.id = v.shift_id"
        " JOIN members m ON m.id = v.member_id"
        " WHERE o.task = ? COLLATE NOCASE AND o.id != ? AND m.status = 'active' AND v.member_id IS NOT ?"
        " AND NOT EXISTS (SELECT 1 FROM shift_volunteers h WHERE h.shift_id = ? AND h.member_id = v.member_id)",
        (shift.task, shift.id, leaving, shift.id),
    ).fetchall()
    outbox.add(
        conn,
        [
            Message(f"{ASK}:{shift.id}:{member}:{tag}", ASK, member, None, now, shift.starts_at, {"shift": shift.id})
            for (member,) in asked
        ],
    )


def ask_for_gaps(db: Database, now: datetime) -> int:
    """48 hours before a shift with a free place, its task's volunteers are asked, once per shift (scheduled
    work, a batch a minute); how many shifts."""
    with db.transaction() as conn:
        rows = conn.execute(
            "UPDATE shifts SET gaps_asked_at = :now WHERE id IN (SELECT id FROM shifts"
            " WHERE gaps_asked_at IS NULL AND cancelled_at IS NULL AND starts_at > :now AND starts_at <= :soon"
            " AND taken < places ORDER BY starts_at LIMIT :batch) RETURNING *",
            {"now": now.isoformat(), "soon": (now + SHORT_NOTICE).isoformat(), "batch": ASK_AT_ONCE},
        ).fetchall()
        for row in rows:
            _ask(conn, _shift(row), now, "gap")
        return len(rows)


def cancel(db: Database, shift_id: int, now: datetime) -> Shift | None:
    """The shift does not go on; everyone on it is told. None: cancelled already, or it started."""
    with db.transaction() as conn:
        row = conn.execute(
            "UPDATE shifts SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL AND starts_at > ? RETURNING *",
            (now.isoformat(), shift_id, now.isoformat()),
        ).fetchone()
        if row is None:
            return None
        shift = _shift(row)
        conn.execute(
            "DELETE FROM outbox WHERE kind IN (?, ?) AND sent_at IS NULL AND json_extract(payload, '$.shift') = ?",
            (REMINDER, ASK, shift_id),
        )
        people = conn.execute("SELECT member_id FROM shift_volunteers WHERE shift_id = ?", (shift_id,)).fetchall()
        outbox.add(
            conn,
            [
                Message(
                    f"{CANCELLED}:{shift_id}:{member}",
                    CANCELLED,
                    member,
                    None,
                    now,
                    shift.starts_at,
                    {"shift": shift_id},
                )
                for (member,) in people
            ],
        )
        return shift


@dataclass(frozen=True)
class Volunteer:
    member_id: int
    first_name: str | None  # None: the account was deleted
    member_no: int | None
    attended: bool


def volunteers(db: Database, shift_id: int, page: int) -> Page[Volunteer]:
    """Who is on a shift, in the order they took their place."""
    rows = db.fetchall(
        "SELECT v.member_id, m.first_name, m.member_no, v.attended, count(*) OVER () AS total"
        " FROM shift_volunteers v JOIN members m ON m.id = v.member_id WHERE v.shift_id = ?"
        " ORDER BY v.taken_at, v.member_id" + limit_offset(page),
        (shift_id,),
    )
    return page_of(rows, page, lambda row: Volunteer(row[0], row[1], row[2], bool(row[3])), counted=True)


def set_attended(
    db: Database, shift_id: int, member_id: int, came: bool, now: datetime, *, by: int, timebank: bool
) -> bool | None:
    """✅/⬜ Tick or untick someone who was on a shift that took place. The button says which, so a double tap
    changes nothing. With the time bank on, the cooperative credits the shift's hours to them in the same
    transaction, once; unticking takes them back (storage/hours.py for_shift). Whether they are ticked now.

    None, and nothing written: they were not on it, or it was cancelled or has not started."""
    with db.transaction() as conn:
        row = conn.execute(
            _SHIFT + " JOIN shift_volunteers v ON v.shift_id = s.id"
            " WHERE s.id = ? AND v.member_id = ? AND s.cancelled_at IS NULL AND s.starts_at <= ?",
            (shift_id, member_id, now.isoformat()),
        ).fetchone()
        if row is None:
            return None
        conn.execute(
            "UPDATE shift_volunteers SET attended = ? WHERE shift_id = ? AND member_id = ?",
            (int(came), shift_id, member_id),
        )
        if timebank:
            shift = _shift(row)
            halves = shift.halves if came else 0
            written = hours.for_shift(conn, shift_id, member_id, halves, now, by=by, note=shift.task)
            if written is not None:
                _tell_hours(conn, shift, member_id, halves, written, now)
        return came


def _tell_hours(conn: sqlite3.Connection, shift: Shift, member_id: int, halves: int, tag: int, now: datetime) -> None:
    """Inside a transaction: in a while the volunteer hears what the shift counts for now. A message not sent
    yet gives way to this one, and none goes when it ends where the last message left them (a mis-tap undone)."""
    about = "member_id = ? AND kind IN (?, ?) AND json_extract(payload, '$.shift') = ?"
    keys = (member_id, HOURS, HOURS_BACK, shift.id)
    conn.execute(f"DELETE FROM outbox WHERE {about} AND sent_at IS NULL", keys)
    told = conn.execute(
        f"SELECT json_extract(payload, '$.halves') FROM outbox WHERE {about} AND sent_at IS NOT NULL"
        " ORDER BY id DESC LIMIT 1",
        keys,
    ).fetchone()
    if halves == (told[0] if told else 0):
        return
    kind = HOURS if halves else HOURS_BACK
    payload = {"shift": shift.id, "halves": halves}
    key, due = f"{kind}:{shift.id}:{member_id}:{tag}", now + HOURS_AFTER
    outbox.add(conn, [Message(key, kind, member_id, None, due, due + hours.KEPT, payload)])


@dataclass(frozen=True)
class Hours:
    """A volunteer's attended shifts in a period, for funders."""

    member_id: int
    first_name: str | None  # None: the account was deleted; the hours still count
    member_no: int | None
    shifts: int
    minutes: int


_MINUTES = "CAST(round((julianday(s.ends_at) - julianday(s.starts_at)) * 1440) AS INTEGER)"


async def hours_between(db: Database, start: datetime, end: datetime) -> list[Hours]:
    """Hours per volunteer of the attended shifts that started between two moments (a long read)."""
    rows = await db.read(
        f"SELECT v.member_id, m.first_name, m.member_no, count(*), sum({_MINUTES})"
        " FROM shift_volunteers v JOIN shifts s ON s.id = v.shift_id JOIN members m ON m.id = v.member_id"
        " WHERE v.attended = 1 AND s.cancelled_at IS NULL AND s.starts_at >= ? AND s.starts_at < ?"
        " GROUP BY v.member_id ORDER BY m.member_no, v.member_id",
        (start.isoformat(), end.isoformat()),
    )
    return [Hours(*row) for row in rows]


async def attended(db: Database, member_id: int, start: datetime, end: datetime) -> list[Shift]:
    """A member's attended shifts that started between two moments, in order (their statement of hours)."""
    rows = await db.read(
        _SHIFT + " JOIN shift_volunteers v ON v.shift_id = s.id WHERE v.member_id = ? AND v.attended = 1"
        " AND s.cancelled_at IS NULL AND s.starts_at >= ? AND s.starts_at < ? ORDER BY s.starts_at",
        (member_id, start.isoformat(), end.isoformat()),
    )
    return [_shift(row) for row in rows]


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the account's deletion: places on shifts to come are freed (within 48 hours the task's
    volunteers are asked); past shifts stay on the anonymous row, so the hours per month stay right."""
    rows = conn.execute(
        "SELECT s.* FROM shifts s JOIN shift_volunteers v ON v.shift_id = s.id"
        " WHERE v.member_id = ? AND s.cancelled_at IS NULL AND s.starts_at > ?",
        (member_id, now.isoformat()),
    ).fetchall()
    for row in rows:
        _free_place(conn, _shift(row), member_id, now)


@dataclass(frozen=True)
class Involvement:
    """A shift a member took, for "download my data"."""

    task: str
    starts_at: datetime
    ends_at: datetime
    taken_at: datetime
    attended: bool
    cancelled: bool


def _involvement(row: dict) -> Involvement:
    return Involvement(
        task=row["task"],
        starts_at=datetime.fromisoformat(row["starts_at"]),
        ends_at=datetime.fromisoformat(row["ends_at"]),
        taken_at=datetime.fromisoformat(row["taken_at"]),
        attended=bool(row["attended"]),
        cancelled=moment(row["cancelled_at"]) is not None,
    )


# Every shift a member took, in time order (for "download my data").
OF_MEMBER = rows_part(
    "SELECT s.task, s.starts_at, s.ends_at, v.taken_at, v.attended, s.cancelled_at FROM shift_volunteers v"
    " JOIN shifts s ON s.id = v.shift_id WHERE v.member_id = :member ORDER BY s.starts_at",
    ("task", "starts_at", "ends_at", "taken_at", "attended", "cancelled_at"),
    _involvement,
)
