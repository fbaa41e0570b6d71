"""Reminders: `wijkbot run` sends N due reminders from the outbox, once in peace or through a series of crashes.

The bot runs as its own process (the installed `wijkbot run`) against the
project's HTTP emulation of the Bot API (bot/telegram_emulation/http.py), which
runs inside this benchmark. The data file is made in a temporary folder under
the current directory: the migrations are applied with storage.db.open_database,
then raw SQL adds N active members (telegram ids 10001...), one activity that
starts 3 hours from now (real time), an RSVP 'going' for everyone, and one due
'reminder_2h' row per member in the outbox (deliver_at now, expires_at the start).
If quiet hours (bot/timing.py) would hold the reminders at this hour in the
default time zone, the bot gets a WIJKBOT_TIMEZONE where it is day; the JSON
names the zone used.

    python benchmarks/reminders.py [--crash] [--members 200] [--seed N] [--kills 5] [--wait-real]

Without --crash: the bot starts and sends all N once. Prints the seconds from
the start of the process to the first message, messages a second from the first
to the last message (the bot's rate limiter allows 30 a second, after a first
burst of 30), when all rows were marked sent, and how a SIGTERM went once it was
done and polling.

With --crash: checks the outbox's promise (storage/outbox.py, bot/sender.py):
nothing is lost, and a crash costs at most one duplicate. In this order, with a
restart after each:
- --kills SIGKILLs while the bot sends (moment "sending");
- one SIGTERM while the bot is still starting up: as the first reminder of a
  fresh start arrives, before it polls for updates (moment "startup");
- --kills SIGTERMs while the bot sends, each once it is up and polling ("sending");
- the last run finishes the job and is stopped with SIGTERM ("final_stop").
The 2 * --kills "sending" moments are random numbers of members reached between
5 and N-10 (seeded by --seed), in order. A moment that has passed already becomes
the next reminder. Each SIGTERM'd run uses up about 40 reminders (a start sends
a first burst of about 30 before and while it begins to poll, and a stop lets
about 8 more go), so with N = 200 the last one or two SIGTERMs usually find
nothing left to send; they are listed as "skipped" (--members 400 leaves room).
The signal goes out from inside the emulator as it records that reminder, before
the bot has its answer. For SIGKILL that is the worst moment (the message
arrived, the bot cannot mark it sent), so each SIGKILL is expected to cost one
duplicate (the sender has one message in flight at a time). A SIGTERM should
cost none: the bot finishes what is in flight and frees its other claims. A bot
that has not exited STOP_WAIT_SECONDS after a SIGTERM is killed, and that is
reported (and then counts as killed for its claims).

A claim left by a killed bot is only taken again once it is a minute old
(STALE_CLAIM). The bot has no setting for that, so by default, after each kill
and before the restart, this benchmark moves those claims back in time in the
data file (claimed_at = 2 minutes ago for rows claimed and not sent), which is
exactly what a minute of waiting does; the JSON says so under "stale_claims",
and each kill says how many rows it moved. With --wait-real it does not touch
the data file: the bot is restarted at once and has to pick the claims up
itself once the claims are a minute old (about half a minute longer in all;
the bot's CPU seconds show what it does while it waits).

Prints JSON: each kill (signal, moment, reminders delivered and members reached
at that moment, whether the bot polled yet, how many went out after the signal,
exit code, seconds to exit, claims left in the data file by that run,
duplicates it caused, a Traceback or "Cannot operate on a closed database" in
the bot's stderr and its error lines, the bot's CPU seconds), then delivered,
lost (members who got none), duplicates (extra deliveries), duplicates per
SIGKILL and per SIGTERM, rows still unsent, total seconds, and the goals with
met true/false: lost == 0; at most 1 duplicate per kill while sending; no
duplicate and a clean exit (0, no Traceback, within 15 s) after a SIGTERM while
sending and for the final stop; the same for the SIGTERM at startup. A
duplicate is blamed on the run that delivered the message before without
marking it sent. The totals (delivered, lost, duplicates) count every run.
A benchmark: it measures and never fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import rate_limit, sender, timing
from bot.config import DEFAULT_TIMEZONE
from bot.telegram_emulation.http import EmulatorHttpServer
from bot.telegram_emulation.server import TelegramEmulator
from storage.db import open_database
from storage.outbox import STALE_CLAIM

TOKEN = "4242:benchmark"
FIRST_TELEGRAM_ID = 10001
REMINDER = "⏰"  # every reminder's text starts with it, in every language
STOP_WAIT_SECONDS = 30.0  # after SIGTERM; a bot still running then is killed (and reported)
CLEAN_EXIT_SECONDS = 15.0  # the goal for SIGTERM
UP_SECONDS = 20.0  # how long a fresh bot may take to start polling
PROBLEMS = ("ERROR", "CRITICAL", "Task was destroyed", "Cannot operate on a closed database", "never retrieved")


# ----- the data file -----------------------------------------------------------


async def seed(path: Path, members: int, now: datetime, starts: datetime) -> None:
    """Migrations through the project's own code, then the rows with plain SQL (fast, and no clock of the bot)."""
    db = await open_database(path)
    await db.close()
    joined = (now - timedelta(days=30)).isoformat()
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO members (id, telegram_id, first_name, language, status, created_at, member_no,"
            " consent_at, consent_version) VALUES (?, ?, ?, 'nl', 'active', ?, ?, ?, 'benchmark')",
            [(n, FIRST_TELEGRAM_ID + n - 1, f"Lid {n}", joined, n, joined) for n in range(1, members + 1)],
        )
        activity_id = conn.execute(
            "INSERT INTO activities (title, description, starts_at, ends_at, place, capacity, created_at)"
            " VALUES ('Koffieochtend', 'Voor iedereen.', ?, ?, 'Buurthuis', NULL, ?)",
            (starts.isoformat(), (starts + timedelta(hours=2)).isoformat(), joined),
        ).lastrowid
        conn.executemany(
            "INSERT INTO rsvps (activity_id, member_id, status, queued_at, created_at) VALUES (?, ?, 'going', ?, ?)",
            [(activity_id, n, n, joined) for n in range(1, members + 1)],
        )
        conn.executemany(  # the key as storage/activities.py plans it
            "INSERT INTO outbox (key, kind, member_id, activity_id, deliver_at, expires_at)"
            " VALUES (?, 'reminder_2h', ?, ?, ?, ?)",
            [
                (
                    f"reminder_2h:{activity_id}:{n}:{starts.isoformat()}",
                    n,
                    activity_id,
                    now.isoformat(),
                    starts.isoformat(),
                )
                for n in range(1, members + 1)
            ],
        )
    conn.close()


def outbox_state(path: Path, claimed_since: datetime | None = None) -> dict[str, int]:
    """The outbox as the data file has it now, read-only (the bot may be writing).

    With `claimed_since`: also the claims made since then (by the run that started then)."""
    since = claimed_since.isoformat() if claimed_since else ""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        row = conn.execute(
            "SELECT count(sent_at), count(dropped_at),"
            " coalesce(sum(sent_at IS NULL AND dropped_at IS NULL), 0),"
            " coalesce(sum(claimed_at IS NOT NULL AND sent_at IS NULL), 0),"
            " coalesce(sum(claimed_at >= ? AND sent_at IS NULL), 0) FROM outbox",
            (since,),
        ).fetchone()
    conn.close()
    state = {"sent": row[0], "dropped": row[1], "unsent": row[2], "claimed_unsent": row[3]}
    if claimed_since:
        state["claimed_unsent_since"] = row[4]
    return state


def age_claims(path: Path) -> int:
    """Do what a minute of waiting does: make the claims of a killed sender stale. Only while the bot is down."""
    stale = (datetime.now(UTC) - STALE_CLAIM - timedelta(minutes=1)).isoformat()
    with sqlite3.connect(path) as conn:
        moved = conn.execute(
            "UPDATE outbox SET claimed_at = ? WHERE claimed_at IS NOT NULL AND sent_at IS NULL", (stale,)
        ).rowcount
    conn.close()
    return moved


def pick_timezone(now: datetime, starts: datetime) -> str:
    """The bot's default time zone, unless its quiet hours would hold the reminders now; then one where it is day."""
    if timing.deliver_at(now, ZoneInfo(DEFAULT_TIMEZONE), starts) <= now:
        return DEFAULT_TIMEZONE
    for hours in range(-12, 15):
        name = f"Etc/GMT{-hours:+d}"  # Etc/GMT-2 is UTC+2
        local = now.astimezone(ZoneInfo(name))
        if 10 <= local.hour < 18 and timing.deliver_at(now, ZoneInfo(name), starts) <= now:
            return name
    return DEFAULT_TIMEZONE


# ----- Telegram and the bot's processes ----------------------------------------------


class WatchedTelegram(TelegramEmulator):
    """The emulator, noting each reminder as it is delivered, so a signal can go out at that very moment."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.deliveries: list[tuple[int, int, float]] = []  # (telegram id, run number, monotonic time)
        self.reached: set[int] = set()  # members who got at least one reminder
        self.run_number = 0
        self.polling: set[int] = set()  # runs that asked for updates: started up completely
        self.on_reminder: Callable[[], None] | None = None

    async def call(self, token: str, method: str, raw: dict[str, str], files: dict | None = None) -> tuple[int, dict]:
        if method == "getUpdates":
            self.polling.add(self.run_number)
        return await super().call(token, method, raw, files)

    def _send_message(self, params: dict) -> dict:
        message = super()._send_message(params)
        if message.get("text", "").startswith(REMINDER):
            self.deliveries.append((params["chat_id"], self.run_number, time.monotonic()))
            self.reached.add(params["chat_id"])
            if self.on_reminder is not None:
                self.on_reminder()  # before the answer goes back to the bot
        return message

    def reminders_per_member(self) -> dict[int, int]:
        """What the members saw: reminder messages in each chat."""
        return {
            user_id: sum(1 for event in chat.events if event.kind == "message" and event.text.startswith(REMINDER))
            for user_id, chat in self.chats.items()
        }


@dataclass
class Run:
    """One `wijkbot run` process, from start to exit."""

    number: int
    process: asyncio.subprocess.Process
    stderr: Path
    started: float
    started_at: datetime  # wall clock, to tell this run's claims in the data file
    cpu_before: float
    signal: str | None = None
    signalled: float | None = None
    polling_at_signal: bool | None = None
    delivered_at_signal: int | None = None
    members_reached_at_signal: int | None = None
    exit_code: int | None = None
    exited: float | None = None
    cpu_seconds: float | None = None
    extra: dict = field(default_factory=dict)


def children_cpu() -> float:
    """CPU seconds of all children that have exited (the bot's processes, one at a time)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Bot:
    """Starts, signals and waits for `wijkbot run`, as tests/test_wijkbot_run.py does."""

    def __init__(self, folder: Path, telegram: WatchedTelegram, settings: dict[str, str]) -> None:
        self.folder = folder
        self.telegram = telegram
        ours = {"BOT_TOKEN", "TELEGRAM_API_BASE_URL", "ORGANISER_IDS"}
        self.env = {k: v for k, v in os.environ.items() if k not in ours and not k.startswith("WIJKBOT_")}
        self.env.update(settings)
        self.runs: list[Run] = []

    async def start(self) -> Run:
        number = len(self.runs)
        stderr = self.folder / f"run{number}.stderr"
        self.telegram.run_number = number
        started_at, cpu_before = datetime.now(UTC), children_cpu()
        # A file, not a pipe: a full pipe would stall the bot. Opening a local file takes microseconds.
        with open(stderr, "wb") as err:  # noqa: ASYNC230 - see above
            process = await asyncio.create_subprocess_exec(
                Path(sys.executable).with_name("wijkbot"),
                "run",
                cwd=self.folder,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=err,
            )
        run = Run(number, process, stderr, time.monotonic(), started_at, cpu_before)
        self.runs.append(run)
        return run

    def send(self, run: Run, sig: signal.Signals) -> None:
        """Signal the bot now (also from inside the emulator), noting what had arrived."""
        run.signal = sig.name
        run.signalled = time.monotonic()
        run.polling_at_signal = run.number in self.telegram.polling
        run.delivered_at_signal = len(self.telegram.deliveries)
        run.members_reached_at_signal = len(self.telegram.reached)
        if run.process.returncode is not None:
            run.extra["exited_before_signal"] = True  # see its stderr
            return
        run.process.send_signal(sig)

    async def wait(self, run: Run) -> None:
        """Until it exits; a bot that ignores SIGTERM for STOP_WAIT_SECONDS is killed, and that is noted."""
        try:
            await asyncio.wait_for(run.process.wait(), STOP_WAIT_SECONDS)
        except TimeoutError:
            run.extra["killed_after_not_exiting_for_seconds"] = STOP_WAIT_SECONDS
            run.process.kill()
            await run.process.wait()
        run.exited = time.monotonic()
        run.exit_code = run.process.returncode
        run.cpu_seconds = round(children_cpu() - run.cpu_before, 2)


def stderr_problems(path: Path) -> dict:
    """What in the bot's stderr suggests it did not stop cleanly: error lines and each traceback's last line."""
    lines = path.read_text("utf-8", errors="replace").splitlines()
    found: list[str] = []
    in_traceback = False
    for line in lines:
        if line.startswith("Traceback"):
            in_traceback = True
        elif in_traceback and line and not line.startswith(" "):  # the exception that ends a traceback
            in_traceback = False
            found.append(line)
        if any(p in line for p in PROBLEMS):
            found.append(line[24:] if line[:4].isdigit() else line)  # without the log's timestamp
    unique = list(dict.fromkeys(found))
    return {
        "traceback": any(line.startswith("Traceback") for line in lines),
        "closed_database": any("Cannot operate on a closed database" in line for line in lines),
        "warnings": sum(" WARNING " in line for line in lines),
        "problem_lines": [line[:240] for line in unique[:8]],
    }


async def until(condition: Callable[[], bool], seconds: float, every: float = 0.05) -> bool:
    """Poll `condition` until it holds (True) or `seconds` pass (False)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(every)
    return True


# ----- the two modes --------------------------------------------------------------


async def prepare(folder: Path, members: int) -> tuple[Path, WatchedTelegram, str]:
    """The data file, the emulator with a chat per member (it refuses messages to unknown chats), the time zone."""
    telegram = WatchedTelegram(TOKEN)
    for n in range(members):
        telegram.chat_for({"id": FIRST_TELEGRAM_ID + n, "is_bot": False, "first_name": f"Lid {n + 1}"})
    now = datetime.now(UTC)
    starts = now + timedelta(hours=3)
    db_path = folder.resolve() / "wijkbot.db"  # noqa: ASYNC240 - absolute, as the bot runs in that folder
    await seed(db_path, members, now, starts)
    return db_path, telegram, pick_timezone(now, starts)


def settings(server: EmulatorHttpServer, db_path: Path, tz: str) -> dict[str, str]:
    return {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "WIJKBOT_DB": str(db_path),
        "WIJKBOT_TIMEZONE": tz,
    }


def counted(seen: dict[int, int]) -> dict[str, int]:
    return {
        "delivered": sum(seen.values()),
        "members_reached": sum(1 for count in seen.values() if count > 0),
        "lost": sum(1 for count in seen.values() if count == 0),
        "duplicates": sum(max(0, count - 1) for count in seen.values()),
    }


def bot_constants() -> dict:
    """The numbers of the bot that explain the results."""
    return {
        "sender_batch": sender.BATCH,
        "sender_stop_seconds": sender.STOP_SECONDS,
        "messages_per_second": rate_limit.MESSAGES_PER_SECOND,
        "stale_claim_seconds": STALE_CLAIM.total_seconds(),
    }


async def plain(args: argparse.Namespace) -> dict:
    """Send N due reminders once, without interruption: how fast, and how long in all."""
    with tempfile.TemporaryDirectory(dir=".", prefix="bench-reminders-") as name:
        db_path, telegram, tz = await prepare(Path(name), args.members)
        async with EmulatorHttpServer(telegram) as server:
            bot = Bot(Path(name), telegram, settings(server, db_path, tz))
            run = await bot.start()
            finished = await until(
                lambda: outbox_state(db_path)["sent"] >= args.members or run.process.returncode is not None,
                args.timeout,
            )
            all_marked = time.monotonic()
            await until(lambda: run.number in telegram.polling or run.process.returncode is not None, UP_SECONDS)
            bot.send(run, signal.SIGTERM)
            await bot.wait(run)
            stop = {
                "exit_code": run.exit_code,
                "seconds_to_exit": round(run.exited - run.signalled, 2),
                **stderr_problems(run.stderr),
                **run.extra,
            }
            state = outbox_state(db_path)
    times = [t for _, _, t in telegram.deliveries]
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    return {
        "mode": "plain",
        "members": args.members,
        "timezone": tz,
        "finished": finished,
        **counted(telegram.reminders_per_member()),
        "seconds_to_first_message": round(times[0] - run.started, 2) if times else None,
        "sending_seconds": round(span, 2),
        "messages_per_second": round((len(times) - 1) / span, 1) if span else None,
        "seconds_until_all_marked_sent": round(all_marked - run.started, 2),
        "stop": stop,
        "bot_cpu_seconds": run.cpu_seconds,
        "db": state,
        "bot_constants": bot_constants(),
        "python": sys.version.split()[0],
    }


def blame(deliveries: list[tuple[int, int, float]]) -> dict[int, int]:
    """Duplicates per run: a member's k-th delivery repeats one that the run of the (k-1)-th did not mark sent."""
    last_run: dict[int, int] = {}
    caused: dict[int, int] = {}
    for tid, run, _ in deliveries:
        if tid in last_run:
            caused[last_run[tid]] = caused.get(last_run[tid], 0) + 1
        last_run[tid] = run
    return caused


def kill_report(run: Run, moment: str, planned: int | None, telegram: WatchedTelegram, db_path: Path) -> dict:
    """One signal and how the process took it, with the claims it left in the data file."""
    state = outbox_state(db_path, run.started_at)
    return {
        "run": run.number,
        "signal": run.signal,
        "moment": moment,
        **({"planned_after": planned} if planned is not None else {}),
        "delivered": run.delivered_at_signal,
        "members_reached": run.members_reached_at_signal,
        "polling_at_signal": run.polling_at_signal,
        "delivered_by_this_run": sum(1 for _, number, _ in telegram.deliveries if number == run.number),
        "delivered_after_signal": sum(
            1 for _, number, t in telegram.deliveries if number == run.number and t > run.signalled
        ),
        "exit_code": run.exit_code,
        "seconds_to_exit": round(run.exited - run.signalled, 2),
        "claims_left_by_this_run": state["claimed_unsent_since"],
        "claims_left_in_all": state["claimed_unsent"],
        "run_seconds": round(run.exited - run.started, 2),
        "bot_cpu_seconds": run.cpu_seconds,
        **stderr_problems(run.stderr),
        **run.extra,
    }


async def crash(args: argparse.Namespace) -> dict:
    """Kill and stop the bot at chosen moments while it sends; count what the members got."""
    rng = random.Random(args.seed)
    began = time.monotonic()
    moments = sorted(rng.sample(range(5, args.members - 10 + 1), 2 * args.kills))
    stages = (
        [(signal.SIGKILL, "sending", m) for m in moments[: args.kills]]
        + [(signal.SIGTERM, "startup", None)]
        + [(signal.SIGTERM, "sending", m) for m in moments[args.kills :]]
    )
    kills: list[dict] = []
    with tempfile.TemporaryDirectory(dir=".", prefix="bench-reminders-") as name:
        db_path, telegram, tz = await prepare(Path(name), args.members)

        def all_sent() -> bool:
            return outbox_state(db_path)["sent"] >= args.members

        async with EmulatorHttpServer(telegram) as server:
            bot = Bot(Path(name), telegram, settings(server, db_path, tz))
            run = await bot.start()
            for sig, moment, planned in stages:
                if sig is signal.SIGTERM and moment == "sending":  # a stop of a bot that is up, not one starting
                    await until(
                        lambda run=run: run.number in telegram.polling or run.process.returncode is not None,
                        UP_SECONDS,
                    )
                # The moment counts members reached (duplicates do not bring it closer); a moment that has
                # passed already (a restart sends a burst before it polls) becomes the next reminder.
                at = len(telegram.reached) + 1 if planned is None else max(planned, len(telegram.reached) + 1)
                fired = asyncio.Event()

                def on_reminder(
                    run: Run = run, sig: signal.Signals = sig, at: int = at, fired=fired, first: bool = planned is None
                ) -> None:
                    if not fired.is_set() and (first or len(telegram.reached) >= at):
                        bot.send(run, sig)
                        fired.set()

                telegram.on_reminder = on_reminder
                await until(
                    lambda run=run, fired=fired: fired.is_set() or all_sent() or run.process.returncode is not None,
                    args.timeout,
                )
                telegram.on_reminder = None
                if not fired.is_set():  # everything went out before this moment (or the bot died by itself)
                    kills.append(
                        {
                            "signal": sig.name,
                            "moment": moment,
                            "planned_after": planned,
                            "skipped": "no reminder left to wait for"
                            if run.process.returncode is None
                            else f"the bot exited by itself with {run.process.returncode}",
                        }
                    )
                    continue
                await bot.wait(run)
                kill = kill_report(run, moment, planned, telegram, db_path)
                if run.exit_code == -signal.SIGKILL and not args.wait_real:
                    kill["stale_claims_moved_back"] = age_claims(db_path)
                kills.append(kill)
                run = await bot.start()
            finished = await until(
                lambda: all_sent() or run.process.returncode is not None,
                args.timeout + (60 if args.wait_real else 0),
                0.2,
            )
            finished_after = round(time.monotonic() - run.started, 2)
            await until(lambda: run.number in telegram.polling or run.process.returncode is not None, UP_SECONDS)
            bot.send(run, signal.SIGTERM)
            await bot.wait(run)
            final = {
                **kill_report(run, "after all were sent", None, telegram, db_path),
                "finished_all": finished,
                "seconds_until_all_sent": finished_after,
            }
            state = outbox_state(db_path)
    caused = blame(telegram.deliveries)
    done = [kill for kill in kills if "skipped" not in kill] + [final]
    for kill in done:
        kill["duplicates_caused"] = caused.get(kill["run"], 0)
    sending = [k for k in done if k["moment"] == "sending"]
    startup = [k for k in done if k["moment"] == "startup"]
    stops = [k for k in done if k["signal"] == "SIGTERM" and k["moment"] != "startup"]
    per_sigkill = [k["duplicates_caused"] for k in sending if k["signal"] == "SIGKILL"]
    per_sigterm = [k["duplicates_caused"] for k in stops]
    counts = counted(telegram.reminders_per_member())
    return {
        "mode": "crash",
        "members": args.members,
        "seed": args.seed,
        "timezone": tz,
        "stale_claims": (
            "waited for real: the bot was restarted at once and left to take stale claims itself"
            if args.wait_real
            else "after each kill, before the restart, claimed_at of claimed unsent rows was set to 2 minutes ago in"
            " the data file: what a minute of waiting (STALE_CLAIM) does, without waiting"
        ),
        "kill_moment": "the signal is sent from inside the emulator as it records the Nth reminder, before the"
        " bot has the answer",
        "kills": kills,
        "final_stop": final,
        "restarts": len(bot.runs) - 1,
        **counts,
        "delivered_seen_by_hook": len(telegram.deliveries),
        "duplicates_per_sigkill": per_sigkill,
        "duplicates_per_sigterm": per_sigterm,
        "duplicates_after_startup_sigterm": [k["duplicates_caused"] for k in startup],
        "db": state,
        "seconds": round(time.monotonic() - began, 2),
        "goals": goals(counts, sending, stops, startup, state, args.members),
        "bot_constants": bot_constants(),
        "python": sys.version.split()[0],
    }


def clean(stop: dict) -> bool:
    """A SIGTERM as it should go: exit 0, no traceback, no closed-database error, in time."""
    return (
        stop["exit_code"] == 0
        and not stop["traceback"]
        and not stop["closed_database"]
        and stop["seconds_to_exit"] <= CLEAN_EXIT_SECONDS
    )


def goals(counts: dict, sending: list[dict], stops: list[dict], startup: list[dict], state: dict, members: int) -> dict:
    most = max((k["duplicates_caused"] for k in sending), default=0)
    stop_duplicates = sum(k["duplicates_caused"] for k in stops)
    return {
        "lost": {"goal": "== 0", "value": counts["lost"], "met": counts["lost"] == 0},
        "duplicates_per_kill": {
            "goal": "<= 1 per kill while sending",
            "kills": len(sending),
            "value": sum(k["duplicates_caused"] for k in sending),
            "most_by_one_kill": most,
            "met": most <= 1,
        },
        "sigterm_while_sending": {
            "goal": f"0 duplicates; exit 0, no Traceback or closed-database error, within {CLEAN_EXIT_SECONDS:g} s",
            "duplicates": stop_duplicates,
            "unclean_runs": [k["run"] for k in stops if not clean(k)],
            "met": stop_duplicates == 0 and all(clean(k) for k in stops),
        },
        "sigterm_at_startup": {
            "goal": "the same, for a SIGTERM while the bot starts up",
            "duplicates": sum(k["duplicates_caused"] for k in startup),
            "unclean_runs": [k["run"] for k in startup if not clean(k)],
            "met": all(k["duplicates_caused"] == 0 and clean(k) for k in startup),
        },
        "all_rows_sent": {"goal": f"== {members}", "value": state["sent"], "met": state["sent"] == members},
    }


def quiet_about_closed_polls() -> None:
    """No noise when the emulator's server closes a waiting long poll: EmulatorHttpServer cancels its open
    connections on exit, and the asyncio streams of older Pythons (3.11.7 here) then log the CancelledError
    as an error (CPython gh-113538). The benchmarks call this first."""

    def handler(loop: asyncio.AbstractEventLoop, context: dict) -> None:
        if not isinstance(context.get("exception"), asyncio.CancelledError):
            loop.default_exception_handler(context)

    asyncio.get_running_loop().set_exception_handler(handler)


async def measure(args: argparse.Namespace) -> dict:
    """One mode, without noise when the emulator closes a long poll."""
    quiet_about_closed_polls()
    return await (crash(args) if args.crash else plain(args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crash", action="store_true", help="kill and stop the bot while it sends, then count")
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None, help="for the moments of the kills (default: random)")
    parser.add_argument("--kills", type=int, default=5, help="SIGKILLs, and as many SIGTERMs (default 5)")
    parser.add_argument(
        "--wait-real",
        action="store_true",
        help="do not age stale claims in the data file; let the bot wait out the minute itself",
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for a moment or the end")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.randrange(1_000_000)
    if args.crash and args.members - 15 < 2 * args.kills:
        parser.error("--crash needs --members of at least 2 * --kills + 15")
    print(json.dumps(asyncio.run(measure(args)), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
