"""The composition root: build_application() wires settings, database and handlers.

`wijkbot run`, `wijkbot demo` and the tests all build the bot here; the demo
and the tests pass the local Telegram emulation as `request`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import datetime
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults, ExtBot, JobQueue, TypeHandler
from telegram.request import BaseRequest

from bot import campaign_live, double_taps, i18n, scheduler
from bot.config import Settings
from bot.context import RUNTIME_KEY, Runtime, WijkContext, load_member, runtime_of, utc_now
from bot.conversation import end_flows_a_tap_leaves
from bot.persistence import SqlitePersistence
from bot.rate_limit import MESSAGES_PER_SECOND, SAME_CHAT_SECONDS, PriorityRateLimiter
from bot.sender import OutboxSender
from bot.update_processor import PerChatUpdateProcessor
from handlers import (
    acting,
    acting_help,
    acting_votes,
    activities,
    activity_admin,
    activity_planning,
    announcing,
    approval,
    browsing,
    calls,
    campaign_admin,
    campaign_needs,
    campaigns,
    desk,
    errors,
    fallback,
    following,
    help_admin,
    helping,
    host_review,
    hosting,
    hours,
    income,
    menu,
    my_posts,
    notices_board,
    organise,
    paper,
    payment_search,
    posting,
    profile,
    proposal_review,
    proposing,
    proxies,
    reporting,
    room_admin,
    rooms,
    share_admin,
    shares,
    shift_admin,
    shift_planning,
    shifts,
    signup,
    start,
    taking_part,
    talking,
    vote_admin,
    vote_planning,
    voting,
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


class WijkApplication(Application[ExtBot, WijkContext, dict, dict, dict, JobQueue]):
    """PTB's Application; after PTB hands the persistence what may have changed, it is written at once."""

    async def update_persistence(self) -> None:
        if not isinstance(self.persistence, SqlitePersistence):
            await super().update_persistence()
            return
        # One flush at a time; someone forgotten meanwhile is not written back, and what changed is
        # written in one transaction at the end (bot/persistence.py).
        async with self.persistence.flushing():
            await super().update_persistence()


async def open_resources(application: Application) -> None:
    """post_init: open the database (applying migrations), register the commands, start the sender and the job."""
    runtime = runtime_of(application)
    db = await runtime.open_database()
    bot = application.bot
    await bot.set_my_commands(command_list(runtime.settings.default_language))
    for language in i18n.languages():
        await bot.set_my_commands(command_list(language), language_code=language)
    runtime.sender = OutboxSender(bot, db, runtime.settings, runtime.timing, runtime.clock, runtime.menu_is_last)
    if runtime.run_scheduler:
        runtime.sender.start()
        scheduler.start(application)
    # What start-up made (modules, catalogs, handlers) lives as long as the bot: keep it out of the
    # garbage collector's way, so a full collection does not hold up every member for tens of
    # milliseconds (measured with benchmarks/rsvp_burst.py). post_shutdown gives it back.
    gc.freeze()


async def send_outbox_now(application: Application) -> int:
    """Send what the outbox has due now, until nothing is left (the demo and tests, after each update)."""
    return await runtime_of(application).outbox_sender.drain()


async def stop_sending(application: Application) -> None:
    """post_stop: the sender finishes what is in flight and frees its other claims, while the bot still can send."""
    runtime = runtime_of(application)
    if runtime.sender is not None:
        await runtime.sender.stop()


async def close_resources(application: Application) -> None:
    """post_shutdown: close the database (the persistence wrote its last changes in shutdown)."""
    gc.unfreeze()
    await stop_sending(application)  # already done in post_stop, unless start-up failed before that
    runtime = runtime_of(application)
    if runtime.db is not None:
        await runtime.db.close()
        runtime.db = None


def register_handlers(application: Application) -> None:
    """Every handler, in order. The first matching handler in a group answers."""
    # Group -3: a tap on a campaign card's button replaces the card: it is no longer kept up to date.
    application.add_handler(TypeHandler(Update, campaign_live.card_left), group=-3)
    # Group -4 (first): note a tap that repeats one of moments ago (bot/double_taps.py).
    application.add_handler(TypeHandler(Update, double_taps.remember), group=-4)
    # Group -2: a tap outside an open flow ends that flow (bot/conversation.py).
    application.add_handler(TypeHandler(Update, end_flows_a_tap_leaves), group=-2)
    # Group -1: before any answer, look up who is talking (never trust a button).
    application.add_handler(TypeHandler(Update, load_member), group=-1)
    # A changed message first: no flow takes it as a new answer.
    application.add_handler(fallback.edited_handler())
    # Flows with conversations first: while someone is in one, its fallbacks take /start and 🏠.
    for flow in (
        *(signup, profile, organise, activity_planning, activity_admin, activities),
        *(vote_planning, vote_admin, proposing, proposal_review, proxies, voting),
        *(posting, browsing, my_posts, talking, reporting, hours, following, help_admin, helping),
        *(announcing, notices_board),
        *(calls, paper, acting, acting_votes, acting_help),
        *(taking_part, rooms, room_admin, shifts, shift_planning, shift_admin, hosting, host_review),
        *(shares, share_admin),
        *(campaigns, campaign_admin, campaign_needs, income, payment_search),
        # After every flow that takes typed answers: a word that looks like a desk code ("Receptie") is
        # an answer there, and a code only outside them (handlers/desk.py code_text).
        desk,
        *(start, approval, menu),
    ):
        application.add_handlers(flow.handlers())
    # Last in group 0: answers for whatever no flow understood.
    application.add_handlers(fallback.handlers())
    # Group 1: the buttons of the main menu. An open flow ends quietly in group 0 when one is tapped
    # (bot/conversation.py leave_handlers), and the button still does what it says here.
    application.add_handlers(
        [
            flow.main_menu_button()
            for flow in (activities, helping, voting, taking_part, profile, organise, menu, start)
        ],
        group=1,
    )
    application.add_error_handler(errors.error_handler)


def build_application(
    settings: Settings,
    *,
    request: Callable[[], BaseRequest] | None = None,
    clock: Callable[[], datetime] = utc_now,
    run_scheduler: bool = True,
    rate_limit: bool = True,
    pace: tuple[float, float] = (MESSAGES_PER_SECOND, SAME_CHAT_SECONDS),
) -> Application:
    """The real bot. `request` makes the HTTP layer (default: httpx to the Bot API server).

    Tests pass their own clock and run the scheduled work by hand, at the local Telegram's `pace`
    (messages a second in all, seconds between two to one chat); a benchmark may leave out the rate
    limiter to measure the bot itself, not Telegram's limits.
    """
    runtime = Runtime(settings=settings, clock=clock, run_scheduler=run_scheduler)
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (  # its types change with the rate limiter
        ApplicationBuilder()
        .application_class(WijkApplication)
        .token(settings.bot_token)
        .base_url(f"{settings.api_base_url}/bot")
        .base_file_url(f"{settings.api_base_url}/file/bot")
        .context_types(ContextTypes(context=WijkContext))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.timezone))
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .persistence(SqlitePersistence(runtime))
        .post_init(open_resources)
        .post_stop(stop_sending)
        .post_shutdown(close_resources)
    )
    if rate_limit:
        per_second, same_chat_seconds = pace
        builder = builder.rate_limiter(PriorityRateLimiter(per_second, same_chat_seconds=same_chat_seconds))
    if request is not None:
        builder = builder.request(request()).get_updates_request(request())
    application = builder.build()
    application.bot_data[RUNTIME_KEY] = runtime
    register_handlers(application)
    return application
