"""How hours read ("½ hour", "1½ hours", "+2½ hours") and the rows of hour buttons.

The time bank counts in half hours (storage/hours.py); people read hours with ½.
gettext counts in whole numbers, so a number of hours is counted rounded up:
½ and 1 read "hour", 1½ and more "hours" (English and Dutch read that way).
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton

from bot import i18n
from bot.i18n import Translate
from bot.keyboards import button, in_rows
from storage.hours import Hours

POST_HALVES = (1, 2, 3, 4, 6, 8, 12, 16)  # ½ 1 1½ 2 3 4 6 8 hours
CORRECT_HALVES = (0, *POST_HALVES)  # an organiser's correction; 0 takes a transfer back


def halves_text(halves: int) -> str:
    """Like "1½" or "½" or "3"."""
    whole, half = divmod(abs(halves), 2)
    text = (str(whole) if whole else "") + ("½" if half else "") or "0"
    return "-" + text if halves < 0 else text


def hours(language: str, halves: int, *, sign: bool = False) -> str:
    """Like "½ hour", "1½ hours"; with `sign`, a balance: "+2½ hours", "-1 hour"."""
    ngettext = i18n.plural(language)
    number = halves_text(halves)
    if sign and halves > 0:
        number = "+" + number
    return ngettext("{hours} hour", "{hours} hours", (abs(halves) + 1) // 2).format(hours=number)


def account(_: Translate, language: str, account: Hours) -> str:
    """Given, received and the balance, in three short sentences."""
    return " ".join(
        (
            _("You gave {hours} of help.").format(hours=hours(language, account.given)),
            _("You got {hours}.").format(hours=hours(language, account.received)),
            _("Your balance: {hours}.").format(hours=hours(language, account.balance, sign=True)),
        )
    )


def hour_buttons(action: str, *args: int, choices: tuple[int, ...] = POST_HALVES) -> list[list[InlineKeyboardButton]]:
    """One button per number of hours, four a row; each sends hours:<action>:*args:<halves>."""
    return in_rows([button(halves_text(h), "hours", action, *args, h) for h in choices], 4)


def post_hour_buttons(_: Translate, post_id: int) -> list[list[InlineKeyboardButton]]:
    """½ to 8 hours for the help a post got; they send hours:post:<post>:<halves>."""
    return hour_buttons("post", post_id)


def side(_: Translate, member_id: int | None, name: str | None, *, html: bool = True) -> str:
    """One side of a transfer: a member, a member who left, or the cooperative (`html`: for a text, escaped)."""
    if member_id is None:
        return _("the cooperative")
    if not name:
        return _("A member")
    return escape(name) if html else name
