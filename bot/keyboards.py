"""Keyboards. Menu buttons are recognised by their emoji, so they work in every
language and keep working after the member switches language."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup
from telegram.ext import filters

from bot import callbacks, i18n
from storage.members import ACTIVE, PENDING, SUSPENDED, Member
from storage.paging import Page

T = TypeVar("T")
MENU = "🏠"
HELP = "❓"
LANGUAGE = "🌐"
SIGN_UP = "📝"
PROFILE = "👤"
ORGANISE = "📣"
ACTIVITIES = "📅"
VOTES = "🗳️"
HELPING = "🤝"
MENU_EMOJI = (MENU, HELP, LANGUAGE, SIGN_UP, PROFILE, ORGANISE, ACTIVITIES, VOTES, HELPING)
FEATURES = (HELP, LANGUAGE, SIGN_UP, PROFILE, ORGANISE, ACTIVITIES, VOTES, HELPING)  # the main menu but for 🏠


def starts_with(*emoji: str) -> re.Pattern[str]:
    """A regex for the text of a menu button, whatever the language."""
    return re.compile(rf"^\s*({'|'.join(re.escape(e) for e in emoji)})")


def menu_words() -> re.Pattern[str]:
    """ "menu" typed in any shipped language."""
    words = "|".join(re.escape(word) for word in sorted(i18n.every_translation(i18n.N_("menu"))))
    return re.compile(rf"^\s*({words})\s*$", re.IGNORECASE)


def typed_text() -> filters.BaseFilter:
    """Text someone typed as an answer: not a command, not a menu button."""
    return filters.TEXT & ~filters.COMMAND & ~filters.Regex(starts_with(*MENU_EMOJI)) & ~filters.Regex(menu_words())


def in_rows(buttons: list, per_row: int = 2) -> list[list]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def main_menu(_: i18n.Translate, member: Member | None) -> ReplyKeyboardMarkup:
    """The big buttons under the text field, two a row (UX.md); what a member may use."""
    if member is None or member.status not in (PENDING, ACTIVE, SUSPENDED):
        labels = [SIGN_UP + " " + _("Sign up"), LANGUAGE + " " + _("Language"), HELP + " " + _("Help")]
    elif member.status != ACTIVE:
        labels = [PROFILE + " " + _("My details"), HELP + " " + _("Help")]
    else:
        labels = [ACTIVITIES + " " + _("Activities"), HELPING + " " + _("Help & services")]
        if member.voting:
            labels.append(VOTES + " " + _("Votes"))
        labels += [PROFILE + " " + _("My details"), HELP + " " + _("Help")]
        if member.is_organiser:
            labels.append(ORGANISE + " " + _("Organise"))
    return ReplyKeyboardMarkup(in_rows(labels), resize_keyboard=True, is_persistent=True)


def button(label: str, area: str, action: str, *args: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.pack(area, action, *args))


def nav_row(_: i18n.Translate, back: str | None) -> list[InlineKeyboardButton]:
    """⬅️ Back (to the callback data `back`) and 🏠 Menu, on every step (UX.md)."""
    row = [InlineKeyboardButton("⬅️ " + _("Back"), callback_data=back)] if back else []
    return row + [button(MENU + " " + _("Menu"), "nav", "menu")]


def inline(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(rows)


def language_picker(nav: list[InlineKeyboardButton] | None = None) -> InlineKeyboardMarkup:
    """One button per shipped language, each in its own name; `nav` (a nav_row) under them."""
    rows = in_rows([button(i18n.language_name(code), "lang", "set", code) for code in i18n.languages()])
    return inline(rows + ([nav] if nav else []))


def short_key(name: str) -> str:
    """A short, stable key for a configured name in callback data (names may be long or non-ASCII)."""
    return format(zlib.crc32(name.encode("utf-8")), "08x")


def paged(
    page: Page[T],
    make: Callable[[T], InlineKeyboardButton],
    area: str,
    action: str,
    *args: str | int,
) -> list[list[InlineKeyboardButton]]:
    """One button a row for a page of 5 (UX.md, paged in SQL: storage/paging.py), with ◀️ ▶️.

    The arrows send area:action:*args:page."""
    return [[make(item)] for item in page.items] + arrows(page, area, action, *args)


def arrows(page: Page[T], area: str, action: str, *args: str | int) -> list[list[InlineKeyboardButton]]:
    """The row of ◀️ ▶️ for a page (none when everything fits on one); they send area:action:*args:page."""
    row = []
    if page.has_previous:
        row.append(button("◀️", area, action, *args, page.number - 1))
    if page.has_next:
        row.append(button("▶️", area, action, *args, page.number + 1))
    return [row] if row else []
