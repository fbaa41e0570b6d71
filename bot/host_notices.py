"""The messages about a member's proposal to host an activity (bot/notices.py asks here), and how it reads.

Every organiser gets the proposal as a card with ✅ Publish / ❓ Ask a question / ❌ Decline; the member hears
the question, the reason, or that it is published with them as host. Each is worded when it goes out, in
the recipient's language, and dropped when it no longer holds (decided meanwhile, withdrawn, cancelled).
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import activity_text, i18n
from bot.config import Settings
from bot.formatting import format_when
from bot.i18n import N_, Translate
from bot.keyboards import button, inline, nav_row
from storage import activities, hosting, members
from storage.activities import Activity
from storage.db import Database
from storage.hosting import APPROVED, ASKED, DECLINED, PENDING, Proposal
from storage.members import ACTIVE
from storage.outbox import Claimed

KINDS = {hosting.CARD, hosting.ASKED_NOTICE, hosting.DECLINED_NOTICE, hosting.APPROVED_NOTICE, hosting.HOST_LEFT}
NOT_ESSENTIAL: set[str] = set()  # each is about a proposal they made or must decide about
# The status the proposal must still have for the message to hold.
HOLDS = {
    hosting.CARD: PENDING,
    hosting.ASKED_NOTICE: ASKED,
    hosting.DECLINED_NOTICE: DECLINED,
    hosting.APPROVED_NOTICE: APPROVED,
}
NEWS = {
    hosting.ASKED_NOTICE: N_(
        "❓ An organiser has a question about your activity “{title}”:\n{answer}\n\n"
        "Tap ✏️ to change it and send it again."
    ),
    hosting.DECLINED_NOTICE: N_("Your activity “{title}” is not published. The reason:\n{answer}"),
    hosting.APPROVED_NOTICE: N_(
        "🎉 Your activity “{title}” is published. You are the host.\nYou can see who comes under 🙌 Take part."
    ),
}


def proposal_text(_: Translate, proposal: Proposal, language: str, settings: Settings) -> str:
    """A member's proposal as organisers read it: who proposes it, and the activity as members would see it."""
    name = activity_text.host_name(_, proposal.member_name)
    shown = Activity(id=0, cancelled=False, created_by=None, host_id=proposal.member_id, **vars(proposal.plan))
    return (
        "💡 "
        + _("{name} wants to host an activity:").format(name=name)
        + "\n\n"
        + activity_text.card(_, shown, language, settings.timezone, host=name)
    )


def decision_rows(_: Translate, proposal: Proposal) -> list[list[InlineKeyboardButton]]:
    """What an organiser can do with a proposal (handlers/host_review.py). ✅ Publish names the version it
    was shown (the round): a card from before the member changed it publishes nothing."""
    return [
        [button("✅ " + _("Publish"), "hostorg", "publish", proposal.id, proposal.round)],
        [button("❓ " + _("Ask a question"), "hostorg", "ask", proposal.id)],
        [button("❌ " + _("Decline"), "hostorg", "decline", proposal.id)],
    ]


def compose(
    message: Claimed, db: Database, settings: Settings, now: datetime
) -> tuple[int, str, InlineKeyboardMarkup, datetime | None] | None:
    """(chat, text, buttons, start) for one outbox row, or None when it no longer holds."""
    if message.kind == hosting.HOST_LEFT:
        return _host_left(message, db, settings, now)
    proposal = hosting.get(db, message.payload["proposal"])
    if message.telegram_id is None or proposal is None or proposal.status != HOLDS[message.kind]:
        return None
    _ = i18n.translator(message.language or settings.default_language)
    if message.kind == hosting.CARD:
        organiser = members.get(db, message.member_id) if message.member_id else None
        if organiser is None or not organiser.is_organiser or organiser.status != ACTIVE:
            return None
        text = proposal_text(_, proposal, message.language or settings.default_language, settings)
        return message.telegram_id, text, inline([*decision_rows(_, proposal), nav_row(_, None)]), None
    news = _(NEWS[message.kind]).format(title=escape(proposal.plan.title), answer=escape(proposal.answer or ""))
    if message.kind == hosting.APPROVED_NOTICE:
        activity = activities.get(db, proposal.activity_id) if proposal.activity_id else None
        if activity is None or activity.cancelled:
            return None
        first = button("👤 " + _("Show"), "host", "act", activity.id)
        return message.telegram_id, news, inline([[first], nav_row(_, None)]), activity.starts_at
    if message.kind == hosting.ASKED_NOTICE:
        first = button("✏️ " + _("Change and send again"), "host", "again", proposal.id)
    else:
        first = button("📋 " + _("My proposals"), "host", "mine", 0)
    return message.telegram_id, news, inline([[first], nav_row(_, None)]), None


def _host_left(
    message: Claimed, db: Database, settings: Settings, now: datetime
) -> tuple[int, str, InlineKeyboardMarkup, datetime | None] | None:
    """To an organiser: the host of an activity to come left; it stays until an organiser decides."""
    activity = activities.get(db, message.activity_id) if message.activity_id else None
    if message.telegram_id is None or activity is None or not activity.open_at(now):
        return None
    _ = i18n.translator(message.language or settings.default_language)
    when = format_when(activity.starts_at, message.language or settings.default_language, settings.timezone)
    text = _("👤 The host of {title} ({when}) left the cooperative. Nobody runs it now.").format(
        title=escape(activity.title), when=when
    )
    text += "\n" + _("Find someone to take it over, or cancel it.")
    rows = [[button("📅 " + _("Show"), "org", "act", activity.id)], nav_row(_, None)]
    return message.telegram_id, text, inline(rows), activity.starts_at
