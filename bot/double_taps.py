"""A second tap on the same button, moments after the first: on a cheap phone, or on a slow connection, people
tap twice. When both taps left before the first was answered, both carry the message as it was, so the second
cannot tell from the screen (bot/replies.py tapped_twice). What the first did is on the screen, so the second,
if no handler takes it any more (the flow has ended), gets only the pop-up, not the menu below it."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import TYPE_CHECKING

from telegram import Message, Update

if TYPE_CHECKING:  # bot/context.py keeps the RecentTaps of the whole bot
    from bot.context import WijkContext

SECONDS = 30.0  # a tap on the same button of the same message this soon after is a double tap
KEEP = 10_000  # taps remembered (in memory: after a restart a double tap is answered as a stale button)


class RecentTaps:
    """(chat, message, callback data) -> when it was last tapped."""

    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._tapped: OrderedDict[tuple[int, int, str], float] = OrderedDict()

    def tapped(self, key: tuple[int, int, str], now: float) -> bool:
        """Remember this tap; whether the same button was tapped moments before."""
        before = self._tapped.pop(key, None)
        self._tapped[key] = now
        if len(self._tapped) > self._keep:
            self._tapped.popitem(last=False)
        return before is not None and now - before < SECONDS


async def remember(update: Update, context: WijkContext) -> None:
    """Before any handler (bot/app.py): note whether this tap repeats one of moments ago."""
    tapped = update.callback_query
    if tapped is None or not isinstance(tapped.message, Message) or tapped.data is None:
        return
    key = (tapped.message.chat.id, tapped.message.message_id, tapped.data)
    context.double_tap = context.runtime.recent_taps.tapped(key, time.monotonic())
