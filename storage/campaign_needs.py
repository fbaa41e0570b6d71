"""What a crowdfunding campaign asks for besides money (issue 15): help ("5 people to paint on Saturday") or
things ("paint and brushes"), each with how many are wanted, as Goteo does. Members pledge them; organisers see
who (a list they can call) and can turn a help need into a volunteer shift with its pledgers on it. From then
on the need follows the shift: taking or giving back a place there pledges or withdraws (storage/need_pledges.py).

A need takes pledges while its campaign is open: closing the campaign ends its needs. One pledge per member per
need (a UNIQUE key: a double tap pledges once), and the count on the card is kept right in the transaction that
changes a pledge, never above what is wanted.
"""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage import audit, campaigns, need_pledges, outbox, shifts
from storage.campaigns import Campaign
from storage.db import Database, Row, moment, rows_part
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

HELP, THING = "help", "thing"
PLEDGED, WITHDRAWN = "pledged", "withdrawn"
MOST_NEEDS = 5  # per campaign
ADDED_ACTION, SHIFT_ACTION = "campaign_need_added", "campaign_need_shift"  # the audit log
ON_SHIFT = "need_shift"  # the message to a pledger who was put on the shift
KINDS = (ON_SHIFT,)


@dataclass(frozen=True)
class Need:
    id: int
    campaign_id: int
    kind: str
    text: str
    wanted: int
    pledged: int  # pledges not withdrawn, summed
    shift_id: int | None  # 📅 Make a shift: the shift it became

    @property
    def left(self) -> int:
        return self.wanted - self.pledged


def need_from(row: Row | Mapping[str, Any]) -> Need:
    return Need(row["id"], row["campaign_id"], row["kind"], row["text"], row["wanted"], row["pledged"], row["shift_id"])


def _current(conn: sqlite3.Connection, need_id: int) -> Need | None:
    row = conn.execute("SELECT * FROM campaign_needs WHERE id = ?", (need_id,)).fetchone()
    return need_from(row) if row else None


def _campaign_open(conn: sqlite3.Connection, campaign_id: int, now: datetime) -> bool:
    row = conn.execute(
        "SELECT 1 FROM campaigns WHERE id = ? AND status != 'closed' AND ends_at > ?", (campaign_id, now.isoformat())
    ).fetchone()
    return row is not None


def get(db: Database, need_id: int) -> Need | None:
    row = db.fetchone("SELECT * FROM campaign_needs WHERE id = ?", (need_id,))
    return need_from(row) if row else None


def of_campaign(db: Database, campaign_id: int) -> list[Need]:
    """A campaign's needs in the order they were added (MOST_NEEDS at most)."""
    rows = db.fetchall("SELECT * FROM campaign_needs WHERE campaign_id = ? ORDER BY id", (campaign_id,))
    return [need_from(row) for row in rows]


class Adding(enum.Enum):
    ADDED = "added"
    ENOUGH = "enough"  # the campaign has MOST_NEEDS needs already
    CLOSED = "closed"  # the campaign ended, or there is no such campaign


def add(db: Database, campaign_id: int, kind: str, text: str, wanted: int, organiser_id: int, now: datetime) -> Adding:
    """➕ Ask for help or things: a need on an open campaign, at most MOST_NEEDS of them (logged)."""
    with db.transaction() as conn:
        if not _campaign_open(conn, campaign_id, now):
            return Adding.CLOSED
        count = conn.execute("SELECT count(*) FROM campaign_needs WHERE campaign_id = ?", (campaign_id,)).fetchone()
        if count[0] >= MOST_NEEDS:
            return Adding.ENOUGH
        conn.execute(
            "INSERT INTO campaign_needs (campaign_id, kind, text, wanted, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (campaign_id, kind, text, wanted, organiser_id, now.isoformat()),
        )
        audit.record(conn, organiser_id, ADDED_ACTION, None, now)
        return Adding.ADDED


class Pledging(enum.Enum):
    PLEDGED = "pledged"
    ALREADY = "already"  # pledged before (a double tap): nothing changes
    FULL = "full"  # fewer are still wanted than this
    CLOSED = "closed"  # the campaign ended, the need became a shift, or there is no such need


@dataclass(frozen=True)
class Pledged:
    outcome: Pledging
    need: Need | None  # as it is now; None: no such need (of that kind)
    campaign: Campaign | None = None  # its campaign as it is now, to show the card again


def _pledged(conn: sqlite3.Connection, outcome: Pledging, need: Need) -> Pledged:
    return Pledged(outcome, need, campaigns.current(conn, need.campaign_id))


def pledge(db: Database, need_id: int, kind: str, member_id: int, amount: int, now: datetime) -> Pledged:
    """🙋 I help / 📦 I bring: `amount` of a need of this kind, while its campaign is open and that many are
    still wanted."""
    with db.transaction() as conn:
        need = _current(conn, need_id)
        if need is None or need.kind != kind:
            return Pledged(Pledging.CLOSED, None)
        if need.shift_id is not None or not _campaign_open(conn, need.campaign_id, now):
            return _pledged(conn, Pledging.CLOSED, need)
        if conn.execute(
            "SELECT 1 FROM need_pledges WHERE need_id = ? AND member_id = ? AND status = 'pledged'",
            (need_id, member_id),
        ).fetchone():
            return _pledged(conn, Pledging.ALREADY, need)
        if amount > need.left:
            return _pledged(conn, Pledging.FULL, need)
        need_pledges.add(conn, need_id, member_id, amount, now)
        return _pledged(conn, Pledging.PLEDGED, _current(conn, need_id) or need)


def withdraw(db: Database, need_id: int, member_id: int, now: datetime) -> Pledged:
    """↩️ Withdraw: the member's own pledge, while the campaign is open (a shift made of it is given back there)."""
    with db.transaction() as conn:
        need = _current(conn, need_id)
        if need is None:
            return Pledged(Pledging.CLOSED, None)
        if need.shift_id is not None or not _campaign_open(conn, need.campaign_id, now):
            return _pledged(conn, Pledging.CLOSED, need)
        if not need_pledges.withdraw(conn, need_id, member_id, now):
            return _pledged(conn, Pledging.ALREADY, need)
        return _pledged(conn, Pledging.PLEDGED, _current(conn, need_id) or need)


@dataclass(frozen=True)
class Pledger:
    """Who pledged, for the organisers' call list: the name also when others may not see it."""

    member_id: int
    first_name: str | None
    member_no: int | None
    phone: str | None
    amount: int


def _pledger(row: Row) -> Pledger:
    return Pledger(row["member_id"], row["first_name"], row["member_no"], row["phone"], row["amount"])


_PLEDGER = (
    "SELECT p.member_id, p.amount, m.first_name, m.member_no, m.phone{total} FROM need_pledges p"
    " JOIN members m ON m.id = p.member_id WHERE p.need_id = ? AND p.status = 'pledged' ORDER BY p.pledged_at, p.id"
)


def pledgers(db: Database, need_id: int, page: int) -> Page[Pledger]:
    """📋 Who: the members who pledged to a need, the first first, counted."""
    rows = db.fetchall(_PLEDGER.format(total=", count(*) OVER () AS total") + limit_offset(page), (need_id,))
    return page_of(rows, page, _pledger, counted=True)


class Shifting(enum.Enum):
    MADE = "made"
    ALREADY = "already"  # it became a shift before (a double tap)
    GONE = "gone"  # no such need, or not a need for help


@dataclass(frozen=True)
class MadeShift:
    outcome: Shifting
    need: Need | None
    placed: int = 0  # pledgers put on the shift


def make_shift(db: Database, need_id: int, plan: shifts.Plan, organiser_id: int, now: datetime) -> MadeShift:
    """📅 Make a shift: a volunteer shift with the need's places, every pledger put on it (each gets the
    reminder shifts plan, and a message now), logged; all in one transaction, so a double tap makes one."""
    with db.transaction() as conn:
        need = _current(conn, need_id)
        if need is None or need.kind != HELP:
            return MadeShift(Shifting.GONE, need)
        if need.shift_id is not None:  # a double tap, or another organiser: how many are on it now
            on_it = conn.execute("SELECT taken FROM shifts WHERE id = ?", (need.shift_id,)).fetchone()
            return MadeShift(Shifting.ALREADY, need, on_it[0] if on_it else 0)
        shift = shifts.insert(conn, plan, plan.starts_at, plan.ends_at, organiser_id, now)
        pledgers = conn.execute(_PLEDGER.format(total=""), (need_id,)).fetchall()
        placed = [
            p["member_id"]
            for p in pledgers
            if shifts.take_in(conn, shift.id, p["member_id"], now) is shifts.Taken.TAKEN
        ]
        conn.execute("UPDATE campaign_needs SET shift_id = ? WHERE id = ?", (shift.id, need_id))
        audit.record(conn, organiser_id, SHIFT_ACTION, None, now)
        payload = {"shift": shift.id, "need": need_id}
        told = [Message(f"{ON_SHIFT}:{need_id}:{m}", ON_SHIFT, m, None, now, shift.starts_at, payload) for m in placed]
        outbox.add(conn, told)
        return MadeShift(Shifting.MADE, _current(conn, need_id), len(placed))


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the deletion's transaction: the member's pledges are withdrawn and the counts go down."""
    rows = conn.execute(
        "SELECT need_id FROM need_pledges WHERE member_id = ? AND status = 'pledged'", (member_id,)
    ).fetchall()
    for row in rows:
        need_pledges.withdraw(conn, row[0], member_id, now)


@dataclass(frozen=True)
class Kept:
    """A need pledge as "download my data" shows it."""

    campaign: str
    kind: str
    need: str
    amount: int
    status: str
    pledged_at: datetime
    withdrawn_at: datetime | None


# Every need pledge of a member, the oldest first (for "download my data").
OF_MEMBER = rows_part(
    "SELECT c.title AS campaign, n.kind, n.text AS need, p.amount, p.status, p.pledged_at, p.withdrawn_at"
    " FROM need_pledges p JOIN campaign_needs n ON n.id = p.need_id JOIN campaigns c ON c.id = n.campaign_id"
    " WHERE p.member_id = :member ORDER BY p.pledged_at, p.id",
    ("campaign", "kind", "need", "amount", "status", "pledged_at", "withdrawn_at"),
    lambda row: Kept(
        row["campaign"],
        row["kind"],
        row["need"],
        row["amount"],
        row["status"],
        datetime.fromisoformat(row["pledged_at"]),
        moment(row["withdrawn_at"]),
    ),
)
