"""Crowdfunding campaigns (issue 15): an organiser starts a campaign with a goal and an end date, members pledge
an amount and pay it by bank transfer with the pledge's reference, and an organiser marks a pledge ✅ received or
✖️ lapsed. The bot never holds money: it records what members promise and what organisers confirm.

All or nothing: the payment details go out only when the goal is reached, and pledges lapse when the campaign
closes short of it. Keep it all: the details go out at once. The totals on a card (pledged, received, supporters)
are kept right in the transaction that changes a pledge. Reaching the goal and closing write one message per
supporter in the same transaction (the outbox key makes it once); closing is due work the database decides, so
a restart closes what ended while the bot was down.
"""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage import audit, outbox
from storage.db import Database, Row, moment, rows_part
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

OPEN, REACHED, CLOSED = "open", "reached", "closed"
PLEDGED, RECEIVED, LAPSED = "pledged", "received", "lapsed"
# What organisers do (the audit log) and the member's message about it (the outbox): the same words.
STARTED_ACTION, RECEIVED_ACTION, LAPSED_ACTION = "campaign_started", "pledge_received", "pledge_lapsed"
ENDED_ACTION = "campaign_ended"  # an organiser ended it before its last day
# Messages to every supporter, once each.
GOAL_REACHED, CAMPAIGN_CLOSED = "campaign_reached", "campaign_closed"
KINDS = (RECEIVED_ACTION, LAPSED_ACTION, GOAL_REACHED, CAMPAIGN_CLOSED)
CLOSE_AT_ONCE = 20  # campaigns one run of the due work closes; the rest the next minute


@dataclass(frozen=True)
class Plan:
    """A campaign as an organiser made it, before it is published."""

    title: str
    purpose: str
    goal_cents: int
    ends_at: datetime
    all_or_nothing: bool
    photo: str | None  # a Telegram file_id


@dataclass(frozen=True)
class Campaign:
    id: int
    title: str
    purpose: str
    goal_cents: int
    ends_at: datetime
    all_or_nothing: bool
    photo: str | None
    status: str
    pledged_cents: int  # pledges not lapsed, received ones included; frozen as the result when it closes short
    received_cents: int
    supporters: int  # members with a pledge that did not lapse (at the close: that counted then)
    reached: bool  # the goal was reached once (it stays reached)

    def pays_now(self) -> bool:
        """Whether supporters get the payment details now: keep it all, or all or nothing that reached its goal."""
        return not self.all_or_nothing or self.reached

    def open_at(self, now: datetime) -> bool:
        return self.status != CLOSED and now < self.ends_at


def _campaign(row: Row) -> Campaign:
    return Campaign(
        id=row["id"],
        title=row["title"],
        purpose=row["purpose"],
        goal_cents=row["goal_cents"],
        ends_at=datetime.fromisoformat(row["ends_at"]),
        all_or_nothing=bool(row["all_or_nothing"]),
        photo=row["photo"],
        status=row["status"],
        pledged_cents=row["pledged_cents"],
        received_cents=row["received_cents"],
        supporters=row["supporters"],
        reached=bool(row["reached"]),
    )


@dataclass(frozen=True)
class Pledge:
    """A member's promise to give, and what became of it."""

    id: int
    campaign_id: int
    member_id: int
    amount_cents: int
    anonymous: bool
    reference: str | None
    status: str
    pledged_at: datetime
    decided_at: datetime | None
    decided_by: int | None  # None: by the bot (the campaign closed short, or the member left)
    first_name: str | None  # None after the account was deleted
    member_no: int | None
    left: bool  # the member deleted their account: money that comes now is paid back, never counted


def pledge_from(row: Row | Mapping[str, Any]) -> Pledge:
    return Pledge(
        id=row["id"],
        campaign_id=row["campaign_id"],
        member_id=row["member_id"],
        amount_cents=row["amount_cents"],
        anonymous=bool(row["anonymous"]),
        reference=row["reference"],
        status=row["status"],
        pledged_at=datetime.fromisoformat(row["pledged_at"]),
        decided_at=moment(row["decided_at"]),
        decided_by=row["decided_by"],
        first_name=row["first_name"],
        member_no=row["member_no"],
        left=bool(row["member_left"]),
    )


_PLEDGE = (
    "SELECT p.*, m.first_name, m.member_no, m.status = 'deleted' AS member_left"
    " FROM pledges p JOIN members m ON m.id = p.member_id"
)


def create(db: Database, plan: Plan, organiser_id: int, now: datetime) -> Campaign:
    """✅ Publish: members see the campaign under 🙌 Take part → 🎯 Crowdfunding from now on (logged)."""
    with db.transaction() as conn:
        row = conn.execute(
            "INSERT INTO campaigns (title, purpose, goal_cents, ends_at, all_or_nothing, photo, created_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (
                plan.title,
                plan.purpose,
                plan.goal_cents,
                plan.ends_at.isoformat(),
                int(plan.all_or_nothing),
                plan.photo,
                organiser_id,
                now.isoformat(),
            ),
        ).fetchone()
        audit.record(conn, organiser_id, STARTED_ACTION, None, now)
        return _campaign(row)


def get(db: Database, campaign_id: int) -> Campaign | None:
    row = db.fetchone("SELECT * FROM campaigns WHERE id = ?", (campaign_id,))
    return _campaign(row) if row else None


def current(conn: sqlite3.Connection, campaign_id: int) -> Campaign | None:
    row = conn.execute("SELECT * FROM campaigns WHERE id = ?", (campaign_id,)).fetchone()
    return _campaign(row) if row else None


def open_ones(db: Database, now: datetime, page: int) -> Page[Campaign]:
    """What members can pledge to, the one that ends soonest first."""
    rows = db.fetchall(
        "SELECT * FROM campaigns WHERE status != 'closed' AND ends_at > ? ORDER BY ends_at, id" + limit_offset(page),
        (now.isoformat(),),
    )
    return page_of(rows, page, _campaign)


def every(db: Database, page: int) -> Page[Campaign]:
    """Every campaign for organisers, the newest first."""
    rows = db.fetchall("SELECT * FROM campaigns ORDER BY created_at DESC, id DESC" + limit_offset(page))
    return page_of(rows, page, _campaign)


def pledge_with_reference(db: Database, reference: str) -> Pledge | None:
    """The pledge a payment's reference belongs to, as typed from a bank statement: spaces left out, any case."""
    row = db.fetchone(_PLEDGE + " WHERE p.reference = ?", ("".join(reference.split()).upper(),))
    return pledge_from(row) if row else None


def get_pledge(db: Database, pledge_id: int) -> Pledge | None:
    row = db.fetchone(_PLEDGE + " WHERE p.id = ?", (pledge_id,))
    return pledge_from(row) if row else None


def _current_pledge(conn: sqlite3.Connection, pledge_id: int) -> Pledge | None:
    row = conn.execute(_PLEDGE + " WHERE p.id = ?", (pledge_id,)).fetchone()
    return pledge_from(row) if row else None


def of_member(db: Database, campaign_id: int, member_id: int) -> list[Pledge]:
    """A member's own pledges to one campaign, the oldest first (a handful at most)."""
    rows = db.fetchall(
        _PLEDGE + " WHERE p.campaign_id = ? AND p.member_id = ? ORDER BY p.pledged_at, p.id LIMIT 20",
        (campaign_id, member_id),
    )
    return [pledge_from(row) for row in rows]


def pledges(db: Database, campaign_id: int, page: int) -> Page[Pledge]:
    """A campaign's pledges for organisers: those that wait for the money first (the oldest first), counted."""
    rows = db.fetchall(
        "SELECT p.*, m.first_name, m.member_no, m.status = 'deleted' AS member_left, count(*) OVER () AS total"
        " FROM pledges p"
        " JOIN members m ON m.id = p.member_id WHERE p.campaign_id = ?"
        " ORDER BY p.status != 'pledged', p.status, p.pledged_at, p.id" + limit_offset(page),
        (campaign_id,),
    )
    return page_of(rows, page, pledge_from, counted=True)


def _supports(conn: sqlite3.Connection, campaign_id: int, member_id: int) -> bool:
    """Whether the member has a pledge to this campaign that did not lapse."""
    return bool(
        conn.execute(
            "SELECT 1 FROM pledges WHERE campaign_id = ? AND member_id = ? AND status != 'lapsed' LIMIT 1",
            (campaign_id, member_id),
        ).fetchone()
    )


def _supporters(conn: sqlite3.Connection, campaign_id: int) -> list[int]:
    rows = conn.execute(
        "SELECT DISTINCT member_id FROM pledges WHERE campaign_id = ? AND status != 'lapsed'", (campaign_id,)
    ).fetchall()
    return [row[0] for row in rows]


def _tell_supporters(conn: sqlite3.Connection, campaign_id: int, kind: str, now: datetime, payload: dict) -> None:
    """One message to every supporter; its key makes it once per member."""
    messages = [
        Message(f"{kind}:{campaign_id}:{member}", kind, member, None, now, payload={"campaign": campaign_id, **payload})
        for member in _supporters(conn, campaign_id)
    ]
    outbox.add(conn, messages)


class Pledging(enum.Enum):
    PLEDGED = "pledged"
    ALREADY = "already"  # the same pledge a moment ago (a double tap): it comes back
    CLOSED = "closed"  # the campaign ended, or there is no such campaign


@dataclass(frozen=True)
class Pledged:
    outcome: Pledging
    pledge: Pledge | None
    campaign: Campaign | None  # as it is after the pledge


def pledge(
    db: Database,
    campaign_id: int,
    member_id: int,
    cents: int,
    anonymous: bool,
    now: datetime,
    reference: Callable[[int], str],
) -> Pledged:
    """A member pledges `cents` with its payment reference (`reference(id)`), while the campaign is open. The
    totals change in this transaction; the pledge that reaches the goal tells every supporter, once."""
    with db.transaction() as conn:
        campaign = current(conn, campaign_id)
        if campaign is None or not campaign.open_at(now):
            return Pledged(Pledging.CLOSED, None, campaign)
        new_supporter = not _supports(conn, campaign_id, member_id)
        row = conn.execute(
            "INSERT INTO pledges (campaign_id, member_id, amount_cents, anonymous, status, pledged_at)"
            " VALUES (?, ?, ?, ?, 'pledged', ?) ON CONFLICT DO NOTHING RETURNING id",
            (campaign_id, member_id, cents, int(anonymous), now.isoformat()),
        ).fetchone()
        if row is None:
            row = conn.execute(
                "SELECT id FROM pledges WHERE campaign_id = ? AND member_id = ? AND amount_cents = ?"
                " AND status = 'pledged'",
                (campaign_id, member_id, cents),
            ).fetchone()
            return Pledged(Pledging.ALREADY, _current_pledge(conn, row[0]), campaign)
        conn.execute("UPDATE pledges SET reference = ? WHERE id = ?", (reference(row[0]), row[0]))
        conn.execute(
            "UPDATE campaigns SET pledged_cents = pledged_cents + ?, supporters = supporters + ? WHERE id = ?",
            (cents, int(new_supporter), campaign_id),
        )
        reaches = conn.execute(
            "UPDATE campaigns SET reached = 1, status = 'reached' WHERE id = ? AND reached = 0"
            " AND pledged_cents >= goal_cents RETURNING id",
            (campaign_id,),
        ).fetchone()
        if reaches:
            # this pledge and later ones get their payment details on the screen at once: not sent again
            _tell_supporters(conn, campaign_id, GOAL_REACHED, now, {"reached_by": row[0]})
        return Pledged(Pledging.PLEDGED, _current_pledge(conn, row[0]), current(conn, campaign_id))


class Outcome(enum.Enum):
    DONE = "done"
    DECIDED = "decided"  # someone decided about it already
    GONE = "gone"  # no such pledge
    NOT_YET = "not_yet"  # all or nothing, and the goal is not reached: nobody pays yet, so nothing is received
    FAILED = "failed"  # all or nothing, closed without reaching the goal: nobody pays, so nothing is received
    LEFT = "left"  # the member deleted their account: a payment that comes now goes back, it is not counted


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    pledge: Pledge | None


def _lapse(conn: sqlite3.Connection, found: Pledge, decided_by: int | None, now: datetime) -> None:
    """A pledged amount that will not come: the totals go down, and the member stops counting as a supporter
    when it was their last pledge."""
    conn.execute(
        "UPDATE pledges SET status = 'lapsed', decided_by = ?, decided_at = ? WHERE id = ?",
        (decided_by, now.isoformat(), found.id),
    )
    conn.execute(
        "UPDATE campaigns SET pledged_cents = pledged_cents - ?, supporters = supporters - ? WHERE id = ?",
        (found.amount_cents, int(not _supports(conn, found.campaign_id, found.member_id)), found.campaign_id),
    )


def decide(db: Database, pledge_id: int, status: str, organiser_id: int, now: datetime) -> Decision:
    """✅ Received or ✖️ Lapsed: only a pledge that waits changes, once; the totals change, it is logged and the
    member is told, in this transaction. So two organisers confirming at once count it once. A payment that came
    after the pledge lapsed is still ✅ Received, while the campaign takes payments: it counts again; not when the
    member deleted their account (nobody to thank: the money is paid back)."""
    action = {RECEIVED: RECEIVED_ACTION, LAPSED: LAPSED_ACTION}[status]
    with db.transaction() as conn:
        found = _current_pledge(conn, pledge_id)
        if found is None:
            return Decision(Outcome.GONE, None)
        late = status == RECEIVED and found.status == LAPSED
        if found.status != PLEDGED and not late:
            return Decision(Outcome.DECIDED, found)
        campaign = current(conn, found.campaign_id)
        assert campaign is not None
        if status == RECEIVED and not campaign.pays_now():
            return Decision(Outcome.FAILED if campaign.status == CLOSED else Outcome.NOT_YET, found)
        if status == RECEIVED and found.left:
            return Decision(Outcome.LEFT, found)
        if late:  # it counts again: in the total, and the member as a supporter
            conn.execute(
                "UPDATE campaigns SET pledged_cents = pledged_cents + ?, supporters = supporters + ? WHERE id = ?",
                (found.amount_cents, int(not _supports(conn, found.campaign_id, found.member_id)), found.campaign_id),
            )
        if status == RECEIVED:
            conn.execute(
                "UPDATE pledges SET status = 'received', decided_by = ?, decided_at = ? WHERE id = ?",
                (organiser_id, now.isoformat(), pledge_id),
            )
            conn.execute(
                "UPDATE campaigns SET received_cents = received_cents + ? WHERE id = ?",
                (found.amount_cents, found.campaign_id),
            )
        else:
            _lapse(conn, found, organiser_id, now)
        audit.record(conn, organiser_id, action, found.member_id, now)
        told = Message(f"{action}:{pledge_id}", action, found.member_id, None, now, payload={"pledge": pledge_id})
        outbox.add(conn, [told])
        return Decision(Outcome.DONE, _current_pledge(conn, pledge_id))


def close_due(db: Database, now: datetime) -> int:
    """Campaigns past their end close, each once, also when the bot was down at that moment (`_close`). Returns
    how many closed."""
    with db.transaction() as conn:
        due = [
            _campaign(row)
            for row in conn.execute(
                "SELECT * FROM campaigns WHERE status != 'closed' AND ends_at <= ? ORDER BY ends_at, id LIMIT ?",
                (now.isoformat(), CLOSE_AT_ONCE),
            )
        ]
        for campaign in due:
            _close(conn, campaign, now)
        return len(due)


def _close(conn: sqlite3.Connection, campaign: Campaign, now: datetime) -> None:
    """Inside a transaction: the campaign closes and every supporter hears the result (the totals at closing); an
    all-or-nothing campaign short of its goal lets its pledges lapse (nobody pays)."""
    result = {"pledged": campaign.pledged_cents, "supporters": campaign.supporters}
    _tell_supporters(conn, campaign.id, CAMPAIGN_CLOSED, now, result)
    conn.execute("UPDATE campaigns SET status = 'closed', closed_at = ? WHERE id = ?", (now.isoformat(), campaign.id))
    if campaign.all_or_nothing and not campaign.reached:  # nobody pays; the totals stay as the result
        conn.execute(
            "UPDATE pledges SET status = 'lapsed', decided_at = ? WHERE campaign_id = ? AND status = 'pledged'",
            (now.isoformat(), campaign.id),
        )


def end_now(db: Database, campaign_id: int, organiser_id: int, now: datetime) -> bool:
    """🏁 End now: an open campaign closes before its last day, as it would on that day (logged); pledges that
    wait can still be paid where the campaign takes payments. False: it had ended already (a double tap, two
    organisers, or its day came)."""
    with db.transaction() as conn:
        campaign = current(conn, campaign_id)
        if campaign is None or not campaign.open_at(now):
            return False
        conn.execute("UPDATE campaigns SET ends_at = ? WHERE id = ?", (now.isoformat(), campaign_id))
        _close(conn, campaign, now)
        audit.record(conn, organiser_id, ENDED_ACTION, None, now)
        return True


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the deletion's transaction: pledges not paid lapse (nobody can pay them now) and the totals go
    down. Every pledge stays on the anonymous row with the member number: the law requires the cooperative to
    keep its financial records."""
    waiting = conn.execute(_PLEDGE + " WHERE p.member_id = ? AND p.status = 'pledged'", (member_id,))
    for found in [pledge_from(row) for row in waiting]:
        _lapse(conn, found, None, now)


@dataclass(frozen=True)
class Kept:
    """A pledge as "download my data" shows it."""

    campaign: str
    amount_cents: int
    anonymous: bool
    reference: str | None
    status: str
    pledged_at: datetime
    decided_at: datetime | None


# Every pledge of a member, the oldest first (for "download my data").
OF_MEMBER = rows_part(
    "SELECT c.title AS campaign, p.amount_cents, p.anonymous, p.reference, p.status, p.pledged_at, p.decided_at"
    " FROM pledges p JOIN campaigns c ON c.id = p.campaign_id WHERE p.member_id = :member ORDER BY p.pledged_at, p.id",
    ("campaign", "amount_cents", "anonymous", "reference", "status", "pledged_at", "decided_at"),
    lambda row: Kept(
        row["campaign"],
        row["amount_cents"],
        bool(row["anonymous"]),
        row["reference"],
        row["status"],
        datetime.fromisoformat(row["pledged_at"]),
        moment(row["decided_at"]),
    ),
)
