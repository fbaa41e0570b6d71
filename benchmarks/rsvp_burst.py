"""RSVP burst: N members each open the activity list, open one of 20 activities and tap ✅ at once.

Runs the real wijkbot Application against the local Telegram emulation on a
real SQLite file, and in the same run a bare PTB Application that only answers
the same messages and buttons, so the difference is what wijkbot itself costs.
Prints JSON: updates per second and p50/p99 handling time (from the moment PTB
starts on an update until its last handler is done).

    python benchmarks/rsvp_burst.py [--members 1000] [--activities 20] [--rate-limiter]

Without --rate-limiter both bots send as fast as they can; with it wijkbot uses
Telegram's 30 messages a second, which then sets the pace.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, MessageHandler, TypeHandler, filters

from bot.app import build_application
from bot.config import load_settings
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.request import EmulatedRequest
from bot.telegram_emulation.server import TelegramEmulator
from bot.update_processor import PerChatUpdateProcessor
from storage import activities, members
from storage.activities import Plan

TOKEN = "4242:benchmark"
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
FIRST_MEMBER_ID = 100_000


class Stopwatch:
    """Handling time per update, measured by a first and a last handler group."""

    def __init__(self) -> None:
        self.started: dict[int, float] = {}
        self.durations: list[float] = []

    def attach(self, application: Application) -> None:
        async def start(update: Update, _context: object) -> None:
            self.started[update.update_id] = time.perf_counter()

        async def stop(update: Update, _context: object) -> None:
            self.durations.append(time.perf_counter() - self.started.pop(update.update_id))

        application.add_handler(TypeHandler(Update, start), group=-99)
        application.add_handler(TypeHandler(Update, stop), group=99)

    def report(self, seconds: float) -> dict:
        ms = sorted(d * 1000 for d in self.durations)
        return {
            "updates": len(ms),
            "seconds": round(seconds, 2),
            "updates_per_second": round(len(ms) / seconds, 1),
            "handling_ms": {
                "p50": round(statistics.median(ms), 2),
                "p99": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2),
            },
        }


async def burst(people: list[Person], journey: Callable[[Person, int], Awaitable[None]]) -> float:
    """Everyone at once, each person's steps in order; returns the seconds it took."""
    began = time.perf_counter()
    await asyncio.gather(*(journey(person, n) for n, person in enumerate(people)))
    return time.perf_counter() - began


async def wijkbot_run(folder: Path, count: int, activity_count: int, rate_limit: bool) -> dict:
    settings = load_settings({"BOT_TOKEN": TOKEN, "WIJKBOT_DB": str(folder / "bench.db")}, env_file=folder / "none")
    emulator = TelegramEmulator(TOKEN)
    application = build_application(
        settings, request=lambda: EmulatedRequest(emulator), clock=lambda: NOW, run_scheduler=False, rate_limit=rate_limit
    )
    watch = Stopwatch()
    watch.attach(application)
    async with LocalBot(application, emulator) as local_bot:
        db = runtime_of(application).db
        places = max(1, count // activity_count * 3 // 4)  # some activities fill up: waiting lists too
        for n in range(activity_count):
            starts = NOW + timedelta(days=1 + n % 7, hours=n)
            await activities.create(db, Plan(f"Activiteit {n + 1}", "Voor iedereen.", starts, starts + timedelta(hours=2),
                                             "Buurthuis", places, 0, None), created_by=None, now=NOW)
        people = []
        for n in range(count):
            user_id = FIRST_MEMBER_ID + n
            await members.create(db, telegram_id=user_id, first_name=f"Lid {n}", language="nl", status="active", now=NOW)
            people.append(local_bot.person(f"Lid {n}", user_id=user_id))

        async def journey(person: Person, n: int) -> None:
            await person.send("📅 Activiteiten")
            await person.press(f"act:card:{1 + n % activity_count}")
            await person.tap("✅ Ik kom")

        seconds = await burst(people, journey)
        listed = await activities.upcoming(db, NOW)
    report = watch.report(seconds)
    report["checks"] = {
        "going": sum(a.going for a in listed),
        "waiting": sum(a.waiting for a in listed),
        "over_capacity": sum(a.going > a.capacity for a in listed),
    }
    return report


async def bare_run(count: int) -> dict:
    """A PTB application that only answers: a keyboard for the list, a toast and an edit for a tap."""
    emulator = TelegramEmulator(TOKEN)
    application = (
        ApplicationBuilder().token(TOKEN).request(EmulatedRequest(emulator)).get_updates_request(EmulatedRequest(emulator))
        .concurrent_updates(PerChatUpdateProcessor(64)).build()
    )
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("✅ Ik kom", callback_data="act:yes:1")]])

    async def open_list(update: Update, _context: object) -> None:
        await update.message.reply_text("Activiteiten", reply_markup=keyboard)

    async def tapped(update: Update, _context: object) -> None:
        await update.callback_query.answer("OK")
        await update.callback_query.edit_message_text(f"Getikt: {update.callback_query.data}", reply_markup=keyboard)

    application.add_handlers([MessageHandler(filters.TEXT, open_list), CallbackQueryHandler(tapped)])
    watch = Stopwatch()
    watch.attach(application)
    async with LocalBot(application, emulator) as local_bot:
        people = [local_bot.person(f"Lid {n}", user_id=FIRST_MEMBER_ID + n) for n in range(count)]

        async def journey(person: Person, n: int) -> None:
            await person.send("📅 Activiteiten")
            await person.press("act:card:1")
            await person.tap("✅ Ik kom")

        seconds = await burst(people, journey)
    return watch.report(seconds)


async def main(arguments: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        wijkbot = await wijkbot_run(Path(folder), arguments.members, arguments.activities, arguments.rate_limiter)
    return {
        "members": arguments.members,
        "activities": arguments.activities,
        "rate_limiter": arguments.rate_limiter,
        "wijkbot": wijkbot,
        "bare_ptb": await bare_run(arguments.members),
        "python": sys.version.split()[0],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--activities", type=int, default=20)
    parser.add_argument("--rate-limiter", action="store_true", help="send at Telegram's 30 messages a second")
    print(json.dumps(asyncio.run(main(parser.parse_args())), indent=2))
