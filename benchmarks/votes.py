"""Votes at scale: how long opening, one ballot, and closing hold the event loop, by number of members.

Storage only (storage/votes.py on a real SQLite file in a temporary folder, synchronous=FULL as the bot
runs it): opening a vote fixes its voters and writes the opening news and the reminder for each of them;
a ballot is one transaction; closing a secret vote writes the result for each voter and deletes the
ballots. All three run on the event loop, so each number is also how long every member waits then.

    python benchmarks/votes.py [--members 1000 100000] [--ballots 2000]

Prints one JSON object per member count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage import votes
from storage.db import open_database
from storage.tally import ABSTAIN, AGAINST, FOR, FOR_AGAINST
from storage.votes import Plan, PlannedOption

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


async def measure(members: int, ballots: int) -> dict:
    with tempfile.TemporaryDirectory(dir=".") as folder:
        return await measure_in(Path(folder), members, ballots)


async def measure_in(folder: Path, members: int, ballots: int) -> dict:
    db = await open_database(folder / "votes.db")
    try:
        with db.transaction() as conn:
            conn.executemany(
                "INSERT INTO members (telegram_id, first_name, language, status, created_at, member_no)"
                " VALUES (?, ?, 'nl', 'active', ?, ?)",
                [(10_000 + i, f"Lid {i}", NOW.isoformat(), i + 1) for i in range(members)],
            )
        options = tuple(PlannedOption(label) for label in (FOR, AGAINST, ABSTAIN))
        plan = Plan("Bankjes", "Zullen we?", FOR_AGAINST, True, False, 0, "half", NOW, NOW + timedelta(days=3), options)
        started = time.perf_counter()
        vote = votes.create(db, plan, created_by=None, now=NOW)
        opening = time.perf_counter() - started
        member_ids = [row[0] for row in db.fetchall("SELECT id FROM members LIMIT ?", (ballots,))]
        taps = []
        for member_id in member_ids:
            started = time.perf_counter()
            votes.cast(db, vote.id, member_id, vote.options[0].id, NOW)
            taps.append(time.perf_counter() - started)
        started = time.perf_counter()
        votes.close_due(db, NOW + timedelta(days=4))
        closing = time.perf_counter() - started
        return {
            "members": members,
            "open_ms": round(opening * 1000, 1),
            "ballot_p50_ms": round(statistics.median(taps) * 1000, 3),
            "ballot_max_ms": round(max(taps) * 1000, 3),
            "ballots": len(taps),
            "close_secret_ms": round(closing * 1000, 1),
        }
    finally:
        await db.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--ballots", type=int, default=2000)
    args = parser.parse_args()
    for members in args.members:
        print(json.dumps(await measure(members, min(args.ballots, members))))


if __name__ == "__main__":
    asyncio.run(main())
