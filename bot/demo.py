"""`wijkbot demo`: chat with the real bot in the terminal, without a token or network.

The real Application runs against the local Telegram emulation with its own
database file. Type text, or a button's number to tap it. Lines starting with
':' are demo commands: switch person, send a number as text, stop. When
standard input is not a terminal, every input line is echoed so the output is
the whole transcript.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import threading
from datetime import UTC, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import TextIO

from bot import i18n
from bot.app import build_application, send_outbox_now
from bot.config import load_settings
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.request import EmulatedRequest
from bot.telegram_emulation.server import Event, TelegramEmulator
from storage import activities, members
from storage.activities import Plan
from storage.members import ORGANISER

DEFAULT_DEMO_DB = "wijkbot-demo.db"
DEMO_TOKEN = "1000:demo"
SAMPLE_NEIGHBOURHOODS = ("Centrum", "Noord", "Oost")
RESIDENT_ID = 1001
ORGANISER_ID = 1002


SAMPLE_ACTIVITIES = (
    # title, description, days from now, hour, places, cost in cents, bring
    ("Samen koken", "We koken met groenten uit de buurttuin. Daarna eten we samen.", 2, 17, 8, 250, "een schort"),
    ("Repair café", "Neem kapotte spullen mee. Vrijwilligers helpen je ze te maken.", 4, 13, None, 0, None),
    ("Taalcafé", "Oefen Nederlands met buren, met koffie en thee.", 1, 10, 2, 0, None),
)


async def seed(local_bot: LocalBot) -> None:
    """Give an empty demo database a little to look at: members and activities."""
    runtime = runtime_of(local_bot.application)
    db, now, tz = runtime.database, runtime.clock(), runtime.settings.timezone
    if members.count(db):
        return
    language = runtime.settings.default_language
    olga = members.create(
        db,
        telegram_id=ORGANISER_ID,
        first_name="Olga",
        language=language,
        status="active",
        now=now,
        roles=frozenset({ORGANISER}),
    )
    for name in ("Fatima", "Piet"):
        members.create(db, telegram_id=None, first_name=name, language=language, status="active", now=now)
    today = now.astimezone(tz).date()
    for title, description, days, hour, places, cost, bring in SAMPLE_ACTIVITIES:
        starts = datetime.combine(today + timedelta(days=days), time(hour), tz).astimezone(UTC)
        plan = Plan(
            title,
            description,
            starts,
            starts + timedelta(hours=2),
            runtime.settings.community_centre,
            places,
            cost,
            bring,
        )
        activities.create(db, plan, created_by=olga.id, now=now)


class Transcript:
    """Prints what a person sees, numbering every button they can tap."""

    def __init__(self, output: TextIO) -> None:
        self.output = output
        self.buttons: dict[int, tuple[str, int | None]] = {}

    def write(self, line: str = "") -> None:
        self.output.write(line + "\n")
        self.output.flush()

    def show(self, person: Person) -> None:
        """What answered the person's last action, then their keyboard."""
        self.buttons = {}
        for event in person.replies:
            self._show_event(event)
        self.show_keyboard(person)

    def show_keyboard(self, person: Person) -> None:
        if person.keyboard:
            self.write("   ⌨️ " + "  ".join(self._number(label, None) for label in person.keyboard))

    def _show_event(self, event: Event) -> None:
        mark = {"message": "🤖", "edit": "✏️", "document": "📄", "toast": "💬", "delete": "🗑️"}[event.kind]
        message = event.message or {}
        text = event.text
        if event.kind == "document":
            text = f"{message['document']['file_name']} {text}".strip()
        lines = text.splitlines() or [""]
        self.write(f"{mark} {lines[0]}")
        for line in lines[1:]:
            self.write(f"   {line}")
        if event.kind in ("message", "edit") and message.get("reply_markup"):
            for row in message["reply_markup"]["inline_keyboard"]:
                labels = [self._number(b["text"], message["message_id"]) for b in row]
                self.write("   " + "  ".join(labels))

    def _number(self, label: str, message_id: int | None) -> str:
        number = len(self.buttons) + 1
        self.buttons[number] = (label, message_id)
        return f"[{number}] {label}"


async def tap_number(person: Person, label: str, message_id: int | None) -> None:
    """Tap the numbered button: an inline button of that message, or the keyboard."""
    if message_id is None:
        await person.send(label)
        return
    message = person.chat.messages.get(message_id, {})
    for row in message.get("reply_markup", {}).get("inline_keyboard", []):
        for button in row:
            if button["text"] == label:
                await person.press(button["callback_data"], message_id)
                return


def read_lines(stdin: TextIO) -> asyncio.Queue[str | None]:
    """Lines from standard input, read by a daemon thread so Ctrl-C never waits for Enter."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        for line in itertools.chain(iter(stdin.readline, ""), [None]):
            if loop.is_closed():
                return
            loop.call_soon_threadsafe(lines.put_nowait, line)

    threading.Thread(target=read, name="demo-input", daemon=True).start()
    return lines


async def run_demo(db_path: str | Path, stdin: TextIO, stdout: TextIO) -> int:
    """The terminal chat; returns the exit code."""
    base = load_settings(require_token=False)
    settings = dataclasses.replace(
        base,
        bot_token=DEMO_TOKEN,
        db_path=Path(db_path),
        organiser_ids=base.organiser_ids | {ORGANISER_ID},
        neighbourhoods=base.neighbourhoods or SAMPLE_NEIGHBOURHOODS,
    )
    _ = i18n.translator(settings.default_language)
    emulator = TelegramEmulator(DEMO_TOKEN)
    application = build_application(settings, request=lambda: EmulatedRequest(emulator))
    interactive = stdin.isatty()
    transcript = Transcript(stdout)
    lines = read_lines(stdin)
    async with LocalBot(application, emulator, after_update=partial(send_outbox_now, application)) as local_bot:
        await seed(local_bot)
        people = {
            "ann": (
                local_bot.person("Ann", user_id=RESIDENT_ID, language_code=settings.default_language),
                _("resident"),
            ),
            "olga": (
                local_bot.person("Olga", user_id=ORGANISER_ID, language_code=settings.default_language),
                _("organiser"),
            ),
        }
        person = people["ann"][0]
        transcript.write(
            _(
                "wijkbot demo: nothing is sent to Telegram.\n"
                "Type a message, or the number of a button to tap it.\n"
                ":ann or :olga switches person, :say 12 sends a number as text, :quit stops."
            )
        )
        transcript.write(_("You are {name} ({role}).").format(name="Ann", role=people["ann"][1]))
        while True:
            if interactive:
                stdout.write(f"{person.user['first_name']}> ")
                stdout.flush()
            line = await lines.get()
            if line is None:
                break
            line = line.rstrip("\n")
            if not interactive:
                transcript.write(f"{person.user['first_name']}> {line}")
            command = line.strip()
            if command in (":quit", ":stop"):
                break
            if command[1:] in people and command.startswith(":"):
                person, role = people[command[1:]]
                transcript.write(_("You are {name} ({role}).").format(name=person.user["first_name"], role=role))
                transcript.buttons = {}
                transcript.show_keyboard(person)
                continue
            if command.startswith(":say "):
                await person.send(command[5:])
            elif command.isdigit() and int(command) in transcript.buttons:
                await tap_number(person, *transcript.buttons[int(command)])
            elif command.isdigit():
                transcript.write(_("There is no button {number}.").format(number=command))
                continue
            elif command.startswith(":"):
                transcript.write(_("Unknown demo command. Use :ann, :olga, :say or :quit."))
                continue
            elif not command:
                continue
            else:
                await person.send(line)
            transcript.show(person)
    return 0
