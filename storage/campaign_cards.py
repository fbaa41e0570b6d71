"""Campaign cards on members' screens (issue 15), so the bot can keep them up to date as a campaign grows.

A card is remembered when the bot shows it to a member: one per chat and campaign, the newest replaces the older.
A trigger (migration 0025) counts each change of a campaign's totals, supporters or status in the transaction
that makes it, and marks an edit round owed. Rounds (bot/campaign_live.py) are claimed at most every
`every` per campaign, so a burst of pledges costs one or two rounds, also across a restart.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Database, Row, rows_part

KEEP = timedelta(days=30)  # a card older than this is no longer edited
ROUNDS_AT_ONCE = 20  # campaigns one run claims; the rest the next run
FORGET_AT_ONCE = 500  # old cards one run forgets


@dataclass(frozen=True)
class Card:
    chat_id: int
    campaign_id: int
    member_id: int
    message_id: int
    caption: bool  # the card is a photo's caption, not a text
    language: str


@dataclass(frozen=True)
class Round:
    """Cards of this campaign that show less than `version` are behind."""

    campaign_id: int
    version: int


def _card(row: Row) -> Card:
    return Card(
        row["chat_id"], row["campaign_id"], row["member_id"], row["message_id"], bool(row["caption"]), row["language"]
    )


def remember(db: Database, card: Card, now: datetime) -> None:
    """The bot showed this card: it replaces the chat's older card of the campaign. A closed campaign's card
    shows its final state already, so it is not kept."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO campaign_cards (chat_id, campaign_id, member_id, message_id, caption, language, version,"
            " shown_at) SELECT ?, c.id, ?, ?, ?, ?, coalesce(ch.version, 0), ? FROM campaigns c"
            " LEFT JOIN campaign_changes ch ON ch.campaign_id = c.id WHERE c.id = ? AND c.status != 'closed'"
            " ON CONFLICT (chat_id, campaign_id) DO UPDATE SET member_id = excluded.member_id,"
            " message_id = excluded.message_id, caption = excluded.caption, language = excluded.language,"
            " version = excluded.version, shown_at = excluded.shown_at",
            (
                card.chat_id,
                card.member_id,
                card.message_id,
                int(card.caption),
                card.language,
                now.isoformat(),
                card.campaign_id,
            ),
        )


def claim_rounds(db: Database, now: datetime, every: timedelta) -> list[Round]:
    """Campaigns whose cards may be behind and whose last round began `every` ago or more: each claimed for
    a round now (the next one waits `every`)."""
    with db.transaction() as conn:
        rows = conn.execute(
            "UPDATE campaign_changes SET owed = 0, round_at = ? WHERE campaign_id IN (SELECT campaign_id"
            " FROM campaign_changes WHERE owed = 1 AND (round_at IS NULL OR round_at <= ?) LIMIT ?)"
            " RETURNING campaign_id, version",
            (now.isoformat(), (now - every).isoformat(), ROUNDS_AT_ONCE),
        ).fetchall()
    return sorted((Round(row["campaign_id"], row["version"]) for row in rows), key=lambda r: r.campaign_id)


def behind(db: Database, claimed: Round, limit: int) -> list[Card]:
    """Cards of the campaign that show an older state, at most `limit` (the rest in a next round)."""
    rows = db.fetchall(
        "SELECT * FROM campaign_cards WHERE campaign_id = ? AND version < ? ORDER BY version LIMIT ?",
        (claimed.campaign_id, claimed.version, limit),
    )
    return [_card(row) for row in rows]


def owe_again(db: Database, campaign_id: int) -> None:
    """Cards were left behind (too many for one round, or Telegram failed): the next round takes them."""
    with db.transaction() as conn:
        conn.execute("UPDATE campaign_changes SET owed = 1 WHERE campaign_id = ?", (campaign_id,))


def shown(db: Database, card: Card, version: int) -> None:
    """The card shows `version` now (unless the member opened a newer card meanwhile)."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE campaign_cards SET version = max(version, ?) WHERE chat_id = ? AND campaign_id = ?"
            " AND message_id = ?",
            (version, card.chat_id, card.campaign_id, card.message_id),
        )


def forget(db: Database, card: Card) -> None:
    """No more edits to this card: it shows the final state, or it is gone (deleted, the bot blocked)."""
    with db.transaction() as conn:
        conn.execute(
            "DELETE FROM campaign_cards WHERE chat_id = ? AND campaign_id = ? AND message_id = ?",
            (card.chat_id, card.campaign_id, card.message_id),
        )


def still_kept(db: Database, card: Card) -> bool:
    """Whether the card is still on the member's screen, checked right before an edit: a round takes seconds,
    and a tap meanwhile may have put another screen in its place (bot/campaign_live.py card_left)."""
    row = db.fetchone(
        "SELECT 1 FROM campaign_cards WHERE chat_id = ? AND campaign_id = ? AND message_id = ?",
        (card.chat_id, card.campaign_id, card.message_id),
    )
    return row is not None


def forget_message(db: Database, chat_id: int, message_id: int) -> None:
    """The member tapped a button on the card: another screen took its place."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM campaign_cards WHERE chat_id = ? AND message_id = ?", (chat_id, message_id))


def forget_old(db: Database, now: datetime) -> int:
    """Cards shown more than KEEP ago, a batch at a time; returns how many went."""
    with db.transaction() as conn:
        return conn.execute(
            "DELETE FROM campaign_cards WHERE rowid IN (SELECT rowid FROM campaign_cards WHERE shown_at < ?"
            " ORDER BY shown_at LIMIT ?)",
            ((now - KEEP).isoformat(), FORGET_AT_ONCE),
        ).rowcount


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the deletion's transaction: their cards are no longer edited (and their chat is forgotten)."""
    conn.execute("DELETE FROM campaign_cards WHERE member_id = ?", (member_id,))


@dataclass(frozen=True)
class Kept:
    """A card the bot keeps up to date on the member's screen, as "download my data" shows it."""

    campaign: str
    shown_at: datetime


# The member's kept cards, the newest first (for "download my data").
OF_MEMBER = rows_part(
    "SELECT c.title AS campaign, k.shown_at FROM campaign_cards k JOIN campaigns c ON c.id = k.campaign_id"
    " WHERE k.member_id = :member ORDER BY k.shown_at DESC",
    ("campaign", "shown_at"),
    lambda row: Kept(row["campaign"], datetime.fromisoformat(row["shown_at"])),
)
