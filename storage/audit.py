"""The log of organisers' actions: who did what to whom, and when."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor_id: int | None
    action: str
    target_id: int | None


def record(conn: sqlite3.Connection, actor_id: int | None, action: str, target_id: int | None, now: datetime) -> None:
    """Log an action, inside the transaction that does it."""
    conn.execute(
        "INSERT INTO audit_log (at, actor_id, action, target_id) VALUES (?, ?, ?, ?)",
        (now.isoformat(), actor_id, action, target_id),
    )


async def about(db: Database, member_id: int) -> list[Entry]:
    """Every entry in which the member acted or was acted upon, oldest first: a long read."""
    rows = await db.read(
        "SELECT at, actor_id, action, target_id FROM audit_log WHERE actor_id = ? OR target_id = ? ORDER BY id",
        (member_id, member_id),
    )
    return [Entry(datetime.fromisoformat(r[0]), r[1], r[2], r[3]) for r in rows]
