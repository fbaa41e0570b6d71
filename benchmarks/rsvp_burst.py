"""RSVP burst: what members feel when many of them use 📅 Activities at the same time.

Everything runs for real: wijkbot's own `build_application` (no outbox sender,
no scheduler, and no rate limiter unless --rate-limiter), the local Telegram
emulation, and a SQLite file in a temporary folder under the current folder
(a real disk, so commits pay their fsync). Only the benchmark's own code
measures: a handler in group -99 and one in group 99 around every update, and
a request that notes when each Bot API call made for an update came back.

A member's journey is: type "📅 Activiteiten" (list), tap an activity (card),
tap ✅ (yes). Latency of an update = from handing it to the local Telegram
until the bot's last Bot API call for it came back: what the member waits.

1. stream: updates arrive at a fixed --rate for --seconds, whether the bot keeps
   up or not (open loop, round robin over --members; a member's step k at
   (k * members + i) / rate). Latency p50/p90/p99/max in all and per kind, and
   the updates per second handled. `send_lag_ms` says how late the members
   themselves were because the event loop was busy; latency counts from the
   real hand-over, so a large lag hides waiting from these numbers.
2. burst: every member does the journey as fast as they can, all at once, each
   step after the bot finished the previous one (closed loop). The same burst
   against a bare PTB bot that only answers (same concurrency, same emulator)
   shows what wijkbot itself costs: wall and CPU time per update, wijkbot ÷ bare.
3. db_probe: one member, one update at a time, for each kind of update: how many
   database calls it makes (storage/db.py count_calls) and its handling time
   (group -99 to group 99). Never with the rate limiter.
4. scale: the probe on --members (default 1000, --activities) and, unless
   --no-large, on 100 000 members with 90 000 RSVPs over 2 000 activities, at the
   same 45 RSVPs per activity, seeded with raw SQL. Cost at 100 000 ÷ cost at 1000.
5. loop_holds (in stream and in each burst): the longest times one callback held
   the event loop (nobody is answered meanwhile), with what it was and how much
   of it was Python's garbage collection, which runs inside whatever callback
   happens to allocate. The local Telegram here keeps no logs, so the heap is
   the bot's, plus the members' chats and the load generator.

Benchmarks are not tests: this prints one JSON object and never fails. The
"goals" section says, for each goal, the value measured and whether it was met.

    python benchmarks/rsvp_burst.py [--members 1000] [--activities 20] [--rate 200] [--seconds 15]
                                    [--large | --no-large] [--no-stream] [--rate-limiter]

With --rate-limiter wijkbot sends at Telegram's 30 messages a second, which then
sets the pace of stream and burst: use fewer members and a --rate below 30.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import heapq
import itertools
import json
import logging
import os
import shlex
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, MessageHandler, TypeHandler, filters

from bot.app import MAX_CONCURRENT_UPDATES, build_application
from bot.config import load_settings
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.request import EmulatedRequest
from bot.telegram_emulation.server import Chat, TelegramEmulator
from bot.timing import reminders
from bot.update_processor import PerChatUpdateProcessor
from storage.db import CallCount, Database, count_calls

TOKEN = "4242:benchmark"
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # the bot's clock; every activity starts after it
FIRST_TELEGRAM_ID = 100_000
JOURNEY = ("list", "card", "yes")
PROBE_KINDS = ("menu", "list", "list_page", "card", "yes", "no", "mine")
TYPED = {"menu", "list"}  # the other kinds are button presses
PROBE_MEMBERS = 100  # measured, after one member to warm up
RSVPS_EACH = 3  # seeded members with RSVPs have this many
LARGE = (100_000, 2_000)  # members, activities; 90 % of members' worth of RSVPs, as at every scale
WAIT_SECONDS = 600.0  # an update not finished by then is reported as unfinished, not waited for
GOALS = {"cost_ratio": 2.0, "db_calls": 5, "scale_ratio": 1.3, "loop_hold_ms": 20.0}

UPDATE_ID: ContextVar[int | None] = ContextVar("benchmark_update_id", default=None)


class Tracker:
    """Per update: kind, hand-over, start and end of handling, last Bot API call, database calls."""

    def __init__(self) -> None:
        self.kind: dict[int, str] = {}
        self.sent: dict[int, float] = {}
        self.started: dict[int, float] = {}
        self.ended: dict[int, float] = {}
        self.last_call: dict[int, float] = {}
        self.db_calls: dict[int, int] = {}
        self.errors: list[str] = []
        self.unanchored_presses = 0  # presses sent before the bot had sent anything to press on
        self.finished: set[int] = set()  # handled to the end, or failed
        self._counting: dict[int, CallCount] = {}
        self._waiting: dict[int, asyncio.Event] = {}  # only for updates someone waits for: little garbage

    def attach(self, application: Application) -> None:
        """Group -99 runs first in the update's own task, group 99 last: both see the whole update."""

        async def begin(update: Update, _context: object) -> None:
            UPDATE_ID.set(update.update_id)  # the update's task (and the Bot API calls it makes) now carry its id
            self.started[update.update_id] = time.perf_counter()
            self._counting[update.update_id] = count_calls()

        async def end(update: Update, _context: object) -> None:
            self.ended[update.update_id] = time.perf_counter()
            self.db_calls[update.update_id] = self._counting.pop(update.update_id).calls
            self._finish(update.update_id)

        application.add_handler(TypeHandler(Update, begin), group=-99)
        application.add_handler(TypeHandler(Update, end), group=99)

    def failed(self, message: str) -> None:
        """Something was logged as a problem; in an update, wijkbot's error handler skips group 99: it is done."""
        self.errors.append(message)
        if (update_id := UPDATE_ID.get()) is not None:
            self._finish(update_id)

    def _finish(self, update_id: int) -> None:
        self.finished.add(update_id)
        if (event := self._waiting.pop(update_id, None)) is not None:
            event.set()

    async def hand_over(self, person: Person, kind: str, activity_id: int) -> int:
        """Give one update to the local Telegram; its latency counts from here."""
        emulator = person.local_bot.emulator
        payload = step(kind, activity_id)
        if kind in TYPED:
            began = time.perf_counter()
            update_id = await emulator.user_sends(person.user, payload)
        else:
            message_id = last_bot_message_id(person)
            self.unanchored_presses += message_id is None
            began = time.perf_counter()
            update_id = await emulator.user_presses(person.user, message_id, payload)
        self.sent[update_id], self.kind[update_id] = began, kind
        return update_id

    async def done(self, update_id: int) -> None:
        """Wait until the bot finished this update (group 99), not for anything else."""
        if update_id not in self.finished:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._waiting.setdefault(update_id, asyncio.Event()).wait(), WAIT_SECONDS)

    async def all_done(self, update_ids: list[int]) -> None:
        await asyncio.gather(*(self.done(update_id) for update_id in update_ids))

    def latencies(self, update_ids: list[int], kind: str | None = None) -> list[float]:
        """Seconds from hand-over to the last Bot API call, for the updates that made one."""
        return [
            self.last_call[u] - self.sent[u]
            for u in update_ids
            if u in self.last_call and (kind is None or self.kind[u] == kind)
        ]

    def health(self, update_ids: list[int]) -> dict:
        return {
            "unfinished": sum(u not in self.ended for u in update_ids),
            "without_bot_api_call": sum(u not in self.last_call for u in update_ids),
            "presses_without_message": self.unanchored_presses,
            "errors_logged": len(self.errors),
            "first_errors": self.errors[:3],
        }


class TimedRequest(EmulatedRequest):
    """The emulator's own request, noting when each Bot API call made for an update came back."""

    def __init__(self, emulator: TelegramEmulator, tracker: Tracker) -> None:
        super().__init__(emulator)
        self.tracker = tracker

    async def do_request(self, *args, **kwargs) -> tuple[int, bytes]:
        answer = await super().do_request(*args, **kwargs)
        if (update_id := UPDATE_ID.get()) is not None:
            self.tracker.last_call[update_id] = time.perf_counter()
        return answer


class LocalTelegram(TelegramEmulator):
    """The local Telegram without its logs of every call and of what each person saw (nobody reads them here).

    Those logs are for tests; in one process with the bot they would grow the heap, and with it every
    garbage collection, which holds the event loop, beyond what the bot itself causes."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.calls = deque(maxlen=0)

    def chat_for(self, user: dict) -> Chat:
        if user["id"] not in self.chats:
            self.chats[user["id"]] = Chat(user=user, events=deque(maxlen=0))
        return self.chats[user["id"]]


class ProblemLog(logging.Handler):
    """Counts what the bots log at WARNING and up (and wijkbot's stale-button notes) instead of hanging on it."""

    def __init__(self, tracker: Tracker) -> None:
        super().__init__(logging.INFO)
        self.tracker = tracker

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING or record.name == "handlers.errors":
            self.tracker.failed(f"{record.name}: {record.getMessage()[:200]}")


@contextlib.contextmanager
def problems_counted(tracker: Tracker):
    handler, root, errors = ProblemLog(tracker), logging.getLogger(), logging.getLogger("handlers.errors")
    old_level = errors.level
    errors.setLevel(logging.INFO)
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        errors.setLevel(old_level)


class LoopHolds:
    """The longest runs of single event-loop callbacks: while one runs, no member gets an answer.

    Wraps asyncio's Handle._run in this process only, and only inside `with`. Python's garbage
    collector runs inside whatever callback allocates, so the time it took is shown apart."""

    KEEP = 5

    def __init__(self, tracker: Tracker) -> None:
        self.tracker = tracker
        self.top: list[tuple[float, int, str, float]] = []  # a min-heap of (seconds, n, what, gc seconds in it)
        self.longest_without_gc = 0.0
        self.gc_total = self.gc_longest = self._gc_began = 0.0
        self.gc_runs = 0

    def __enter__(self) -> LoopHolds:
        original, top, keep = asyncio.events.Handle._run, self.top, self.KEEP
        count = itertools.count()

        def timed_run(handle: asyncio.Handle) -> None:
            began, gc_before = time.perf_counter(), self.gc_total
            try:
                original(handle)
            finally:
                held, collecting = time.perf_counter() - began, self.gc_total - gc_before
                self.longest_without_gc = max(self.longest_without_gc, held - collecting)
                if len(top) < keep or held > top[0][0]:
                    entry = (held, next(count), self.describe(handle), collecting)
                    (heapq.heappush if len(top) < keep else heapq.heapreplace)(top, entry)

        self._original, asyncio.events.Handle._run = original, timed_run
        gc.callbacks.append(self._gc)
        return self

    def __exit__(self, *exc_info: object) -> None:
        asyncio.events.Handle._run = self._original
        gc.callbacks.remove(self._gc)

    def _gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_began = time.perf_counter()
        else:
            took = time.perf_counter() - self._gc_began
            self.gc_runs += 1
            self.gc_total += took
            self.gc_longest = max(self.gc_longest, took)

    def describe(self, handle: asyncio.Handle) -> str:
        """The task's coroutine (or the callback), and the kind of update whose task it was."""
        callback = getattr(handle, "_callback", None)
        task = getattr(callback, "__self__", None)
        if isinstance(task, asyncio.Task):
            what = task.get_coro().__qualname__
        else:
            what = getattr(callback, "__qualname__", repr(callback))
        context = getattr(handle, "_context", None)
        update_id = context.get(UPDATE_ID) if context is not None else None
        return f"{what} ({self.tracker.kind.get(update_id, 'update')} {update_id})" if update_id else what

    def report(self) -> dict:
        ranked = sorted(self.top, reverse=True)
        return {
            "longest_ms": ms(ranked[0][0]) if ranked else None,
            "longest_without_gc_ms": ms(self.longest_without_gc),
            "top": [{"ms": ms(held), "gc_ms": ms(collecting), "what": what} for held, _, what, collecting in ranked],
            "gc_longest_ms": ms(self.gc_longest),
            "gc_runs": self.gc_runs,
            "gc_tracked_objects_at_end": len(gc.get_objects()),
        }


def step(kind: str, activity_id: int) -> str:
    """What a member types (menu, list) or the callback data they press (the other kinds)."""
    return {
        "menu": "/menu",
        "list": "📅 Activiteiten",
        "list_page": "act:list:1",
        "card": f"act:card:{activity_id}",
        "yes": f"act:yes:{activity_id}",
        "no": f"act:no:{activity_id}",
        "mine": "act:mine:0",
    }[kind]


def last_bot_message_id(person: Person) -> int | None:
    """The bot's newest message in the chat (the list or the card): the one a member taps on."""
    with contextlib.suppress(AssertionError):
        return person.last_message["message_id"]
    return None


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def percentiles(seconds: list[float]) -> dict:
    """p50, p90, p99 and max in ms (nearest rank)."""
    if not seconds:
        return {}
    ordered = sorted(seconds)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]

    return {"p50": ms(at(0.5)), "p90": ms(at(0.9)), "p99": ms(at(0.99)), "max": ms(ordered[-1])}


def seed(db: Database, members: int, activities: int, rsvps: int, capacity) -> None:
    """Members, activities after NOW and RSVPs (with their reminders) in one transaction of raw SQL.

    Members 1..n have telegram ids FIRST_TELEGRAM_ID + n - 1. Each member with RSVPs has RSVPS_EACH of
    them, on neighbouring activities, so every activity gets about the same number; the triggers of
    migration 0004 keep the counts on the activities."""
    now = NOW.isoformat()
    starts = [NOW + timedelta(days=1, hours=3 * a) for a in range(activities)]
    going, queued, rsvp_rows, outbox_rows = [0] * activities, [0] * activities, [], []
    for j in range(rsvps):
        member, a = j // RSVPS_EACH, j % activities  # member m: activities 3m, 3m+1, 3m+2 (mod activities)
        queued[a] += 1
        free = capacity(a) is None or going[a] < capacity(a)
        going[a] += free
        rsvp_rows.append((a + 1, member + 1, "going" if free else "waiting", queued[a], now))
        if free:
            outbox_rows += [
                (
                    f"{r.kind}:{a + 1}:{member + 1}:{starts[a].isoformat()}",
                    r.kind,
                    member + 1,
                    a + 1,
                    r.due.isoformat(),
                    r.expires.isoformat(),
                )
                for r in reminders(starts[a])
            ]
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO members (id, telegram_id, first_name, language, status, created_at, member_no, interests,"
            " consent_at, consent_version) VALUES (?, ?, ?, 'nl', 'active', ?, ?, '', ?, '1')",
            ((n + 1, FIRST_TELEGRAM_ID + n, f"Lid {n}", now, n + 1, now) for n in range(members)),
        )
        conn.executemany(
            "INSERT INTO activities (id, title, description, starts_at, ends_at, place, capacity, created_at)"
            " VALUES (?, ?, 'Voor iedereen.', ?, ?, 'Buurthuis', ?, ?)",
            (
                (
                    a + 1,
                    f"Activiteit {a + 1}",
                    starts[a].isoformat(),
                    (starts[a] + timedelta(hours=2)).isoformat(),
                    capacity(a),
                    now,
                )
                for a in range(activities)
            ),
        )
        conn.executemany(
            "INSERT INTO rsvps (activity_id, member_id, status, queued_at, created_at) VALUES (?, ?, ?, ?, ?)",
            rsvp_rows,
        )
        conn.executemany(
            "INSERT INTO outbox (key, kind, member_id, activity_id, deliver_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            outbox_rows,
        )


@contextlib.asynccontextmanager
async def wijkbot(folder: Path, name: str, tracker: Tracker, *, rate_limit: bool) -> AsyncIterator[LocalBot]:
    """The real wijkbot on its own new database file, polling its own local Telegram."""
    settings = load_settings({"BOT_TOKEN": TOKEN, "WIJKBOT_DB": str(folder / f"{name}.db")}, env_file=folder / "none")
    emulator = LocalTelegram(TOKEN)
    application = build_application(
        settings,
        request=lambda: TimedRequest(emulator, tracker),
        clock=lambda: NOW,
        run_scheduler=False,
        rate_limit=rate_limit,
    )
    tracker.attach(application)
    with problems_counted(tracker):
        async with LocalBot(application, emulator) as local_bot:
            yield local_bot


@contextlib.asynccontextmanager
async def bare_bot(tracker: Tracker) -> AsyncIterator[LocalBot]:
    """PTB with wijkbot's concurrency that only answers: a message for the text, a toast and an edit for a tap."""
    emulator = LocalTelegram(TOKEN)
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(TimedRequest(emulator, tracker))
        .get_updates_request(TimedRequest(emulator, tracker))
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .build()
    )
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("✅ Ik kom", callback_data="act:yes:1")]])

    async def text(update: Update, _context: object) -> None:
        await update.message.reply_text("📅 Activiteiten", reply_markup=keyboard)

    async def press(update: Update, _context: object) -> None:
        await update.callback_query.answer("OK")
        await update.callback_query.edit_message_text(f"Getikt: {update.callback_query.data}", reply_markup=keyboard)

    application.add_handlers([MessageHandler(filters.TEXT, text), CallbackQueryHandler(press)])
    tracker.attach(application)
    with problems_counted(tracker):
        async with LocalBot(application, emulator) as local_bot:
            yield local_bot


def people(local_bot: LocalBot, members: list[int]) -> list[Person]:
    """Seeded members (0-based) as people with a Telegram account."""
    return [local_bot.person(f"Lid {n}", user_id=FIRST_TELEGRAM_ID + n) for n in members]


def stream_capacity(members: int, activities: int):
    """Places for about 3/4 of those who will come: some activities get a waiting list."""
    return lambda _a: max(1, members // activities * 3 // 4)


def over_capacity(local_bot: LocalBot) -> int:
    """Activities with more people (coming or offered) than places: must be 0."""
    db = runtime_of(local_bot.application).database
    return db.fetchone("SELECT count(*) FROM activities WHERE going_count + offered_count > capacity")[0]


async def stream_run(folder: Path, args: argparse.Namespace) -> dict:
    """Open loop: updates at a fixed rate, round robin over the members, whether the bot keeps up or not."""
    tracker = Tracker()
    async with wijkbot(folder, "stream", tracker, rate_limit=args.rate_limiter) as local_bot:
        seed(
            runtime_of(local_bot.application).database,
            args.members,
            args.activities,
            0,
            stream_capacity(args.members, args.activities),
        )
        members = people(local_bot, list(range(args.members)))
        total, ids, lags = round(args.rate * args.seconds), [], []
        with LoopHolds(tracker) as holds:
            began = time.perf_counter()
            for n in range(total):
                member, k = n % args.members, n // args.members
                due = began + n / args.rate
                if (wait := due - time.perf_counter()) > 0:
                    await asyncio.sleep(wait)
                lags.append(max(0.0, time.perf_counter() - due))
                activity_id = 1 + (member + k // len(JOURNEY)) % args.activities  # a new one each round
                ids.append(await tracker.hand_over(members[member], JOURNEY[k % len(JOURNEY)], activity_id))
            await tracker.all_done(ids)
        last = max([tracker.ended[u] for u in ids if u in tracker.ended], default=began)
        checks = {"over_capacity": over_capacity(local_bot)}
    return {
        "offered_rate": args.rate,
        "updates": len(ids),
        "seconds": round(last - began, 2),
        "updates_per_second": round(sum(u in tracker.ended for u in ids) / (last - began), 1) if last > began else None,
        "latency_ms": percentiles(tracker.latencies(ids)),
        "latency_ms_by_kind": {kind: percentiles(tracker.latencies(ids, kind)) for kind in JOURNEY},
        "send_lag_ms": percentiles(lags),
        "loop_holds": holds.report(),
        **tracker.health(ids),
        **checks,
    }


async def burst(local_bot: LocalBot, tracker: Tracker, members: int, activities: int) -> dict:
    """Closed loop per member, all members at once: each step as soon as the bot finished the previous one."""
    everyone, ids = people(local_bot, list(range(members))), []

    async def journey(n: int) -> None:
        for kind in JOURNEY:
            update_id = await tracker.hand_over(everyone[n], kind, 1 + n % activities)
            ids.append(update_id)
            await tracker.done(update_id)

    with LoopHolds(tracker) as holds:
        wall, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(journey(n) for n in range(members)))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "updates": len(ids),
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "updates_per_second": round(len(ids) / wall, 1),
        "wall_ms_per_update": ms(wall / len(ids)),
        "cpu_ms_per_update": ms(cpu / len(ids)),
        "latency_ms": {k: v for k, v in percentiles(tracker.latencies(ids)).items() if k in ("p50", "p99")},
        "loop_holds": holds.report(),
        **tracker.health(ids),
    }


async def burst_runs(folder: Path, args: argparse.Namespace) -> dict:
    """The same burst against wijkbot and against a bare PTB bot, one after the other in this process."""
    tracker = Tracker()
    async with wijkbot(folder, "burst", tracker, rate_limit=args.rate_limiter) as local_bot:
        seed(
            runtime_of(local_bot.application).database,
            args.members,
            args.activities,
            0,
            stream_capacity(args.members, args.activities),
        )
        ours = await burst(local_bot, tracker, args.members, args.activities)
        ours["over_capacity"] = over_capacity(local_bot)
    tracker = Tracker()
    async with bare_bot(tracker) as local_bot:
        bare = await burst(local_bot, tracker, args.members, args.activities)
    return {
        "wijkbot": ours,
        "bare_ptb": bare,
        "ratio_wijkbot_to_bare": {
            "wall_per_update": ratio(ours["wall_ms_per_update"], bare["wall_ms_per_update"]),
            "cpu_per_update": ratio(ours["cpu_ms_per_update"], bare["cpu_ms_per_update"]),
        },
    }


async def probe_run(folder: Path, members: int, activities: int) -> dict:
    """One member and one update at a time: database calls and handling time per kind of update."""
    tracker = Tracker()
    rsvps = members * 9 // 10
    async with wijkbot(folder, f"probe-{members}", tracker, rate_limit=False) as local_bot:
        began = time.perf_counter()
        seed(runtime_of(local_bot.application).database, members, activities, rsvps, lambda a: (40, 60, None)[a % 3])
        seeded = time.perf_counter() - began
        # Probe members spread over those with RSVPs (early and late activities), else over everyone.
        pool = rsvps // RSVPS_EACH if rsvps // RSVPS_EACH > PROBE_MEMBERS else members
        chosen = sorted({n * pool // (PROBE_MEMBERS + 1) for n in range(PROBE_MEMBERS + 1)})
        ids: dict[str, list[int]] = defaultdict(list)
        for number, person in zip(chosen, people(local_bot, chosen), strict=True):
            activity_id = 1 + (number * RSVPS_EACH + activities // 2) % activities  # not one of theirs
            for kind in PROBE_KINDS:
                update_id = await tracker.hand_over(person, kind, activity_id)
                await tracker.done(update_id)
                if number != chosen[0]:  # the first member warms up
                    ids[kind].append(update_id)
        everything = [u for kind_ids in ids.values() for u in kind_ids]
    by_kind = {}
    for kind in PROBE_KINDS:
        calls = [tracker.db_calls[u] for u in ids[kind] if u in tracker.ended]
        handling = [tracker.ended[u] - tracker.started[u] for u in ids[kind] if u in tracker.ended]
        by_kind[kind] = {
            "db_calls_max": max(calls, default=None),
            "db_calls_median": statistics.median(calls) if calls else None,
            "handling_ms_median": ms(statistics.median(handling)) if handling else None,
            "handling_ms_p90": percentiles(handling).get("p90"),
        }
    return {
        "members": members,
        "activities": activities,
        "rsvps": rsvps,
        "seed_seconds": round(seeded, 2),
        "probed_members": len(chosen) - 1,
        "by_kind": by_kind,
        **tracker.health(everything),
    }


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def goal(value: float | None, limit: float) -> dict:
    return {"goal": f"<= {limit}", "value": value, "met": None if value is None else value <= limit}


def goals(report: dict) -> dict:
    burst, probes = report.get("burst"), report["db_probe"]
    costs = burst["ratio_wijkbot_to_bare"] if burst else {}
    scale = [r for r in report["scale"]["ratio_by_kind"].values() if r is not None] if "scale" in report else []
    holds = [run["loop_holds"]["longest_ms"] for run in (report.get("stream"), burst and burst["wijkbot"]) if run]
    calls = [kind["db_calls_max"] for probe in probes.values() for kind in probe["by_kind"].values()]
    return {
        "burst_wall_per_update_wijkbot_to_bare": goal(costs.get("wall_per_update"), GOALS["cost_ratio"]),
        "burst_cpu_per_update_wijkbot_to_bare": goal(costs.get("cpu_per_update"), GOALS["cost_ratio"]),
        "db_calls_per_update_max": goal(max([c for c in calls if c is not None], default=None), GOALS["db_calls"]),
        "scale_cost_ratio_max": goal(max(scale, default=None), GOALS["scale_ratio"]),
        "longest_loop_hold_ms": goal(max(holds, default=None), GOALS["loop_hold_ms"]),
    }


async def main(args: argparse.Namespace) -> dict:
    report: dict = {
        "command": shlex.join(["python", *sys.argv]),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "cpus": os.cpu_count(),
        "settings": dict(vars(args)),
    }
    with tempfile.TemporaryDirectory(prefix="rsvp_burst-", dir=".") as folder:
        if args.stream:
            report["stream"] = await stream_run(Path(folder), args)
        report["burst"] = await burst_runs(Path(folder), args)
        small = await probe_run(Path(folder), args.members, args.activities)
        report["db_probe"] = {f"{args.members}_members": small}
        if args.large:
            large = await probe_run(Path(folder), *LARGE)
            report["db_probe"][f"{LARGE[0]}_members"] = large
            report["scale"] = {
                "cost": f"median handling time at {LARGE[0]} members ÷ at {args.members}",
                "ratio_by_kind": {
                    kind: ratio(
                        large["by_kind"][kind]["handling_ms_median"], small["by_kind"][kind]["handling_ms_median"]
                    )
                    for kind in PROBE_KINDS
                },
            }
    report["goals"] = goals(report)
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--activities", type=int, default=20)
    parser.add_argument("--rate", type=float, default=200.0, help="stream: updates per second offered")
    parser.add_argument("--seconds", type=float, default=15.0, help="stream: how long updates keep coming")
    parser.add_argument("--stream", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--large",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also probe 100 000 members with 90 000 RSVPs over 2 000 activities",
    )
    parser.add_argument("--rate-limiter", action="store_true", help="wijkbot sends at Telegram's 30 messages a second")
    arguments = parser.parse_args()
    if arguments.activities < RSVPS_EACH or arguments.members < 1:
        parser.error(f"--activities must be at least {RSVPS_EACH} and --members at least 1")
    print(json.dumps(asyncio.run(main(arguments)), indent=2, ensure_ascii=False))
