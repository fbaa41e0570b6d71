"""Money at scale (issue 15): how long members' money taps, the organisers' register and overview, and a round
of campaign card edits take, by number of members.

Storage only (storage/shares.py, campaigns.py, campaign_view.py, campaign_cards.py and income.py on a real
SQLite file in a temporary folder, synchronous=FULL as the bot runs it). Raw SQL seeds, in one transaction:
the active members, each holding one share paid some day in the last year; one open campaign that half of
them pledged to (one in two of those received, one in five anonymous); and one in ten members with that
campaign's card on their screen.

Measured (median and worst, ms, over --taps calls): the calls a member's tap makes on the event loop — a
pledge, opening the campaign's card (one read), a share purchase, ✅ Received on a pledge — and, off the loop
(`await`), the share register and the year's overview. A card round is the database work of one edit round
of bot/campaign_live.py (ROUND_EVERY): claiming it, the cards behind, and per card its read, the check that
it is still kept and marking it shown, for CARDS_A_ROUND cards; it runs on the loop between Telegram calls.

    python benchmarks/money.py [--members 1000 100000] [--taps 200]

Prints one JSON object per member count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.campaign_live import CARDS_A_ROUND, ROUND_EVERY
from bot.payments import reference
from storage import campaign_cards, campaign_view, campaigns, income, shares
from storage.db import Database, open_database

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
PRICE = 1000  # cents a share


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _timed(calls: list[Callable[[], Any]]) -> dict[str, float]:
    """Median and worst of the calls, in ms."""
    took = []
    for call in calls:
        started = time.perf_counter()
        call()
        took.append(time.perf_counter() - started)
    return {"p50_ms": round(statistics.median(took) * 1000, 3), "max_ms": round(max(took) * 1000, 3)}


async def _awaited(read: Callable[[], Any]) -> float:
    started = time.perf_counter()
    await read()
    return round((time.perf_counter() - started) * 1000, 1)


def _seed(db: Database, members: int) -> int:
    """Members with a share each, one campaign half of them pledged to, and the cards on their screens."""
    year_ago = NOW - timedelta(days=365)
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO members (id, telegram_id, first_name, language, status, created_at, member_no)"
            " VALUES (?, ?, ?, 'nl', 'active', ?, ?)",
            [(i, 10_000 + i, f"Lid {i}", year_ago.isoformat(), i) for i in range(1, members + 1)],
        )
        conn.executemany(
            "INSERT INTO share_requests (member_id, kind, shares, amount_cents, reference, status, asked_at,"
            " decided_by, decided_at) VALUES (?, 'buy', 1, ?, ?, 'received', ?, 1, ?)",
            [
                (i, PRICE, reference("SH", i), paid.isoformat(), paid.isoformat())
                for i in range(1, members + 1)
                for paid in [year_ago + timedelta(minutes=i % (365 * 24 * 60))]
            ],
        )
        campaign_id = conn.execute(
            "INSERT INTO campaigns (title, purpose, goal_cents, ends_at, all_or_nothing, created_by, created_at)"
            " VALUES ('Bankjes', 'Voor het plein', ?, ?, 0, 1, ?) RETURNING id",
            (members * 100_000, (NOW + timedelta(days=30)).isoformat(), (NOW - timedelta(days=30)).isoformat()),
        ).fetchone()[0]
        supporters = range(1, members + 1, 2)
        conn.executemany(
            "INSERT INTO pledges (campaign_id, member_id, amount_cents, anonymous, reference, status, pledged_at,"
            " decided_by, decided_at) VALUES (?, ?, 2500, ?, ?, ?, ?, ?, ?)",
            [
                (campaign_id, i, int(i % 5 == 0), reference("CF", i), status, at, by, decided)
                for i in supporters
                for at in [(NOW - timedelta(minutes=members - i)).isoformat()]
                for status, by, decided in [("received", 1, at) if i % 4 == 1 else ("pledged", None, None)]
            ],
        )
        conn.execute(
            "UPDATE campaigns SET pledged_cents = ?, received_cents = ?, supporters = ? WHERE id = ?",
            (2500 * len(supporters), 2500 * len(range(1, members + 1, 4)), len(supporters), campaign_id),
        )
        conn.executemany(
            "INSERT INTO campaign_cards (chat_id, campaign_id, member_id, message_id, caption, language, version,"
            " shown_at) VALUES (?, ?, ?, 1, 0, 'nl', 0, ?)",
            [(10_000 + i, campaign_id, i, NOW.isoformat()) for i in range(1, members + 1, 10)],
        )
    return campaign_id


async def measure(members: int, taps: int) -> dict:
    with tempfile.TemporaryDirectory(dir=".") as folder:
        return await measure_in(Path(folder), members, taps)


async def measure_in(folder: Path, members: int, taps: int) -> dict:
    db = await open_database(folder / "money.db")
    try:
        campaign_id = _seed(db, members)
        newcomers = list(range(2, members + 1, 2))[:taps]  # members who had not pledged yet
        readers = list(range(1, members + 1, max(1, members // taps)))[:taps]
        result: dict[str, Any] = {"members": members, "pledges": members // 2 + len(newcomers), "taps": taps}

        def pledge(i: int) -> Callable[[], Any]:
            return lambda: campaigns.pledge(
                db, campaign_id, i, 1000, False, NOW, lambda n: reference("CF", members + n)
            )

        def buy(i: int) -> Callable[[], Any]:
            return lambda: shares.ask_to_buy(db, i, 2, PRICE, NOW, lambda n: reference("SH", members + n))

        result["pledge"] = _timed([pledge(i) for i in newcomers])
        result["open_card"] = _timed([lambda i=i: campaign_view.seen_by(db, campaign_id, i) for i in readers])
        result["buy_shares"] = _timed([buy(i) for i in readers])
        waiting = [p.id for p in campaigns.of_member(db, campaign_id, newcomers[0])] + [
            p.id for i in newcomers[1:] for p in campaigns.of_member(db, campaign_id, i)
        ]
        result["pledge_received"] = _timed(
            [lambda p=p: campaigns.decide(db, p, campaigns.RECEIVED, 1, NOW) for p in waiting]
        )
        result["register_off_loop_ms"] = await _awaited(lambda: shares.register(db))
        first, following = date(NOW.year, 1, 1), date(NOW.year + 1, 1, 1)
        year = income.Period(first, following, _midnight(first), _midnight(following))
        result["overview_year_off_loop_ms"] = await _awaited(lambda: income.overview(db, year, NOW))
        result["card_round"] = _card_round(db)
        return result
    finally:
        await db.close()


def _card_round(db: Database) -> dict[str, Any]:
    """The database work of one edit round (bot/campaign_live.py _round), without Telegram."""
    later = NOW + ROUND_EVERY
    started = time.perf_counter()
    [claimed] = campaign_cards.claim_rounds(db, later, ROUND_EVERY)
    cards = campaign_cards.behind(db, claimed, CARDS_A_ROUND)
    for card in cards:
        campaign_view.seen_by(db, card.campaign_id, card.member_id)
        campaign_cards.still_kept(db, card)
        campaign_cards.shown(db, card, claimed.version)
    took = time.perf_counter() - started
    return {"cards": len(cards), "ms": round(took * 1000, 1), "per_card_ms": round(took * 1000 / len(cards), 3)}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--taps", type=int, default=200)
    args = parser.parse_args()
    for members in args.members:
        print(json.dumps(await measure(members, min(args.taps, members // 2))))


if __name__ == "__main__":
    asyncio.run(main())
