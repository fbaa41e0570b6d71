"""The one error handler: log it, then tell the member what to do now."""

from __future__ import annotations

import contextlib
import json
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.callbacks import StaleButton
from bot.context import WijkContext, load_member
from bot.replies import answer_stale_button, reply_with_menu

logger = logging.getLogger(__name__)


async def error_handler(update: object, context: WijkContext) -> None:
    """Log the exception with its update; the member hears something went wrong.

    A stale or forged button is not a bug: handlers parse callback data and
    look up its object, and raise StaleButton when either fails; this answers it.
    """
    if isinstance(update, Update) and isinstance(context.error, StaleButton):
        logger.info("stale or forged button %r", update.callback_query and update.callback_query.data)
        await load_member(update, context)
        await answer_stale_button(update, context)
        raise ApplicationHandlerStop
    payload = update.to_dict() if isinstance(update, Update) else repr(update)
    logger.error("error while handling update %s", json.dumps(payload, default=str), exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await load_member(update, context)
    except Exception:
        logger.exception("could not look up the member; answering in the default language")
    _ = context.gettext
    if update.callback_query:
        with contextlib.suppress(TelegramError):  # it may have been answered already
            await update.callback_query.answer()
    try:
        await reply_with_menu(
            update,
            context,
            _("Sorry, something went wrong on our side. Please try again in a moment, or tap a button below."),
        )
    except TelegramError:
        logger.exception("could not tell the member about the error")
    raise ApplicationHandlerStop  # one answer per update: later handler groups are skipped
