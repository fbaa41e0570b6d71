"""Keyboards. Menu buttons are recognised by their emoji, so they work in every
language and keep working after the member switches language."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot import callbacks, i18n

MENU = "🏠"
HELP = "❓"
LANGUAGE = "🌐"


def starts_with(emoji: str) -> re.Pattern[str]:
    """A regex for the text of a menu button, whatever the language."""
    return re.compile(rf"^\s*{re.escape(emoji)}")


def in_rows(buttons: list, per_row: int = 2) -> list[list]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def main_menu(_: i18n.Translate) -> ReplyKeyboardMarkup:
    """The big buttons under the text field, two a row (UX.md)."""
    labels = [LANGUAGE + " " + _("Language"), HELP + " " + _("Help")]
    return ReplyKeyboardMarkup(in_rows(labels), resize_keyboard=True, is_persistent=True)


def language_picker() -> InlineKeyboardMarkup:
    """One button per shipped language, each in its own name."""
    buttons = [
        InlineKeyboardButton(i18n.language_name(code), callback_data=callbacks.pack("lang", "set", code))
        for code in i18n.languages()
    ]
    return InlineKeyboardMarkup(in_rows(buttons))
