"""📞 What to tell a member without Telegram by phone, in the organiser's language (storage/calls.py).

Only what a member must hear to take part goes on the list: the day-before reminder, a place that came
free, an activity changed or cancelled, their membership paused or active again, a vote that opened or is
about to close, and a neighbour's message about their post. The words are the member's own message
("⏰ Reminder: you are coming tomorrow.") after "Tell them:", so the organiser can read it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from bot import i18n, notices, talk_notices, vote_text
from bot.config import Settings
from bot.formatting import format_when
from bot.i18n import N_
from storage import activities, calls, members, talks, votes
from storage.activities import Timing
from storage.db import Database
from storage.outbox import Claimed

VOTE_KINDS = {  # a vote opened, and the reminder a day before it closes (only to who has not voted)
    "vote_opened": N_("🗳️ A vote is open: {title}\n{deadline}"),
    "vote_reminder": N_("⏰ You have not voted yet on: {title}\n{deadline}"),
}
ACTIVITY_KINDS = {"reminder_day", "offer", "open_offer", "activity_changed", "activity_cancelled"}
MEMBERSHIP_KINDS = {"membership_paused", "membership_active"}  # an organiser paused them (their places went)
KINDS = {*ACTIVITY_KINDS, talks.MESSAGE, *VOTE_KINDS, *MEMBERSHIP_KINDS}


@dataclass(frozen=True)
class Said:
    """One call: what it is about (for its button) and what to tell."""

    about: str
    text: str


def take(db: Database, message: Claimed, now: datetime, timing: Timing) -> bool:
    """The sender met a due message for a member without a chat: on the call list when it is one to call
    about. A place held for them is held from now on, as when a message goes out."""
    if message.telegram_id is not None or message.kind not in KINDS:
        return False
    if not calls.take(db, message.id, now, paused_too=message.kind in MEMBERSHIP_KINDS):
        return False
    if message.kind == "offer" and message.member_id is not None and message.activity_id is not None:
        activities.offer_going_out(db, message.activity_id, message.member_id, now, timing)
    return True


def what_to_say(
    _: i18n.Translate, message: Claimed, db: Database, settings: Settings, language: str, now: datetime
) -> Said | None:
    """What to tell the member now; None when it no longer holds (cancelled, the place went, voted)."""
    if message.kind == talks.MESSAGE and message.member_id is not None:
        made = talk_notices.relayed_text(_, message, message.member_id, db)
        return Said(made[1].post_title, made[0]) if made else None
    member = members.get(db, message.member_id) if message.member_id else None
    if member is None:
        return None
    if message.kind in MEMBERSHIP_KINDS:
        words, holds = notices.MEMBERSHIP[message.kind]
        return Said(_("Membership"), _(words)) if holds(member) else None
    if member.status != members.ACTIVE:  # paused meanwhile: only that news is for them now
        return None
    if message.kind in VOTE_KINDS:
        vote = votes.get(db, message.vote_id) if message.vote_id else None
        if vote is None or not vote.open_at(now) or message.voted:
            return None
        closes = vote_text.deadline(_, vote, language, settings.timezone, now)
        headline = _(VOTE_KINDS[message.kind]).format(title=escape(vote.title), deadline=closes)
        return Said(vote.title, headline + "\n" + _("They can vote by phone or at the desk."))
    activity = activities.get(db, message.activity_id) if message.activity_id else None
    if activity is None or not notices.still_holds(message, activity):
        return None
    headline = _(notices.HEADLINES[message.kind])
    if message.kind == "offer":
        deadline = activities.offer_deadline(db, activity.id, message.member_id) if message.member_id else None
        if deadline is None:
            return None
        headline = headline.format(deadline=format_when(deadline, language, settings.timezone))
    text = notices.with_changes(_, message, headline)
    return Said(activity.title, text + "\n\n" + notices.short_card(_, activity, language, settings))
