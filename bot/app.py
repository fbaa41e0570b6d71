"""The composition root: build_application() wires settings, database and handlers.

`wijkbot run`, `wijkbot demo` and the tests all build the bot here; the demo
and the tests pass the local Telegram emulation as `request`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults, TypeHandler
from telegram.request import BaseRequest

from bot import i18n, scheduler
from bot.config import Settings
from bot.context import RUNTIME_KEY, Runtime, WijkContext, load_member, runtime_of, utc_now
from bot.persistence import SqlitePersistence
from bot.update_processor import PerChatUpdateProcessor
from handlers import (
    activities,
    activity_admin,
    activity_planning,
    approval,
    errors,
    fallback,
    menu,
    organise,
    profile,
    signup,
    start,
)

MAX_CONCURRENT_UPDATES = 64


def command_list(language: str) -> list[BotCommand]:
    """The commands Telegram shows in its menu, in one language."""
    _ = i18n.translator(language)
    return [
        BotCommand("start", _("Start or start again")),
        BotCommand("menu", _("Show the menu")),
        BotCommand("help", _("What can this bot do?")),
    ]


async def open_resources(application: Application) -> None:
    """post_init: open the database (applying migrations), register the commands, start the scheduled work."""
    runtime = runtime_of(application)
    await runtime.open_database()
    bot = application.bot
    await bot.set_my_commands(command_list(runtime.settings.default_language))
    for language in i18n.languages():
        await bot.set_my_commands(command_list(language), language_code=language)
    if runtime.run_scheduler:
        await scheduler.start(application)


async def close_resources(application: Application) -> None:
    """post_shutdown: close the database."""
    runtime = runtime_of(application)
    if runtime.db is not None:
        await runtime.db.close()
        runtime.db = None


def register_handlers(application: Application) -> None:
    """Every handler, in order. The first matching handler in a group answers."""
    # Group -1: before any answer, look up who is talking (never trust a button).
    application.add_handler(TypeHandler(Update, load_member), group=-1)
    # Flows with conversations first: while someone is in one, its fallbacks take /start and 🏠.
    for flow in (signup, profile, organise, activity_planning, activity_admin, activities, start, approval, menu):
        application.add_handlers(flow.handlers())
    # Last in group 0: answers for whatever no flow understood.
    application.add_handlers(fallback.handlers())
    application.add_error_handler(errors.error_handler)


def build_application(
    settings: Settings,
    *,
    request: Callable[[], BaseRequest] | None = None,
    clock: Callable[[], datetime] = utc_now,
    run_scheduler: bool = True,
    rate_limit: bool = True,
) -> Application:
    """The real bot. `request` makes the HTTP layer (default: httpx to the Bot API server).

    Tests pass their own clock and run the scheduled work by hand; a benchmark
    may leave out the rate limiter to measure the bot itself, not Telegram's limits.
    """
    runtime = Runtime(settings=settings, clock=clock, run_scheduler=run_scheduler)
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(f"{settings.api_base_url}/bot")
        .base_file_url(f"{settings.api_base_url}/file/bot")
        .context_types(ContextTypes(context=WijkContext))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.timezone))
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .persistence(SqlitePersistence(runtime))
        .post_init(open_resources)
        .post_shutdown(close_resources)
    )
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if request is not None:
        builder = builder.request(request()).get_updates_request(request())
    application = builder.build()
    application.bot_data[RUNTIME_KEY] = runtime
    register_handlers(application)
    return application
