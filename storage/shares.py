"""Member shares (issue 15): a member asks to buy shares, pays by bank transfer with the request's reference, and an
organiser marks the payment ✅ received or ✖️ lapsed; a member asks to sell shares back and an organiser marks them
✅ paid back. The register (who holds how many shares, since when) is what received purchases and paid-back sales
add up to. The bot never holds money: it records what organisers confirm.

Each decision is one UPDATE that only changes a pending request, in the transaction that logs it and writes the
member's message (bot/share_notices.py): two organisers confirming the same payment at once count it once.
"""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from storage import audit, outbox
from storage.db import Database, Row, moment, rows_part
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

BUY, SELL = "buy", "sell"
PENDING, RECEIVED, PAID, LAPSED = "pending", "received", "paid", "lapsed"
# What organisers do (the audit log) and the member's message about it (the outbox): the same words.
RECEIVED_ACTION, LAPSED_ACTION, PAID_ACTION = "share_received", "share_lapsed", "share_paid_back"
KINDS = (RECEIVED_ACTION, LAPSED_ACTION, PAID_ACTION)
MOST_AT_ONCE = 100  # shares one request may ask for


@dataclass(frozen=True)
class Request:
    """A request to buy (a payment to come) or to sell back (a payment to make), and what became of it."""

    id: int
    member_id: int
    kind: str
    shares: int
    amount_cents: int
    reference: str | None
    status: str
    asked_at: datetime
    decided_at: datetime | None
    first_name: str | None  # None after the account was deleted
    member_no: int | None


def _request(row: Row) -> Request:
    return Request(
        id=row["id"],
        member_id=row["member_id"],
        kind=row["kind"],
        shares=row["shares"],
        amount_cents=row["amount_cents"],
        reference=row["reference"],
        status=row["status"],
        asked_at=datetime.fromisoformat(row["asked_at"]),
        decided_at=moment(row["decided_at"]),
        first_name=row["first_name"],
        member_no=row["member_no"],
    )


_REQUEST = "SELECT r.*, m.first_name, m.member_no FROM share_requests r JOIN members m ON m.id = r.member_id"


def _current(conn: sqlite3.Connection, request_id: int) -> Request | None:
    row = conn.execute(_REQUEST + " WHERE r.id = ?", (request_id,)).fetchone()
    return _request(row) if row else None


def get(db: Database, request_id: int) -> Request | None:
    row = db.fetchone(_REQUEST + " WHERE r.id = ?", (request_id,))
    return _request(row) if row else None


def _held(conn: sqlite3.Connection, member_id: int) -> int:
    """Shares the member holds now: received purchases minus paid-back sales."""
    row = conn.execute(
        "SELECT coalesce(sum(CASE kind WHEN 'buy' THEN shares ELSE -shares END), 0) FROM share_requests"
        " WHERE member_id = ? AND status IN ('received', 'paid')",
        (member_id,),
    ).fetchone()
    return int(row[0])


def ask_to_buy(
    db: Database, member_id: int, shares: int, price_cents: int, now: datetime, reference: Callable[[int], str]
) -> Request:
    """A pending purchase of `shares` at today's price, with its payment reference (`reference(id)`).

    A double tap asks once: the member's pending purchase of the same number of shares comes back."""
    if not 1 <= shares <= MOST_AT_ONCE:
        raise ValueError(f"{shares} shares is not from 1 to {MOST_AT_ONCE}")
    with db.transaction() as conn:
        row = conn.execute(
            "INSERT INTO share_requests (member_id, kind, shares, amount_cents, status, asked_at)"
            " VALUES (?, 'buy', ?, ?, 'pending', ?) ON CONFLICT DO NOTHING RETURNING id",
            (member_id, shares, shares * price_cents, now.isoformat()),
        ).fetchone()
        if row is None:
            row = conn.execute(
                "SELECT id FROM share_requests WHERE member_id = ? AND shares = ? AND kind = 'buy'"
                " AND status = 'pending'",
                (member_id, shares),
            ).fetchone()
        else:
            conn.execute("UPDATE share_requests SET reference = ? WHERE id = ?", (reference(row[0]), row[0]))
        found = _current(conn, row[0])
        assert found is not None
        return found


class Sale(enum.Enum):
    ASKED = "asked"
    ALREADY = "already"  # a sale is waiting already (a double tap)
    TOO_MANY = "too_many"  # more than they hold


def ask_to_sell(db: Database, member_id: int, shares: int, price_cents: int, now: datetime) -> Sale:
    """Ask to sell shares back at today's price: at most what they hold, one sale waiting at a time."""
    with db.transaction() as conn:
        if conn.execute(
            "SELECT 1 FROM share_requests WHERE member_id = ? AND kind = 'sell' AND status = 'pending'", (member_id,)
        ).fetchone():
            return Sale.ALREADY
        if not 1 <= shares <= _held(conn, member_id):
            return Sale.TOO_MANY
        conn.execute(
            "INSERT INTO share_requests (member_id, kind, shares, amount_cents, status, asked_at)"
            " VALUES (?, 'sell', ?, ?, 'pending', ?)",
            (member_id, shares, shares * price_cents, now.isoformat()),
        )
        return Sale.ASKED


@dataclass(frozen=True)
class Holding:
    """A member's shares now, and their requests that wait."""

    shares: int
    paid_cents: int  # paid in, less what was paid back
    waiting: list[Request]  # oldest first


def holding(db: Database, member_id: int) -> Holding:
    """What 👤 My details and 💶 Shares show a member: one short read over their own requests."""
    rows = db.fetchall(
        _REQUEST + " WHERE r.member_id = ? AND r.status IN ('pending', 'received', 'paid') ORDER BY r.asked_at, r.id",
        (member_id,),
    )
    done = [_request(row) for row in rows if row["status"] != PENDING]
    sign = {BUY: 1, SELL: -1}
    return Holding(
        shares=sum(sign[r.kind] * r.shares for r in done),
        paid_cents=sum(sign[r.kind] * r.amount_cents for r in done),
        waiting=[_request(row) for row in rows if row["status"] == PENDING],
    )


def of_member(db: Database, member_id: int, page: int) -> Page[Request]:
    """A member's requests and payments, newest first."""
    rows = db.fetchall(
        _REQUEST + " WHERE r.member_id = ? ORDER BY r.asked_at DESC, r.id DESC" + limit_offset(page), (member_id,)
    )
    return page_of(rows, page, _request)


def pending(db: Database, page: int) -> Page[Request]:
    """What organisers wait for or must do: payments to come and shares to pay back, oldest first, counted."""
    rows = db.fetchall(
        "SELECT r.*, m.first_name, m.member_no, count(*) OVER () AS total FROM share_requests r"
        " JOIN members m ON m.id = r.member_id WHERE r.status = 'pending' ORDER BY r.asked_at, r.id"
        + limit_offset(page),
    )
    return page_of(rows, page, _request, counted=True)


class Outcome(enum.Enum):
    DONE = "done"
    DECIDED = "decided"  # someone decided about it already
    TOO_FEW = "too_few"  # a sale of more shares than the member holds now
    GONE = "gone"  # no such request, or not one this decision is for


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    request: Request | None


# A decision: the kind of request it is for, the status it gives, and what is logged and told.
DECISIONS = {RECEIVED: (BUY, RECEIVED_ACTION), LAPSED: (BUY, LAPSED_ACTION), PAID: (SELL, PAID_ACTION)}


def decide(db: Database, request_id: int, status: str, organiser_id: int, now: datetime) -> Decision:
    """✅ Received, ✖️ Lapsed or ✅ Paid back: only a pending request of the right kind changes, once; it is logged
    and the member is told, in this transaction."""
    kind, action = DECISIONS[status]
    with db.transaction() as conn:
        found = _current(conn, request_id)
        if found is None or found.kind != kind:
            return Decision(Outcome.GONE, found)
        if found.status != PENDING:
            return Decision(Outcome.DECIDED, found)
        if status == PAID and found.shares > _held(conn, found.member_id):
            return Decision(Outcome.TOO_FEW, found)
        conn.execute(
            "UPDATE share_requests SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
            (status, organiser_id, now.isoformat(), request_id),
        )
        audit.record(conn, organiser_id, action, found.member_id, now)
        message = Message(f"{action}:{request_id}", action, found.member_id, None, now, payload={"request": request_id})
        outbox.add(conn, [message])
        return Decision(Outcome.DONE, _current(conn, request_id))


@dataclass(frozen=True)
class Holder:
    """A line of the share register."""

    member_no: int | None
    first_name: str | None  # None after the account was deleted: the number stays
    shares: int
    since: datetime  # the first purchase that was paid
    paid_cents: int  # paid in, less what was paid back


async def register(db: Database) -> list[Holder]:
    """Who holds shares now, by member number (a long read, off the loop)."""
    rows = await db.read(
        "SELECT m.member_no, m.first_name, sum(CASE r.kind WHEN 'buy' THEN r.shares ELSE -r.shares END) AS shares,"
        " min(CASE r.kind WHEN 'buy' THEN r.decided_at END) AS since,"
        " sum(CASE r.kind WHEN 'buy' THEN r.amount_cents ELSE -r.amount_cents END) AS paid"
        " FROM share_requests r JOIN members m ON m.id = r.member_id WHERE r.status IN ('received', 'paid')"
        " GROUP BY r.member_id HAVING shares > 0 ORDER BY m.member_no IS NULL, m.member_no, r.member_id"
    )
    return [
        Holder(row["member_no"], row["first_name"], row["shares"], datetime.fromisoformat(row["since"]), row["paid"])
        for row in rows
    ]


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the deletion's transaction: requests that wait lapse. Every share and payment stays on the
    anonymous row with the member number: the law requires the cooperative to keep them."""
    conn.execute(
        "UPDATE share_requests SET status = 'lapsed', decided_at = ? WHERE member_id = ? AND status = 'pending'",
        (now.isoformat(), member_id),
    )


@dataclass(frozen=True)
class Kept:
    """A request as "download my data" shows it."""

    kind: str
    shares: int
    amount_cents: int
    reference: str | None
    status: str
    asked_at: datetime
    decided_at: datetime | None


# Every share request of a member, oldest first (for "download my data").
OF_MEMBER = rows_part(
    "SELECT kind, shares, amount_cents, reference, status, asked_at, decided_at FROM share_requests"
    " WHERE member_id = :member ORDER BY asked_at, id",
    ("kind", "shares", "amount_cents", "reference", "status", "asked_at", "decided_at"),
    lambda row: Kept(
        row["kind"],
        row["shares"],
        row["amount_cents"],
        row["reference"],
        row["status"],
        datetime.fromisoformat(row["asked_at"]),
        moment(row["decided_at"]),
    ),
)
