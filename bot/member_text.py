"""How a member's details read, in the reader's language. User text is escaped for HTML."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date
from telegram import InlineKeyboardButton

from bot import i18n
from bot.formatting import format_member_no, local_time
from bot.i18n import N_, Translate
from bot.keyboards import button
from storage.members import ACTIVITIES, HELPING, SERVICES, Member

INTEREST_LABELS = {
    ACTIVITIES: N_("Join activities"),
    HELPING: N_("Help neighbours"),
    SERVICES: N_("Offer services as a freelancer (ZZP)"),
}
STATUS_LABELS = {
    "pending": N_("waiting for approval"),
    "active": N_("member"),
    "suspended": N_("paused by an organiser"),
}


def interests_text(_: Translate, interests: frozenset[str]) -> str:
    chosen = [_(INTEREST_LABELS[key]) for key in INTEREST_LABELS if key in interests]
    return ", ".join(chosen) if chosen else _("nothing chosen")


def neighbourhood_text(_: Translate, neighbourhood: str | None) -> str:
    return escape(neighbourhood) if neighbourhood else _("Other")


def detail_lines(
    _: Translate, member: Member, language: str, tz: ZoneInfo, shown: Callable[[str], str] = escape
) -> list[str]:
    """Everything we show about a member, one fact a line. `shown` prepares their own words: escaped for
    HTML by default, `str` for a plain-text file."""
    neighbourhood = shown(member.neighbourhood) if member.neighbourhood else _("Other")
    lines = [
        _("Name: {name}").format(name=shown(member.first_name or "")),
        _("Number: {number}").format(number=format_member_no(_, member.member_no)),
        _("Status: {status}").format(status=_(STATUS_LABELS.get(member.status, member.status))),
        _("Neighbourhood: {neighbourhood}").format(neighbourhood=neighbourhood),
        _("I want to: {interests}").format(interests=interests_text(_, member.interests)),
    ]
    if member.business_name:
        lines.append(_("Business: {business}").format(business=shown(member.business_name)))
        lines.append(_("Work: {line}").format(line=shown(member.business_line or "")))
        lines.append(_("KvK: {kvk}").format(kvk=member.kvk or "-"))
    lines.append(_("Language: {language}").format(language=i18n.language_name(member.language)))
    if member.phone:  # given at the desk for the call list; only they and organisers see it
        lines.append(_("Phone: {phone}").format(phone=shown(member.phone)))
    state = _("paused") if member.paused else _("on")
    if member.telegram_id is None:  # added at the desk (handlers/desk.py): the bot cannot write to them
        state = _("none, no Telegram")
    lines.append(_("Messages: {state}").format(state=state))
    since = format_date(local_time(member.created_at, tz), "d MMMM y", locale=language)
    lines.append(_("Since: {date}").format(date=since))
    return lines


def details(_: Translate, member: Member, language: str, tz: ZoneInfo) -> str:
    """Everything we show about a member, one fact a line, for a message in HTML."""
    return "\n".join(detail_lines(_, member, language, tz))


def approval_card_text(_: Translate, member: Member) -> str:
    """An organiser's card about someone who signed up and waits for approval."""
    return _(
        "New sign-up: {name}\nNeighbourhood: {neighbourhood}\nWants to: {interests}\nLet this person join?"
    ).format(
        name=escape(member.first_name or ""),
        neighbourhood=neighbourhood_text(_, member.neighbourhood),
        interests=interests_text(_, member.interests),
    )


def decision_buttons(_: Translate, member: Member) -> list[InlineKeyboardButton]:
    return [
        button("✅ " + _("Admit"), "mem", "admit", member.id),
        button("❌ " + _("Refuse"), "mem", "refuse", member.id),
    ]
