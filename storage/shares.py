"""Member shares (issue 15): a member asks to buy shares, pays by bank transfer with the request's reference, and an
organiser marks the payment ✅ received or ✖️ lapsed; a member asks to sell shares back and an organiser marks them
✅ paid back. A purchase in instalments that lapsed after some of them came owes that money back, unless its lapsed
instalments come after all: an organiser marks it ↩️ paid back (pay_back). The register (who holds how many shares,
since when) is what received purchases and paid-back sales add up to. The bot never holds money: it records what
organisers confirm.

Each decision is one UPDATE that only changes a pending request, in the transaction that logs it and writes the
member's message (bot/share_notices.py): two organisers confirming the same payment at once count it once.
"""

from __future__ import annotations

import calendar
import enum
import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from storage import audit, outbox
from storage.db import Database, Row, moment, rows_part
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

BUY, SELL = "buy", "sell"
PENDING, RECEIVED, PAID, LAPSED = "pending", "received", "paid", "lapsed"
# What organisers do (the audit log) and the member's message about it (the outbox): the same words.
RECEIVED_ACTION, LAPSED_ACTION, PAID_ACTION = "share_received", "share_lapsed", "share_paid_back"
# An organiser's decision about one instalment (the audit log), and the member's messages about instalments.
INSTALMENT_RECEIVED, INSTALMENT_LAPSED = "share_instalment_received", "share_instalment_lapsed"
INSTALMENT_DUE = "share_instalment_due"  # a reminder on the day an instalment is due
# A solidarity share was given (the audit log; the receiver's message), and the buyer's message that it was passed on.
GIVEN_ACTION, PASSED_ON = "share_given", "share_passed_on"
# The money that came for a purchase that lapsed was paid back (the audit log; the member's message).
REFUNDED_ACTION = "share_money_paid_back"
KINDS = (
    *(RECEIVED_ACTION, LAPSED_ACTION, PAID_ACTION, INSTALMENT_RECEIVED, INSTALMENT_DUE, GIVEN_ACTION, PASSED_ON),
    REFUNDED_ACTION,
)
MOST_AT_ONCE = 100  # shares one request may ask for
INSTALMENTS = (2, 5, 10)  # how many monthly payments a purchase may be split into


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
    instalments: int  # 1: paid at once, with the request's own reference
    solidarity: bool  # paid for a member who cannot afford a share: received, it waits in the pool
    gift_of: int | None  # a solidarity share given to this member: the purchase it came from
    passed_on: bool  # a solidarity purchase that was given to a member (never to whom)
    left: bool  # the member deleted their account: money that comes now is paid back, never booked
    received_cents: int  # what came for its instalments (a purchase paid at once: 0)
    paid_back_cents: int  # what an organiser paid back after it lapsed (0: nothing)
    paid_back_at: datetime | None

    @property
    def to_pay_back(self) -> int:
        """Money that came for a purchase that lapsed and is not paid back yet: it waits for an organiser."""
        owes = self.kind == BUY and self.status == LAPSED and self.paid_back_at is None
        return self.received_cents if owes else 0

    @property
    def waits(self) -> bool:
        """Whether an organiser still has something to do: a payment to mark, shares or money to pay back."""
        return self.status == PENDING or self.to_pay_back > 0


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
        instalments=row["instalments"],
        solidarity=bool(row["solidarity"]),
        gift_of=row["gift_of"],
        passed_on=bool(row["passed_on"]),
        left=bool(row["member_left"]),
        received_cents=row["received_cents"],
        paid_back_cents=row["paid_back_cents"] or 0,
        paid_back_at=moment(row["paid_back_at"]),
    )


# What came for a request's (r) instalments.
_RECEIVED = (
    "(SELECT coalesce(sum(i.amount_cents), 0) FROM share_instalments i"
    " WHERE i.request_id = r.id AND i.status = 'received') AS received_cents"
)
_REQUEST = (
    "SELECT r.*, m.first_name, m.member_no, m.status = 'deleted' AS member_left, " + _RECEIVED + ","
    " EXISTS (SELECT 1 FROM share_requests g WHERE g.gift_of = r.id) AS passed_on"
    " FROM share_requests r JOIN members m ON m.id = r.member_id"
)


def _current(conn: sqlite3.Connection, request_id: int) -> Request | None:
    row = conn.execute(_REQUEST + " WHERE r.id = ?", (request_id,)).fetchone()
    return _request(row) if row else None


def get(db: Database, request_id: int) -> Request | None:
    row = db.fetchone(_REQUEST + " WHERE r.id = ?", (request_id,))
    return _request(row) if row else None


# The shares a member (m.id) holds now: received purchases and gifts, minus paid-back sales.
_HELD = (
    "(SELECT coalesce(sum(CASE h.kind WHEN 'buy' THEN h.shares ELSE -h.shares END), 0) FROM share_requests h"
    " WHERE h.member_id = m.id AND h.status IN ('received', 'paid') AND h.solidarity = 0{also})"
)


def _held(conn: sqlite3.Connection, member_id: int, sellable: bool = False) -> int:
    """Shares the member holds now; `sellable`: only those they paid for, as a gift is not theirs to cash."""
    held = _HELD.format(also=" AND h.gift_of IS NULL" if sellable else "")
    row = conn.execute(f"SELECT {held} FROM members m WHERE m.id = ?", (member_id,)).fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class Split:
    """A purchase paid in monthly instalments: how many, the time zone of the due days, and each one's reference."""

    count: int  # one of INSTALMENTS
    tz: ZoneInfo
    reference: Callable[[int], str]  # from the instalment's id


def ask_to_buy(
    db: Database,
    member_id: int,
    shares: int,
    price_cents: int,
    now: datetime,
    reference: Callable[[int], str],
    split: Split | None = None,
    solidarity: bool = False,
) -> Request:
    """A pending purchase of `shares` at today's price, paid at once with its own reference (`reference(id)`), or
    in monthly instalments (`split`), each with its own reference, due day and a reminder on that day.

    A solidarity purchase (paid at once) is for the pool, not for the buyer.
    A double tap asks once: the member's pending purchase of the same number of shares comes back."""
    if not 1 <= shares <= MOST_AT_ONCE:
        raise ValueError(f"{shares} shares is not from 1 to {MOST_AT_ONCE}")
    if split is not None and split.count not in INSTALMENTS:
        raise ValueError(f"{split.count} instalments is not one of {INSTALMENTS}")
    if split is not None and solidarity:
        raise ValueError("a solidarity share is paid at once")
    instalments = split.count if split else 1
    with db.transaction() as conn:
        row = conn.execute(
            "INSERT INTO share_requests (member_id, kind, shares, amount_cents, status, asked_at, instalments,"
            " solidarity) VALUES (?, 'buy', ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (member_id, shares, shares * price_cents, now.isoformat(), instalments, int(solidarity)),
        ).fetchone()
        if row is None:
            row = conn.execute(
                "SELECT id FROM share_requests WHERE member_id = ? AND shares = ? AND kind = 'buy'"
                " AND status = 'pending' AND solidarity = ?",
                (member_id, shares, int(solidarity)),
            ).fetchone()
        elif split is None:
            conn.execute("UPDATE share_requests SET reference = ? WHERE id = ?", (reference(row[0]), row[0]))
        else:
            _plan_instalments(conn, row[0], member_id, shares * price_cents, split, now)
        found = _current(conn, row[0])
        assert found is not None
        return found


def months_later(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 January + 1 month: 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _plan_instalments(
    conn: sqlite3.Connection, request_id: int, member_id: int, amount_cents: int, split: Split, now: datetime
) -> None:
    """Inside the asking transaction: instalments a month apart, the first due today, adding up to the amount
    (the cents left over go on the first ones); a reminder at the start of each later due day (the sender holds it
    through quiet hours)."""
    tz, count = split.tz, split.count
    today = now.astimezone(tz).date()
    base, left_over = divmod(amount_cents, count)
    reminders = []
    for number in range(1, count + 1):
        due = months_later(today, number - 1)
        row = conn.execute(
            "INSERT INTO share_instalments (request_id, number, amount_cents, due_on, status)"
            " VALUES (?, ?, ?, ?, 'pending') RETURNING id",
            (request_id, number, base + int(number <= left_over), due.isoformat()),
        ).fetchone()
        conn.execute("UPDATE share_instalments SET reference = ? WHERE id = ?", (split.reference(row[0]), row[0]))
        if due > today:
            starts = datetime.combine(due, time(0), tz).astimezone(now.tzinfo)
            key = f"{INSTALMENT_DUE}:{row[0]}"
            payload = {"instalment": row[0]}
            reminders.append(Message(key, INSTALMENT_DUE, member_id, None, starts, starts + timedelta(days=1), payload))
    outbox.add(conn, reminders)


@dataclass(frozen=True)
class Instalment:
    """One monthly payment of a purchase in instalments, and what became of it."""

    id: int
    request_id: int
    number: int  # 1, 2, … of the purchase's instalments
    amount_cents: int
    reference: str
    due_on: date
    status: str


def _instalment(row: Row | Mapping[str, Any]) -> Instalment:
    return Instalment(
        id=row["id"],
        request_id=row["request_id"],
        number=row["number"],
        amount_cents=row["amount_cents"],
        reference=row["reference"],
        due_on=date.fromisoformat(row["due_on"]),
        status=row["status"],
    )


def with_reference(db: Database, reference: str) -> tuple[int, int | None] | None:
    """The purchase a payment's reference belongs to, and the instalment when it is one of its instalments', as
    typed from a bank statement: spaces left out, any case."""
    row = db.fetchone(
        "SELECT id, NULL FROM share_requests WHERE reference = :ref"
        " UNION ALL SELECT request_id, id FROM share_instalments WHERE reference = :ref LIMIT 1",
        {"ref": "".join(reference.split()).upper()},
    )
    return (row[0], row[1]) if row else None


def instalments_of(db: Database, request_id: int) -> list[Instalment]:
    """A purchase's instalments, first one first (none when it is paid at once)."""
    rows = db.fetchall("SELECT * FROM share_instalments WHERE request_id = ? ORDER BY number", (request_id,))
    return [_instalment(row) for row in rows]


def instalment(db: Database, instalment_id: int) -> Instalment | None:
    row = db.fetchone("SELECT * FROM share_instalments WHERE id = ?", (instalment_id,))
    return _instalment(row) if row else None


def next_due(db: Database, request: Request) -> Instalment | None:
    """The first instalment of a purchase that waits for its payment, if any."""
    return next((found for found in instalments_of(db, request.id) if found.status == PENDING), None)


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
        if not 1 <= shares <= _held(conn, member_id, sellable=True):
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
    waiting: list[Request]  # oldest first: for a payment, or for an organiser to pay back (Request.waits)
    sellable: int  # the shares they paid for themselves: a gift from the cooperative is not sold back
    for_others: int  # solidarity shares they paid for
    asked: bool  # they asked for shares at least once (📋 My payments has something to show)

    @property
    def to_pay_back(self) -> int:
        """Money of their purchases that lapsed, which an organiser still pays back."""
        return sum(request.to_pay_back for request in self.waiting)


def holding(db: Database, member_id: int) -> Holding:
    """What 👤 My details and 💶 Shares show a member: one short read over their own requests."""
    rows = db.fetchall(_REQUEST + " WHERE r.member_id = ? ORDER BY r.asked_at, r.id", (member_id,))
    asked = [_request(row) for row in rows]
    done = [r for r in asked if r.status in (RECEIVED, PAID)]
    own = [r for r in done if not r.solidarity]
    sign = {BUY: 1, SELL: -1}
    return Holding(
        shares=sum(sign[r.kind] * r.shares for r in own),
        paid_cents=sum(sign[r.kind] * r.amount_cents for r in own),
        waiting=[r for r in asked if r.waits],
        sellable=max(0, sum(sign[r.kind] * r.shares for r in own if r.gift_of is None)),
        for_others=sum(r.shares for r in done if r.solidarity),
        asked=bool(asked),
    )


def of_member(db: Database, member_id: int, page: int) -> Page[Request]:
    """A member's requests and payments, newest first."""
    rows = db.fetchall(
        _REQUEST + " WHERE r.member_id = ? ORDER BY r.asked_at DESC, r.id DESC" + limit_offset(page), (member_id,)
    )
    return page_of(rows, page, _request)


def pending(db: Database, page: int) -> Page[Request]:
    """What organisers wait for or must do: payments to come, shares to pay back, and money that came for a
    purchase that lapsed (to pay back), oldest first, counted."""
    rows = db.fetchall(
        "SELECT r.*, m.first_name, m.member_no, 0 AS passed_on, m.status = 'deleted' AS member_left, "
        + _RECEIVED
        + ", count(*) OVER () AS total FROM (SELECT * FROM share_requests WHERE status = 'pending' UNION ALL"
        " SELECT * FROM share_requests o WHERE status = 'lapsed' AND instalments > 1 AND paid_back_at IS NULL"
        " AND EXISTS (SELECT 1 FROM share_instalments i WHERE i.request_id = o.id AND i.status = 'received')) r"
        " JOIN members m ON m.id = r.member_id ORDER BY r.asked_at, r.id" + limit_offset(page),  # each part indexed
    )
    return page_of(rows, page, _request, counted=True)


class Outcome(enum.Enum):
    DONE = "done"
    DECIDED = "decided"  # someone decided about it already
    TOO_FEW = "too_few"  # a sale of more shares than the member holds now
    GONE = "gone"  # no such request, or not one this decision is for
    LEFT = "left"  # the member deleted their account: a payment that comes now goes back, it buys no shares
    CHANGED = "changed"  # what it owes is not what the organiser was asked about: more came meanwhile
    PAID_BACK = "paid_back"  # the money of this lapsed purchase was paid back: a payment that comes now goes back too


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    request: Request | None


# A decision: the kind of request it is for, the status it gives, and what is logged and told.
DECISIONS = {RECEIVED: (BUY, RECEIVED_ACTION), LAPSED: (BUY, LAPSED_ACTION), PAID: (SELL, PAID_ACTION)}


def decide(db: Database, request_id: int, status: str, organiser_id: int, now: datetime) -> Decision:
    """✅ Received, ✖️ Lapsed or ✅ Paid back: only a pending request of the right kind changes, once; it is logged
    and the member is told, in this transaction. A payment that came after it lapsed is still ✅ Received, unless
    the member deleted their account: nobody could sell such a share back, so the money is paid back instead."""
    kind, action = DECISIONS[status]
    with db.transaction() as conn:
        found = _current(conn, request_id)
        if found is None or found.kind != kind or found.instalments > 1:  # instalments are decided one by one
            return Decision(Outcome.GONE, found)
        if found.status != PENDING and not (status == RECEIVED and found.status == LAPSED):
            return Decision(Outcome.DECIDED, found)
        if status == RECEIVED and found.left:
            return Decision(Outcome.LEFT, found)
        if status == PAID and found.shares > _held(conn, found.member_id, sellable=True):
            return Decision(Outcome.TOO_FEW, found)
        conn.execute(
            "UPDATE share_requests SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = ?",
            (status, organiser_id, now.isoformat(), request_id, found.status),
        )
        audit.record(conn, organiser_id, action, found.member_id, now)
        _tell(conn, action, found, now)
        return Decision(Outcome.DONE, _current(conn, request_id))


def _tell(conn: sqlite3.Connection, action: str, request: Request, now: datetime, **payload: int) -> None:
    """Inside the deciding transaction: the member's message about it (bot/share_notices.py)."""
    key = ":".join([action, str(request.id), *map(str, payload.values())])
    message = Message(key, action, request.member_id, None, now, payload={"request": request.id, **payload})
    outbox.add(conn, [message])


@dataclass(frozen=True)
class InstalmentDecision:
    outcome: Outcome
    instalment: Instalment | None


def decide_instalment(
    db: Database, instalment_id: int, status: str, organiser_id: int, now: datetime
) -> InstalmentDecision:
    """✅ Received or ✖️ Lapsed for one instalment of a purchase that waits: once, logged, the member told. The
    last one received makes the purchase received (the register counts it); one lapsed makes it lapse. As for a
    purchase paid at once, a lapsed instalment whose payment came after all is still ✅ Received (not for a
    member who deleted their account, nor once what came for the purchase was paid back), and the purchase counts
    once every instalment is received."""
    action = {RECEIVED: INSTALMENT_RECEIVED, LAPSED: INSTALMENT_LAPSED}[status]
    with db.transaction() as conn:
        row = conn.execute("SELECT * FROM share_instalments WHERE id = ?", (instalment_id,)).fetchone()
        if row is None:
            return InstalmentDecision(Outcome.GONE, None)
        found, request = _instalment(row), _current(conn, row["request_id"])
        assert request is not None
        late = status == RECEIVED and found.status == LAPSED and request.status == LAPSED
        if not late and (found.status != PENDING or request.status != PENDING):
            return InstalmentDecision(Outcome.DECIDED, found)
        if status == RECEIVED and request.left:
            return InstalmentDecision(Outcome.LEFT, found)
        if late and request.paid_back_at is not None:
            return InstalmentDecision(Outcome.PAID_BACK, found)
        decided = (status, organiser_id, now.isoformat())
        conn.execute(
            "UPDATE share_instalments SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
            (*decided, instalment_id),
        )
        audit.record(conn, organiser_id, action, request.member_id, now)
        unpaid = conn.execute(
            "SELECT count(*) FROM share_instalments WHERE request_id = ? AND status != 'received'", (request.id,)
        ).fetchone()[0]
        if status == LAPSED or not unpaid:
            conn.execute(
                "UPDATE share_requests SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                (*decided, request.id),
            )
            conn.execute(
                "UPDATE share_instalments SET status = 'lapsed' WHERE request_id = ? AND status = 'pending'",
                (request.id,),
            )
            if status == RECEIVED:  # the payment that came now completes it
                _tell(conn, RECEIVED_ACTION, request, now, instalment=instalment_id)
            else:  # which payment did not come
                _tell(conn, LAPSED_ACTION, request, now, instalment=instalment_id)
        else:
            _tell(conn, INSTALMENT_RECEIVED, request, now, instalment=instalment_id)
        return InstalmentDecision(
            Outcome.DONE,
            _instalment(conn.execute("SELECT * FROM share_instalments WHERE id = ?", (instalment_id,)).fetchone()),
        )


def pay_back(db: Database, request_id: int, cents: int, organiser_id: int, now: datetime) -> Decision:
    """↩️ Paid back: the `cents` that came for a purchase that lapsed went back to the member, once (two organisers,
    a double tap); logged and the member told, in this transaction. Only what the organiser was asked about: when
    more came meanwhile, nothing changes. It then waits no longer, and a late instalment of it is no longer
    ✅ Received (decide_instalment)."""
    with db.transaction() as conn:
        found = _current(conn, request_id)
        if found is None or found.kind != BUY or found.instalments == 1:
            return Decision(Outcome.GONE, found)
        if found.paid_back_at is not None:
            return Decision(Outcome.DECIDED, found)
        if not found.to_pay_back:  # it was completed after all, or nothing came
            return Decision(Outcome.GONE, found)
        if found.to_pay_back != cents:
            return Decision(Outcome.CHANGED, found)
        conn.execute(
            "UPDATE share_requests SET paid_back_cents = ?, paid_back_by = ?, paid_back_at = ?"
            " WHERE id = ? AND paid_back_at IS NULL",
            (found.to_pay_back, organiser_id, now.isoformat(), request_id),
        )
        audit.record(conn, organiser_id, REFUNDED_ACTION, found.member_id, now)
        _tell(conn, REFUNDED_ACTION, found, now)
        return Decision(Outcome.DONE, _current(conn, request_id))


@dataclass(frozen=True)
class Holder:
    """A line of the share register."""

    member_no: int | None
    first_name: str | None  # None after the account was deleted: the number stays
    shares: int
    since: datetime  # the first purchase that was paid
    paid_cents: int  # paid in on their shares (a gift: by the member who paid for it), less what was paid back


async def register(db: Database) -> list[Holder]:
    """Who holds shares now, by member number (a long read, off the loop)."""
    rows = await db.read(
        "SELECT m.member_no, m.first_name, sum(CASE r.kind WHEN 'buy' THEN r.shares ELSE -r.shares END) AS held,"
        " min(CASE r.kind WHEN 'buy' THEN r.decided_at END) AS since,"
        " sum(CASE r.kind WHEN 'buy' THEN coalesce(p.amount_cents, r.amount_cents) ELSE -r.amount_cents END) AS paid"
        " FROM share_requests r JOIN members m ON m.id = r.member_id LEFT JOIN share_requests p ON p.id = r.gift_of"
        " WHERE r.status IN ('received', 'paid') AND r.solidarity = 0 GROUP BY r.member_id HAVING held > 0"
        " ORDER BY m.member_no IS NULL, m.member_no, r.member_id"
    )
    return [
        Holder(row["member_no"], row["first_name"], row["held"], datetime.fromisoformat(row["since"]), row["paid"])
        for row in rows
    ]


_POOL = (
    "SELECT {what} FROM share_requests p WHERE p.solidarity = 1 AND p.status = 'received'"
    " AND NOT EXISTS (SELECT 1 FROM share_requests g WHERE g.gift_of = p.id)"
)


@dataclass(frozen=True)
class Pool:
    """Solidarity shares that were paid and wait for a member."""

    shares: int
    cents: int  # paid for them
    oldest: int | None  # the purchase an organiser gives next
    buyer: int | None  # who paid for that one: it does not go back to them


def pool(db: Database) -> Pool:
    row = db.fetchone(_POOL.format(what="coalesce(sum(p.shares), 0), coalesce(sum(p.amount_cents), 0), min(p.id)"))
    assert row is not None  # an aggregate gives a row
    buyer = db.fetchone("SELECT member_id FROM share_requests WHERE id = ?", (row[2],)) if row[2] else None
    return Pool(int(row[0]), int(row[1]), row[2], buyer[0] if buyer else None)


@dataclass(frozen=True)
class Candidate:
    """An active member who holds no shares: one a solidarity share could go to."""

    id: int
    first_name: str
    member_no: int | None


_CAN_RECEIVE = "m.status = 'active' AND m.id NOT IN (?, ?) AND " + _HELD.format(also="") + " = 0"


def without_shares(db: Database, page: int, buyer_id: int, organiser_id: int) -> Page[Candidate]:
    """Active members who hold no shares, by name, counted; not the member who paid for the share, nor the
    organiser who gives it."""
    rows = db.fetchall(
        "SELECT m.id, m.first_name, m.member_no, count(*) OVER () AS total FROM members m WHERE "
        + _CAN_RECEIVE
        + " ORDER BY m.first_name COLLATE NOCASE, m.member_no"
        + limit_offset(page),
        (buyer_id, organiser_id),
    )
    return page_of(rows, page, lambda row: Candidate(row["id"], row["first_name"], row["member_no"]), counted=True)


class Gift(enum.Enum):
    GIVEN = "given"
    ALREADY = "already"  # this pool share was given already (a double tap, or two organisers at once)
    HOLDS = "holds"  # the receiver holds shares now: the share can go to someone else
    GONE = "gone"  # not a pool share, or the receiver is no longer one it can go to (storage: _CAN_RECEIVE)


def give(db: Database, purchase_id: int, receiver_id: int, organiser_id: int, now: datetime) -> Gift:
    """Give a solidarity share from the pool to a member, once (gift_of is unique): it is theirs since now, logged;
    the receiver and the buyer are each told, without the other's name (bot/share_notices.py)."""
    with db.transaction() as conn:
        found = _current(conn, purchase_id)
        if found is None or not found.solidarity or found.status != RECEIVED:
            return Gift.GONE
        if found.passed_on:
            return Gift.ALREADY
        receiver = conn.execute(
            "SELECT 1 FROM members m WHERE m.id = ? AND " + _CAN_RECEIVE, (receiver_id, found.member_id, organiser_id)
        ).fetchone()
        if receiver is None:  # they got shares meanwhile, left, paid for this one, or give it
            return Gift.HOLDS if _held(conn, receiver_id) else Gift.GONE
        row = conn.execute(
            "INSERT INTO share_requests (member_id, kind, shares, amount_cents, status, asked_at, decided_by,"
            " decided_at, gift_of) VALUES (?, 'buy', ?, 0, 'received', ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (receiver_id, found.shares, now.isoformat(), organiser_id, now.isoformat(), purchase_id),
        ).fetchone()
        if row is None:
            return Gift.ALREADY
        audit.record(conn, organiser_id, GIVEN_ACTION, receiver_id, now)
        gift = _current(conn, row[0])
        assert gift is not None
        _tell(conn, GIVEN_ACTION, gift, now)
        _tell(conn, PASSED_ON, found, now)
        return Gift.GIVEN


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the deletion's transaction: requests that wait lapse. Every share and payment stays on the
    anonymous row with the member number: the law requires the cooperative to keep them."""
    conn.execute(
        "UPDATE share_instalments SET status = 'lapsed', decided_at = ? WHERE status = 'pending'"
        " AND request_id IN (SELECT id FROM share_requests WHERE member_id = ?)",
        (now.isoformat(), member_id),
    )
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
    solidarity: bool  # paid for the pool, not for themselves
    given: bool  # a solidarity share they received from the cooperative (never whose it was)
    passed_on: bool  # their solidarity purchase went to a member (never to whom)
    instalments: list[Instalment]  # a purchase in instalments: each payment; none when paid at once
    paid_back_cents: int  # what came for it after all and was paid back when it lapsed (0: nothing)
    paid_back_at: datetime | None

    @property
    def received_cents(self) -> int:
        """What came for its instalments."""
        return sum(found.amount_cents for found in self.instalments if found.status == RECEIVED)


# Every share request of a member, oldest first (for "download my data").
OF_MEMBER = rows_part(
    "SELECT kind, shares, amount_cents, reference, status, asked_at, decided_at, solidarity, paid_back_cents,"
    " paid_back_at,"
    " gift_of IS NOT NULL AS given, EXISTS (SELECT 1 FROM share_requests g WHERE g.gift_of = r.id) AS passed_on,"
    " (SELECT json_group_array(json_object('id', i.id, 'request_id', i.request_id, 'number', i.number,"
    " 'amount_cents', i.amount_cents, 'reference', i.reference, 'due_on', i.due_on, 'status', i.status))"
    " FROM (SELECT * FROM share_instalments WHERE request_id = r.id ORDER BY number) i) AS instalments"
    " FROM share_requests r WHERE member_id = :member ORDER BY asked_at, id",
    (
        "kind",
        "shares",
        "amount_cents",
        "reference",
        "status",
        "asked_at",
        "decided_at",
        "solidarity",
        "given",
        "passed_on",
        "instalments",
        "paid_back_cents",
        "paid_back_at",
    ),
    lambda row: Kept(
        row["kind"],
        row["shares"],
        row["amount_cents"],
        row["reference"],
        row["status"],
        datetime.fromisoformat(row["asked_at"]),
        moment(row["decided_at"]),
        bool(row["solidarity"]),
        bool(row["given"]),
        bool(row["passed_on"]),
        [_instalment(found) for found in json.loads(row["instalments"])],
        row["paid_back_cents"] or 0,
        moment(row["paid_back_at"]),
    ),
)
