"""Help and things a campaign asks for, in words (storage/campaign_needs.py): the part of a campaign's card
members see (each need with how far it is, and a button to pledge or withdraw), the part organisers see (📋 Who,
📅 Make a shift, ➕ Ask for help or things), and the message to a pledger who was put on the shift made of it.
Worded when shown or sent, in the reader's language."""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import i18n
from bot.config import Settings
from bot.i18n import Translate
from bot.keyboards import button, inline, nav_row
from bot.shift_notices import when
from storage import campaign_needs, campaigns, shifts
from storage.campaign_needs import HELP, Need
from storage.campaigns import Campaign
from storage.db import Database
from storage.outbox import Claimed

KINDS = set(campaign_needs.KINDS)
NOT_ESSENTIAL: set[str] = set()  # about a shift the member is on
SHORT = 24  # characters of a need's text on a button
Rows = list[list[InlineKeyboardButton]]


def short(need: Need) -> str:
    """The need's text, short enough for a button."""
    return need.text if len(need.text) <= SHORT else need.text[: SHORT - 1].rstrip() + "…"


def line(_: Translate, language: str, need: Need) -> str:
    """Like "🙋 Paint the hall: 3 of 5 people" or "📦 Paint and brushes: 2 of 5"."""
    if need.kind == HELP:
        ngettext = i18n.plural(language)
        count = ngettext("{count} of {wanted} person", "{count} of {wanted} people", need.wanted)
        text = "🙋 " + escape(need.text) + ": " + count.format(count=need.pledged, wanted=need.wanted)
    else:
        count = _("{count} of {wanted}")
        text = "📦 " + escape(need.text) + ": " + count.format(count=need.pledged, wanted=need.wanted)
    return text + (" · 📅 " + _("now a volunteer shift") if need.shift_id else "")


def yours(_: Translate, kind: str, amount: int) -> str:
    """A member's own part in a need of this kind: "you help", or "you bring 3" (also in bot/exports.py)."""
    return _("you help") if kind == HELP else _("you bring {count}").format(count=amount)


def member_part(
    _: Translate, language: str, campaign: Campaign, needs: list[tuple[Need, int]], now: datetime
) -> tuple[list[str], Rows]:
    """The needs on a member's card (each with the member's own part) and a button for each: 🙋 I help /
    📦 I bring, or ↩️ Withdraw their own; help that became a shift leads to the shift."""
    if not needs:
        return [], []
    open_now = campaign.open_at(now)
    lines, rows = ["", _("Also needed:") if open_now else _("Help and things:")], []
    for need, mine in needs:
        lines.append(line(_, language, need) + (" · ✅ " + yours(_, need.kind, mine) if mine else ""))
        if not open_now:
            continue
        if need.shift_id:  # taken and given back there (handlers/shifts.py)
            label = "🙋 " + _("I help: {need}").format(need=short(need))
            rows += [] if mine else [[button(label, "shift", "card", need.shift_id, "list", 0)]]
        elif mine:
            rows.append([button("↩️ " + _("Withdraw: {need}").format(need=short(need)), "need", "off", need.id)])
        elif need.left and need.kind == HELP:
            rows.append([button("🙋 " + _("I help: {need}").format(need=short(need)), "need", "help", need.id)])
        elif need.left:
            rows.append([button("📦 " + _("I bring: {need}").format(need=short(need)), "need", "bring", need.id)])
    return lines, rows


def organiser_part(
    _: Translate, language: str, campaign_id: int, needs: list[Need], open_now: bool
) -> tuple[list[str], Rows]:
    """The needs on an organiser's card: 📋 Who for each, 📅 Make a shift for help, ➕ while there is room."""
    lines = ["", _("Help and things:"), *(line(_, language, need) for need in needs)] if needs else []
    rows = []
    for need in needs:
        rows.append([button("📋 " + _("Who: {need}").format(need=short(need)), "need", "who", need.id, 0)])
        if need.kind == HELP and need.shift_id is None:
            label = "📅 " + _("Make a shift: {need}").format(need=short(need))
            rows.append([button(label, "need", "shift", need.id)])
    if open_now and len(needs) < campaign_needs.MOST_NEEDS:
        rows.append([button("➕ " + _("Ask for help or things"), "need", "new", campaign_id)])
    return lines, rows


def compose(
    message: Claimed, db: Database, settings: Settings, now: datetime
) -> tuple[int, str, InlineKeyboardMarkup, datetime | None] | None:
    """A pledger was put on the shift made of a need: (chat, text, buttons, start), or None when no longer so."""
    shift = shifts.get(db, message.payload["shift"])
    need = campaign_needs.get(db, message.payload["need"])
    if message.telegram_id is None or message.member_id is None or shift is None or need is None:
        return None
    campaign = campaigns.get(db, need.campaign_id)
    if campaign is None or not shift.open_at(now) or not shifts.is_on(db, shift.id, message.member_id):
        return None
    language = message.language or settings.default_language
    _ = i18n.translator(language)
    values = {"title": escape(campaign.title), "task": escape(shift.task), "when": when(shift, language, settings)}
    text = "📅 " + _("Thank you for helping “{title}”! You are on the shift {task}, {when}.").format(**values)
    text += "\n" + _("Can you not come? Give it back under 📋 My shifts.")
    show = button("🙋 " + _("Show"), "shift", "card", shift.id, "mine", 0)
    return message.telegram_id, text, inline([[show], nav_row(_, None)]), shift.starts_at
