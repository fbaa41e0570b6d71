"""The message a member gets when an organiser acted for them at their request (issue 13): signed them up
or off, cast their vote, or put a help request online.

Written in the act's own transaction (storage/activities.py, votes.py, posts.py; only for a member with
Telegram), worded when it goes out, in the member's language, with what they can do now. Dropped when it
no longer holds: signed up but no longer on a list, signed off but back on one, the activity started or
was cancelled; their vote no longer counts; the post ended. A vote's message never says what was chosen.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot import i18n
from bot.config import Settings
from bot.formatting import format_when
from bot.keyboards import button, inline, nav_row
from bot.vote_notices import way_on
from storage import activities, members, posts, votes
from storage.activities import GOING, OFFERED, SIGNED_OFF_FOR, SIGNED_UP_FOR, WAITING, Card
from storage.db import Database
from storage.outbox import Claimed
from storage.posts import POSTED_FOR
from storage.votes import VOTED_FOR

KINDS = {SIGNED_UP_FOR, SIGNED_OFF_FOR, VOTED_FOR, POSTED_FOR}
NOT_ESSENTIAL: set[str] = set()  # done in their name: they hear it even when paused
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


Made = tuple[str, Markup, datetime | None]  # the text, its buttons, and when what it is about starts


def compose(
    message: Claimed, db: Database, settings: Settings, now: datetime
) -> tuple[int, str, Markup, datetime | None] | None:
    """(chat, text, buttons, start) for one outbox row, or None when it no longer holds. The start of an
    activity lets quiet hours send it at night when the activity is early the next morning (bot/timing.py)."""
    if message.telegram_id is None or message.member_id is None:
        return None
    language = message.language or settings.default_language
    _ = i18n.translator(language)
    organiser = members.get(db, message.payload["by"])
    name = escape(organiser.first_name) if organiser and organiser.first_name else _("An organiser")
    about = {VOTED_FOR: _about_vote, POSTED_FOR: _about_post}.get(message.kind, _about_activity)
    made = about(_, message, name, db, settings, now)
    return (message.telegram_id, *made) if made else None


def _about_activity(
    _: i18n.Translate, message: Claimed, name: str, db: Database, settings: Settings, now: datetime
) -> Made | None:
    member_id, activity_id = message.member_id, message.activity_id
    card = activities.card(db, activity_id, member_id) if activity_id and member_id else None
    if card is None or not card.activity.open_at(now) or (card.status is None) == (message.kind == SIGNED_UP_FOR):
        return None
    activity = card.activity
    language = message.language or settings.default_language
    about = {
        "name": name,
        "title": escape(activity.title),
        "when": format_when(activity.starts_at, language, settings.timezone),
    }
    show = [button("📅 " + _("Show"), "act", "card", activity.id)]
    if message.kind == SIGNED_OFF_FOR:
        text = _("✖️ {name} signed you off from {title} ({when}).").format(**about)
        return text + "\n" + _("Do you want to come after all? Tap 📅 Show."), inline([show]), activity.starts_at
    headline = _("📅 {name} signed you up for {title} ({when}).").format(**about)
    line, choice = _what_now(_, card)
    return f"{headline}\n📍 {escape(activity.place)}\n\n{line}", inline([choice, show]), activity.starts_at


def _about_vote(
    _: i18n.Translate, message: Claimed, name: str, db: Database, settings: Settings, now: datetime
) -> Made | None:
    """Never what was chosen: their 🗳️ card shows their own vote to them while it is open."""
    card = votes.card(db, message.vote_id, message.member_id) if message.vote_id and message.member_id else None
    if card is None or not card.counted:  # they took it back themselves meanwhile
        return None
    vote = card.vote
    text = _("🗳️ {name} voted for you on {title}, as you asked.").format(name=name, title=escape(vote.title))
    if vote.open_at(now):  # the same rule as their own vote: theirs to change until the close
        until = format_when(vote.closes_at, message.language or settings.default_language, settings.timezone)
        text += "\n" + _("You can change your vote until {when}.").format(when=until)
    return text, way_on(_, [button("🗳️ " + _("Show the vote"), "vote", "card", vote.id)]), None


def _about_post(
    _: i18n.Translate, message: Claimed, name: str, db: Database, settings: Settings, now: datetime
) -> Made | None:
    post = posts.get(db, message.payload["post"])
    if post is None or post.member_id != message.member_id or not post.live(now):
        return None
    text = _("🤝 {name} put your help request online: {title}.").format(name=name, title=escape(post.title))
    text += "\n" + _("You get a message when someone reacts.")
    return text, inline([[button("📋 " + _("Show"), "mypost", "card", post.id, 0)], nav_row(_, None)]), None


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
