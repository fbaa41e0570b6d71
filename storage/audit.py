"""The log of organisers' actions: who did what to whom, and when."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, rows_part

# How a member asked an organiser to act for them (issue 13): at the desk, by phone, or on paper.
REASONS = ("desk", "phone", "paper")


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor_id: int | None
    action: str
    target_id: int | None
    reason: str | None = None  # one of REASONS when an organiser acted for the member


@dataclass(frozen=True)
class Acting:
    """An organiser who acts for a member, and how the member asked: logged with what is done."""

    organiser_id: int
    reason: str  # one of REASONS


def record(
    conn: sqlite3.Connection,
    actor_id: int | None,
    action: str,
    target_id: int | None,
    now: datetime,
    reason: str | None = None,
) -> None:
    """Log an action, inside the transaction that does it."""
    conn.execute(
        "INSERT INTO audit_log (at, actor_id, action, target_id, reason) VALUES (?, ?, ?, ?, ?)",
        (now.isoformat(), actor_id, action, target_id, reason),
    )


def done_since(db: Database, actor_id: int, action: str, target_id: int, since: datetime) -> bool:
    """Whether this actor did this to this member since then: a second tap of the same button (both taps
    left before the first was answered) finds the first one's act here."""
    row = db.fetchone(
        "SELECT 1 FROM audit_log WHERE target_id = ? AND actor_id = ? AND action = ? AND at >= ? LIMIT 1",
        (target_id, actor_id, action, since.isoformat()),
    )
    return row is not None


def _entry(row: dict) -> Entry:
    return Entry(datetime.fromisoformat(row["at"]), row["actor_id"], row["action"], row["target_id"], row["reason"])


# Every entry in which the member acted or was acted upon, oldest first (for "download my data").
ABOUT = rows_part(
    "SELECT at, actor_id, action, target_id, reason FROM audit_log WHERE actor_id = :member OR target_id = :member"
    " ORDER BY id",
    ("at", "actor_id", "action", "target_id", "reason"),
    _entry,
)
