"""The message a member gets when an organiser signed them up or off at their request (issue 13).

Written in the act's own transaction (storage/activities.py, only for a member with Telegram), worded
when it goes out, in the member's language, with what they can do now. Dropped when it no longer holds:
signed up but no longer on a list, signed off but back on one, or the activity started or was cancelled.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot import i18n
from bot.config import Settings
from bot.formatting import format_when
from bot.keyboards import button, inline
from storage import activities, members
from storage.activities import GOING, OFFERED, SIGNED_OFF_FOR, SIGNED_UP_FOR, WAITING, Card
from storage.db import Database
from storage.outbox import Claimed

KINDS = {SIGNED_UP_FOR, SIGNED_OFF_FOR}
NOT_ESSENTIAL: set[str] = set()  # a place taken or given away in their name: they hear it even when paused
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


def compose(message: Claimed, db: Database, settings: Settings, now: datetime) -> tuple[int, str, Markup] | None:
    """(chat, text, buttons) for one outbox row, or None when it no longer holds."""
    if message.telegram_id is None or message.member_id is None or message.activity_id is None:
        return None
    card = activities.card(db, message.activity_id, message.member_id)
    if card is None or not card.activity.open_at(now) or (card.status is None) == (message.kind == SIGNED_UP_FOR):
        return None
    activity = card.activity
    language = message.language or settings.default_language
    _ = i18n.translator(language)
    organiser = members.get(db, message.payload["by"])
    name = escape(organiser.first_name) if organiser and organiser.first_name else _("An organiser")
    about = {
        "name": name,
        "title": escape(activity.title),
        "when": format_when(activity.starts_at, language, settings.timezone),
    }
    show = [button("📅 " + _("Show"), "act", "card", activity.id)]
    if message.kind == SIGNED_OFF_FOR:
        text = _("✖️ {name} signed you off from {title} ({when}).").format(**about)
        return message.telegram_id, text + "\n" + _("Do you want to come after all? Tap 📅 Show."), inline([show])
    headline = _("📅 {name} signed you up for {title} ({when}).").format(**about)
    line, choice = _what_now(_, card)
    text = f"{headline}\n📍 {escape(activity.place)}\n\n{line}"
    return message.telegram_id, text, inline([choice, show])


def _what_now(_: i18n.Translate, card: Card) -> tuple[str, list[InlineKeyboardButton]]:
    """Where they are on the lists now, and the button that changes it. Always ❌ "no": this message stays
    in the chat for days, and by the time it is tapped they may have a place, which is only given away after
    the question (handlers/activities.py no_button)."""
    activity_id = card.activity.id
    if card.status == WAITING:
        line = _("⏳ It is full. You are number {position} on the waiting list.").format(position=card.position)
        return line, [button("❌ " + _("Off the waiting list"), "act", "no", activity_id)]
    if card.status == OFFERED:
        yes = button("✅ " + _("Yes, I'm coming"), "act", "claim", activity_id)
        return "🎉 " + _("A place is held for you. Do you want it?"), [
            yes,
            button("❌ " + _("No"), "act", "no", activity_id),
        ]
    assert card.status == GOING
    return _("Can you not come after all? Tap ❌ below."), [button("❌ " + _("I can't come"), "act", "no", activity_id)]
