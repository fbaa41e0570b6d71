"""Announcements: an organiser's message to many members, in their language, each member once.

An announcement is stored with its audience (who gets it) and a recipient cursor. Its recipients are
not written when the organiser taps ✅ but by `write_recipients`, which the outbox sender calls at the
start of every pass and the scheduler every minute: RECIPIENT_BATCH members a transaction, by member id,
each member written to the outbox (kind ANNOUNCEMENT or URGENT, key "announcement:<id>:<member>") and to
announcement_deliveries in the transaction that moves the cursor. So the tap stays fast, sending starts
at once, a restart goes on where the cursor stands, and the unique keys make sure nobody gets it twice
and nobody is skipped. The recipients are chosen at its send_at moment (🕗 Later: who is a member then);
a non-urgent announcement is not written during quiet hours (it waits for the morning) and not to members
who paused messages (the sender also drops it for someone who paused since).

How each message went is kept on its delivery row (the outbox's triggers write it in the transaction
that marks the outbox row), and the counts on the announcement are kept by triggers too: the progress
and the report read them, never count rows.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from storage.db import Database, Row, moment, rows_part
from storage.paging import Page, limit_offset, page_of
from storage.roles import ORGANISER, SERVICES

ANNOUNCEMENT = "announcement"  # an outbox row of an ordinary announcement: not for members who paused
URGENT = "urgent_announcement"  # 🚨: also at night and also to members who paused
KINDS = (ANNOUNCEMENT, URGENT)
EXPIRES = timedelta(days=14)  # 📌 Announcements shows it this long; what was not sent by then is dropped
EDITABLE = timedelta(hours=48)  # Telegram lets a bot edit or delete its message this long
CURRENT = 5  # 📌 Announcements shows the last 5
# Recipients are written RECIPIENT_BATCH candidates a transaction (~1.5 ms on the loop at 100 000 members),
# at most RECIPIENT_BATCHES a call (~7 ms): 1 200 candidates a sender pass, which sends 30 messages, so writing
# stays far ahead of sending and never holds a member's tap long.
RECIPIENT_BATCH = 300
RECIPIENT_BATCHES = 4
DROP_BATCH = 500  # unsent messages of a withdrawn announcement dropped a transaction (~3 ms)
AUDIENCES = ("everyone", "neighbourhood", "interest", "role", "activity", "language")
ROLES = ("zzp", ORGANISER)
WAITING, SENT, UNREACHABLE, FAILED, SKIPPED = "waiting", "sent", "unreachable", "failed", "skipped"
_NO_MEMBER_AFTER = 2**63 - 1


@dataclass(frozen=True)
class Audience:
    """Who gets it: everyone, or the members of one neighbourhood (value None: "other"), with an interest,
    with a role ("zzp" or "organiser"), coming to or waiting for an activity (its id), or with a language."""

    kind: str
    value: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in AUDIENCES or (self.kind == "role" and self.value not in ROLES):
            raise ValueError(f"no such audience: {self}")


@dataclass(frozen=True)
class Announcement:
    id: int
    created_by: int | None
    audience: Audience
    texts: dict[str, str] = field(hash=False)  # language -> text
    original_language: str
    photo: str | None
    confirm: bool
    urgent: bool
    send_at: datetime
    created_at: datetime
    expires_at: datetime
    withdrawn_at: datetime | None
    corrected_at: datetime | None
    total: int  # recipients written so far
    sent: int
    unreachable: int
    failed: int
    skipped: int  # withdrawn before it went, paused or left meanwhile, too late
    confirmed: int
    waiting: int
    writing: bool  # recipients are still being written (total may grow)
    progress_chat_id: int | None
    progress_message_id: int | None
    reported_at: datetime | None

    @property
    def done(self) -> int:
        """Recipients whose message is settled: sent, not reachable, failed or skipped."""
        return self.total - self.waiting

    @property
    def finished(self) -> bool:
        """Every recipient is written and settled (the final report can be shown)."""
        return not self.writing and self.waiting == 0

    def text_for(self, language: str) -> str:
        """The text in this language, or else the original."""
        return self.texts.get(language, self.texts[self.original_language])


@dataclass(frozen=True)
class Delivered:
    """A message that reached a member and can still be edited or deleted."""

    member_id: int
    chat_id: int
    message_id: int
    language: str  # of the text they got
    sent_at: datetime
    member_language: str | None = None  # of the bot for them (its heading and buttons)
    confirmed: bool = False  # they tapped ✅ Understood already (an edit leaves the button out)


@dataclass(frozen=True)
class Unconfirmed:
    member_id: int
    first_name: str | None
    member_no: int | None


_SELECT = (
    "SELECT a.*, (SELECT json_group_object(language, text) FROM announcement_texts t"
    " WHERE t.announcement_id = a.id) AS texts FROM announcements a"
)


def _announcement(row: Row) -> Announcement:
    return Announcement(
        id=row["id"],
        created_by=row["created_by"],
        audience=Audience(row["audience_kind"], row["audience_value"]),
        texts=json.loads(row["texts"]),
        original_language=row["original_language"],
        photo=row["photo"],
        confirm=bool(row["confirm"]),
        urgent=bool(row["urgent"]),
        send_at=datetime.fromisoformat(row["send_at"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        expires_at=datetime.fromisoformat(row["expires_at"]),
        withdrawn_at=moment(row["withdrawn_at"]),
        corrected_at=moment(row["corrected_at"]),
        total=row["total"],
        sent=row["sent"],
        unreachable=row["unreachable"],
        failed=row["failed"],
        skipped=row["skipped"],
        confirmed=row["confirmed"],
        waiting=row["waiting"],
        writing=row["recipient_cursor"] is not None,
        progress_chat_id=row["progress_chat_id"],
        progress_message_id=row["progress_message_id"],
        reported_at=moment(row["reported_at"]),
    )


# --- who gets it -------------------------------------------------------------------------------------------

# Candidates in member id order, through an index: every member, an activity's lists, or the organisers.
_CANDIDATES = {
    "activity": "SELECT member_id AS id FROM rsvps WHERE activity_id = :value AND member_id > :after",
    "organiser": "SELECT member_id AS id FROM member_roles WHERE role = 'organiser' AND member_id > :after",
}
_ALL_MEMBERS = "SELECT id FROM members WHERE id > :after"
# Who gets it, of the candidates: reachable active members who fit the audience.
_FITS = {
    "everyone": "1",
    "neighbourhood": "m.neighbourhood IS :value",
    "interest": "instr(' ' || m.interests || ' ', ' ' || :value || ' ') > 0",
    "zzp": f"instr(' ' || m.interests || ' ', ' {SERVICES} ') > 0 AND m.business_name IS NOT NULL",
    "organiser": "1",  # the candidates are the organisers
    "activity": "1",  # the candidates are on its lists
    "language": "m.language = :value",
}
_REACHABLE = (
    "m.status = 'active' AND m.telegram_id IS NOT NULL AND m.unreachable_since IS NULL AND (:urgent OR m.paused = 0)"
)


def _key(audience: Audience) -> str:
    return audience.value if audience.kind == "role" and audience.value else audience.kind


def _candidates(audience: Audience) -> str:
    return _CANDIDATES.get(_key(audience), _ALL_MEMBERS)


def _params(audience: Audience, urgent: bool) -> dict[str, object]:
    value: object = audience.value
    if audience.kind == "activity":
        value = int(audience.value or 0)
    return {"value": value, "urgent": int(urgent)}


def _recipients(audience: Audience) -> str:
    """The members with an id in (:after, :upto] who get it."""
    return (
        f"SELECT m.id, m.telegram_id, m.language FROM ({_candidates(audience)}) AS c"
        f" CROSS JOIN members m ON m.id = c.id WHERE c.id <= :upto AND {_REACHABLE} AND {_FITS[_key(audience)]}"
    )


def _count_sql(audience: Audience, urgent: bool) -> tuple[str, dict[str, object]]:
    return f"SELECT count(*) FROM ({_recipients(audience)})", {
        **_params(audience, urgent),
        "after": -1,
        "upto": _NO_MEMBER_AFTER,
    }


def count(db: Database, audience: Audience, *, urgent: bool = False) -> int:
    """How many would get it now: active members with Telegram, not unreachable, who fit the audience
    (and, unless it is urgent, did not pause messages). On the loop: 10-20 ms at 100 000 members; a tap
    should rather `await reach(...)`."""
    row = db.fetchone(*_count_sql(audience, urgent))
    return int(row[0]) if row else 0


async def reach(db: Database, audience: Audience, *, urgent: bool = False) -> int:
    """count(), read in the reader's thread: the loop goes on meanwhile (it reads all members)."""
    rows = await db.read(*_count_sql(audience, urgent))
    return int(rows[0][0])


# --- writing and reading -------------------------------------------------------------------------------------


def create(
    db: Database,
    *,
    organiser_id: int,
    audience: Audience,
    texts: dict[str, str],
    original_language: str,
    photo: str | None,
    confirm: bool,
    urgent: bool,
    send_at: datetime,
    now: datetime,
) -> Announcement:
    """Store an announcement; its recipients are written from send_at on (write_recipients)."""
    if original_language not in texts:
        raise ValueError("the original text is missing")
    send_at = max(send_at, now)
    with db.transaction() as conn:
        announcement_id = conn.execute(
            "INSERT INTO announcements (created_by, audience_kind, audience_value, original_language, photo, confirm,"
            " urgent, created_at, send_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                organiser_id,
                audience.kind,
                audience.value,
                original_language,
                photo,
                int(confirm),
                int(urgent),
                now.isoformat(),
                send_at.isoformat(),
                (send_at + EXPIRES).isoformat(),
            ),
        ).fetchone()[0]
        conn.executemany(
            "INSERT INTO announcement_texts (announcement_id, language, text, original) VALUES (?, ?, ?, ?)",
            [(announcement_id, language, text, int(language == original_language)) for language, text in texts.items()],
        )
        return _announcement(conn.execute(_SELECT + " WHERE a.id = ?", (announcement_id,)).fetchone())


def get(db: Database, announcement_id: int) -> Announcement | None:
    row = db.fetchone(_SELECT + " WHERE a.id = ?", (announcement_id,))
    return _announcement(row) if row else None


def page(db: Database, number: int) -> Page[Announcement]:
    """Past and planned announcements, newest first."""
    return page_of(db.fetchall(_SELECT + " ORDER BY a.id DESC" + limit_offset(number)), number, _announcement)


def write_recipients(
    db: Database, now: datetime, *, quiet: bool, batch: int | None = None, batches: int | None = None
) -> int:
    """Write the recipients of announcements whose moment came (oldest first) to the outbox and their
    delivery rows, RECIPIENT_BATCH candidates a transaction, at most RECIPIENT_BATCHES transactions;
    returns how many were written. During quiet hours (`quiet`) only urgent ones are written: the others
    wait for the morning. The cursor moves in the transaction that writes, so a restart goes on there."""
    batch = batch or RECIPIENT_BATCH
    written = 0
    for _ in range(batches or RECIPIENT_BATCHES):
        with db.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM announcements WHERE recipient_cursor IS NOT NULL AND send_at <= ?"
                " AND (urgent = 1 OR NOT ?) ORDER BY send_at, id LIMIT 1",  # the partial index announcements_writing
                (now.isoformat(), int(quiet)),
            ).fetchone()
            if row is None:
                break
            audience = Audience(row["audience_kind"], row["audience_value"])
            params = {**_params(audience, bool(row["urgent"])), "after": row["recipient_cursor"]}
            ahead = conn.execute(
                f"SELECT c.id FROM ({_candidates(audience)}) AS c ORDER BY c.id LIMIT 2 OFFSET :skip",
                {**params, "skip": batch - 1},
            ).fetchall()
            upto = ahead[0][0] if ahead else _NO_MEMBER_AFTER
            written += _write_range(conn, row, audience, {**params, "upto": upto}, now)
            # The first batch is when it really goes out (after the night, or when the bot is back): from then
            # on count the 48 hours for corrections and the 3 days for who did not confirm, and show that time.
            conn.execute(
                "UPDATE announcements SET recipient_cursor = ?,"
                " send_at = CASE WHEN recipient_cursor = 0 THEN max(send_at, ?) ELSE send_at END WHERE id = ?",
                (upto if len(ahead) == 2 else None, now.isoformat(), row["id"]),
            )
    return written


def _write_range(conn: sqlite3.Connection, row: Row, audience: Audience, params: dict, now: datetime) -> int:
    """Inside a transaction: the delivery rows and outbox rows of the recipients with an id in (after, upto]."""
    announcement_id = row["id"]
    written = conn.execute(
        "INSERT OR IGNORE INTO announcement_deliveries (announcement_id, member_id, language, chat_id)"
        " SELECT :announcement, r.id, coalesce((SELECT t.language FROM announcement_texts t"
        "  WHERE t.announcement_id = :announcement AND t.language = r.language), :original), r.telegram_id"
        f" FROM ({_recipients(audience)}) AS r",
        {**params, "announcement": announcement_id, "original": row["original_language"]},
    ).rowcount
    conn.execute(
        "INSERT OR IGNORE INTO outbox (key, kind, member_id, announcement_id, payload, deliver_at, expires_at)"
        " SELECT printf('announcement:%d:%d', d.announcement_id, d.member_id), :kind, d.member_id,"
        " d.announcement_id, json_object('announcement', d.announcement_id), :now, :expires"
        " FROM announcement_deliveries d WHERE d.announcement_id = :announcement"
        " AND d.member_id > :after AND d.member_id <= :upto AND d.status = 'waiting'",
        {
            "announcement": announcement_id,
            "kind": URGENT if row["urgent"] else ANNOUNCEMENT,
            "now": now.isoformat(),
            "expires": row["expires_at"],
            "after": params["after"],
            "upto": params["upto"],
        },
    )
    return written


def next_send_at(db: Database, now: datetime) -> datetime | None:
    """When recipients are next to be written: the first announcement planned for after `now`."""
    row = db.fetchone(
        "SELECT send_at FROM announcements WHERE recipient_cursor IS NOT NULL AND send_at > ? ORDER BY send_at LIMIT 1",
        (now.isoformat(),),
    )
    return datetime.fromisoformat(row[0]) if row else None


def to_write(db: Database, now: datetime, *, quiet: bool) -> bool:
    """Are recipients left to write now (write_recipients stopped after its batches)?"""
    return (
        db.fetchone(
            "SELECT 1 FROM announcements WHERE recipient_cursor IS NOT NULL AND send_at <= ? AND (urgent = 1 OR NOT ?)"
            " LIMIT 1",
            (now.isoformat(), int(quiet)),
        )
        is not None
    )


@dataclass(frozen=True)
class ToSend:
    """One member's message, as the sender composes it."""

    announcement: Announcement
    language: str  # of the text they get
    member_language: str  # of the bot for them
    chat_id: int


def to_send(db: Database, announcement_id: int, member_id: int) -> ToSend | None:
    """What goes to this member now: None when it was withdrawn or they are no longer an active member."""
    row = db.fetchone(
        "SELECT d.language, m.language, m.telegram_id"
        " FROM announcement_deliveries d JOIN members m ON m.id = d.member_id"
        " WHERE d.announcement_id = ? AND d.member_id = ? AND m.status = 'active' AND m.telegram_id IS NOT NULL",
        (announcement_id, member_id),
    )
    announcement = get(db, announcement_id) if row else None
    if row is None or announcement is None or announcement.withdrawn_at is not None:
        return None
    return ToSend(announcement, row[0], row[1], row[2])


def set_progress_message(db: Database, announcement_id: int, chat_id: int, message_id: int) -> None:
    """The organiser's message that shows the progress and, at the end, the report."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE announcements SET progress_chat_id = ?, progress_message_id = ? WHERE id = ?",
            (chat_id, message_id, announcement_id),
        )


def reporting(db: Database) -> list[tuple[Announcement, str | None]]:
    """Announcements whose progress message still waits for its final report, with the language of the
    organiser who wrote it."""
    rows = db.fetchall(
        "SELECT a.*, (SELECT json_group_object(language, text) FROM announcement_texts t"
        " WHERE t.announcement_id = a.id) AS texts, o.language AS organiser_language"
        " FROM announcements a LEFT JOIN members o ON o.id = a.created_by"
        " WHERE a.reported_at IS NULL AND a.progress_message_id IS NOT NULL ORDER BY a.id"  # announcements_reporting
    )
    return [(_announcement(row), row["organiser_language"]) for row in rows]


def mark_reported(db: Database, announcement_id: int, now: datetime) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE announcements SET reported_at = ? WHERE id = ?", (now.isoformat(), announcement_id))


def failures(db: Database, announcement_id: int) -> list[tuple[str, int]]:
    """Why messages failed, each reason with how many, most first (for the report)."""
    rows = db.fetchall(
        "SELECT coalesce(reason, ''), count(*) AS n FROM announcement_deliveries"
        " WHERE announcement_id = ? AND status = 'failed' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 5",
        (announcement_id,),
    )
    return [(row[0], row[1]) for row in rows]


# --- correcting and withdrawing -------------------------------------------------------------------------------


def _delivered(conn: sqlite3.Connection, announcement_id: int, now: datetime, language: str | None) -> list[Delivered]:
    rows = conn.execute(
        "SELECT d.member_id, d.chat_id, d.message_id, d.language, d.sent_at, m.language, d.confirmed_at IS NOT NULL"
        " FROM announcement_deliveries d JOIN members m ON m.id = d.member_id"
        " WHERE d.announcement_id = ? AND d.status = 'sent' AND d.message_id IS NOT NULL AND d.chat_id IS NOT NULL"
        " AND d.sent_at > ? AND (? IS NULL OR d.language = ?) ORDER BY d.member_id",
        (announcement_id, (now - EDITABLE).isoformat(), language, language),
    ).fetchall()
    return [Delivered(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4]), r[5], bool(r[6])) for r in rows]


def correct(db: Database, announcement_id: int, language: str, text: str, now: datetime) -> list[Delivered]:
    """Replace the text in one language (or add it); the messages in that language that can still be edited
    (sent less than 48 hours ago) are returned, for the bot to edit. What is not sent yet goes out corrected."""
    with db.transaction() as conn:
        updated = conn.execute(
            "UPDATE announcements SET corrected_at = ? WHERE id = ? AND withdrawn_at IS NULL",
            (now.isoformat(), announcement_id),
        ).rowcount
        if not updated:
            return []
        conn.execute(
            "INSERT INTO announcement_texts (announcement_id, language, text) VALUES (?, ?, ?)"
            " ON CONFLICT (announcement_id, language) DO UPDATE SET text = excluded.text",
            (announcement_id, language, text),
        )
        return _delivered(conn, announcement_id, now, language)


def withdraw(db: Database, announcement_id: int, now: datetime, *, batch: int = DROP_BATCH) -> list[Delivered]:
    """Stop it: no more recipients are written, 📌 no longer shows it, and what was not sent is dropped (the
    first DROP_BATCH now, the rest by drop_withdrawn, so a big audience never holds the loop). The messages
    that can still be deleted (sent less than 48 hours ago) are returned, for the bot to delete. A second
    tap returns nothing."""
    with db.transaction() as conn:
        updated = conn.execute(
            "UPDATE announcements SET withdrawn_at = ?, recipient_cursor = NULL WHERE id = ? AND withdrawn_at IS NULL",
            (now.isoformat(), announcement_id),
        ).rowcount
        if not updated:
            return []
        _drop_unsent(conn, announcement_id, now, batch)
        return _delivered(conn, announcement_id, now, None)


def _drop_unsent(conn: sqlite3.Connection, announcement_id: int, now: datetime, limit: int) -> int:
    """Inside a transaction: drop up to `limit` unsent messages of a withdrawn announcement; how many."""
    return conn.execute(
        "UPDATE outbox SET dropped_at = ?, reason = 'withdrawn', claimed_at = NULL WHERE id IN (SELECT id FROM outbox"
        " WHERE announcement_id = ? AND sent_at IS NULL AND dropped_at IS NULL LIMIT ?)",  # outbox_announcement_unsent
        (now.isoformat(), announcement_id, limit),
    ).rowcount


def drop_withdrawn(db: Database, now: datetime, *, batch: int = DROP_BATCH, batches: int = RECIPIENT_BATCHES) -> int:
    """Drop what withdrawn announcements still had to send, DROP_BATCH a transaction (the sender, each pass)."""
    dropped = 0
    for _ in range(batches):
        row = db.fetchone(  # the partial index announcements_dropping
            "SELECT id FROM announcements WHERE withdrawn_at IS NOT NULL AND waiting > 0 LIMIT 1"
        )
        if row is None:
            break
        with db.transaction() as conn:
            done = _drop_unsent(conn, row[0], now, batch)
        dropped += done
        if not done:
            break
    return dropped


# --- the member's side ----------------------------------------------------------------------------------------


def delivered_message(db: Database, announcement_id: int, member_id: int) -> int | None:
    """The Telegram message id of the announcement in this member's chat, if it reached them."""
    row = db.fetchone(
        "SELECT message_id FROM announcement_deliveries WHERE announcement_id = ? AND member_id = ?",
        (announcement_id, member_id),
    )
    return row[0] if row else None


def confirm(db: Database, announcement_id: int, member_id: int, now: datetime) -> bool:
    """✅ Understood: recorded once. True when the member got this announcement (with the button) and it
    was not withdrawn, whether they confirm now or did before; False for anyone else (a stale button)."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT d.confirmed_at FROM announcement_deliveries d JOIN announcements a ON a.id = d.announcement_id"
            " WHERE d.announcement_id = ? AND d.member_id = ? AND d.status = 'sent' AND a.confirm = 1"
            " AND a.withdrawn_at IS NULL",
            (announcement_id, member_id),
        ).fetchone()
        if row is None:
            return False
        if row[0] is None:
            conn.execute(
                "UPDATE announcement_deliveries SET confirmed_at = ? WHERE announcement_id = ? AND member_id = ?",
                (now.isoformat(), announcement_id, member_id),
            )
        return True


def unconfirmed(db: Database, announcement_id: int, number: int) -> Page[Unconfirmed]:
    """Active members who got it and did not tap ✅ Understood, by member number (for organisers)."""
    rows = db.fetchall(
        "SELECT m.id, m.first_name, m.member_no, count(*) OVER () AS total FROM announcement_deliveries d"
        " JOIN members m ON m.id = d.member_id WHERE d.announcement_id = ? AND d.status = 'sent'"
        " AND d.confirmed_at IS NULL AND m.status = 'active' ORDER BY m.member_no, m.id" + limit_offset(number),
        (announcement_id,),
    )
    return page_of(rows, number, lambda row: Unconfirmed(row[0], row[1], row[2]), counted=True)


@dataclass(frozen=True)
class Current:
    """An announcement as 📌 Announcements shows it to one member."""

    announcement: Announcement
    language: str  # the text they got
    sent_at: datetime
    confirmed: bool


def current_for_member(db: Database, member_id: int, now: datetime) -> list[Announcement]:
    """The last CURRENT announcements that reached this member, not expired and not withdrawn, newest first."""
    return [item.announcement for item in current(db, member_id, now)]


def current(db: Database, member_id: int, now: datetime) -> list[Current]:
    """As current_for_member, with the language they got it in and whether they confirmed."""
    rows = db.fetchall(
        "SELECT a.*, (SELECT json_group_object(language, text) FROM announcement_texts t"
        " WHERE t.announcement_id = a.id) AS texts, d.language AS got_language, d.sent_at AS got_at,"
        " d.confirmed_at AS got_confirmed"
        " FROM announcement_deliveries d JOIN announcements a ON a.id = d.announcement_id"
        " WHERE d.member_id = ? AND d.status = 'sent' AND a.withdrawn_at IS NULL AND a.expires_at > ?"
        " ORDER BY d.announcement_id DESC LIMIT ?",  # the index announcement_deliveries_member
        (member_id, now.isoformat(), CURRENT),
    )
    return [
        Current(_announcement(r), r["got_language"], datetime.fromisoformat(r["got_at"]), bool(r["got_confirmed"]))
        for r in rows
    ]


# --- forgetting and "download my data" ------------------------------------------------------------------------


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the transaction that deletes an account: what is not sent yet is skipped, and where their
    messages are (their Telegram chat) is forgotten. The rows stay on the anonymous member, so the
    counts of past announcements stay right."""
    conn.execute(
        "UPDATE announcement_deliveries SET status = 'skipped', reason = 'left'"
        " WHERE member_id = ? AND status = 'waiting'",
        (member_id,),
    )
    conn.execute(
        "UPDATE announcement_deliveries SET chat_id = NULL, message_id = NULL WHERE member_id = ?", (member_id,)
    )


@dataclass(frozen=True)
class Received:
    """An announcement as a member's data keeps it."""

    text: str
    status: str
    sent_at: datetime | None
    confirmed_at: datetime | None


# The announcements sent or planned for a member, oldest first, in the language they get it in.
OF_MEMBER = rows_part(
    "SELECT t.text, d.status, d.sent_at, d.confirmed_at FROM announcement_deliveries d"
    " JOIN announcement_texts t ON t.announcement_id = d.announcement_id AND t.language = d.language"
    " WHERE d.member_id = :member ORDER BY d.announcement_id",
    ("text", "status", "sent_at", "confirmed_at"),
    lambda row: Received(row["text"], row["status"], moment(row["sent_at"]), moment(row["confirmed_at"])),
)
