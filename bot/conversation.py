"""Multi-step input: named, persistent ConversationHandlers built one way."""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import callbacks
from bot.context import Handler, WijkContext
from bot.keyboards import FEATURES, MENU, menu_label_pattern, menu_words, typed_text
from bot.never_stuck import step_handlers
from bot.replies import edit, reply_with_menu

logger = logging.getLogger(__name__)

# A conversation's steps: state name -> the handlers that answer in that state.
States = dict[object, list[BaseHandler[Any, Any, Any]]]


def planning_steps(
    area: str, steps: Sequence[str], typed: Callable[[str], Handler[Any]], picked: Handler[Any], back: Handler[Any]
) -> States:
    """The steps of a planning flow (an activity, a shift): each takes a typed answer (`typed(step)`), its own
    quick-answer buttons (area:step:…) and its own ⬅️ Back (area:back:step). An old button of another step, or
    forged data, matches nothing there and is answered as stale."""
    return {
        step: [
            MessageHandler(typed_text(), typed(step)),
            CallbackQueryHandler(picked, pattern=callbacks.pattern(area, step)),
            CallbackQueryHandler(back, pattern=callbacks.exactly(area, "back", step)),
        ]
        for step in steps
    }


def persistent_conversation(
    name: str,
    entry_points: list[BaseHandler[Any, Any, Any]],
    states: States,
    fallbacks: list[BaseHandler[Any, Any, Any]],
    explanations: Mapping[Any, str] | None = None,
) -> ConversationHandler[Any]:
    """A conversation that survives a restart (see bot/persistence.py) and can be started again.

    Every step also answers a voice message, photo or sticker, and typing where it wants a tap, with
    a friendly word and the step again; a step with one of the `explanations` (msgids) explains
    itself on ❓ (bot/never_stuck.py).

    It follows one person per chat, buttons included. PTB warns that with
    per_message=False buttons are not tracked per message: that is what we
    want, one flow per person at a time, so that one warning is silenced here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points,
            states={
                state: [*map(answer_only_here, handlers), *step_handlers(handlers, (explanations or {}).get(state))]
                for state, handlers in states.items()
            },
            fallbacks=fallbacks,
            name=name,
            persistent=True,
            allow_reentry=True,
        )


def answer_only_here(handler: BaseHandler[Any, Any, Any]) -> BaseHandler[Any, Any, Any]:
    """A message a step takes as its answer is not also a main-menu button (group 1, bot/app.py): a post
    called "Hulp" is a title, not ❓ Help. PTB lets a conversation's callback stop the later groups by
    raising ApplicationHandlerStop with the new state."""
    if not isinstance(handler, MessageHandler):
        return handler
    answer = handler.callback

    @functools.wraps(answer)
    async def answered(update: Update, context: WijkContext) -> object:
        raise ApplicationHandlerStop(await answer(update, context))

    handler.callback = answered
    return handler


def leave_handlers(callback: Handler[Any], *, draft: str | None = None) -> list[BaseHandler[Any, Any, Any]]:
    """Fallbacks of every conversation: /start, /menu, "menu" and 🏠 Menu leave it, saying so (UX.md).

    Another button of the main menu leaves it quietly, forgetting the `draft`: that button's own
    handler answers in group 1 (bot/app.py). So a flow left that way never takes later typing."""

    async def leave_quietly(update: Update, context: WijkContext) -> int:
        if draft is not None:
            context.answers.pop(draft, None)
        return ConversationHandler.END

    return [
        CommandHandler(["start", "menu"], callback),
        MessageHandler(filters.Regex(menu_label_pattern(MENU)) | filters.Regex(menu_words()), callback),
        CallbackQueryHandler(callback, pattern=callbacks.pattern("nav", "menu")),
        MessageHandler(filters.Regex(menu_label_pattern(*FEATURES)), leave_quietly),
    ]


async def end_conversation(update: Update, context: WijkContext, text: str, draft: str) -> int:
    """Leave a flow: forget its unfinished answers, take the buttons off the tapped message, show the menu.

    The flow ends even when Telegram refuses the edit (an old or forged message): never half-left."""
    context.answers.pop(draft, None)
    try:
        if update.callback_query:
            await update.callback_query.answer()
            await edit(update)
        await reply_with_menu(update, context, text)
    except TelegramError as error:
        logger.info("left a flow, but could not say so: %s", error)
    return ConversationHandler.END


async def end_flows_a_tap_leaves(update: Update, context: WijkContext) -> None:
    """A tap that another part of the bot answers (an older card, another flow's button) ends the open
    flow; otherwise that flow would stay open and take the member's later typing as its answer. A stale
    or forged button, which only the catch-all answers, leaves the flow as it is.

    Runs before the flows (group -2, bot/app.py). PTB has no public way to end a conversation from
    outside it; its states live in this mapping, which the persistence writes from (as in
    bot/persistence.py forget_user)."""
    chat, user = update.effective_chat, update.effective_user
    if update.callback_query is None or chat is None or user is None:
        return
    key = (chat.id, user.id)
    answering = context.application.handlers.get(0, [])
    for flow in answering:
        if not isinstance(flow, ConversationHandler) or flow.name is None:
            continue
        states = context.application._conversation_handler_conversations.get(flow.name)
        if states is None or key not in states or flow.check_update(update):
            continue
        if any(_answers(other, update) for other in answering if other is not flow):
            states.pop(key, None)


def _answers(handler: BaseHandler[Any, Any, Any], update: Update) -> bool:
    """Would this handler answer the tap? The catch-all for stale buttons does not count."""
    if isinstance(handler, CallbackQueryHandler) and handler.pattern is None:
        return False
    return bool(handler.check_update(update))
