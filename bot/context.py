"""The context every handler gets: settings, database, member and translator.

`load_member` runs before any handler (see bot/app.py), so each update is
answered for the member as the database knows them right now.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot import i18n
from bot.config import Settings
from bot.double_taps import RecentTaps
from bot.incoming import UnexpectedUpdate
from bot.sender import OutboxSender
from bot.steps import Steps
from bot.timing import ActivityTiming
from storage import members
from storage.db import Database, open_database
from storage.members import Member

RUNTIME_KEY = "wijkbot"
R = TypeVar("R")
# A handler callback: what PTB calls with an update and our context.
Handler = Callable[[Update, "WijkContext"], Coroutine[Any, Any, R]]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    """What the whole bot shares. The database opens on first use (persistence
    needs it before post_init) and closes in post_shutdown; the outbox sender
    starts in post_init."""

    settings: Settings
    clock: Callable[[], datetime] = field(default=utc_now)
    run_scheduler: bool = True  # tests run the repeating job and the sender by hand, with their own clock
    db: Database | None = None
    sender: OutboxSender | None = None
    # Chats whose newest message is the main menu (in memory: after a restart the menu is sent once more).
    menu_is_last: set[int] = field(default_factory=set)
    # The newest screen with buttons per chat, to show a step again (bot/never_stuck.py).
    steps: Steps = field(default_factory=Steps)
    # The buttons tapped in the last moments, to know a double tap (bot/double_taps.py).
    recent_taps: RecentTaps = field(default_factory=RecentTaps)

    async def open_database(self) -> Database:
        if self.db is None:
            self.db = await open_database(self.settings.db_path)
        return self.db

    @property
    def database(self) -> Database:
        assert self.db is not None, "the database is opened in post_init"
        return self.db

    @property
    def outbox_sender(self) -> OutboxSender:
        assert self.sender is not None, "the sender is made in post_init"
        return self.sender

    @cached_property
    def timing(self) -> ActivityTiming:
        """When messages about activities go out, with this bot's time zone and claim window."""
        return ActivityTiming(self.settings.timezone, timedelta(hours=self.settings.claim_hours))


def runtime_of(application: Application) -> Runtime:
    return application.bot_data[RUNTIME_KEY]


class WijkContext(CallbackContext[ExtBot, dict, dict, dict]):
    """CallbackContext with wijkbot's services as properties."""

    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None) -> None:
        super().__init__(application, chat_id, user_id)
        self.member: Member | None = None
        self.telegram_language: str | None = None
        self.double_tap = False  # the same button was tapped moments ago (bot/double_taps.py)

    @property
    def runtime(self) -> Runtime:
        return runtime_of(self.application)

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def db(self) -> Database:
        return self.runtime.database

    @property
    def timing(self) -> ActivityTiming:
        return self.runtime.timing

    def wake_sender(self) -> None:
        """Messages were written to the outbox: the sender sends them now (bot/sender.py)."""
        self.runtime.outbox_sender.wake()

    def now(self) -> datetime:
        return self.runtime.clock()

    @property
    def known_member(self) -> Member:
        """The member behind this update, where @requires (bot/access.py) checked there is one."""
        if self.member is None:
            raise UnexpectedUpdate("a member's handler ran for someone who is not a member")
        return self.member

    @property
    def answers(self) -> dict[str, Any]:
        """This person's unfinished answers (PTB's user_data, kept by bot/persistence.py)."""
        if self.user_data is None:
            raise UnexpectedUpdate("an update without a user has no answers")
        return self.user_data

    @property
    def language(self) -> str:
        """The member's choice, else Telegram's language if we ship it, else the default."""
        if self.member is not None:
            return self.member.language
        return self.telegram_language or self.settings.default_language

    @property
    def gettext(self) -> i18n.Translate:
        """The translator for this member: use as `_ = context.gettext`."""
        return i18n.translator(self.language)


async def load_member(update: object, context: WijkContext) -> None:
    """Look up who sent this update, before any handler answers it."""
    if not isinstance(update, Update) or update.effective_user is None:
        return
    user = update.effective_user
    if update.message is not None:  # they typed something: below the menu
        context.runtime.menu_is_last.discard(update.message.chat.id)
    context.telegram_language = i18n.shipped_language(user.language_code)
    context.member = members.get_by_telegram_id(context.db, user.id)
    if context.member is not None and context.member.unreachable_since is not None:  # they are back
        members.set_reachable(context.db, user.id, True, context.now())
