"""The one outbox sender: every message the bot sends by itself goes out here.

Handlers and jobs only write rows to the outbox (in the transaction that
caused them) and wake the sender. The sender claims due rows in batches,
checks each is still true and allowed now (quiet hours: UX.md), sends it, and
then marks it sent. A crash between sending and marking costs one duplicate
at most; a claim left by a crash is taken again after a minute (storage/outbox.py).
On shutdown it finishes what is in flight and frees the rest of its claims.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram import Message
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot import call_list, timing
from bot.broadcast import Progress
from bot.config import Settings
from bot.notices import NOT_ESSENTIAL, Notice, compose
from bot.rate_limit import BACKGROUND
from storage import announcements, members, outbox
from storage.activities import Timing
from storage.db import Database
from storage.outbox import Claimed

logger = logging.getLogger(__name__)
BATCH = 30  # rows claimed at once: about a second of Telegram's limit
IDLE_SECONDS = 60.0  # look again at least this often, even when nobody wakes the sender
BACK_OFF_SECONDS = 5.0  # after Telegram failed, before trying again
TRY_AGAIN_AFTER = timedelta(minutes=10)  # a message that failed in an unexpected way waits this long
RETRY_AFTER = timedelta(seconds=10)  # a message with `tries` that Telegram failed waits this long, doubling each try
STOP_SECONDS = 10.0  # on shutdown, how long messages in flight may take


class OutboxSender:
    """Sends what the outbox says is due, in the background; `drain()` does it now (tests)."""

    def __init__(
        self,
        bot: ExtBot,
        db: Database,
        settings: Settings,
        timing: Timing,
        clock: Callable[[], datetime],
        menu_is_last: set[int],
    ) -> None:
        self.bot = bot
        self.db = db
        self.settings = settings
        self.timing = timing
        self.menu_is_last = menu_is_last  # a message of ours now comes after the menu (bot/replies.py)
        self.clock = clock
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()  # one pass at a time, background or drain
        self._stopping = False
        self._task: asyncio.Task | None = None
        self.sent = 0  # messages that went out since the bot started
        # Our calls wait behind answers to taps (bot/rate_limit.py); a bot without a limiter takes no such mark.
        self._priority = BACKGROUND if bot.rate_limiter else None
        self.progress = Progress(bot, db, clock, settings.default_language)  # organisers' announcement progress

    def now(self) -> datetime:
        return self.clock()

    def wake(self) -> None:
        """Something was written to the outbox: look at it now."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="wijkbot outbox sender")

    async def stop(self) -> None:
        """Finish the messages in flight, free the other claims, and end the loop."""
        self._stopping = True
        self._wake.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._task), STOP_SECONDS)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def drain(self) -> int:
        """Send everything that is due now, until nothing is left; returns how many went out."""
        before = self.sent
        async with self._lock:
            while await self._pass():  # a message handled can write another (an offer moves on)
                pass
        return self.sent - before

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            async with self._lock:
                try:
                    handled = await self._pass()
                except Exception:  # e.g. the disk is full: keep the sender alive, try again later
                    logger.exception("the outbox sender failed; trying again in %s s", BACK_OFF_SECONDS)
                    handled = None
            if handled:
                continue  # there may be more
            wait = BACK_OFF_SECONDS if handled is None else self._seconds_until_due()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    def _seconds_until_due(self) -> float:
        moments = [
            d for d in (outbox.next_due(self.db), announcements.next_send_at(self.db, self.now())) if d is not None
        ]
        if not moments:
            return IDLE_SECONDS
        return min(IDLE_SECONDS, max(0.0, (min(moments) - self.now()).total_seconds()))

    async def _pass(self) -> int | None:
        """Claim one batch and send it in order; how many it handled, or None when Telegram failed.

        One message at a time: a crash between sending and marking then costs one duplicate at most.
        Telegram's round trip, not its 30 a second, sets the pace of the outbox.

        First the recipients of announcements whose moment came are written (in batches, from where the
        last pass stopped), so sending starts at once after ✅ and goes on after a restart, and what withdrawn
        ones had left to send is dropped; at the end the organisers' progress messages are brought up to date."""
        if self._stopping:
            return 0
        now = self.now()
        quiet = timing.deliver_at(now, self.settings.timezone) > now
        announcements.write_recipients(self.db, now, quiet=quiet)
        announcements.drop_withdrawn(self.db, now)
        claimed = outbox.claim_due(self.db, now, BATCH)
        try:
            for index, message in enumerate(claimed):
                if self._stopping:
                    outbox.release(self.db, [m.id for m in claimed[index:]])
                    return index
                try:
                    await self._send(message)
                except TelegramError as error:
                    logger.warning("outbox message %s postponed: %s", message.key, error)
                    outbox.release(self.db, [m.id for m in claimed[index:]])
                    return None
                except Exception:  # a bug or bad data in one message must not hold up all the others
                    logger.exception("outbox message %s failed; it waits %s", message.key, TRY_AGAIN_AFTER)
                    outbox.postpone(self.db, message.id, self.now() + TRY_AGAIN_AFTER)
                if message.kind in announcements.KINDS:
                    await self.progress.update()
        finally:
            await self.progress.update()
        # Nothing to send yet, but recipients left to write (an audience of few among many members): go on.
        return len(claimed) or int(announcements.to_write(self.db, now, quiet=quiet))

    async def _send(self, message: Claimed) -> None:
        """Send one claimed message, or drop or postpone it."""
        now = self.now()
        too_late = message.expires_at is not None and now >= message.expires_at
        if not too_late and call_list.take(self.db, message, now, self.timing):  # no chat: an organiser calls
            return
        paused = message.paused and message.kind in NOT_ESSENTIAL
        notice = None if too_late or paused else compose(message, self.db, self.settings, self.timing, now)
        if notice is None:  # too late, not wanted, or no longer true
            outbox.drop(self.db, message.id, now, reason="expired" if too_late else "paused" if paused else None)
            return
        allowed = now if notice.urgent else timing.deliver_at(now, self.settings.timezone, notice.about_start)
        if allowed > now:  # quiet hours: it waits until the morning
            if message.expires_at is not None and allowed >= message.expires_at:
                outbox.drop(self.db, message.id, now, reason="expired")
            else:
                outbox.postpone(self.db, message.id, allowed)
            return
        try:
            sent = await self._deliver(notice)
        except (Forbidden, BadRequest) as error:
            logger.info("outbox message %s not delivered: %s", message.key, error)
            blocked = isinstance(error, Forbidden)
            outbox.drop(self.db, message.id, now, outbox.UNREACHABLE if blocked else outbox.FAILED, error.message)
            if blocked:  # they blocked the bot: marked, and what waits on them moves on
                members.set_reachable(self.db, notice.chat_id, False, now)
                if notice.unreachable is not None:
                    notice.unreachable(now)
            return
        except RetryAfter:  # the rate limiter waited as often as it may: the pass backs off, no try is counted
            raise
        except TelegramError as error:
            if notice.tries is None:
                raise
            self._failed_try(message, notice.tries, error)
            raise
        outbox.mark_sent(self.db, message.id, self.now(), sent.message_id)
        if message.unreachable:  # it got through after all: they unblocked the bot
            members.set_reachable(self.db, notice.chat_id, True, now)
        self.menu_is_last.discard(notice.chat_id)
        if notice.sent is not None:
            notice.sent(sent.message_id)
        self.sent += 1
        if notice.settle is not None:
            try:
                await notice.settle(self.bot, sent.message_id)
            except TelegramError as error:  # it went out and counts; only the late change did not reach it
                logger.warning("outbox message %s went out, but could not be changed after: %s", message.key, error)

    async def _deliver(self, notice: Notice) -> Message:
        """The Telegram call: a photo with the text as its caption, or a text."""
        if notice.photo:
            return await self.bot.send_photo(
                notice.chat_id,
                notice.photo,
                caption=notice.text,
                reply_markup=notice.markup,
                rate_limit_args=self._priority,
            )
        return await self.bot.send_message(
            notice.chat_id, notice.text, reply_markup=notice.markup, rate_limit_args=self._priority
        )

    def _failed_try(self, message: Claimed, tries: int, error: TelegramError) -> None:
        """Telegram failed in a way that may pass: try again later (waiting longer each time), or after
        `tries` tries count it failed, with the reason."""
        if message.attempts + 1 >= tries:
            logger.warning("outbox message %s failed %s times: %s", message.key, tries, error)
            outbox.drop(self.db, message.id, self.now(), outbox.FAILED, error.message)
        else:
            outbox.try_again(self.db, message.id, self.now() + RETRY_AFTER * 2**message.attempts)
