"""A second tap on the same button, moments after the first: on a cheap phone, or on a slow connection, people
tap twice. When both taps left before the first was answered, both carry the message as it was, so the second
cannot tell from the screen (bot/replies.py tapped_twice). What the first did is on the screen, so the second,
if no handler takes it any more (the flow has ended), gets only the pop-up, not the menu below it."""

from __future__ import annotations

import functools
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, TypeVar

from telegram import Message, Update

if TYPE_CHECKING:  # bot/context.py keeps the RecentTaps of the whole bot
    from bot.context import Handler, WijkContext

R = TypeVar("R")

SECONDS = 30.0  # a tap on the same button of the same message this soon after is a double tap
KEEP = 10_000  # taps remembered (in memory: after a restart a double tap is answered as a stale button)


class RecentTaps:
    """(chat, message) -> the button last tapped on it, and when. Only the last: a tap on another button of the
    message between two taps (⬅️ Back, then the same button again) makes the second a new tap, not a double."""

    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._tapped: OrderedDict[tuple[int, int], tuple[str, float]] = OrderedDict()

    def tapped(self, key: tuple[int, int, str], now: float) -> bool:
        """Remember this tap; whether the same button was the last one tapped on the message, moments before."""
        chat, message, data = key
        before = self._tapped.pop((chat, message), None)
        self._tapped[(chat, message)] = (data, now)
        if len(self._tapped) > self._keep:
            self._tapped.popitem(last=False)
        return before is not None and before[0] == data and now - before[1] < SECONDS


async def remember(update: Update, context: WijkContext) -> None:
    """Before any handler (bot/app.py): note whether this tap repeats one of moments ago."""
    tapped = update.callback_query
    if tapped is None or not isinstance(tapped.message, Message) or tapped.data is None:
        return
    key = (tapped.message.chat.id, tapped.message.message_id, tapped.data)
    context.double_tap = context.runtime.recent_taps.tapped(key, time.monotonic())


def files_once(handler: Handler[R]) -> Handler[R | None]:
    """For a button that sends files (a CSV, a PDF, a download): a second tap moments later sends nothing; the
    first tap's files are on their way."""

    @functools.wraps(handler)
    async def once(update: Update, context: WijkContext) -> R | None:
        if context.double_tap and update.callback_query is not None:
            await update.callback_query.answer()
            return None
        return await handler(update, context)

    return once
