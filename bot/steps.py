"""The screen with buttons each member looks at, kept so the bot can show it again.

A member who sends a voice message or a sticker, or taps ❓, in the middle of a flow gets a friendly
word and then the buttons of the step they are in (UX.md: never stuck). Kept in memory for the newest
KEEP chats: after a restart the friendly word comes alone, and the step's buttons are still on the
screen above it.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

KEEP = 10_000


@dataclass(frozen=True)
class Step:
    text: str
    markup: InlineKeyboardMarkup


class Steps:
    """chat id -> the newest screen with buttons the bot showed in that chat."""

    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._shown: OrderedDict[int, Step] = OrderedDict()

    def shown(self, chat: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
        self._shown.pop(chat, None)
        if markup is None:
            return
        self._shown[chat] = Step(text, markup)
        if len(self._shown) > self._keep:
            self._shown.popitem(last=False)

    def left(self, chat: int) -> None:
        """The member is back at the main menu: no step to show again."""
        self._shown.pop(chat, None)

    def get(self, chat: int) -> Step | None:
        return self._shown.get(chat)
