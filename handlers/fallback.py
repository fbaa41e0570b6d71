"""What nobody else answered: unknown text and stale buttons. Registered last."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import WijkContext
from bot.keyboards import FEATURES, menu_label_pattern
from bot.replies import answer_stale_button, reply_with_menu


async def unknown_text(update: Update, context: WijkContext) -> None:
    """Anything we do not understand: a short hint and the menu, never silence."""
    _ = context.gettext
    await reply_with_menu(update, context, _("Sorry, I do not understand that. Tap a button below."))


async def stale_button(update: Update, context: WijkContext) -> None:
    """A button from an old message, or data we never made."""
    await answer_stale_button(update, context)


def handlers() -> list[BaseHandler]:
    return [
        # Not the main menu's buttons: they are answered in group 1 (bot/app.py).
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL & ~filters.Regex(menu_label_pattern(*FEATURES)),
            unknown_text,
        ),
        CallbackQueryHandler(stale_button),
    ]
