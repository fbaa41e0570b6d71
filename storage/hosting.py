"""Residents host activities: a member proposes one, an organiser publishes it with them as host, asks a
question or declines it with a reason.

Every active organiser gets the proposal (outbox); the first decision counts: it is settled in one
transaction, so a second organiser's tap finds it decided and changes nothing. Publishing checks the room
again in that same transaction (storage/activities.py insert raises RoomTaken). A proposal an organiser
asked about goes back to the member, who changes it and sends it again.
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage import activities, outbox
from storage.activities import Activity, Plan
from storage.db import Database, Row, rows_part
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

PENDING, ASKED, APPROVED, DECLINED = "pending", "asked", "approved", "declined"
# The messages (bot/host_notices.py words them): an organiser's card, and what the member hears.
CARD, ASKED_NOTICE, DECLINED_NOTICE, APPROVED_NOTICE = "host_card", "host_asked", "host_declined", "host_approved"
HOST_LEFT = "host_left"  # to organisers: the host of an activity to come deleted their account
KEPT = timedelta(days=30)  # news for the member not sent by then (the bot was down) is not sent late


@dataclass(frozen=True)
class Proposal:
    """A member's proposal to host an activity, and what became of it."""

    id: int
    member_id: int
    member_name: str | None
    plan: Plan
    status: str
    answer: str | None  # the organiser's question or reason
    activity_id: int | None  # once published
    sent_at: datetime
    round: int  # how many times the member sent it (again after a question)


class Decision(enum.Enum):
    DONE = "done"
    ALREADY = "already"  # someone decided first
    GONE = "gone"
    ROOM_TAKEN = "room_taken"  # the room is in use then: nothing was published
    STARTED = "started"  # the time has passed: nothing was published


@dataclass(frozen=True)
class Published:
    """How ✅ Publish ended, and the activity when it was published."""

    decision: Decision
    activity: Activity | None = None


_PROPOSAL = "SELECT p.*, m.first_name AS member_name FROM hosted_proposals p LEFT JOIN members m ON m.id = p.member_id"
_PLAN = ("title", "description", "starts_at", "ends_at", "place", "room_id", "capacity", "cost_cents", "bring")


def _proposal(row: Row) -> Proposal:
    return Proposal(
        id=row["id"],
        member_id=row["member_id"],
        member_name=row["member_name"],
        plan=activities.plan_of(row),
        status=row["status"],
        answer=row["answer"],
        activity_id=row["activity_id"],
        sent_at=datetime.fromisoformat(row["sent_at"]),
        round=row["round"],
    )


def _plan_values(plan: Plan) -> tuple[object, ...]:
    values = (getattr(plan, field) for field in _PLAN)
    return tuple(value.isoformat() if isinstance(value, datetime) else value for value in values)


def get(db: Database, proposal_id: int) -> Proposal | None:
    row = db.fetchone(_PROPOSAL + " WHERE p.id = ?", (proposal_id,))
    return _proposal(row) if row else None


def _current(conn: sqlite3.Connection, proposal_id: int) -> Proposal | None:
    row = conn.execute(_PROPOSAL + " WHERE p.id = ?", (proposal_id,)).fetchone()
    return _proposal(row) if row else None


def propose(db: Database, member_id: int, plan: Plan, now: datetime, again: int | None = None) -> Proposal | None:
    """✅ Send to the organisers: a new proposal, or (`again`) the member's proposal an organiser asked about,
    changed. Every active organiser but the member gets a card. None: `again` is not theirs, or not asked."""
    with db.transaction() as conn:
        if again is None:
            proposal_id = conn.execute(
                f"INSERT INTO hosted_proposals ({', '.join(_PLAN)}, member_id, status, sent_at, created_at)"
                f" VALUES ({', '.join('?' for _ in _PLAN)}, ?, 'pending', ?, ?)",
                (*_plan_values(plan), member_id, now.isoformat(), now.isoformat()),
            ).lastrowid
        else:
            proposal_id = again
            changed = conn.execute(
                f"UPDATE hosted_proposals SET {', '.join(f'{field} = ?' for field in _PLAN)}, status = 'pending',"
                " answer = NULL, decided_by = NULL, decided_at = NULL, sent_at = ?, round = round + 1"
                " WHERE id = ? AND member_id = ? AND status = 'asked'",
                (*_plan_values(plan), now.isoformat(), again, member_id),
            ).rowcount
            if not changed:
                return None
        assert proposal_id is not None
        proposal = _current(conn, proposal_id)
        assert proposal is not None
        organisers = conn.execute(
            "SELECT r.member_id FROM member_roles r JOIN members m ON m.id = r.member_id"
            " WHERE r.role = 'organiser' AND m.status = 'active' AND m.id <> ?",  # not to an organiser who proposes
            (member_id,),
        ).fetchall()
        outbox.add(
            conn,
            [
                Message(
                    f"{CARD}:{proposal.id}:{organiser}:{proposal.round}",
                    CARD,
                    organiser,
                    None,
                    deliver_at=now,
                    expires_at=plan.starts_at,
                    payload={"proposal": proposal.id},
                )
                for (organiser,) in organisers
            ],
        )
        return proposal


def _tell_member(conn: sqlite3.Connection, kind: str, proposal: Proposal, now: datetime) -> None:
    message = Message(
        f"{kind}:{proposal.id}:{proposal.round}",
        kind,
        proposal.member_id,
        proposal.activity_id,
        deliver_at=now,
        expires_at=now + KEPT,
        payload={"proposal": proposal.id},
    )
    outbox.add(conn, [message])


def _waiting(conn: sqlite3.Connection, proposal_id: int) -> Proposal | Decision:
    """Inside a transaction: the proposal while it waits for an organiser, or why it no longer does."""
    proposal = _current(conn, proposal_id)
    if proposal is None:
        return Decision.GONE
    if proposal.status != PENDING:
        return Decision.ALREADY
    return proposal


def publish(db: Database, proposal_id: int, *, organiser_id: int, now: datetime) -> Published:
    """✅ Publish: the activity goes up with the member as host, and they are told; the first decision counts.
    The room is checked again in this same transaction: when it is in use then, nothing changes."""
    try:
        with db.transaction() as conn:
            proposal = _waiting(conn, proposal_id)
            if not isinstance(proposal, Proposal):
                return Published(proposal)
            if proposal.plan.starts_at <= now:
                return Published(Decision.STARTED)
            [activity] = activities.insert(
                conn, proposal.plan, created_by=organiser_id, now=now, host_id=proposal.member_id
            )
            conn.execute(
                "UPDATE hosted_proposals SET status = 'approved', activity_id = ?, decided_by = ?, decided_at = ?"
                " WHERE id = ?",
                (activity.id, organiser_id, now.isoformat(), proposal_id),
            )
            _tell_member(conn, APPROVED_NOTICE, _current(conn, proposal_id) or proposal, now)
            return Published(Decision.DONE, activity)
    except activities.RoomTaken:
        return Published(Decision.ROOM_TAKEN)


def _answer(
    db: Database, proposal_id: int, status: str, kind: str, words: str, organiser_id: int, now: datetime
) -> Decision:
    with db.transaction() as conn:
        proposal = _waiting(conn, proposal_id)
        if not isinstance(proposal, Proposal):
            return proposal
        conn.execute(
            "UPDATE hosted_proposals SET status = ?, answer = ?, decided_by = ?, decided_at = ? WHERE id = ?",
            (status, words, organiser_id, now.isoformat(), proposal_id),
        )
        _tell_member(conn, kind, proposal, now)
        return Decision.DONE


def ask(db: Database, proposal_id: int, question: str, *, organiser_id: int, now: datetime) -> Decision:
    """❓ Ask a question: the proposal goes back to the member, who can change it and send it again."""
    return _answer(db, proposal_id, ASKED, ASKED_NOTICE, question, organiser_id, now)


def decline(db: Database, proposal_id: int, reason: str, *, organiser_id: int, now: datetime) -> Decision:
    """❌ Decline with a reason: the member is told."""
    return _answer(db, proposal_id, DECLINED, DECLINED_NOTICE, reason, organiser_id, now)


def waiting_page(db: Database, page: int) -> Page[Proposal]:
    """Proposals that wait for an organiser, the longest waiting first."""
    rows = db.fetchall(_PROPOSAL + " WHERE p.status = 'pending' ORDER BY p.sent_at, p.id" + limit_offset(page))
    return page_of(rows, page, _proposal)


def of_member(db: Database, member_id: int, page: int) -> Page[Proposal]:
    """A member's own proposals, newest first."""
    rows = db.fetchall(
        _PROPOSAL + " WHERE p.member_id = ? ORDER BY p.created_at DESC, p.id DESC" + limit_offset(page), (member_id,)
    )
    return page_of(rows, page, _proposal)


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the deletion's transaction: their proposals go, so open ones are withdrawn (an organiser's card
    then says it is gone). Activities they host stay, the host shown as "a member" (activities.host_id keeps
    the anonymous row), and organisers are told that nobody runs the ones to come."""
    conn.execute("DELETE FROM hosted_proposals WHERE member_id = ?", (member_id,))
    hosted = conn.execute(
        "SELECT id, starts_at FROM activities WHERE host_id = ? AND cancelled_at IS NULL AND starts_at > ?",
        (member_id, now.isoformat()),
    ).fetchall()
    organisers = conn.execute(
        "SELECT r.member_id FROM member_roles r JOIN members m ON m.id = r.member_id"
        " WHERE r.role = 'organiser' AND m.status = 'active' AND m.id <> ?",
        (member_id,),
    ).fetchall()
    outbox.add(  # organisers hear that nobody runs these activities now
        conn,
        [
            Message(
                f"{HOST_LEFT}:{activity_id}:{organiser}",
                HOST_LEFT,
                organiser,
                activity_id,
                now,
                datetime.fromisoformat(starts),
            )
            for activity_id, starts in hosted
            for (organiser,) in organisers
        ],
    )


@dataclass(frozen=True)
class Kept:
    """A member's proposal as "download my data" shows it."""

    title: str
    starts_at: datetime
    place: str
    status: str
    answer: str | None
    sent_at: datetime


# Every proposal of a member, in the order they made them (for "download my data").
OF_MEMBER = rows_part(
    "SELECT title, starts_at, place, status, answer, sent_at FROM hosted_proposals WHERE member_id = :member"
    " ORDER BY created_at, id",
    ("title", "starts_at", "place", "status", "answer", "sent_at"),
    lambda row: Kept(
        row["title"],
        datetime.fromisoformat(row["starts_at"]),
        row["place"],
        row["status"],
        row["answer"],
        datetime.fromisoformat(row["sent_at"]),
    ),
)
