"""Keyboards. A main-menu button is recognised by its emoji and its label in any shipped
language, so it keeps working after the member switches language."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from functools import cache
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
TAKE_PART = "🙌"
VARIATION = "\ufe0f"  # after some emoji (🗳️), left out by some keyboards
MENU_EMOJI = (MENU, HELP, LANGUAGE, SIGN_UP, PROFILE, ORGANISE, ACTIVITIES, VOTES, HELPING, TAKE_PART)
FEATURES = (HELP, LANGUAGE, SIGN_UP, PROFILE, ORGANISE, ACTIVITIES, VOTES, HELPING, TAKE_PART)  # the menu but 🏠


# The label of each main-menu button beside its emoji.
MENU_LABELS = {
    MENU: i18n.N_("Menu"),
    HELP: i18n.N_("Help"),
    LANGUAGE: i18n.N_("Language"),
    SIGN_UP: i18n.N_("Sign up"),
    PROFILE: i18n.N_("My details"),
    ORGANISE: i18n.N_("Organise"),
    ACTIVITIES: i18n.N_("Activities"),
    VOTES: i18n.N_("Votes"),
    HELPING: i18n.N_("Help & services"),
    TAKE_PART: i18n.N_("Take part"),
}


@cache
def menu_label_pattern(*emoji: str, bare: bool = True) -> re.Pattern[str]:
    """A regex for the text of these main-menu buttons, whatever the language or letter case: the
    emoji (typed, it may come without its variation selector), with its label in any shipped language
    or alone, and, when `bare`, the label alone. Nothing more, so a typed answer or a message for a
    neighbour that merely starts with one of these emoji is still an answer."""
    buttons = []
    for one in emoji:
        labels = "|".join(re.escape(label) for label in sorted(i18n.every_translation(MENU_LABELS[one])))
        mark = re.escape(one.replace(VARIATION, "")) + f"{VARIATION}?"
        buttons.append(rf"{mark}(\s*({labels}))?" + (f"|({labels})" if bare else ""))
    return re.compile(rf"^\s*({'|'.join(buttons)})\s*[?!.؟]*\s*$", re.IGNORECASE)  # "Hulp!", "help?"


def menu_words() -> re.Pattern[str]:
    """ "menu" typed in any shipped language."""
    words = "|".join(re.escape(word) for word in sorted(i18n.every_translation(i18n.N_("menu"))))
    return re.compile(rf"^\s*({words})\s*$", re.IGNORECASE)


def typed_text() -> filters.BaseFilter:
    """Text someone typed as an answer: a new message (an edit changes no answer), not a command, not a
    menu button with its emoji. A label alone ("Hulp") is an answer where the step asks for text: a
    post may be called that (bot/conversation.py keeps the main menu from answering it too)."""
    not_a_button = ~filters.Regex(menu_label_pattern(*MENU_EMOJI, bare=False)) & ~filters.Regex(menu_words())
    return filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & not_a_button


HALF_A_PHONE = 20  # characters: a longer label gets a row of its own, or a cheap phone cuts it off


def in_rows(buttons: list, per_row: int = 2, *, fit: bool = True) -> list[list]:
    """Buttons `per_row` a row; when they `fit`, one a row if a label is too long to share."""
    labels = [button.text if isinstance(button, InlineKeyboardButton) else str(button) for button in buttons]
    if fit and any(len(label) > HALF_A_PHONE for label in labels):
        per_row = 1
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def main_menu(_: i18n.Translate, member: Member | None) -> ReplyKeyboardMarkup:
    """The big buttons under the text field, two a row (UX.md); what a member may use."""
    if member is None or member.status not in (PENDING, ACTIVE, SUSPENDED):
        buttons = [SIGN_UP, LANGUAGE, HELP]
    elif member.status != ACTIVE:
        buttons = [PROFILE, HELP]
    else:
        buttons = [ACTIVITIES, HELPING, *([VOTES] if member.voting else []), TAKE_PART, PROFILE, HELP]
        if member.is_organiser:
            buttons.append(ORGANISE)
    labels = [f"{emoji} {_(MENU_LABELS[emoji])}" for emoji in buttons]
    # Two a row, whatever their length: Telegram fits the main menu's words into its big keys.
    return ReplyKeyboardMarkup(in_rows(labels, fit=False), resize_keyboard=True, is_persistent=True)


def button(label: str, area: str, action: str, *args: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.pack(area, action, *args))


def nav_row(_: i18n.Translate, back: str | None, explain: str | None = None) -> list[InlineKeyboardButton]:
    """⬅️ Back (to the callback data `back`) and 🏠 Menu, on every step (UX.md); ❓ (to the callback
    data `explain`) where a member can get lost: it explains the step."""
    row = [InlineKeyboardButton("⬅️ " + _("Back"), callback_data=back)] if back else []
    row.append(button(MENU + " " + _("Menu"), "nav", "menu"))
    return row + ([InlineKeyboardButton(HELP + " " + _("Explain"), callback_data=explain)] if explain else [])


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
