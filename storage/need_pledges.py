"""One member's pledge to a campaign's need and the need's count, changed together inside the caller's
transaction (issue 15). storage/campaign_needs.py pledges and withdraws with it; a help need that became a
volunteer shift follows that shift (storage/shifts.py): who takes a place on it has pledged to the need, who
gives their place back (or leaves) has withdrawn. So the card, 📋 Who and the shift always agree.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

HELPER = 1  # a help pledge, or a place on the shift made of it: one person


def add(conn: sqlite3.Connection, need_id: int, member_id: int, amount: int, now: datetime) -> bool:
    """The member pledges `amount` (their withdrawn pledge is pledged again); False: pledged already."""
    row = conn.execute(
        "INSERT INTO need_pledges (need_id, member_id, amount, status, pledged_at) VALUES (?, ?, ?, 'pledged', ?)"
        " ON CONFLICT (need_id, member_id) DO UPDATE SET amount = excluded.amount, status = 'pledged',"
        " pledged_at = excluded.pledged_at, withdrawn_at = NULL WHERE need_pledges.status = 'withdrawn'"
        " RETURNING amount",
        (need_id, member_id, amount, now.isoformat()),
    ).fetchone()
    if row is not None:
        conn.execute("UPDATE campaign_needs SET pledged = pledged + ? WHERE id = ?", (amount, need_id))
    return row is not None


def withdraw(conn: sqlite3.Connection, need_id: int, member_id: int, now: datetime) -> bool:
    """The member's pledge is withdrawn and the count goes down; False: there was none."""
    row = conn.execute(
        "UPDATE need_pledges SET status = 'withdrawn', withdrawn_at = ? WHERE need_id = ? AND member_id = ?"
        " AND status = 'pledged' RETURNING amount",
        (now.isoformat(), need_id, member_id),
    ).fetchone()
    if row is not None:
        conn.execute("UPDATE campaign_needs SET pledged = pledged - ? WHERE id = ?", (row[0], need_id))
    return row is not None


def _made_of(conn: sqlite3.Connection, shift_id: int) -> int | None:
    """The need a shift was made of, if any."""
    row = conn.execute("SELECT id FROM campaign_needs WHERE shift_id = ?", (shift_id,)).fetchone()
    return row[0] if row else None


def place_taken(conn: sqlite3.Connection, shift_id: int, member_id: int, now: datetime) -> None:
    """A member took a place on a shift: they help with the need it was made of."""
    need_id = _made_of(conn, shift_id)
    if need_id is not None:
        add(conn, need_id, member_id, HELPER, now)


def place_freed(conn: sqlite3.Connection, shift_id: int, member_id: int, now: datetime) -> None:
    """A member's place on a shift is free again: their help with the need it was made of is withdrawn."""
    need_id = _made_of(conn, shift_id)
    if need_id is not None:
        withdraw(conn, need_id, member_id, now)
