"""The log of organisers' actions: who did what to whom, and when."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.db import rows_part


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


def _entry(row: dict) -> Entry:
    return Entry(datetime.fromisoformat(row["at"]), row["actor_id"], row["action"], row["target_id"])


# Every entry in which the member acted or was acted upon, oldest first (for "download my data").
ABOUT = rows_part(
    "SELECT at, actor_id, action, target_id FROM audit_log WHERE actor_id = :member OR target_id = :member ORDER BY id",
    ("at", "actor_id", "action", "target_id"),
    _entry,
)
