"""The record of every message the bot sends on its own, so each goes out once.

A notification is enqueued with a unique key (enqueueing it again changes
nothing), claimed just before sending (so a restart never sends it twice),
and dropped when it can no longer arrive in time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database


@dataclass(frozen=True)
class Notification:
    id: int
    key: str
    kind: str
    member_id: int | None
    activity_id: int | None
    payload: dict
    deliver_at: datetime
    expires_at: datetime | None


async def enqueue(
    conn: aiosqlite.Connection,
    key: str,
    kind: str,
    *,
    member_id: int | None,
    activity_id: int | None,
    deliver_at: datetime,
    expires_at: datetime | None = None,
    payload: dict | None = None,
) -> None:
    """Inside a transaction: record a message to send; a key that exists already changes nothing."""
    await conn.execute(
        "INSERT OR IGNORE INTO notifications (key, kind, member_id, activity_id, payload, deliver_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (key, kind, member_id, activity_id, json.dumps(payload or {}), deliver_at.isoformat(),
         expires_at.isoformat() if expires_at else None),
    )


async def add_many(db: Database, planned: list[dict]) -> None:
    """Enqueue several notifications (each a dict of enqueue's arguments) in one transaction."""
    if not planned:
        return
    async with db.transaction() as conn:
        for fields in planned:
            await enqueue(conn, **fields)


async def due(db: Database, now: datetime, limit: int = 200) -> list[Notification]:
    """Unsent notifications whose moment has come, oldest first."""
    rows = await db.fetchall(
        "SELECT * FROM notifications WHERE sent_at IS NULL AND dropped_at IS NULL AND deliver_at <= ?"
        " ORDER BY deliver_at, id LIMIT ?",
        (now.isoformat(), limit),
    )
    return [
        Notification(
            id=row["id"], key=row["key"], kind=row["kind"], member_id=row["member_id"],
            activity_id=row["activity_id"], payload=json.loads(row["payload"]),
            deliver_at=datetime.fromisoformat(row["deliver_at"]),
            expires_at=datetime.fromisoformat(row["expires_at"]) if row["expires_at"] else None,
        )
        for row in rows
    ]


async def claim(db: Database, notification_id: int, now: datetime) -> bool:
    """Mark as sent before sending; False when someone else already did (never twice)."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE notifications SET sent_at = ? WHERE id = ? AND sent_at IS NULL AND dropped_at IS NULL",
            (now.isoformat(), notification_id),
        )
        return cursor.rowcount == 1


async def release(db: Database, notification_id: int) -> None:
    """Sending failed for a passing reason: try again later."""
    async with db.transaction() as conn:
        await conn.execute("UPDATE notifications SET sent_at = NULL WHERE id = ?", (notification_id,))


async def drop(db: Database, notification_id: int, now: datetime) -> None:
    """Too late, no longer true, or the member cannot be reached: never send it."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE notifications SET dropped_at = ?, sent_at = NULL WHERE id = ?", (now.isoformat(), notification_id)
        )


async def forget_unsent(conn: aiosqlite.Connection, activity_id: int, kinds: tuple[str, ...] | None) -> None:
    """Inside a transaction: unsent notifications about an activity that no longer apply."""
    if kinds is None:
        await conn.execute("DELETE FROM notifications WHERE activity_id = ? AND sent_at IS NULL", (activity_id,))
        return
    marks = ", ".join("?" for _ in kinds)
    await conn.execute(
        f"DELETE FROM notifications WHERE activity_id = ? AND sent_at IS NULL AND kind IN ({marks})",
        (activity_id, *kinds),
    )


async def sent(db: Database, kind: str | None = None) -> list[tuple[str, int | None]]:
    """(key, member id) of what was sent, for checks and reports."""
    rows = await db.fetchall(
        "SELECT key, member_id FROM notifications WHERE sent_at IS NOT NULL AND (? IS NULL OR kind = ?) ORDER BY id",
        (kind, kind),
    )
    return [(row[0], row[1]) for row in rows]
