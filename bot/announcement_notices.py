"""An announcement as a member gets it (bot/notices.py asks here; storage/announcements.py keeps it).

The text is in the member's language when the organiser wrote one, otherwise the original, with the
photo when there is one and ✅ Understood when the organiser asked for it. The same words serve the
organiser's preview, the edit after ✏️ a correction, and 📌 Announcements, so they always look alike.
An urgent one (🚨) ignores quiet hours and a pause; an ordinary one is not essential. Telegram is tried
TRIES times (with a wait between) before the message counts as failed.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import ExtBot

from bot import i18n
from bot.config import Settings
from bot.keyboards import button, inline, nav_row
from storage import announcements
from storage.announcements import ANNOUNCEMENT, URGENT, Announcement
from storage.db import Database
from storage.outbox import Claimed

KINDS = {ANNOUNCEMENT, URGENT}
NOT_ESSENTIAL = {ANNOUNCEMENT}  # members who paused messages get only urgent ones
TRIES = 3
# Telegram takes 4 096 characters in a message and 1 024 in a photo's caption; the heading needs a few.
TEXT_LIMIT = 4000
CAPTION_LIMIT = 950


def text(_: i18n.Translate, words: str, urgent: bool) -> str:
    """The message: a heading, then the organiser's words (escaped: they are shown as written)."""
    heading = "🚨 " + _("Urgent message from the organisers") if urgent else "📢 " + _("Message from the organisers")
    return f"<b>{heading}</b>\n\n{escape(words)}"


def markup(_: i18n.Translate, announcement_id: int, confirm: bool) -> InlineKeyboardMarkup:
    """✅ Understood when the organiser asked for it, and 🏠 Menu (once ✅ is tapped, handlers/notices_board.py
    leaves only 🏠 Menu; 🏠 leaves ✅ in place, so the member can still confirm)."""
    if not confirm:
        return inline([nav_row(_, None)])
    return inline([understood_row(_, announcement_id), [button("🏠 " + _("Menu"), "board", "menu", announcement_id)]])


def understood_row(_: i18n.Translate, announcement_id: int) -> list[InlineKeyboardButton]:
    """✅ Understood on the announcement itself (what stays on it after its 🏠 Menu)."""
    return [button("✅ " + _("Understood"), "board", "ok", announcement_id)]


def shown(
    announcement: Announcement, language: str, words_in: str | None = None, *, confirmed: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of an announcement as a member with this language sees it: its words in
    `words_in` (the language their message was sent in), else in theirs if there is a text, else the original;
    ✅ Understood unless they `confirmed` already."""
    _ = i18n.translator(language)
    words = announcement.text_for(words_in or language)
    return text(_, words, announcement.urgent), markup(_, announcement.id, announcement.confirm and not confirmed)


def compose(message: Claimed, db: Database, settings: Settings, now: datetime) -> dict[str, Any] | None:
    """The Notice's fields for one member, or None when it was withdrawn or they are no longer a member."""
    if message.member_id is None:
        return None
    sending = announcements.to_send(db, message.payload["announcement"], message.member_id)
    if sending is None:
        return None
    words, buttons = shown(sending.announcement, sending.member_language, sending.language)
    chat_id = sending.chat_id

    async def settle(bot: ExtBot, message_id: int) -> None:
        """Withdrawn or corrected while it was on its way: delete it, or show the words as they are now."""
        now_it_is = announcements.get(db, sending.announcement.id)
        if now_it_is is None or now_it_is.withdrawn_at is not None:
            await bot.delete_message(chat_id, message_id)
            return
        corrected, new_buttons = shown(now_it_is, sending.member_language, sending.language)
        if corrected == words:
            return
        if now_it_is.photo:
            await bot.edit_message_caption(chat_id, message_id, caption=corrected, reply_markup=new_buttons)
        else:
            await bot.edit_message_text(corrected, chat_id, message_id, reply_markup=new_buttons)

    return {
        "chat_id": sending.chat_id,
        "text": words,
        "markup": buttons,
        "urgent": sending.announcement.urgent,
        "photo": sending.announcement.photo,
        "tries": TRIES,
        "settle": settle,
    }
