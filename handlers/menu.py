"""The main menu and ❓ Help, reachable from anywhere."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot import i18n
from bot.context import WijkContext
from bot.i18n import N_
from bot.keyboards import HELP, MENU, starts_with
from bot.replies import reply_with_menu


async def menu_command(update: Update, context: WijkContext) -> None:
    """/menu, "menu" or 🏠: show the main menu."""
    _ = context.gettext
    await reply_with_menu(update, context, _("What do you want to do? Tap a button."))


async def help_command(update: Update, context: WijkContext) -> None:
    """❓ Help or /help: what the bot can do, in at most five short lines."""
    _ = context.gettext
    await reply_with_menu(
        update,
        context,
        _(
            "With this bot you take part in your neighbourhood.\n"
            "Tap a button at the bottom of your screen.\n"
            "🌐 Language: choose your language.\n"
            "Buttons gone? Type menu.\n"
            "Questions? Ask at the desk of the community centre."
        ),
    )


def _menu_words() -> re.Pattern[str]:
    """ "menu" typed in any shipped language."""
    words = "|".join(re.escape(word) for word in sorted(i18n.every_translation(N_("menu"))))
    return re.compile(rf"^\s*({words})\s*$", re.IGNORECASE)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("menu", menu_command),
        CommandHandler("help", help_command),
        MessageHandler(filters.Regex(starts_with(MENU)) | filters.Regex(_menu_words()), menu_command),
        MessageHandler(filters.Regex(starts_with(HELP)), help_command),
    ]
