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

import zlib
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Row
from storage.outbox import STATE_COLUMNS, STATE_JOINS, Claimed, claimed
from storage.paging import Page, limit_offset, page_of

CALL = "call"  # the outcome of an outbox row that waits on the call list
MAX_CHECK = 2**32 - 1
_OPEN = (
    " WHERE o.outcome = 'call' AND o.called_at IS NULL AND (o.expires_at IS NULL OR o.expires_at > :now)"
    " AND m.status = 'active' AND m.telegram_id IS NULL"
)


@dataclass(frozen=True)
class Call:
    """One thing to tell one member by phone."""

    message: Claimed  # the outbox row, as the sender would have seen it now
    member_id: int
    first_name: str
    member_no: int | None
    phone: str | None


def check(key: str) -> int:
    """A number from a row's unique key, for its buttons. SQLite gives the id of a deleted last row to the
    next one (a reminder forgotten when its activity is cancelled: the cancellation gets its id), so a
    button of the old call must not act on the new one."""
    return zlib.crc32(key.encode())


def _call(row: Row) -> Call:
    return Call(claimed(row), row["member_id"], row["first_name"] or "", row["member_no"], row["phone"])


_COLUMNS = f"{STATE_COLUMNS}, m.first_name, m.member_no, m.phone"


def take(db: Database, outbox_id: int, now: datetime) -> bool:
    """A due message for an active member without Telegram goes on the call list; False for anyone else
    (the sender then drops it as it would)."""
    with db.transaction() as conn:
        cursor = conn.execute(
            "UPDATE outbox SET dropped_at = :now, outcome = 'call', claimed_at = NULL WHERE id = :id"
            " AND EXISTS (SELECT 1 FROM members m WHERE m.id = outbox.member_id AND m.status = 'active'"
            " AND m.telegram_id IS NULL)",
            {"now": now.isoformat(), "id": outbox_id},
        )
        return cursor.rowcount == 1


def open_calls(db: Database, now: datetime, page: int) -> Page[Call]:
    """The calls still to make, oldest first (what waits longest is most urgent), one page with the total."""
    rows = db.fetchall(
        f"SELECT {_COLUMNS}, count(*) OVER () AS total{STATE_JOINS}{_OPEN}"
        " ORDER BY o.deliver_at, o.id" + limit_offset(page),
        {"now": now.isoformat()},
    )
    return page_of(rows, page, _call, counted=True)


def get(db: Database, outbox_id: int, key_check: int, now: datetime) -> Call | None:
    """One call still to make; None when it was made, put aside, expired, its member joined Telegram, or
    the id is another message's now."""
    row = db.fetchone(
        f"SELECT {_COLUMNS}{STATE_JOINS}{_OPEN} AND o.id = :id", {"now": now.isoformat(), "id": outbox_id}
    )
    return _call(row) if row and check(row["key"]) == key_check else None


def called(db: Database, outbox_id: int, key_check: int, organiser_id: int, now: datetime) -> bool:
    """✅ Called: done, by this organiser. False when it was done already (a second tap, another organiser)
    or the id is another message's now."""
    with db.transaction() as conn:
        row = conn.execute("SELECT key FROM outbox WHERE id = ?", (outbox_id,)).fetchone()
        if row is None or check(row[0]) != key_check:
            return False
        cursor = conn.execute(
            "UPDATE outbox SET called_at = ?, called_by = ? WHERE id = ? AND outcome = 'call' AND called_at IS NULL",
            (now.isoformat(), organiser_id, outbox_id),
        )
        return cursor.rowcount == 1


def put_aside(db: Database, outbox_ids: list[int], now: datetime) -> None:
    """Calls that no longer hold (the activity was cancelled, the place went): off the list, called by nobody."""
    with db.transaction() as conn:
        conn.executemany(
            "UPDATE outbox SET called_at = ? WHERE id = ? AND outcome = 'call' AND called_at IS NULL",
            [(now.isoformat(), outbox_id) for outbox_id in outbox_ids],
        )
