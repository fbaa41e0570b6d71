"""📞 The call list: what the bot would have told a member without Telegram, for an organiser to say by
phone (issue 13).

Such a message is planned in the outbox like everyone's (so head counts, waiting lists and reminders do
not need to know who has Telegram). When it is due, the sender does not drop it for want of a chat: it
moves it here (`take`: outcome 'call'). The row keeps everything the sender would have checked, so the
list can ask whether it still holds (the activity cancelled, the vote closed) and puts the ones that no
longer do aside (`put_aside`). ✅ Called marks it done, by whom. The rows stay outbox rows: deleting an
account deletes them with its other messages, and clean-up takes them once they expired.
"""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Row
from storage.outbox import STATE_COLUMNS, STATE_JOINS, Claimed, claimed
from storage.paging import Page, limit_offset, page_of

CALL = "call"  # the outcome of an outbox row that waits on the call list
MAX_CHECK = 2**32 - 1
AT_ONCE = 5  # calls to one member on one card; the rest come after ✅ Called
_OPEN = (
    " WHERE o.outcome = 'call' AND o.called_at IS NULL AND (o.expires_at IS NULL OR o.expires_at > :now)"
    " AND m.status IN ('active', 'suspended') AND m.telegram_id IS NULL"  # a paused member hears of it
)
# What must be said first: the nearest deadline (UX.md: soonest first); a message without one (a
# neighbour's) counts as due within two days.
_DEADLINE = "coalesce(o.expires_at, strftime('%Y-%m-%dT%H:%M:%S+00:00', o.deliver_at, '+2 days'))"
_SOONEST = f"min({_DEADLINE})"


@dataclass(frozen=True)
class Callee:
    """A member without Telegram with calls waiting: one phone call tells them everything."""

    member_id: int
    first_name: str
    member_no: int | None
    phone: str | None
    language: str
    calls: int


def _callee(row: Row) -> Callee:
    return Callee(row["id"], row["first_name"] or "", row["member_no"], row["phone"], row["language"], row["calls"])


def check(keys: list[str]) -> int:
    """A number from the unique keys of the calls on a card, for its ✅ Called: it marks exactly those.
    Not their ids: SQLite gives a deleted last row's id to the next one (a reminder forgotten when its
    activity is cancelled: the cancellation gets its id), and a new call may have come in meanwhile."""
    return zlib.crc32("\n".join(keys).encode())


def take(db: Database, outbox_id: int, now: datetime, *, paused_too: bool = False) -> bool:
    """A due message for an active member without Telegram goes on the call list (`paused_too`: also for a
    member an organiser paused: the news of it); False for anyone else (the sender then drops it)."""
    statuses = "('active', 'suspended')" if paused_too else "('active')"
    with db.transaction() as conn:
        cursor = conn.execute(
            "UPDATE outbox SET dropped_at = :now, outcome = 'call', claimed_at = NULL WHERE id = :id"
            f" AND EXISTS (SELECT 1 FROM members m WHERE m.id = outbox.member_id AND m.status IN {statuses}"
            " AND m.telegram_id IS NULL)",
            {"now": now.isoformat(), "id": outbox_id},
        )
        return cursor.rowcount == 1


_CALLEES = (
    "SELECT m.id, m.first_name, m.member_no, m.phone, m.language, count(*) AS calls, count(*) OVER () AS total"
    f" FROM outbox o JOIN members m ON m.id = o.member_id{_OPEN}"
)


def people(db: Database, now: datetime, page: int) -> Page[Callee]:
    """Who to call, the nearest deadline first, one page with the total."""
    rows = db.fetchall(
        f"{_CALLEES} GROUP BY m.id ORDER BY {_SOONEST}, m.id" + limit_offset(page), {"now": now.isoformat()}
    )
    return page_of(rows, page, _callee, counted=True)


def callee(db: Database, member_id: int, now: datetime) -> Callee | None:
    """One member with calls waiting; None when there are none (any more) or they joined Telegram."""
    row = db.fetchone(f"{_CALLEES} AND m.id = :member GROUP BY m.id", {"now": now.isoformat(), "member": member_id})
    return _callee(row) if row else None


def of_member(db: Database, member_id: int, now: datetime) -> list[Claimed]:
    """A member's calls still to make, the nearest deadline first, as the sender would see them now."""
    rows = db.fetchall(
        f"SELECT {STATE_COLUMNS}{STATE_JOINS}{_OPEN} AND o.member_id = :member"
        f" ORDER BY {_DEADLINE}, o.deliver_at, o.id LIMIT {AT_ONCE}",
        {"now": now.isoformat(), "member": member_id},
    )
    return [claimed(row) for row in rows]


def called(db: Database, outbox_ids: list[int], organiser_id: int, now: datetime) -> int:
    """✅ Called: done, by this organiser; how many were still to do (a second tap marks none)."""
    with db.transaction() as conn:
        cursor = conn.executemany(
            "UPDATE outbox SET called_at = ?, called_by = ? WHERE id = ? AND outcome = 'call' AND called_at IS NULL",
            [(now.isoformat(), organiser_id, outbox_id) for outbox_id in outbox_ids],
        )
        return cursor.rowcount


def last_called(db: Database, member_id: int) -> tuple[str, datetime] | None:
    """Who called this member last, and when (for a second organiser who was about to)."""
    row = db.fetchone(
        "SELECT coalesce(m.first_name, ''), o.called_at FROM outbox o JOIN members m ON m.id = o.called_by"
        " WHERE o.member_id = ? AND o.outcome = 'call' AND o.called_by IS NOT NULL ORDER BY o.called_at DESC LIMIT 1",
        (member_id,),
    )
    return (row[0], datetime.fromisoformat(row[1])) if row else None


def put_aside(db: Database, outbox_ids: list[int], now: datetime) -> None:
    """Calls that no longer hold (the activity was cancelled, the place went): off the list, called by nobody."""
    with db.transaction() as conn:
        conn.executemany(
            "UPDATE outbox SET called_at = ? WHERE id = ? AND outcome = 'call' AND called_at IS NULL",
            [(now.isoformat(), outbox_id) for outbox_id in outbox_ids],
        )


def hand_back(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside a transaction: the member joined Telegram (storage/desk.py join). What still waited for a call
    goes to their chat instead, through the sender as usual (it checks again that it holds; quiet hours)."""
    conn.execute(
        "UPDATE outbox SET dropped_at = NULL, outcome = NULL, deliver_at = ? WHERE member_id = ? AND outcome = 'call'"
        " AND called_at IS NULL",
        (now.isoformat(), member_id),
    )
