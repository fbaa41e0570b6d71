"""The outbox: every message the bot sends by itself, one row per recipient.

A row is written in the transaction that caused it, with a unique key (writing
it again changes nothing). The one sender (bot/sender.py) claims due rows,
sends them, then marks them sent; a claim older than STALE_CLAIM is from a
sender that crashed and is taken again. So nothing is lost, and a crash costs
at most one duplicate per message that was in flight.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from storage.db import Database, Row, moment, rows_part

STALE_CLAIM = timedelta(minutes=1)
KEEP_EXPIRED = timedelta(days=2)  # an expired row keeps its key this long, then it is deleted
CLEAN_UP_AT_ONCE = 500  # rows deleted by one clean-up, so it never holds the event loop long


@dataclass(frozen=True)
class Message:
    """A message to write to the outbox."""

    key: str
    kind: str
    member_id: int | None
    activity_id: int | None
    deliver_at: datetime
    expires_at: datetime | None = None
    payload: dict = field(default_factory=dict)
    vote_id: int | None = None
    post_id: int | None = None  # a help or service post it is about (storage/posts.py)
    talk_id: int | None = None  # a conversation about a post it belongs to (storage/talks.py)


@dataclass(frozen=True)
class Claimed:
    """A claimed row with what the sender needs to decide and to write it."""

    id: int
    key: str
    kind: str
    member_id: int | None
    activity_id: int | None
    payload: dict
    deliver_at: datetime
    expires_at: datetime | None
    telegram_id: int | None
    language: str | None
    paused: bool  # the member paused messages that are not essential
    unreachable: bool  # Telegram said the member blocked the bot
    about_start: datetime | None  # when the activity it is about starts (quiet hours allow early ones)
    status: str | None  # the member's RSVP status for that activity now, if any
    vote_id: int | None = None
    voted: bool = False  # a vote counts for the member on that vote (reminders go only to who has not voted)
    attempts: int = 0  # tries that failed before and wait for another (try_again)


def add(conn: sqlite3.Connection, messages: list[Message]) -> None:
    """Inside a transaction: write messages; a key that exists already changes nothing."""
    conn.executemany(
        "INSERT OR IGNORE INTO outbox"
        " (key, kind, member_id, activity_id, vote_id, post_id, talk_id, payload, deliver_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                m.key,
                m.kind,
                m.member_id,
                m.activity_id,
                m.vote_id,
                m.post_id,
                m.talk_id,
                json.dumps(m.payload),
                m.deliver_at.isoformat(),
                m.expires_at.isoformat() if m.expires_at else None,
            )
            for m in messages
        ],
    )


def tell_list(
    conn: sqlite3.Connection,
    activity_id: int,
    kind: str,
    tag: str,
    *,
    deliver_at: datetime,
    expires_at: datetime | None,
    payload: dict,
    statuses: tuple[str, ...] = ("going", "offered", "waiting"),
) -> None:
    """Inside a transaction: one message to everyone on an activity's lists, in one statement.

    The key is kind:activity:member:tag, so the same tag twice (a double tap) writes nothing new."""
    marks = ", ".join("?" for _ in statuses)
    conn.execute(
        "INSERT OR IGNORE INTO outbox (key, kind, member_id, activity_id, payload, deliver_at, expires_at)"
        " SELECT printf('%s:%d:%d:%s', ?, activity_id, member_id, ?), ?, member_id, activity_id, ?, ?, ?"
        f" FROM rsvps WHERE activity_id = ? AND status IN ({marks})",
        (
            kind,
            tag,
            kind,
            json.dumps(payload),
            deliver_at.isoformat(),
            expires_at.isoformat() if expires_at else None,
            activity_id,
            *statuses,
        ),
    )


def forget_unsent(
    conn: sqlite3.Connection, activity_id: int, kinds: tuple[str, ...] | None, member_id: int | None = None
) -> None:
    """Inside a transaction: unsent messages about an activity (for one member) that no longer apply."""
    sql = "DELETE FROM outbox WHERE activity_id = ? AND sent_at IS NULL"
    params: list[object] = [activity_id]
    if kinds is not None:
        sql += f" AND kind IN ({', '.join('?' for _ in kinds)})"
        params += kinds
    if member_id is not None:
        sql += " AND member_id = ?"
        params.append(member_id)
    conn.execute(sql, params)


# A row with what deciding about it needs: its member, activity, RSVP and vote as they are now.
STATE_COLUMNS = "o.*, m.telegram_id, m.language, m.paused, m.unreachable_since, a.starts_at, r.status, vr.voted"
STATE_JOINS = (
    " FROM outbox o LEFT JOIN members m ON m.id = o.member_id LEFT JOIN activities a ON a.id = o.activity_id"
    " LEFT JOIN rsvps r ON r.activity_id = o.activity_id AND r.member_id = o.member_id"
    " LEFT JOIN voters vr ON vr.vote_id = o.vote_id AND vr.member_id = o.member_id"
)


def claimed(row: Row) -> Claimed:
    """A row selected with STATE_COLUMNS and STATE_JOINS."""
    return Claimed(
        id=row["id"],
        key=row["key"],
        kind=row["kind"],
        member_id=row["member_id"],
        activity_id=row["activity_id"],
        payload=json.loads(row["payload"]),
        deliver_at=datetime.fromisoformat(row["deliver_at"]),
        expires_at=datetime.fromisoformat(row["expires_at"]) if row["expires_at"] else None,
        telegram_id=row["telegram_id"],
        language=row["language"],
        paused=bool(row["paused"]),
        unreachable=row["unreachable_since"] is not None,
        about_start=datetime.fromisoformat(row["starts_at"]) if row["starts_at"] else None,
        status=row["status"],
        vote_id=row["vote_id"],
        voted=bool(row["voted"]),
        attempts=row["attempts"],
    )


def claim_due(db: Database, now: datetime, limit: int) -> list[Claimed]:
    """Claim up to `limit` due rows (oldest first), also ones whose claim went stale in a crash."""
    with db.transaction() as conn:
        ids = [
            row[0]
            for row in conn.execute(
                "UPDATE outbox SET claimed_at = ? WHERE id IN (SELECT id FROM outbox"
                " WHERE sent_at IS NULL AND dropped_at IS NULL AND deliver_at <= ?"
                " AND (claimed_at IS NULL OR claimed_at < ?)"
                " ORDER BY deliver_at, id LIMIT ?) RETURNING id",
                (now.isoformat(), now.isoformat(), (now - STALE_CLAIM).isoformat(), limit),
            )
        ]
        rows = conn.execute(
            f"SELECT {STATE_COLUMNS}{STATE_JOINS} WHERE o.id IN ({', '.join('?' for _ in ids)})"
            " ORDER BY o.deliver_at, o.id",
            ids,
        ).fetchall()
    return [claimed(row) for row in rows]


def mark_sent(db: Database, outbox_id: int, now: datetime, message_id: int | None = None) -> None:
    """It went out (as Telegram's message `message_id`). An announcement's delivery row learns it in the same
    statement (a trigger, storage/migrations/0009_announcements.sql)."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET sent_at = ?, message_id = ?, claimed_at = NULL WHERE id = ?",
            (now.isoformat(), message_id, outbox_id),
        )


UNREACHABLE, FAILED = "unreachable", "failed"  # outcomes of a message Telegram refused


def drop(db: Database, outbox_id: int, now: datetime, outcome: str | None = None, reason: str | None = None) -> None:
    """Too late, no longer true, not wanted (outcome None), or Telegram refused it (UNREACHABLE: the member
    blocked the bot; FAILED): never send it. The reason is kept, and an announcement's delivery row
    learns both in the same statement."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET dropped_at = ?, outcome = ?, reason = ?, claimed_at = NULL WHERE id = ?",
            (now.isoformat(), outcome, reason, outbox_id),
        )


def try_again(db: Database, outbox_id: int, until: datetime) -> None:
    """Telegram failed in a way that may pass: count the try and send it again at `until`."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, deliver_at = ?, claimed_at = NULL WHERE id = ?",
            (until.isoformat(), outbox_id),
        )


def postpone(db: Database, outbox_id: int, until: datetime) -> None:
    """Not now (quiet hours): send it at `until`."""
    with db.transaction() as conn:
        conn.execute("UPDATE outbox SET deliver_at = ?, claimed_at = NULL WHERE id = ?", (until.isoformat(), outbox_id))


def release(db: Database, outbox_ids: list[int]) -> None:
    """Claimed but not sent (Telegram asked to wait, or the bot stops): free them for the next run."""
    if not outbox_ids:
        return
    with db.transaction() as conn:
        conn.executemany(
            "UPDATE outbox SET claimed_at = NULL WHERE id = ? AND sent_at IS NULL",
            [(outbox_id,) for outbox_id in outbox_ids],
        )


def next_due(db: Database) -> datetime | None:
    """When the sender has something to do next: the first unclaimed row, or the first claim going stale."""
    row = db.fetchone(
        "SELECT (SELECT deliver_at FROM outbox WHERE sent_at IS NULL AND dropped_at IS NULL AND claimed_at IS NULL"
        " ORDER BY deliver_at LIMIT 1),"
        " (SELECT min(claimed_at) FROM outbox WHERE claimed_at IS NOT NULL)"
    )
    moments = [datetime.fromisoformat(row[0])] if row and row[0] else []
    if row and row[1]:
        moments.append(datetime.fromisoformat(row[1]) + STALE_CLAIM)
    return min(moments, default=None)


def clean_up(db: Database, now: datetime) -> int:
    """Delete rows past their use: expired a while ago (their key can no longer be planned again)."""
    with db.transaction() as conn:
        cursor = conn.execute(
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE expires_at < ? LIMIT ?)",
            ((now - KEEP_EXPIRED).isoformat(), CLEAN_UP_AT_ONCE),
        )
        return cursor.rowcount


def last_sent_kind(db: Database, member_id: int, kinds: tuple[str, ...]) -> str | None:
    """Of these kinds, the one last sent to this member (None: none of them was)."""
    row = db.fetchone(
        f"SELECT kind FROM outbox WHERE member_id = ? AND kind IN ({', '.join('?' for _ in kinds)})"
        " AND sent_at IS NOT NULL ORDER BY sent_at DESC, id DESC LIMIT 1",
        (member_id, *kinds),
    )
    return str(row[0]) if row else None


def sent(db: Database, kind: str | None = None) -> list[tuple[str, int | None]]:
    """(key, member id) of what was sent, in the order it went out."""
    rows = db.fetchall(
        "SELECT key, member_id FROM outbox WHERE sent_at IS NOT NULL AND (? IS NULL OR kind = ?) ORDER BY sent_at, id",
        (kind, kind),
    )
    return [(row[0], row[1]) for row in rows]


@dataclass(frozen=True)
class Kept:
    """A message for one member as the outbox keeps it, for "download my data"."""

    kind: str
    activity_title: str | None
    activity_starts_at: datetime | None
    payload: dict
    deliver_at: datetime
    expires_at: datetime | None
    sent_at: datetime | None
    dropped_at: datetime | None

    @property
    def planned(self) -> bool:
        """Still to be sent: neither sent nor dropped."""
        return self.sent_at is None and self.dropped_at is None


def _kept(row: dict) -> Kept:
    return Kept(
        kind=row["kind"],
        activity_title=row["title"],
        activity_starts_at=moment(row["starts_at"]),
        payload=json.loads(row["payload"]),
        deliver_at=datetime.fromisoformat(row["deliver_at"]),
        expires_at=moment(row["expires_at"]),
        sent_at=moment(row["sent_at"]),
        dropped_at=moment(row["dropped_at"]),
    )


# Every message the outbox keeps for a member (planned, sent or dropped), in delivery order (for "download my data").
FOR_MEMBER = rows_part(
    "SELECT o.kind, o.payload, o.deliver_at, o.expires_at, o.sent_at, o.dropped_at, a.title, a.starts_at"
    " FROM outbox o LEFT JOIN activities a ON a.id = o.activity_id WHERE o.member_id = :member"
    " ORDER BY o.deliver_at, o.id",
    ("kind", "payload", "deliver_at", "expires_at", "sent_at", "dropped_at", "title", "starts_at"),
    _kept,
)
