"""The cooperative's income (issue 15): what organisers record by hand, and the overview for funders and the
members' meeting.

Organisers record income that the bot cannot see (a subsidy, a fund, room rent or activity money paid another
way, contributions, other) with its source, amount, day and a short note. Income the bot knows is counted from
its own tables and never recorded twice: shares and pledges whose payment an organiser confirmed in the period,
confirmed room bookings that take place in it, and paid activities held in it (the price times who was ticked
as there). Money paid back (shares sold back, and what came for a share purchase that lapsed) is money out in
the month it went out, shown beside the income: the income stays in the month the money came. A recorded amount
is never changed: a mistake is ✖️ removed (the row stays, marked, and logged) and recorded again. That keeps one
simple rule for organisers and the whole history for the treasurer; a chain of corrections would make every total
depend on following it.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import date, datetime

from storage import activities, audit, shifts
from storage.activities import MonthReport
from storage.db import Database, Row, moment
from storage.paging import Page, limit_offset, page_of

# Recorded by hand, in the order an organiser picks them.
SUBSIDY, FUND, ROOMS, ACTIVITIES = "subsidy", "fund", "rooms", "activities"
CONTRIBUTIONS, OTHER = "contributions", "other"
RECORDED = (SUBSIDY, FUND, ROOMS, ACTIVITIES, CONTRIBUTIONS, OTHER)
# Counted by the bot from its own tables.
SHARES, PLEDGES, BOOKINGS, FEES = "shares", "pledges", "bookings", "fees"
COUNTED = (SHARES, PLEDGES, BOOKINGS, FEES)
SOURCES = COUNTED + RECORDED  # the order of the overview
MOST_CENTS = 100_000_000  # € 1.000.000: more in one entry is a typing mistake
MAX_NOTE = 100
RECORDED_ACTION, REMOVED_ACTION = "income_recorded", "income_removed"


@dataclass(frozen=True)
class Entry:
    """Income as an organiser typed it, before ✅ Save."""

    source: str
    amount_cents: int
    received_on: date
    note: str


@dataclass(frozen=True)
class Income:
    id: int
    entry: Entry
    recorded_at: datetime
    removed_at: datetime | None


def _income(row: Row) -> Income:
    entry = Entry(row["source"], row["amount_cents"], date.fromisoformat(row["received_on"]), row["note"])
    return Income(row["id"], entry, datetime.fromisoformat(row["recorded_at"]), moment(row["removed_at"]))


def record(db: Database, entry: Entry, organiser_id: int, now: datetime) -> Income:
    """✅ Save: the income counts from now on (logged)."""
    if entry.source not in RECORDED:
        raise ValueError(f"{entry.source!r} is not a source organisers record")
    if not 0 < entry.amount_cents <= MOST_CENTS:
        raise ValueError(f"{entry.amount_cents} cents is not from 1 to {MOST_CENTS}")
    if len(entry.note) > MAX_NOTE:
        raise ValueError(f"a note of {len(entry.note)} characters is longer than {MAX_NOTE}")
    with db.transaction() as conn:
        row = conn.execute(
            "INSERT INTO income (source, amount_cents, received_on, note, recorded_by, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
            (
                entry.source,
                entry.amount_cents,
                entry.received_on.isoformat(),
                entry.note,
                organiser_id,
                now.isoformat(),
            ),
        ).fetchone()
        audit.record(conn, organiser_id, RECORDED_ACTION, None, now)
        return _income(row)


def get(db: Database, income_id: int) -> Income | None:
    row = db.fetchone("SELECT * FROM income WHERE id = ?", (income_id,))
    return _income(row) if row else None


def recorded(db: Database, page: int) -> Page[Income]:
    """Recorded income that counts, the latest day first."""
    rows = db.fetchall(
        "SELECT * FROM income WHERE removed_at IS NULL ORDER BY received_on DESC, id DESC" + limit_offset(page)
    )
    return page_of(rows, page, _income)


class Removal(enum.Enum):
    DONE = "done"
    ALREADY = "already"  # removed before (a double tap, or another organiser)
    GONE = "gone"  # no such income


def remove(db: Database, income_id: int, organiser_id: int, now: datetime) -> Removal:
    """✖️ Remove: the income no longer counts; the row stays, marked, and the removal is logged. Once."""
    with db.transaction() as conn:
        changed = conn.execute(
            "UPDATE income SET removed_by = ?, removed_at = ? WHERE id = ? AND removed_at IS NULL RETURNING id",
            (organiser_id, now.isoformat(), income_id),
        ).fetchone()
        if changed is None:
            found = conn.execute("SELECT 1 FROM income WHERE id = ?", (income_id,)).fetchone()
            return Removal.ALREADY if found else Removal.GONE
        audit.record(conn, organiser_id, REMOVED_ACTION, None, now)
        return Removal.DONE


@dataclass(frozen=True)
class Period:
    """A month or a year: its local days [first_day, next_day) and the same as UTC moments [start, end)."""

    first_day: date
    next_day: date
    start: datetime
    end: datetime


@dataclass(frozen=True)
class CampaignPart:
    """A campaign that ran in the period, and what came in for it then."""

    title: str
    goal_cents: int
    pledged_cents: int  # all pledges not lapsed, up to now
    received_cents: int  # confirmed in the period
    reached: bool


@dataclass(frozen=True)
class Overview:
    income: dict[str, int]  # cents by source, every source of SOURCES in that order
    shares_issued: int  # shares whose payment was confirmed in the period
    shares_paid_back: int
    paid_back_cents: int  # money out, not part of the income
    refunded_cents: int  # money out too: what came for share purchases that lapsed, paid back in the period
    campaigns: list[CampaignPart]
    participation: MonthReport
    volunteers: int
    volunteer_minutes: int

    @property
    def total_cents(self) -> int:
        return sum(self.income.values())


def _sum(what: str, table: str, status: str, when: str, also: str = "") -> str:
    """A subquery: the sum of `what` over the rows of `table` with `status` whose time `when` is in the period."""
    where = f"status = '{status}' AND :s <= {when} AND {when} < :e{also}"
    return f" (SELECT coalesce(sum({what}), 0) FROM {table} WHERE {where})"


_FIGURES = (
    "SELECT"
    + ",".join(
        [
            # money for shares when it came: a purchase paid at once, or each instalment (also of one that lapsed later)
            _sum("amount_cents", "share_requests", "received", "decided_at", " AND instalments = 1")
            + " +"
            + _sum("amount_cents", "share_instalments", "received", "decided_at"),
            _sum("shares", "share_requests", "received", "decided_at", " AND gift_of IS NULL"),  # issued when paid
            _sum("shares", "share_requests", "paid", "decided_at"),
            _sum("amount_cents", "share_requests", "paid", "decided_at"),
            # paid back when it went out; the income stays in the month it came
            _sum("paid_back_cents", "share_requests", "lapsed", "paid_back_at"),
            _sum("amount_cents", "pledges", "received", "decided_at"),
            _sum("price_cents", "room_bookings", "confirmed", "starts_at"),
        ]
    )
    + ", (SELECT coalesce(sum(a.cost_cents * (SELECT count(*) FROM attendance t WHERE t.activity_id = a.id)), 0)"
    "  FROM activities a WHERE a.cost_cents > 0 AND a.cancelled_at IS NULL AND a.starts_at < :now"
    "  AND :s <= a.starts_at AND a.starts_at < :e),"
    " (SELECT json_group_object(source, cents) FROM (SELECT source, sum(amount_cents) AS cents FROM income"
    "  WHERE removed_at IS NULL AND :first <= received_on AND received_on < :next GROUP BY source))"
)
_CAMPAIGNS = (
    "SELECT c.title, c.goal_cents, c.pledged_cents, c.reached, (SELECT coalesce(sum(p.amount_cents), 0)"
    "  FROM pledges p WHERE p.campaign_id = c.id AND p.status = 'received' AND :s <= p.decided_at"
    "  AND p.decided_at < :e) AS received"
    " FROM campaigns c WHERE c.created_at < :e AND (c.closed_at IS NULL OR c.closed_at >= :s)"
    " ORDER BY c.created_at, c.id"
)


async def overview(db: Database, period: Period, now: datetime) -> Overview:
    """Income by source, shares, campaigns and participation in a period: long reads, off the loop. The money
    figures come from one statement, so they are of one moment of the data."""
    params = {
        "s": period.start.isoformat(),
        "e": period.end.isoformat(),
        "now": now.isoformat(),
        "first": period.first_day.isoformat(),
        "next": period.next_day.isoformat(),
    }
    [row] = await db.read(_FIGURES, params)
    shares_cents, issued, back, back_cents, refunded_cents, pledges_cents, bookings_cents, fees_cents, by_hand = row
    income = {SHARES: shares_cents, PLEDGES: pledges_cents, BOOKINGS: bookings_cents, FEES: fees_cents}
    income |= {source: 0 for source in RECORDED} | json.loads(by_hand)
    campaigns = [
        CampaignPart(r["title"], r["goal_cents"], r["pledged_cents"], r["received"], bool(r["reached"]))
        for r in await db.read(_CAMPAIGNS, params)
    ]
    report = await activities.month_report(db, period.start, period.end, now)
    hours = await shifts.hours_between(db, period.start, period.end)
    return Overview(
        income={source: income[source] for source in SOURCES},
        shares_issued=issued,
        shares_paid_back=back,
        paid_back_cents=back_cents,
        refunded_cents=refunded_cents,
        campaigns=campaigns,
        participation=report,
        volunteers=len(hours),
        volunteer_minutes=sum(h.minutes for h in hours),
    )


async def recorded_in(db: Database, period: Period) -> list[Income]:
    """The recorded income of a period that counts, by day (the file's lines)."""
    rows = await db.read(
        "SELECT * FROM income WHERE removed_at IS NULL AND ? <= received_on AND received_on < ?"
        " ORDER BY received_on, id",
        (period.first_day.isoformat(), period.next_day.isoformat()),
    )
    return [_income(row) for row in rows]
