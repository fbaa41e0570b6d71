"""Sending an announcement, as the organiser sees it: one progress message, then the report; and the
messages edited or deleted in every chat after ✏️ a correction or 🗑️ a withdrawal.

The messages themselves go through the outbox like every other (storage/announcements.py writes one row
per recipient, bot/sender.py sends them), so a restart loses nothing. The sender calls
`Progress.update` after each announcement message and at the end of each pass: the organiser's message
is edited at most every PROGRESS_EVERY (by the bot's clock) and once more with the report when every
recipient is settled. The counts come from the announcement row, never from counting deliveries.

Edits and deletions are Telegram calls only (the database already says what changed); they run as
background work through the rate limiter, behind members' taps, and count what worked. Telegram allows
them for 48 hours: storage leaves older messages out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial

from babel.numbers import format_decimal
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot import announcement_notices, callbacks, i18n
from bot.keyboards import inline, nav_row
from bot.rate_limit import BACKGROUND
from storage import announcements
from storage.announcements import Announcement, Delivered
from storage.db import Database

logger = logging.getLogger(__name__)
PROGRESS_EVERY = timedelta(seconds=3)
TRIES = 3  # an edit or deletion that Telegram fails in a way that may pass is tried this often
RETRY_SECONDS = 1.0  # the first wait before trying again; it doubles
Done = Callable[[int], Awaitable[None]]  # told how many worked, at the end


def number(value: int, language: str) -> str:
    """Like "1.200" in Dutch and "1,200" in English."""
    return format_decimal(value, locale=language)


def progress_text(_: i18n.Translate, language: str, announcement: Announcement) -> str:
    """While it is being sent: "📤 Sent: 340 of 1,200"."""
    return "📤 " + _("Sent: {done} of {total}").format(
        done=number(announcement.done, language), total=number(announcement.total, language)
    )


def report_text(_: i18n.Translate, language: str, announcement: Announcement, failures: list[tuple[str, int]]) -> str:
    """The report once every recipient is settled: delivered, not reachable, failed (with the reasons),
    not sent, and who tapped ✅ Understood."""
    heading = "🗑️ " + _("Withdrawn.") if announcement.withdrawn_at else "✅ " + _("Sending is finished.")
    lines = [
        f"<b>{heading}</b>",
        _("Delivered: {n}").format(n=number(announcement.sent, language)),
        _("Not reachable (blocked the bot or left): {n}").format(n=number(announcement.unreachable, language)),
        _("Failed: {n}").format(n=number(announcement.failed, language)),
    ]
    lines += [f"  • {reason or '?'}: {number(count, language)}" for reason, count in failures]
    if announcement.skipped:
        lines.append(_("Not sent (withdrawn or paused): {n}").format(n=number(announcement.skipped, language)))
    if announcement.confirm:
        lines.append("✅ " + _("Understood: {n}").format(n=number(announcement.confirmed, language)))
    return "\n".join(lines)


class Progress:
    """Keeps the organisers' progress messages up to date (bot/sender.py calls it)."""

    def __init__(self, bot: ExtBot, db: Database, clock: Callable[[], datetime], default_language: str) -> None:
        self.bot = bot
        self.db = db
        self.clock = clock
        self.default_language = default_language
        self._shown: dict[int, tuple[datetime, int, int]] = {}  # announcement -> when, done and total shown

    async def update(self) -> None:
        """Edit each progress message that is due: the report once finished, else the progress when it
        changed and the last edit is PROGRESS_EVERY ago."""
        now = self.clock()
        for announcement, language in announcements.reporting(self.db):
            language = language or self.default_language
            _ = i18n.translator(language)
            if announcement.finished:
                failures = announcements.failures(self.db, announcement.id) if announcement.failed else []
                await self._edit(announcement, report_text(_, language, announcement, failures), _)
                announcements.mark_reported(self.db, announcement.id, now)
                self._shown.pop(announcement.id, None)
                continue
            if announcement.writing and announcement.total == 0:  # planned (later, or after the night): not begun
                continue
            shown = self._shown.get(announcement.id)
            if shown and (now - shown[0] < PROGRESS_EVERY or shown[1:] == (announcement.done, announcement.total)):
                continue
            self._shown[announcement.id] = (now, announcement.done, announcement.total)
            await self._edit(announcement, progress_text(_, language, announcement), _)

    async def _edit(self, announcement: Announcement, text: str, _: i18n.Translate) -> None:
        """Edit the progress message, with ⬅️ Back to the announcement's card (handlers/announcing.py) and
        🏠 Menu; a message with a photo (the preview) gets it as its caption."""
        assert announcement.progress_chat_id is not None and announcement.progress_message_id is not None
        chat, message_id = announcement.progress_chat_id, announcement.progress_message_id
        markup = inline([nav_row(_, callbacks.pack("annc", "card", announcement.id, 0))])
        try:
            try:
                await self.bot.edit_message_text(text, chat, message_id, reply_markup=markup)
            except BadRequest as error:
                if "no text" not in error.message:
                    raise
                await self.bot.edit_message_caption(chat, message_id, caption=text, reply_markup=markup)
        except TelegramError as error:  # the organiser deleted it, or Telegram is down: the next one may do
            logger.info("progress of announcement %s not shown: %s", announcement.id, error)


async def _paced(bot: ExtBot, call: Callable[..., Awaitable[object]]) -> bool:
    """One Telegram call behind members' taps; True when it worked. Tried again when the failure may pass."""
    priority = {"rate_limit_args": BACKGROUND} if bot.rate_limiter else {}
    for attempt in range(TRIES):
        try:
            await call(**priority)
            return True
        except (BadRequest, Forbidden) as error:  # gone, too old, blocked: no use trying again
            logger.info("announcement message not changed: %s", error)
            return False
        except RetryAfter:  # the rate limiter waited already, as long as it may
            pass
        except TelegramError as error:
            logger.info("announcement message not changed yet: %s", error)
        if attempt + 1 < TRIES:
            await asyncio.sleep(RETRY_SECONDS * 2**attempt)
    return False


async def edit_everywhere(
    bot: ExtBot, announcement: Announcement, delivered: list[Delivered], done: Done | None = None
) -> int:
    """Show the announcement as it is now (after announcements.correct) in each of these chats; returns
    in how many it worked, and tells `done` so. Run it as background work (application.create_task)."""
    edited = 0
    for message in delivered:
        text, markup = announcement_notices.shown(
            announcement, message.member_language or message.language, message.language, confirmed=message.confirmed
        )
        chat, message_id = message.chat_id, message.message_id
        if announcement.photo:
            call = partial(bot.edit_message_caption, chat, message_id, caption=text, reply_markup=markup)
        else:
            call = partial(bot.edit_message_text, text, chat, message_id, reply_markup=markup)
        edited += await _paced(bot, call)
    if done is not None:
        await done(edited)
    return edited


async def delete_everywhere(bot: ExtBot, delivered: list[Delivered], done: Done | None = None) -> int:
    """Delete the announcement in each of these chats (after announcements.withdraw); returns in how many
    it worked, and tells `done` so. Run it as background work (application.create_task)."""
    deleted = 0
    for message in delivered:
        deleted += await _paced(bot, partial(bot.delete_message, message.chat_id, message.message_id))
    if done is not None:
        await done(deleted)
    return deleted
