"""(Issue 10: being written.) How hours read ("1½ hours") and the hour buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.i18n import Translate
from bot.keyboards import button, in_rows

POST_HALVES = (1, 2, 3, 4, 6, 8, 12, 16)  # ½ 1 1½ 2 3 4 6 8 hours


def halves_text(halves: int) -> str:
    """Like "1½" or "½" or "3"."""
    whole, half = divmod(abs(halves), 2)
    text = (str(whole) if whole else "") + ("½" if half else "") or "0"
    return "-" + text if halves < 0 else text


def post_hour_buttons(_: Translate, post_id: int) -> list[list[InlineKeyboardButton]]:
    """½ to 8 hours for the help a post got; they send hours:post:<post>:<halves>."""
    return in_rows([button(halves_text(h), "hours", "post", post_id, h) for h in POST_HALVES], 4)
