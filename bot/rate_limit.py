"""Telegram's limits, with the answer to a member's tap first.

Telegram lets a bot send about 30 messages a second in all, and asks for no
more than one a second to the same chat when sending in bulk. When the bot
hits a limit anyway it answers 429 with `retry_after`; then every call waits.

New messages (not edits, not answers to a tap) take a slot of the 30 a second,
handed out evenly: the bucket holds one slot, so there is never a burst of 30 at
once that Telegram would answer with 429 (measured with benchmarks/broadcast.py:
a bucket of 30 sent up to 60 in one second, and every call then waited 1.1 s).
A background message goes to a chat a second after Telegram answered the last
new message there (also a tap's). The outbox sender marks its calls with `rate_limit_args=BACKGROUND`: such a call
only takes a slot when no answer to a tap is waiting for one. So a member who
taps never waits behind a queue of reminders or announcements.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)
BACKGROUND = "background"
MESSAGES_PER_SECOND = 30
SAME_CHAT_SECONDS = 1.0
MAX_RETRIES = 3
NEW_MESSAGES = frozenset({"sendMessage", "sendPhoto", "sendDocument"})  # what Telegram's limits count
_CHATS_REMEMBERED = 1000  # above this, chats whose second has passed are forgotten


class PriorityRateLimiter(BaseRateLimiter[str]):
    """A bucket of one slot, refilled 30 times a second, shared by all new messages; background calls only
    take what taps leave."""

    def __init__(
        self,
        per_second: float = MESSAGES_PER_SECOND,
        max_retries: int = MAX_RETRIES,
        same_chat_seconds: float = SAME_CHAT_SECONDS,
    ) -> None:
        self.per_second = per_second
        self.same_chat_seconds = same_chat_seconds
        self.max_retries = max_retries
        self._tokens = 1.0
        self._refilled = time.monotonic()
        self._paused_until = 0.0
        self._taps_waiting = 0
        self._chat_free_at: dict[object, tuple[float, bool]] = {}  # chat -> free at, and whether after background

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        background = rate_limit_args == BACKGROUND
        chat_id = data.get("chat_id") if endpoint in NEW_MESSAGES else None  # edits and answers take no slot
        for attempt in range(self.max_retries + 1):
            await self._slot(background, chat_id)
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self.max_retries:
                    raise
                wait = error.retry_after  # seconds, or a timedelta when PTB_TIMEDELTA is set
                seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                logger.info("Telegram asks to wait %s s before %s", seconds, endpoint)
                self._paused_until = max(self._paused_until, time.monotonic() + seconds + 0.1)
                continue
            if chat_id is not None:  # the chat's next message a second after Telegram took this one
                now = time.monotonic()
                self._remember_chat(chat_id, now + self.same_chat_seconds, now, background)
            return result
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _slot(self, background: bool, chat_id: object) -> None:
        """Wait until this call may go: after a pause Telegram asked for, and (with a chat) for a slot."""
        if not background:
            self._taps_waiting += 1
        try:
            # ASYNC110 below: not a busy wait; each sleep lasts until the next slot can be free.
            while (wait := self._take(background, chat_id)) > 0:  # noqa: ASYNC110
                await asyncio.sleep(wait)
        finally:
            if not background:
                self._taps_waiting -= 1

    def _take(self, background: bool, chat_id: object) -> float:
        """Take a slot and return 0, or return how long to wait before trying again."""
        now = time.monotonic()
        if now < self._paused_until:
            return self._paused_until - now
        if chat_id is None:  # not a new message (an edit, answering a tap): no slot needed
            return 0
        self._tokens = min(1.0, self._tokens + (now - self._refilled) * self.per_second)
        self._refilled = now
        one_slot = 1 / self.per_second
        if background and self._taps_waiting:
            return one_slot
        free_at, after_background = self._chat_free_at.get(chat_id, (0.0, False))
        # A background message waits for the chat's second; a tap's reply only right after a background message
        # (two replies to one tap may follow each other: Telegram allows that in a private chat).
        if (background or after_background) and free_at > now:
            return free_at - now
        if self._tokens < 1:
            return (1 - self._tokens) * one_slot
        self._tokens -= 1
        self._remember_chat(chat_id, now + self.same_chat_seconds, now, background)  # until Telegram answers
        return 0

    def _remember_chat(self, chat_id: object, free_at: float, now: float, background: bool) -> None:
        if len(self._chat_free_at) > _CHATS_REMEMBERED:
            self._chat_free_at = {chat: seen for chat, seen in self._chat_free_at.items() if seen[0] > now}
        self._chat_free_at[chat_id] = (free_at, background)
