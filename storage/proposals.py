"""Members' proposals: an idea goes to the organisers, who put it to a vote, ask a question or decline it.

Every organiser gets the proposal (outbox); the first decision counts, later
taps on an old card are told it was decided. The member hears the decision.
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage import outbox
from storage.db import Database, Row, rows_part
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

PENDING, ASKED, DECLINED, VOTING = "pending", "asked", "declined", "voting"
KEPT = timedelta(days=30)  # messages about a proposal not sent by then (the bot was down) are not sent late


@dataclass(frozen=True)
class Proposal:
    id: int
    member_id: int | None  # None: the account was deleted
    member_name: str | None
    title: str
    body: str
    reason: str
    status: str
    answer: str | None  # the organiser's question or reason
    created_at: datetime


class Decision(enum.Enum):
    DONE = "done"
    ALREADY = "already"  # someone decided first
    GONE = "gone"


_PROPOSAL = "SELECT p.*, m.first_name AS member_name FROM proposals p LEFT JOIN members m ON m.id = p.member_id"


def _proposal(row: Row | dict) -> Proposal:
    return Proposal(
        id=row["id"],
        member_id=row["member_id"],
        member_name=row["member_name"],
        title=row["title"],
        body=row["body"],
        reason=row["reason"],
        status=row["status"],
        answer=row["answer"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


# A member's own proposals, oldest first (for "download my data"; the name is theirs, so it is left out).
OF_MEMBER = rows_part(
    "SELECT *, NULL AS member_name FROM proposals WHERE member_id = :member ORDER BY created_at",
    ("id", "member_id", "member_name", "title", "body", "reason", "status", "answer", "created_at"),
    _proposal,
)


def get(db: Database, proposal_id: int) -> Proposal | None:
    row = db.fetchone(_PROPOSAL + " WHERE p.id = ?", (proposal_id,))
    return _proposal(row) if row else None


def propose(db: Database, member_id: int, title: str, body: str, reason: str, now: datetime) -> Proposal:
    """Store a proposal and send it to every active organiser (but the one who made it)."""
    with db.transaction() as conn:
        proposal_id = conn.execute(
            "INSERT INTO proposals (member_id, title, body, reason, created_at) VALUES (?, ?, ?, ?, ?)",
            (member_id, title, body, reason, now.isoformat()),
        ).lastrowid
        conn.execute(
            "INSERT OR IGNORE INTO outbox (key, kind, member_id, payload, deliver_at, expires_at)"
            " SELECT printf('proposal_card:%d:%d', ?, r.member_id), 'proposal_card', r.member_id,"
            " json_object('proposal', ?), ?, ? FROM member_roles r JOIN members m ON m.id = r.member_id"
            " WHERE r.role = 'organiser' AND m.status = 'active' AND m.id <> ?",  # not to an organiser who proposes
            (proposal_id, proposal_id, now.isoformat(), (now + KEPT).isoformat(), member_id),
        )
        return _proposal(conn.execute(_PROPOSAL + " WHERE p.id = ?", (proposal_id,)).fetchone())


def _decide(
    conn: sqlite3.Connection, proposal_id: int, status: str, answer: str | None, by: int | None, now: datetime
) -> Decision:
    row = conn.execute("SELECT status, member_id FROM proposals WHERE id = ?", (proposal_id,)).fetchone()
    if row is None:
        return Decision.GONE
    if row["status"] != PENDING:
        return Decision.ALREADY
    conn.execute(
        "UPDATE proposals SET status = ?, answer = ?, decided_by = ?, decided_at = ? WHERE id = ?",
        (status, answer, by, now.isoformat(), proposal_id),
    )
    if row["member_id"] is not None:
        outbox.add(
            conn,
            [
                Message(
                    key=f"proposal_{status}:{proposal_id}",
                    kind=f"proposal_{status}",
                    member_id=row["member_id"],
                    activity_id=None,
                    deliver_at=now,
                    expires_at=now + KEPT,
                    payload={"proposal": proposal_id},
                )
            ],
        )
    return Decision.DONE


def put_to_vote(conn: sqlite3.Connection, proposal_id: int, organiser_id: int | None, now: datetime) -> None:
    """Inside the transaction that creates a vote on it (storage/votes.py): the member is told."""
    _decide(conn, proposal_id, VOTING, None, organiser_id, now)


def send_back(db: Database, proposal_id: int, question: str, *, organiser_id: int, now: datetime) -> Decision:
    """Send the proposal back to the member with a question; they can make a new one."""
    with db.transaction() as conn:
        return _decide(conn, proposal_id, ASKED, question, organiser_id, now)


def decline(db: Database, proposal_id: int, reason: str, *, organiser_id: int, now: datetime) -> Decision:
    with db.transaction() as conn:
        return _decide(conn, proposal_id, DECLINED, reason, organiser_id, now)


def waiting_page(db: Database, page: int) -> Page[Proposal]:
    """Proposals that wait for an organiser, oldest first."""
    rows = db.fetchall(_PROPOSAL + " WHERE p.status = 'pending' ORDER BY p.created_at, p.id" + limit_offset(page))
    return page_of(rows, page, _proposal)


def of_member(db: Database, member_id: int, page: int) -> Page[Proposal]:
    """A member's own proposals, newest first."""
    rows = db.fetchall(
        _PROPOSAL + " WHERE p.member_id = ? ORDER BY p.created_at DESC, p.id DESC" + limit_offset(page), (member_id,)
    )
    return page_of(rows, page, _proposal)


def forget_member(conn: sqlite3.Connection, member_id: int) -> None:
    """Inside the transaction that deletes an account: proposals still waiting go; decided ones stay
    (a vote may rest on them) without the member's name."""
    conn.execute("DELETE FROM proposals WHERE member_id = ? AND status = 'pending'", (member_id,))
    conn.execute("UPDATE proposals SET member_id = NULL WHERE member_id = ?", (member_id,))


def waiting_count(db: Database) -> int:
    """How many proposals wait for an organiser (📣 Organise → 🗳️ Votes shows it); the partial index counts them."""
    row = db.fetchone("SELECT count(*) FROM proposals WHERE status = 'pending'")
    return int(row[0]) if row else 0


def still_waiting(db: Database, proposal_ids: list[int]) -> set[int]:
    """Which of these proposals still wait for an organiser: one read, to check them all before a vote opens."""
    if not proposal_ids:
        return set()
    marks = ", ".join("?" for _ in proposal_ids)
    rows = db.fetchall(f"SELECT id FROM proposals WHERE status = 'pending' AND id IN ({marks})", tuple(proposal_ids))
    return {row[0] for row in rows}
