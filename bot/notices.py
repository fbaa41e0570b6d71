"""The messages the bot sends by itself: their words and buttons, in the recipient's language.

compose() turns one outbox row into what goes out now, or None when what it
says is no longer true (a reminder to someone who left, a role that was taken
back before the morning): the sender then drops it. Each message is composed
at the moment it is sent, so it shows things as they are then.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup
from telegram.ext import ExtBot

from bot import (
    acting_notices,
    activity_text,
    announcement_notices,
    campaign_notices,
    help_news,
    host_notices,
    hour_notices,
    i18n,
    need_notices,
    post_notices,
    room_notices,
    share_notices,
    shift_notices,
    talk_notices,
    vote_notices,
)
from bot.config import Settings
from bot.formatting import format_member_no, format_when
from bot.keyboards import button, inline, main_menu
from bot.member_text import approval_card_text, decision_buttons
from storage import activities, members, outbox
from storage.activities import GOING, OFFERED, WAITING, Activity, Timing
from storage.db import Database
from storage.members import ACTIVE, PENDING, SUSPENDED
from storage.outbox import Claimed

CHANGED_FIELDS = {
    "title": i18n.N_("name"),
    "starts_at": i18n.N_("time"),
    "ends_at": i18n.N_("time"),
    "place": i18n.N_("place"),
    "description": i18n.N_("description"),
    "capacity": i18n.N_("places"),
    "cost_cents": i18n.N_("cost"),
    "bring": i18n.N_("what to bring"),
}
HEADLINES = {
    "reminder_day": i18n.N_("⏰ Reminder: you are coming tomorrow."),
    "reminder_2h": i18n.N_("⏰ Reminder: it starts in 2 hours."),
    "offer": i18n.N_("🎉 A place came free for you! Do you want it?\nPlease answer before {deadline}."),
    "open_offer": i18n.N_("🎉 A place came free. The first to tap gets it."),
    "offer_gone": i18n.N_("The free place is taken. You are still on the waiting list."),
    "offer_expired": i18n.N_("You did not answer in time. The place went to the next person."),
    "activity_changed": i18n.N_("✏️ This activity has changed. Please look again."),
    "activity_cancelled": i18n.N_("🚫 This activity does not go on."),
    "activity_full": i18n.N_("👥 This activity is full now."),
}
# A reminder only to someone still coming, an offer only while it is held or the place is free.
STILL_WANTED = {
    "reminder_day": GOING,
    "reminder_2h": GOING,
    "offer": OFFERED,
    "open_offer": WAITING,
    "offer_gone": WAITING,
}
# News about an activity only to someone still on one of its lists.
STILL_LISTED = {"activity_changed", "activity_cancelled"}
# What an organiser changed about a member: the words, and whether it still holds when it goes out.
MEMBERSHIP = {
    "made_organiser": (
        i18n.N_("You are now an organiser. Tap 📣 Organise in the menu."),
        lambda m: m.is_organiser and m.status == ACTIVE,
    ),
    "no_longer_organiser": (i18n.N_("You are no longer an organiser."), lambda m: not m.is_organiser),
    "membership_paused": (
        i18n.N_("Your membership is paused. Please talk to an organiser."),
        lambda m: m.status == SUSPENDED,
    ),
    "membership_active": (i18n.N_("Your membership is active again. Welcome back!"), lambda m: m.status == ACTIVE),
}
# Each part of the bot that sends messages by itself has a module with its KINDS, the ones NOT_ESSENTIAL
# and compose(message, db, settings, now) -> (chat, text, buttons) | None, or the Notice's fields by name
# when it needs more (a photo, urgency).
TOPICS = (
    *(vote_notices, post_notices, talk_notices, hour_notices, help_news, announcement_notices, acting_notices),
    *(room_notices, shift_notices, host_notices, share_notices, campaign_notices, need_notices),
)
# Not essential: a member who paused messages does not get these (👤 My details).
NOT_ESSENTIAL = {"activity_full"}.union(*(topic.NOT_ESSENTIAL for topic in TOPICS))


@dataclass(frozen=True)
class Notice:
    """One message, ready to go."""

    chat_id: int
    text: str
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None
    about_start: datetime | None = None  # quiet hours allow a message about an early start at night
    sent: Callable[[int], None] | None = None  # called with the message id once it went out
    unreachable: Callable[[datetime], None] | None = None  # called (with the time) when the member blocked the bot
    urgent: bool = False  # 🚨 also in quiet hours, also to members who paused messages
    photo: str | None = None  # a Telegram file_id: sent as a photo with the text as its caption
    tries: int | None = None  # counted failed after this many tries that Telegram failed (None: until it goes)
    # After it went out: make it right if it changed while it was on its way (an announcement withdrawn or
    # corrected meanwhile), given the bot and the message id.
    settle: Callable[[ExtBot, int], Awaitable[None]] | None = None


def compose(message: Claimed, db: Database, settings: Settings, timing: Timing, now: datetime) -> Notice | None:
    """The outbox row as it should go out now, or None when it no longer holds."""
    if message.kind in HEADLINES:
        return _about_activity(message, db, settings, timing, now)
    if message.kind in MEMBERSHIP or message.kind == "admitted":
        return _about_membership(message, db)
    if message.kind == "refused":
        _ = i18n.translator(message.payload["language"])
        text = _(
            "Sorry, your sign-up was not accepted.\nDo you have questions? Come to the desk of the community centre."
        )
        return Notice(message.payload["chat_id"], text, main_menu(_, None))
    if message.kind == "approval_card":
        return _approval_card(message, db)
    for topic in TOPICS:
        if message.kind in topic.KINDS:
            made = topic.compose(message, db, settings, now)
            if isinstance(made, dict):
                return Notice(**made)
            return Notice(*made) if made else None
    raise ValueError(f"no words for outbox messages of kind {message.kind!r}")


def short_card(_: i18n.Translate, activity: Activity, language: str, settings: Settings) -> str:
    lines = [
        f"<b>{escape(activity.title)}</b>",
        "🕑 " + activity_text.when(activity, language, settings.timezone),
        "📍 " + escape(activity.place),
    ]
    if activity.bring:
        lines.append("🎒 " + _("Bring: {things}").format(things=escape(activity.bring)))
    return "\n".join(lines)


def still_holds(message: Claimed, activity: Activity) -> bool:
    """Whether a message about an activity still holds for its member now (also on the call list)."""
    kind = message.kind
    if activity.cancelled and kind != "activity_cancelled":
        return False
    if kind in STILL_WANTED and message.status != STILL_WANTED[kind] or kind in STILL_LISTED and message.status is None:
        return False
    return not (kind == "open_offer" and not activity.places_left)


def with_changes(_: i18n.Translate, message: Claimed, headline: str) -> str:
    """A headline about an activity, with what changed when that is the news (also on the call list)."""
    if message.kind != "activity_changed":
        return headline
    changed = dict.fromkeys(_(CHANGED_FIELDS[field]) for field in message.payload.get("changed", ()))
    return headline + "\n" + _("What changed: {fields}.").format(fields=", ".join(changed))


def _about_activity(message: Claimed, db: Database, settings: Settings, timing: Timing, now: datetime) -> Notice | None:
    """A reminder, an offer or news about an activity, if it still holds for this member."""
    activity = activities.get(db, message.activity_id) if message.activity_id else None
    if message.telegram_id is None or activity is None:
        return None
    kind = message.kind
    if not still_holds(message, activity):
        return None
    language = message.language or settings.default_language
    _ = i18n.translator(language)
    headline = _(HEADLINES[kind])
    if kind == "offer":
        assert message.member_id is not None
        deadline = activities.offer_going_out(db, activity.id, message.member_id, now, timing)
        if deadline is None:
            return None
        headline = headline.format(deadline=format_when(deadline, language, settings.timezone))
    text = with_changes(_, message, headline) + "\n\n" + short_card(_, activity, language, settings)
    buttons = None
    if kind in ("reminder_day", "reminder_2h"):
        buttons = [[button("❌ " + _("I can't come after all"), "act", "no", activity.id)]]
    elif kind == "offer":
        buttons = [
            [
                button("✅ " + _("Yes, I'm coming"), "act", "claim", activity.id),
                button("❌ " + _("No"), "act", "decline", activity.id),
            ]
        ]
    elif kind == "open_offer":
        buttons = [[button("✅ " + _("I'm coming"), "act", "claim", activity.id)]]
    elif kind in ("activity_changed", "offer_gone"):
        buttons = [[button("📅 " + _("Show"), "act", "card", activity.id)]]
    unreachable = None
    if kind == "offer" and message.member_id is not None:
        member_id = message.member_id

        def unreachable(now: datetime) -> None:  # a place held for someone who blocked the bot goes on at once
            activities.withdraw(db, activity.id, member_id, now, timing)

    return Notice(
        message.telegram_id, text, inline(buttons) if buttons else None, activity.starts_at, unreachable=unreachable
    )


def _about_membership(message: Claimed, db: Database) -> Notice | None:
    """What an organiser decided about this member, with the menu that now fits them; if it still holds."""
    member = members.get(db, message.member_id) if message.member_id else None
    if member is None or member.telegram_id is None:
        return None
    _ = i18n.translator(member.language)
    if message.kind == "admitted":
        if member.status != ACTIVE:
            return None
        text = _(
            "Good news, {name}! You are now a member.\n"
            "Your number is {number}. Show it at the desk of the community centre."
        ).format(name=escape(member.first_name or ""), number=format_member_no(_, member.member_no))
    else:
        words, still_true = MEMBERSHIP[message.kind]
        if not still_true(member):
            return None
        if message.kind == "membership_active" and not _heard_of_the_pause(db, member.id):
            return None  # paused and made active again before they could hear it: nothing to say
        text = _(words)
    return Notice(member.telegram_id, text, main_menu(_, member))


def _heard_of_the_pause(db: Database, member_id: int) -> bool:
    return outbox.last_sent_kind(db, member_id, ("membership_paused", "membership_active")) == "membership_paused"


def _approval_card(message: Claimed, db: Database) -> Notice | None:
    """An organiser's card for someone who waits: ✅ Admit / ❌ Refuse, while nobody decided yet."""
    organiser = members.get(db, message.member_id) if message.member_id else None
    applicant = members.get(db, message.payload["applicant"])
    if organiser is None or organiser.telegram_id is None or applicant is None or applicant.status != PENDING:
        return None
    _ = i18n.translator(organiser.language)
    chat_id = organiser.telegram_id

    def remember(message_id: int) -> None:  # so every card can show the decision later
        members.add_approval_card(db, applicant.id, chat_id, message_id)

    return Notice(chat_id, approval_card_text(_, applicant), inline([decision_buttons(_, applicant)]), sent=remember)
