"""Conversations about a post (💬), relayed by the bot so neither side sees the other's Telegram account.

A member who reacts to another member's post starts a talk with its author: one
talk per post and responder (a second reaction continues it). Every message is
stored and relayed through the outbox (bot/talk_notices.py words it when it goes
out). Either side can end the talk, or block the other: a blocked member's
messages are stored as not delivered and never relayed, and they are only told
it could not be delivered. Everything a tap does is one transaction that checks
the post, the talk and the blocks as they are at that moment.
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage import outbox
from storage.db import Database, Part, Row, moment
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

MAX_MESSAGE = 1000
KEPT = timedelta(days=30)  # a message that could not go out in a month (the bot was down) is not sent late
MESSAGE, ENDED, CONTACT = "talk_message", "talk_ended", "talk_contact"  # outbox kinds (bot/talk_notices.py)


class Outcome(enum.Enum):
    SENT = "sent"
    NOT_DELIVERED = "not_delivered"  # the other side blocked the sender, or cannot get messages now
    POST_GONE = "post_gone"  # the post ended, was removed, or its author cannot be reached
    OWN_POST = "own_post"
    YOU_BLOCKED = "you_blocked"  # the sender blocked the author earlier
    ENDED = "ended"  # the conversation has ended
    NOT_YOURS = "not_yours"  # no such talk of this member (a forged or old button)


@dataclass(frozen=True)
class Talk:
    id: int
    post_id: int
    post_title: str
    post_removed: bool  # deleted by its author, hidden by an organiser, or its author left
    author_id: int | None  # None: that side deleted their account
    author_name: str | None
    author_active: bool
    responder_id: int | None
    responder_name: str | None
    responder_active: bool
    started_at: datetime
    ended_at: datetime | None
    ended_by: int | None = None  # who ended it

    def has(self, member_id: int) -> bool:
        return member_id in (self.author_id, self.responder_id)

    def other(self, member_id: int) -> int | None:
        """The other side of the conversation (None: they left)."""
        return self.responder_id if member_id == self.author_id else self.author_id

    def other_name(self, member_id: int) -> str | None:
        return self.responder_name if member_id == self.author_id else self.author_name

    def other_active(self, member_id: int) -> bool:
        return self.responder_active if member_id == self.author_id else self.author_active


@dataclass(frozen=True)
class TalkMessage:
    id: int
    talk_id: int
    sender_id: int | None
    body: str
    sent_at: datetime
    delivered: bool


@dataclass(frozen=True)
class Sent:
    outcome: Outcome
    talk: Talk | None = None
    message_id: int | None = None


@dataclass(frozen=True)
class KeptMessage:
    """One message of a conversation, for "download my data"."""

    sent_at: datetime
    mine: bool
    body: str
    delivered: bool


@dataclass(frozen=True)
class KeptTalk:
    """A conversation a member took part in, for "download my data" (the other side is not named)."""

    post_title: str
    my_post: bool
    started_at: datetime
    ended_at: datetime | None
    messages: tuple[KeptMessage, ...]


# A post deleted by its author, hidden by an organiser or whose author left takes its conversations with it;
# one that ended as helped or expired does not (the two may still need to agree on a time).
_REMOVED = "p.end_reason IN ('deleted', 'hidden', 'left')"  # a post taken away ends its conversations
_TALK = (
    f"SELECT t.*, p.title AS post_title, {_REMOVED} AS post_removed,"
    " a.first_name AS author_name, COALESCE(a.status = 'active', 0) AS author_active,"
    " r.first_name AS responder_name, COALESCE(r.status = 'active', 0) AS responder_active"
    " FROM talks t JOIN posts p ON p.id = t.post_id"
    " LEFT JOIN members a ON a.id = t.author_id LEFT JOIN members r ON r.id = t.responder_id"
)


@dataclass(frozen=True)
class Partner:
    """An active member someone talked with through 💬 (to give hours to)."""

    id: int
    first_name: str


# The other side of each of a member's talks, if still an active member; the indexes talks_author and
# talks_responder find a member's talks.
_PARTNERS = (
    "SELECT m.id, m.first_name, max(t.started_at) AS last FROM talks t"
    " JOIN members m ON m.id = CASE WHEN t.author_id = :me THEN t.responder_id ELSE t.author_id END"
    " WHERE (t.author_id = :me OR t.responder_id = :me) AND m.status = 'active' AND m.id <> :me"
)


def partners(db: Database, member_id: int, page: int) -> Page[Partner]:
    """The members this member talked with, the latest conversation first, 5 a page."""
    rows = db.fetchall(_PARTNERS + " GROUP BY m.id ORDER BY last DESC, m.id" + limit_offset(page), {"me": member_id})
    return page_of(rows, page, lambda row: Partner(row["id"], row["first_name"] or ""))


def partner(db: Database, member_id: int, other_id: int) -> Partner | None:
    """The other member, if this member talked with them (a button naming anyone else no longer works)."""
    row = db.fetchone(_PARTNERS + " AND m.id = :other GROUP BY m.id", {"me": member_id, "other": other_id})
    return Partner(row["id"], row["first_name"] or "") if row else None


def talked(conn: sqlite3.Connection, member_id: int, other_id: int) -> bool:
    """Inside a transaction: did these two talk through 💬?"""
    row = conn.execute(_PARTNERS + " AND m.id = :other", {"me": member_id, "other": other_id}).fetchone()
    return row is not None and row["id"] is not None


def _talk(row: Row) -> Talk:
    return Talk(
        id=row["id"],
        post_id=row["post_id"],
        post_title=row["post_title"],
        post_removed=bool(row["post_removed"]),
        author_id=row["author_id"],
        author_name=row["author_name"],
        author_active=bool(row["author_active"]),
        responder_id=row["responder_id"],
        responder_name=row["responder_name"],
        responder_active=bool(row["responder_active"]),
        started_at=datetime.fromisoformat(row["started_at"]),
        ended_at=moment(row["ended_at"]),
        ended_by=row["ended_by"],
    )


def _message(row: Row) -> TalkMessage:
    return TalkMessage(
        id=row["id"],
        talk_id=row["talk_id"],
        sender_id=row["sender_id"],
        body=row["body"],
        sent_at=datetime.fromisoformat(row["sent_at"]),
        delivered=bool(row["delivered"]),
    )


def _get(conn: sqlite3.Connection, talk_id: int) -> Talk | None:
    row = conn.execute(_TALK + " WHERE t.id = ?", (talk_id,)).fetchone()
    return _talk(row) if row else None


def get(db: Database, talk_id: int) -> Talk | None:
    row = db.fetchone(_TALK + " WHERE t.id = ?", (talk_id,))
    return _talk(row) if row else None


def of_member(db: Database, member_id: int, page: int, post_id: int | None = None) -> Page[Talk]:
    """A member's conversations, both sides (or those about one post): the open ones first (not ended, its
    post not taken away), the newest first, 5 a page."""
    about = " AND t.post_id = :post" if post_id else ""
    rows = db.fetchall(
        _TALK
        + " WHERE (t.author_id = :me OR t.responder_id = :me)"
        + about
        + f" ORDER BY t.ended_at IS NOT NULL OR {_REMOVED}, t.started_at DESC, t.id DESC"
        + limit_offset(page),
        {"me": member_id, "post": post_id},
    )
    return page_of(rows, page, _talk)


def get_message(db: Database, message_id: int) -> TalkMessage | None:
    row = db.fetchone("SELECT * FROM talk_messages WHERE id = ?", (message_id,))
    return _message(row) if row else None


def _blocked(conn: sqlite3.Connection, member_id: int, blocked_id: int) -> bool:
    """Did `member_id` block `blocked_id`?"""
    return bool(
        conn.execute("SELECT 1 FROM blocks WHERE member_id = ? AND blocked_id = ?", (member_id, blocked_id)).fetchone()
    )


def blocked(db: Database, member_id: int, blocked_id: int) -> bool:
    row = db.fetchone("SELECT 1 FROM blocks WHERE member_id = ? AND blocked_id = ?", (member_id, blocked_id))
    return row is not None


def _store(
    conn: sqlite3.Connection, talk: Talk, sender_id: int, body: str, now: datetime, *, delivered: bool, first: bool
) -> int:
    """Store a message; relay it to the other side (outbox) when it may be delivered."""
    message_id = conn.execute(
        "INSERT INTO talk_messages (talk_id, sender_id, body, sent_at, delivered) VALUES (?, ?, ?, ?, ?)",
        (talk.id, sender_id, body, now.isoformat(), int(delivered)),
    ).lastrowid
    assert message_id is not None
    if delivered:
        payload = {"message": message_id, **({"reaction": 1} if first else {})}
        outbox.add(
            conn,
            [
                Message(
                    key=f"{MESSAGE}:{message_id}",
                    kind=MESSAGE,
                    member_id=talk.other(sender_id),
                    activity_id=None,
                    deliver_at=now,
                    expires_at=now + KEPT,
                    payload=payload,
                    post_id=talk.post_id,
                    talk_id=talk.id,
                )
            ],
        )
    return message_id


_POST = (
    "SELECT p.member_id, p.ended_at, p.ends_at, m.status,"
    " EXISTS (SELECT 1 FROM blocks b WHERE b.member_id = ? AND b.blocked_id = p.member_id) AS you_blocked"
    " FROM posts p LEFT JOIN members m ON m.id = p.member_id WHERE p.id = ?"
)


def _may_react(row: Row | None, member_id: int, now: datetime) -> Outcome:
    """A post is live when it has not ended and its author is an active member; never one's own."""
    if row is None or row["ended_at"] is not None or row["ends_at"] <= now.isoformat() or row["status"] != "active":
        return Outcome.POST_GONE
    if row["member_id"] == member_id:
        return Outcome.OWN_POST
    if row["you_blocked"]:
        return Outcome.YOU_BLOCKED
    return Outcome.SENT


def react(db: Database, post_id: int, responder_id: int, body: str, now: datetime) -> Sent:
    """💬 React: a message to the author of a live post; the first one starts the talk and counts as a reaction.

    When the author blocked the responder, the message is kept as not delivered and the talk stays ended."""
    with db.transaction() as conn:
        row = conn.execute(_POST, (responder_id, post_id)).fetchone()
        outcome = _may_react(row, responder_id, now)
        if outcome is not Outcome.SENT:
            return Sent(outcome)
        author_id = row["member_id"]
        shut_out = _blocked(conn, author_id, responder_id)
        ended = (now.isoformat(), author_id) if shut_out else (None, None)
        started = conn.execute(
            "INSERT INTO talks (post_id, author_id, responder_id, started_at, ended_at, ended_by)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (post_id, responder_id) DO NOTHING",
            (post_id, author_id, responder_id, now.isoformat(), *ended),
        ).rowcount
        if started and not shut_out:
            conn.execute("UPDATE posts SET reactions = reactions + 1 WHERE id = ?", (post_id,))
        talk_id = conn.execute(
            "SELECT id FROM talks WHERE post_id = ? AND responder_id = ?", (post_id, responder_id)
        ).fetchone()[0]
        if not shut_out:  # reacting again continues the same talk, also after it was ended
            conn.execute("UPDATE talks SET ended_at = NULL, ended_by = NULL WHERE id = ?", (talk_id,))
        talk = _get(conn, talk_id)
        assert talk is not None
        message_id = _store(conn, talk, responder_id, body, now, delivered=not shut_out, first=True)
        return Sent(Outcome.NOT_DELIVERED if shut_out else Outcome.SENT, talk, message_id)


def _open(talk: Talk | None, member_id: int) -> Outcome:
    """SENT while this member may write in the talk; otherwise why not."""
    if talk is None or not talk.has(member_id):
        return Outcome.NOT_YOURS
    if talk.post_removed:
        return Outcome.POST_GONE
    if talk.ended_at is not None or talk.other(member_id) is None:
        return Outcome.ENDED
    return Outcome.SENT


def _checked(talk: Talk | None, member_id: int) -> tuple[Outcome, Talk | None]:
    """Why this member may (not) write in the talk, with the talk only when it is theirs."""
    outcome = _open(talk, member_id)
    return outcome, None if outcome is Outcome.NOT_YOURS else talk


def may_write(db: Database, talk_id: int, member_id: int) -> tuple[Outcome, Talk | None]:
    """Before asking for an answer (↩️ Reply): SENT with the talk when this member may write in it."""
    return _checked(get(db, talk_id), member_id)


def reply(db: Database, talk_id: int, sender_id: int, body: str, now: datetime) -> Sent:
    """↩️ Reply, from either side, in an open talk about a post that was not removed.

    Not delivered (kept with delivered = 0) when the other side blocked the sender or is not an active member."""
    with db.transaction() as conn:
        outcome, talk = _checked(_get(conn, talk_id), sender_id)
        if outcome is not Outcome.SENT or talk is None:
            return Sent(outcome, talk)
        other = talk.other(sender_id)
        assert other is not None
        deliverable = talk.other_active(sender_id) and not _blocked(conn, other, sender_id)
        message_id = _store(conn, talk, sender_id, body, now, delivered=deliverable, first=False)
        return Sent(Outcome.SENT if deliverable else Outcome.NOT_DELIVERED, talk, message_id)


def _tell_ended(conn: sqlite3.Connection, talk: Talk, member_id: int, now: datetime, *, left: bool) -> None:
    """The other side hears that the conversation ended (never that they were blocked)."""
    other = talk.other(member_id)
    if other is None:
        return
    outbox.add(
        conn,
        [
            Message(
                key=f"{ENDED}:{talk.id}:{now.isoformat()}",
                kind=ENDED,
                member_id=other,
                activity_id=None,
                deliver_at=now,
                expires_at=now + KEPT,
                payload={"talk": talk.id, **({"left": 1} if left else {})},
                post_id=talk.post_id,
                talk_id=talk.id,
            )
        ],
    )


def end(
    db: Database, talk_id: int, member_id: int, now: datetime, *, block: bool = False
) -> tuple[Outcome, Talk | None]:
    """✋ End the conversation, or 🚫 block the other side (which ends it too); the other side is told it ended.

    ENDED when it had ended already (a double tap), unless this tap blocked the other side just now."""
    with db.transaction() as conn:
        talk = _get(conn, talk_id)
        if talk is None or not talk.has(member_id):
            return Outcome.NOT_YOURS, None
        other = talk.other(member_id)
        blocked_now = (
            block
            and other is not None
            and conn.execute(
                "INSERT OR IGNORE INTO blocks (member_id, blocked_id, at) VALUES (?, ?, ?)",
                (member_id, other, now.isoformat()),
            ).rowcount
            == 1
        )
        changed = conn.execute(
            "UPDATE talks SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL",
            (now.isoformat(), member_id, talk_id),
        ).rowcount
        if changed:
            _tell_ended(conn, talk, member_id, now, left=False)
        return (Outcome.SENT if changed or blocked_now else Outcome.ENDED), talk


def share_contact(db: Database, talk_id: int, member_id: int, now: datetime) -> tuple[Outcome, Talk | None]:
    """📱 Share my contact: the other side gets a link to this member's Telegram account (bot/talk_notices.py
    makes it when it goes out, from the account the bot knows; nothing more is stored). Once per talk."""
    with db.transaction() as conn:
        outcome, talk = _checked(_get(conn, talk_id), member_id)
        if outcome is not Outcome.SENT or talk is None:
            return outcome, talk
        other = talk.other(member_id)
        assert other is not None
        if not talk.other_active(member_id) or _blocked(conn, other, member_id):
            return Outcome.NOT_DELIVERED, talk
        outbox.add(
            conn,
            [
                Message(
                    key=f"{CONTACT}:{talk.id}:{member_id}",
                    kind=CONTACT,
                    member_id=other,
                    activity_id=None,
                    deliver_at=now,
                    expires_at=now + KEPT,
                    payload={"talk": talk.id, "member": member_id},
                    post_id=talk.post_id,
                    talk_id=talk.id,
                )
            ],
        )
        return Outcome.SENT, talk


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the transaction that deletes an account: their open talks end and the other side is told they
    left; their messages are deleted (not kept empty: an empty message tells nobody anything, and a report
    about one keeps its own copy, see storage/reports.py); blocks by and of them go; the talks stay, without
    them, so the other side keeps their own words and the reaction counts stay right."""
    ended = conn.execute(
        _TALK + " WHERE t.ended_at IS NULL AND (t.author_id = ? OR t.responder_id = ?)", (member_id, member_id)
    ).fetchall()
    for row in ended:
        _tell_ended(conn, _talk(row), member_id, now, left=True)
    conn.execute(
        "UPDATE talks SET ended_at = ? WHERE ended_at IS NULL AND (author_id = ? OR responder_id = ?)",
        (now.isoformat(), member_id, member_id),
    )
    conn.execute("DELETE FROM talk_messages WHERE sender_id = ?", (member_id,))
    conn.execute("UPDATE talks SET author_id = NULL WHERE author_id = ?", (member_id,))
    conn.execute("UPDATE talks SET responder_id = NULL WHERE responder_id = ?", (member_id,))
    conn.execute("DELETE FROM blocks WHERE member_id = ? OR blocked_id = ?", (member_id, member_id))


def _kept_talk(item: dict) -> KeptTalk:
    return KeptTalk(
        post_title=item["title"],
        my_post=bool(item["my_post"]),
        started_at=datetime.fromisoformat(item["started_at"]),
        ended_at=moment(item["ended_at"]),
        messages=tuple(
            KeptMessage(
                sent_at=datetime.fromisoformat(m["sent_at"]),
                mine=bool(m["mine"]),
                body=m["body"],
                delivered=bool(m["delivered"]),
            )
            for m in item["messages"]
        ),
    )


# Every conversation of a member with its messages both ways, oldest first (for "download my data").
OF_MEMBER = Part(
    "SELECT json_group_array(json(item)) FROM (SELECT json_object('title', p.title,"
    " 'my_post', t.author_id IS :member, 'started_at', t.started_at, 'ended_at', t.ended_at,"
    " 'messages', json((SELECT json_group_array(json(message)) FROM (SELECT json_object('sent_at', m.sent_at,"
    "  'mine', m.sender_id IS :member, 'body', m.body, 'delivered', m.delivered) AS message"
    "  FROM talk_messages m WHERE m.talk_id = t.id ORDER BY m.id)))) AS item"
    " FROM talks t JOIN posts p ON p.id = t.post_id WHERE t.author_id = :member OR t.responder_id = :member"
    " ORDER BY t.started_at, t.id)",
    lambda items: [_kept_talk(item) for item in items],
)
