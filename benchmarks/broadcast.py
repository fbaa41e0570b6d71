"""Broadcast: one announcement to N members, sent by `wijkbot run` under Telegram's limits, while members tap.

The bot runs as its own process (the installed `wijkbot run`, started, signalled
and waited for by benchmarks/reminders.py's `Bot`) against the project's HTTP
emulation of the Bot API, which runs inside this benchmark with Telegram's flood
limits enforced (bot/telegram_emulation/server.py `enforce_limits`): a new
message beyond 30 in any second, or a second one to the same chat within a
second, is answered 429 with retry_after. Edits and answers to taps are not
new messages and are not refused.

The data file is made as reminders.py makes it (members with telegram ids
10001..., one activity that everyone comes to), without its reminders; one
member in four reads English. Then storage.announcements.create writes one
announcement to everyone (Dutch original and an English version; --photo: with
a photo by file_id; --confirm: with ✅ Understood), due now, before the bot
starts: the bot's own scheduler and sender write its recipients and send it.
Member 1 is the organiser (ORGANISER_IDS) who wrote it; a message in their chat
is its progress message, which the bot edits while it sends. If quiet hours would
hold it at this hour, the bot gets a time zone where it is day (as reminders.py).

    python benchmarks/broadcast.py [--members 2000] [--tappers 10] [--latency MS] [--photo] [--confirm]
    python benchmarks/broadcast.py --crash 5 [--members 2000] [--seed N] [--wait-real]

Without --crash: prints messages a second from the first to the last delivery
(goal >= 28.5 against the 30 a second allowed), the most delivered in any one
second, all new messages and edits a second meanwhile (replies to taps too),
seconds from the bot's start to the first and to the last delivery, the 429s
the emulation answered (goal 0) and to which calls, and the reply time of
--tappers members who, during the broadcast, tap a button every second
(alternately an activity's card and the list, each answered with an edit):
from handing the tap to the emulation until the bot's edit arrives there,
p50/p99 (goal p99 <= 1 s) while the broadcast runs. Each tapper first types
📅 Activiteiten once, to have a message with buttons. Also: members who got it
none or more than once, the announcement's counts as the data file keeps them.
--latency MS makes each Bot API call take that long before the emulation handles
it, as Telegram's round trip over the internet does (loopback takes about 1 ms).

With --crash N: no tappers; the bot is killed with SIGKILL at N moments (random
numbers of members reached, seeded by --seed), each from inside the emulator as
it records that delivery, before the bot has its answer (the worst moment: the
message arrived, the bot cannot mark it sent), and started again. As in
reminders.py, the claims of a killed bot are moved a minute back in time in the
data file before the restart, instead of waiting STALE_CLAIM (--wait-real waits).
Prints per-member deliveries: lost (goal 0) and duplicated (goal <= 1 per kill),
each kill as reminders.py reports it, and the 429s.
A benchmark: it measures and never fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reminders import (
    FIRST_TELEGRAM_ID,
    TOKEN,
    UP_SECONDS,
    Bot,
    WatchedTelegram,
    age_claims,
    blame,
    bot_constants,
    counted,
    kill_report,
    pick_timezone,
    quiet_about_closed_polls,
    seed,
    settings,
    stderr_problems,
    until,
)
from rsvp_burst import percentiles

from bot.telegram_emulation.http import EmulatorHttpServer
from bot.telegram_emulation.server import SENDS
from storage import announcements
from storage.db import open_database

MARK = "Buurtnieuws 4242"  # in every version of the announcement: how the emulator knows a delivery
TEXTS = {
    "nl": f"📢 {MARK}: zaterdag is de markt op het plein. Kom ook!",
    "en": f"📢 {MARK}: on Saturday the market is on the square. Please come!",
}
PHOTO = "AgACbenchmarkphoto"
LIST = "📅 Activiteiten"
TAP_EVERY_SECONDS = 1.0
REPLY_WAIT_SECONDS = 30.0  # a reply not there by then counts as missing
CHAT_MESSAGES = {*SENDS, "editMessageText", "editMessageCaption", "editMessageReplyMarkup"}
GOALS = {"messages_per_second": 28.5, "too_many_requests": 0, "tap_reply_p99_ms": 1000.0}


class BroadcastTelegram(WatchedTelegram):
    """The emulator with Telegram's limits on, noting each delivery of the announcement and each reply to a tap."""

    def __init__(self, token: str, latency: float = 0.0) -> None:
        super().__init__(token)
        self.enforce_limits()
        self.latency = latency  # seconds each Bot API call takes before it is handled, as over the internet
        self.refused: list[dict] = []  # each 429: what and to whom
        self._tapped: dict[int, tuple[float, asyncio.Event]] = {}  # chat -> when they tapped, and its reply
        self.replies: list[tuple[float, float]] = []  # (tapped at, seconds to the reply)
        self.chat_messages: list[float] = []  # when each new message or edit went into a chat

    async def call(self, token: str, method: str, raw: dict[str, str], files: dict | None = None) -> tuple[int, dict]:
        if self.latency:
            await asyncio.sleep(self.latency)
        status, body = await super().call(token, method, raw, files)
        if status == 429 and "retry_after" in body.get("parameters", {}):
            text = raw.get("text") or raw.get("caption") or ""
            chat_id = int(raw.get("chat_id", 0))
            self.refused.append(
                {"method": method, "chat": chat_id, "announcement": MARK in text, "at": time.monotonic()}
            )
        elif status == 200 and method in CHAT_MESSAGES:
            self.chat_messages.append(time.monotonic())
        if status == 200 and method in ("editMessageText", "sendMessage"):
            result = body["result"]
            if MARK not in result.get("text", "") and (tap := self._tapped.pop(result["chat"]["id"], None)):
                self.replies.append((tap[0], time.monotonic() - tap[0]))
                tap[1].set()
        return status, body

    def _send_message(self, params: dict) -> dict:
        message = super()._send_message(params)
        self._delivered(params["chat_id"], message.get("text", ""))
        return message

    def _send_photo(self, params: dict) -> dict:
        message = super()._send_photo(params)
        self._delivered(params["chat_id"], message.get("caption", ""))
        return message

    def _delivered(self, chat_id: int, text: str) -> None:
        if MARK in text:
            self.deliveries.append((chat_id, self.run_number, time.monotonic()))
            self.reached.add(chat_id)
            if self.on_reminder is not None:
                self.on_reminder()  # before the answer goes back to the bot

    def announcements_per_member(self) -> dict[int, int]:
        """What the members saw: messages with the announcement in each chat (the organiser's too)."""
        seen = {user_id: 0 for user_id in self.chats}
        for user_id, _, _ in self.deliveries:
            seen[user_id] += 1
        return seen

    async def tap(self, user: dict, message_id: int | None, data: str | None = None) -> bool:
        """Tap a button (or, without data, type 📅 Activiteiten) and wait for the reply; False if none came."""
        replied = asyncio.Event()
        self._tapped[user["id"]] = (time.monotonic(), replied)
        if data is None:
            await self.user_sends(user, LIST)
        else:
            await self.user_presses(user, message_id or 0, data)
        try:
            await asyncio.wait_for(replied.wait(), REPLY_WAIT_SECONDS)
        except TimeoutError:
            self._tapped.pop(user["id"], None)
            return False
        return True


# ----- the data file --------------------------------------------------------------


async def prepare(folder: Path, args: argparse.Namespace) -> tuple[Path, BroadcastTelegram, str, int, int]:
    """Members and an activity as reminders.py seeds them, no reminders, one announcement to everyone due now."""
    telegram = BroadcastTelegram(TOKEN, args.latency / 1000)
    for n in range(args.members):
        telegram.chat_for({"id": FIRST_TELEGRAM_ID + n, "is_bot": False, "first_name": f"Lid {n + 1}"})
    if args.photo:
        telegram.photos[PHOTO] = b"\xff\xd8 a photo the organiser sent before"
    now = datetime.now(UTC)
    starts = now + timedelta(hours=3)
    db_path = folder.resolve() / "wijkbot.db"  # noqa: ASYNC240 - absolute, as the bot runs in that folder
    await seed(db_path, args.members, now, starts)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM outbox")
        conn.execute("UPDATE members SET language = 'en' WHERE id % 4 = 0")
        activity_id = conn.execute("SELECT id FROM activities").fetchone()[0]
    conn.close()
    db = await open_database(db_path)
    try:
        announcement = announcements.create(
            db,
            organiser_id=1,
            audience=announcements.Audience("everyone", None),
            texts=TEXTS,
            original_language="nl",
            photo=PHOTO if args.photo else None,
            confirm=args.confirm,
            urgent=False,
            send_at=now,
            now=now,
        )
        # The organiser's message that the bot keeps up to date with the progress, as after ✅ Send.
        _, shown = await telegram.call(TOKEN, "sendMessage", {"chat_id": str(FIRST_TELEGRAM_ID), "text": "📤 0"})
        announcements.set_progress_message(db, announcement.id, FIRST_TELEGRAM_ID, shown["result"]["message_id"])
    finally:
        await db.close()
    await asyncio.sleep(1.0)  # the bot sent that message itself, so its limiter would wait a second in that chat
    return db_path, telegram, pick_timezone(now, None), announcement.id, activity_id  # None: no activity to it


def announcement_state(path: Path, announcement_id: int) -> dict:
    """The announcement's counts as the data file keeps them, read-only (the bot may be writing)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute(
            "SELECT total, waiting, sent, unreachable, failed, skipped, recipient_cursor IS NULL AS all_written"
            " FROM announcements WHERE id = ?",
            (announcement_id,),
        ).fetchone()
    conn.close()
    return dict(row)


def finished(path: Path, announcement_id: int) -> bool:
    state = announcement_state(path, announcement_id)
    return bool(state["all_written"]) and state["total"] > 0 and state["waiting"] == 0


def bot_settings(server: EmulatorHttpServer, db_path: Path, tz: str) -> dict[str, str]:
    return {**settings(server, db_path, tz), "ORGANISER_IDS": str(FIRST_TELEGRAM_ID)}


# ----- members who tap while it is sent ----------------------------------------------------


@dataclass
class Tappers:
    """Members who tap a button every second until told to stop, each after the bot answered the last tap."""

    telegram: BroadcastTelegram
    activity_id: int
    missing: int = 0
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def one(self, user: dict) -> None:
        if not await self.telegram.tap(user, None):  # 📅 Activiteiten: the list, with buttons to tap
            self.missing += 1
            return
        chat = self.telegram.chats[user["id"]]
        message_id = max(i for i, m in chat.messages.items() if m["from"].get("is_bot") and "reply_markup" in m)
        buttons = [f"act:card:{self.activity_id}", "act:list:0"]
        due, k = time.monotonic(), 0
        while not self.stop.is_set():
            if not await self.telegram.tap(user, message_id, buttons[k % 2]):
                self.missing += 1
            k += 1
            due += TAP_EVERY_SECONDS
            await asyncio.sleep(max(0.0, due - time.monotonic()))

    async def run(self, members: list[int]) -> None:
        users = [self.telegram.chats[FIRST_TELEGRAM_ID + n].user for n in members]
        await asyncio.gather(*(self.one(user) for user in users))


def tapper_members(count: int, members: int) -> list[int]:
    """Dutch-reading members (0-based), not the organiser, spread over everyone."""
    dutch = [n for n in range(1, members) if (n + 1) % 4 != 0]
    return dutch[:: max(1, len(dutch) // count)][:count]


# ----- the two modes --------------------------------------------------------------


def rates(times: list[float]) -> dict:
    """Messages a second from the first to the last delivery, and the most in any one second."""
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    most, first = 0, 0
    for last, t in enumerate(times):
        while t - times[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return {
        "sending_seconds": round(span, 2),
        "messages_per_second": round((len(times) - 1) / span, 2) if span else None,
        "most_in_one_second": most,
    }


def refusals(telegram: BroadcastTelegram) -> dict:
    """The 429s: why, and the first ones: to what, and when (seconds after the first delivery)."""
    first = telegram.deliveries[0][2] if telegram.deliveries else 0.0
    return {
        "total": len(telegram.refused),
        "first": [
            f"{r['method']} to {r['chat']} at {r['at'] - first:+.2f} s{' (announcement)' if r['announcement'] else ''}"
            for r in telegram.refused[:12]
        ],
        "by_limit": dict(telegram.refused_for_flooding),
        "announcement": sum(r["announcement"] for r in telegram.refused),
        "other_sends": sum(not r["announcement"] for r in telegram.refused),
    }


async def plain(args: argparse.Namespace) -> dict:
    """Send it once, with members tapping meanwhile: how fast, how many 429s, how fast the taps are answered."""
    with tempfile.TemporaryDirectory(dir=".", prefix="bench-broadcast-") as name:
        db_path, telegram, tz, announcement_id, activity_id = await prepare(Path(name), args)
        async with EmulatorHttpServer(telegram) as server:
            bot = Bot(Path(name), telegram, bot_settings(server, db_path, tz))
            run = await bot.start()
            await until(lambda: run.number in telegram.polling or run.process.returncode is not None, UP_SECONDS)
            tappers = Tappers(telegram, activity_id)
            tapping = asyncio.create_task(tappers.run(tapper_members(args.tappers, args.members)))
            done = await until(
                lambda: finished(db_path, announcement_id) or run.process.returncode is not None, args.timeout, 0.2
            )
            all_done = time.monotonic()
            tappers.stop.set()
            await tapping
            bot.send(run, signal.SIGTERM)
            await bot.wait(run)
            stop = {"exit_code": run.exit_code, **stderr_problems(run.stderr), **run.extra}
            state = announcement_state(db_path, announcement_id)
    times = [t for _, _, t in telegram.deliveries]
    during = [s for at, s in telegram.replies if times and times[0] <= at <= times[-1]]
    report = {
        "mode": "plain",
        "members": args.members,
        "timezone": tz,
        "latency_ms": args.latency,
        "photo": args.photo,
        "confirm": args.confirm,
        "finished": done,
        **counted(telegram.announcements_per_member()),
        "seconds_to_first_delivery": round(times[0] - run.started, 2) if times else None,
        "seconds_to_last_delivery": round(times[-1] - run.started, 2) if times else None,
        "seconds_until_all_marked": round(all_done - run.started, 2),
        **rates(times),
        "all_chat_messages_per_second": (  # new messages and edits, also the replies to taps
            round(sum(times[0] <= t <= times[-1] for t in telegram.chat_messages) / (times[-1] - times[0]), 2)
            if len(times) > 1
            else None
        ),
        "too_many_requests": refusals(telegram),
        "taps": {
            "tappers": args.tappers,
            "replies_during_broadcast": len(during),
            "reply_ms_during_broadcast": percentiles(during),
            "reply_ms_all": percentiles([s for _, s in telegram.replies]),
            "missing_replies": tappers.missing,
        },
        "announcement": state,
        "stop": stop,
        "bot_cpu_seconds": run.cpu_seconds,
        "bot_constants": bot_constants(),
        "python": sys.version.split()[0],
    }
    report["goals"] = {
        "messages_per_second": goal(report["messages_per_second"], ">=", GOALS["messages_per_second"]),
        "too_many_requests": goal(report["too_many_requests"]["total"], "<=", GOALS["too_many_requests"]),
        "tap_reply_p99_ms": goal(percentiles(during).get("p99"), "<=", GOALS["tap_reply_p99_ms"]),
        "lost": goal(report["lost"], "<=", 0),
    }
    return report


def goal(value: float | None, relation: str, limit: float) -> dict:
    met = None if value is None else (value >= limit if relation == ">=" else value <= limit)
    return {"goal": f"{relation} {limit}", "value": value, "met": met}


async def crash(args: argparse.Namespace) -> dict:
    """Kill the bot N times while it sends and start it again; count what each member got."""
    rng = random.Random(args.seed)
    began = time.monotonic()
    moments = sorted(rng.sample(range(5, args.members - 10 + 1), args.crash))
    kills: list[dict] = []
    with tempfile.TemporaryDirectory(dir=".", prefix="bench-broadcast-") as name:
        db_path, telegram, tz, announcement_id, _ = await prepare(Path(name), args)
        async with EmulatorHttpServer(telegram) as server:
            bot = Bot(Path(name), telegram, bot_settings(server, db_path, tz))
            run = await bot.start()
            for planned in moments:
                at = max(planned, len(telegram.reached) + 1)  # a moment passed already becomes the next delivery
                fired = asyncio.Event()

                def on_delivery(run=run, at: int = at, fired: asyncio.Event = fired) -> None:
                    if not fired.is_set() and len(telegram.reached) >= at:
                        bot.send(run, signal.SIGKILL)
                        fired.set()

                telegram.on_reminder = on_delivery
                await until(
                    lambda run=run, fired=fired: (
                        fired.is_set() or finished(db_path, announcement_id) or run.process.returncode is not None
                    ),
                    args.timeout,
                )
                telegram.on_reminder = None
                if not fired.is_set():
                    kills.append({"signal": "SIGKILL", "planned_after": planned, "skipped": "nothing left to send"})
                    continue
                await bot.wait(run)
                kill = kill_report(run, "sending", planned, telegram, db_path)
                if not args.wait_real:
                    kill["stale_claims_moved_back"] = age_claims(db_path)
                kills.append(kill)
                run = await bot.start()
            done = await until(
                lambda: finished(db_path, announcement_id) or run.process.returncode is not None,
                args.timeout + (60 if args.wait_real else 0),
                0.2,
            )
            all_done = round(time.monotonic() - began, 2)
            await until(lambda: run.number in telegram.polling or run.process.returncode is not None, UP_SECONDS)
            bot.send(run, signal.SIGTERM)
            await bot.wait(run)
            final = kill_report(run, "after all were sent", None, telegram, db_path)
            state = announcement_state(db_path, announcement_id)
    caused = blame(telegram.deliveries)
    done_kills = [kill for kill in kills if "skipped" not in kill]
    for kill in [*done_kills, final]:
        kill["duplicates_caused"] = caused.get(kill["run"], 0)
    counts = counted(telegram.announcements_per_member())
    most = max((k["duplicates_caused"] for k in done_kills), default=0)
    return {
        "mode": "crash",
        "members": args.members,
        "seed": args.seed,
        "timezone": tz,
        "stale_claims": "waited for real"
        if args.wait_real
        else "moved a minute back after each kill (as reminders.py)",
        "kills": kills,
        "final_stop": final,
        "restarts": len(bot.runs) - 1,
        "finished": done,
        **counts,
        "duplicates_per_kill": [k["duplicates_caused"] for k in done_kills],
        "seconds_until_all_sent": all_done,
        "too_many_requests": refusals(telegram),
        "announcement": state,
        "goals": {
            "lost": goal(counts["lost"], "<=", 0),
            "duplicates_per_kill": {"goal": "<= 1 per kill", "most_by_one_kill": most, "met": most <= 1},
        },
        "bot_constants": bot_constants(),
        "python": sys.version.split()[0],
    }


async def measure(args: argparse.Namespace) -> dict:
    """One mode, without noise when the emulator closes a long poll."""
    quiet_about_closed_polls()
    return await (crash(args) if args.crash else plain(args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--tappers", type=int, default=10, help="members who tap every second meanwhile")
    parser.add_argument("--latency", type=float, default=0.0, help="ms each Bot API call takes (default 0: loopback)")
    parser.add_argument("--photo", action="store_true", help="the announcement has a photo")
    parser.add_argument("--confirm", action="store_true", help="the announcement has a ✅ Understood button")
    parser.add_argument("--crash", type=int, default=0, metavar="N", help="SIGKILL the bot N times while it sends")
    parser.add_argument("--seed", type=int, default=None, help="for the moments of the kills (default: random)")
    parser.add_argument("--wait-real", action="store_true", help="do not age stale claims; wait the minute")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for a moment or the end")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.randrange(1_000_000)
    if args.crash and args.members - 15 < args.crash:
        parser.error("--crash N needs --members of at least N + 15")
    print(json.dumps(asyncio.run(measure(args)), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
