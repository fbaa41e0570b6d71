"""The messages about the time bank that the bot sends by itself; bot/notices.py asks here.

Each is composed when it goes out, in the recipient's language, from the
transfer as it is then. A message to someone who left, or when the time bank
was switched off meanwhile, is not sent.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot import hour_text, i18n
from bot.config import Settings
from bot.i18n import Translate
from bot.keyboards import button, inline, nav_row
from storage import hours, members
from storage.db import Database
from storage.hours import Transfer
from storage.outbox import Claimed

KINDS: set[str] = {"hours_received", "hours_corrected"}
NOT_ESSENTIAL: set[str] = {"hours_received"}  # a thank-you; a correction of one's hours always goes out
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


def compose(message: Claimed, db: Database, settings: Settings, now: datetime) -> tuple[int, str, Markup] | None:
    """(chat, text, buttons) for one outbox row, or None when it no longer holds."""
    member = members.get(db, message.member_id) if message.member_id else None
    transfer = hours.get(db, message.payload["transfer"])
    if not settings.timebank or member is None or member.telegram_id is None or transfer is None:
        return None
    _ = i18n.translator(member.language)
    language = member.language
    if message.kind == "hours_received":
        text = received(_, language, transfer)
    else:
        before = hour_text.hours(language, message.payload["before"])
        after = hour_text.hours(language, message.payload["after"])
        if transfer.to_member_id == member.id:
            words = _("✏️ An organiser changed the hours for your help to {name}. Now: {after}. Before: {before}.")
            name = hour_text.side(_, transfer.from_member_id, transfer.from_name)
        else:
            words = _("✏️ An organiser changed the hours for the help {name} gave you. Now: {after}. Before: {before}.")
            name = hour_text.side(_, transfer.to_member_id, transfer.to_name)
        text = words.format(name=name, after=after, before=before)
    rows = [[button("⏱️ " + _("My hours"), "hours", "mine")], nav_row(_, None)]
    return member.telegram_id, text, inline(rows)


def received(_: Translate, language: str, transfer: Transfer) -> str:
    """ "Ann thanks you for 2 hours of help: …", with the post or the note."""
    name = hour_text.side(_, transfer.from_member_id, transfer.from_name)
    amount = hour_text.hours(language, transfer.halves)
    if transfer.post_title is not None:
        return "🙏 " + _("{name} thanks you for {hours} of help: {title}").format(
            name=name, hours=amount, title=escape(transfer.post_title)
        )
    text = "🙏 " + _("{name} thanks you for {hours} of help.").format(name=name, hours=amount)
    return text + ("\n💬 " + escape(transfer.note) if transfer.note else "")
