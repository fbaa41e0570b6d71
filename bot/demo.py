"""`wijkbot demo`: chat with the real bot in the terminal, without a token or network.

The real Application runs against the local Telegram emulation with its own
database file. Type text, or a button's number to tap it. While the bot waits
for a typed answer (a name, a number of places, a member number), its buttons
get letters instead, so a number typed then is the answer. Files the bot sends
are saved next to the database. Lines starting with ':' are demo commands:
switch person, send a number as text, stop. When standard input is not a
terminal, every input line is echoed so the output is the whole transcript.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import TextIO

from telegram import Update
from telegram.ext import Application, ConversationHandler

from bot import i18n
from bot.app import build_application, send_outbox_now
from bot.config import Settings, load_settings
from bot.context import runtime_of
from bot.never_stuck import NotAnAnswer
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.request import EmulatedRequest
from bot.telegram_emulation.server import Event, TelegramEmulator
from storage import activities, members, posts, votes
from storage.activities import Plan
from storage.members import ORGANISER
from storage.tally import ABSTAIN, AGAINST, FOR, FOR_AGAINST

DEFAULT_DEMO_DB = "wijkbot-demo.db"
DEMO_TOKEN = "1000:demo"
SAMPLE_NEIGHBOURHOODS = ("Centrum", "Noord", "Oost")
RESIDENT_ID = 1001
NEIGHBOUR_ID = 1003  # a second resident, to try what two members do together
ORGANISER_ID = 1002


SAMPLE_ACTIVITIES = (
    # title, description, days from now, hour, places, cost in cents, bring
    ("Samen koken", "We koken met groenten uit de buurttuin. Daarna eten we samen.", 2, 17, 8, 250, "een schort"),
    ("Repair café", "Neem kapotte spullen mee. Vrijwilligers helpen je ze te maken.", 4, 13, None, 0, None),
    ("Taalcafé", "Oefen Nederlands met buren, met koffie en thee.", 1, 10, 2, 0, None),
)


SAMPLE_VOTE = ("Bankjes op het plein", "Zullen we drie bankjes op het plein zetten? Ze kosten samen 1200 euro.")
SAMPLE_POSTS = (
    # side, category, kind, title, description, price in cents, per; all by Olga, who has a chat in the demo
    (
        posts.REQUEST,
        "garden",
        posts.FREE,
        "Hulp in de buurttuin",
        "Wie helpt zaterdag twee uur met onkruid?",
        None,
        None,
    ),
    (
        posts.OFFER,
        "sewing",
        posts.PAID,
        "Kleding vermaken",
        "Ik maak broeken korter en zet knopen aan.",
        1500,
        posts.JOB,
    ),
)


async def seed(local_bot: LocalBot) -> None:
    """Give an empty demo database a little to look at: members, activities, an open vote and two posts."""
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
    closes = datetime.combine(today + timedelta(days=3), time(20), tz).astimezone(UTC)
    options = tuple(votes.PlannedOption(label) for label in (FOR, AGAINST, ABSTAIN))
    vote = votes.Plan(*SAMPLE_VOTE, FOR_AGAINST, False, False, 0, "half", now, closes, options)
    votes.create(db, vote, created_by=olga.id, now=now)
    members.update_profile(db, olga.id, interests=frozenset({members.SERVICES}), business_name="Olga's Naaiatelier")
    for side, category, kind, title, body, price, per in SAMPLE_POSTS:
        args = (side, category, kind, title, body, price, per, now, runtime.settings.post_days)
        posts.publish(db, olga.id, *args, tz=tz)


def button_key(index: int, *, letters: bool) -> str:
    """What to type for the button at this index (from 0): 1, 2, 3... or a, b, c... z, aa, ab..."""
    if not letters:
        return str(index + 1)
    key = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        key = chr(ord("a") + rest) + key
    return key


def waits_for_typing(application: Application, person: Person) -> bool:
    """Would the bot take a typed number from this person as the answer to its question?

    Asks the bot's own handlers which one would answer that message, without sending it:
    only a step of a conversation takes typed text (not understood text gets the fallback, and a
    step that wants a tap says so: bot/never_stuck.py).
    """
    probe = Update.de_json(
        {
            "update_id": 0,
            "message": {
                "message_id": 0,
                "date": 0,
                "chat": {"id": person.id, "type": "private"},
                "from": person.user,
                "text": "1",
            },
        },
        application.bot,
    )
    for handler in application.handlers.get(0, []):  # group 0 holds every answer (bot/app.py)
        check = handler.check_update(probe)
        if check is not None and check is not False:
            return isinstance(handler, ConversationHandler) and not (
                isinstance(check, tuple) and isinstance(check[2], NotAnAnswer)
            )
    return False


def save_document(folder: Path, file_name: str, content: bytes) -> Path:
    """Keep a file the bot sent under the name the bot gave it; never over a file that is there."""
    name = Path(file_name).name
    if name in ("", ".", ".."):
        name = "file"
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 1
    while True:
        path = folder / (name if number == 1 else f"{stem}-{number}{suffix}")
        try:
            with path.open("xb") as file:
                file.write(content)
        except FileExistsError:
            number += 1
            continue
        return path.absolute()


class Transcript:
    """Prints what a person sees, numbering (or lettering) every button they can tap."""

    def __init__(self, output: TextIO, emulator: TelegramEmulator, files: Path, _: i18n.Translate) -> None:
        self.output = output
        self.emulator = emulator
        self.files = files  # where the files the bot sends are saved
        self._ = _
        self.buttons: dict[str, tuple[str, int | None]] = {}
        self.letters = False  # the bot waits for typed text: buttons are a, b, c and numbers are text

    def write(self, line: str = "") -> None:
        self.output.write(line + "\n")
        self.output.flush()

    def start_screen(self, *, letters: bool) -> None:
        """Forget the buttons of the screen before."""
        self.buttons = {}
        self.letters = letters

    def show(self, person: Person, *, letters: bool) -> None:
        """What answered the person's last action, then their keyboard. After only a pop-up (❓ Explain),
        the buttons still on the screen are numbered again."""
        self.start_screen(letters=letters)
        for event in person.replies:
            self._show_event(event)
        newest = next((m for m in reversed(person.chat.messages.values()) if m["from"].get("is_bot")), None)
        if not self.buttons and newest is not None:
            self._show_buttons(newest)
        self.show_keyboard(person)

    def show_keyboard(self, person: Person) -> None:
        if person.keyboard:
            self.write("   ⌨️ " + "  ".join(self._number(label, None) for label in person.keyboard))

    def _show_event(self, event: Event) -> None:
        mark = {"message": "🤖", "edit": "✏️", "document": "📄", "photo": "🖼️", "toast": "💬", "delete": "🗑️"}[event.kind]
        message = event.message or {}
        text = event.text
        if event.kind == "document":
            text = f"{message['document']['file_name']} {text}".strip()
        lines = text.splitlines() or [""]
        self.write(f"{mark} {lines[0]}")
        for line in lines[1:]:
            self.write(f"   {line}")
        if event.kind == "document":
            document = message["document"]
            content = self.emulator.documents[document["file_id"]]
            path = save_document(self.files, document["file_name"], content)
            self.write("   " + self._("Saved as {path}").format(path=path))
        if event.kind in ("message", "edit", "document", "photo"):
            self._show_buttons(message)

    def _show_buttons(self, message: dict) -> None:
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            labels = [self._number(b["text"], message["message_id"]) for b in row]
            self.write("   " + "  ".join(labels))

    def _number(self, label: str, message_id: int | None) -> str:
        key = button_key(len(self.buttons), letters=self.letters)
        self.buttons[key] = (label, message_id)
        return f"[{key}] {label}"


# What `:send <kind>` sends instead of text: to try what the bot says to a voice message or a sticker.
SENDABLE: dict[str, Callable[[Person], Awaitable[None]]] = {
    "photo": lambda person: person.send_photo(),
    **{kind: partial(Person.send_other, kind=kind) for kind in ("voice", "sticker", "location", "contact")},
}


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


def demo_settings(db_path: str) -> Settings:
    """The settings of the demo: its own --db and token, the sample organiser and neighbourhoods.

    BOT_TOKEN, TELEGRAM_API_BASE_URL and WIJKBOT_DB are not read; every other setting applies.
    """
    base = load_settings(demo_db=db_path)
    return dataclasses.replace(
        base,
        bot_token=DEMO_TOKEN,
        organiser_ids=base.organiser_ids | {ORGANISER_ID},
        neighbourhoods=base.neighbourhoods or SAMPLE_NEIGHBOURHOODS,
    )


async def run_demo(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    """The terminal chat; returns the exit code."""
    _ = i18n.translator(settings.default_language)
    emulator = TelegramEmulator(DEMO_TOKEN)
    application = build_application(settings, request=lambda: EmulatedRequest(emulator))
    interactive = stdin.isatty()
    files = settings.db_path.parent
    transcript = Transcript(stdout, emulator, files, _)
    lines = read_lines(stdin)
    async with LocalBot(application, emulator, after_update=partial(send_outbox_now, application)) as local_bot:
        await seed(local_bot)
        people = {
            "ann": (
                local_bot.person("Ann", user_id=RESIDENT_ID, language_code=settings.default_language),
                _("resident"),
            ),
            "bert": (
                local_bot.person("Bert", user_id=NEIGHBOUR_ID, language_code=settings.default_language),
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
                "When the bot asks you to type an answer, its buttons get letters: "
                "then a number you type is your answer.\n"
                ":ann, :bert or :olga switches person, :say 12 sends a number as text, :quit stops."
            )
        )
        transcript.write(_(":send voice, photo, sticker, location or contact sends that instead of text."))
        transcript.write(_("Files the bot sends are saved in {folder}.").format(folder=files.absolute()))
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
            key = command.lower() if transcript.letters else command
            if command in (":quit", ":stop"):
                break
            if command[1:] in people and command.startswith(":"):
                person, role = people[command[1:]]
                transcript.write(_("You are {name} ({role}).").format(name=person.user["first_name"], role=role))
                person.look()  # what the bot sent them meanwhile, with its buttons
                transcript.show(person, letters=waits_for_typing(application, person))
                continue
            if command.startswith(":say "):
                await person.send(command[5:])
            elif command.startswith(":send ") and command[6:] in SENDABLE:
                await SENDABLE[command[6:]](person)
            elif key in transcript.buttons:
                await tap_number(person, *transcript.buttons[key])
            elif command.isdigit() and not transcript.letters:
                transcript.write(_("There is no button {number}.").format(number=command))
                continue
            elif command.startswith(":"):
                transcript.write(_("Unknown demo command. Use :ann, :bert, :olga, :say, :send or :quit."))
                continue
            elif not command:
                continue
            else:
                await person.send(line)
            transcript.show(person, letters=waits_for_typing(application, person))
    return 0
