"""A campaign's card as one member sees it: the text and the buttons (issue 15).

One place, because the card is shown when the member opens it (handlers/campaigns.py) and edited later when the
campaign grows (bot/campaign_live.py): both must show the same, in the member's language.
"""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot import callbacks, i18n, need_notices
from bot.campaign_notices import card
from bot.config import Settings
from bot.i18n import N_, Translate
from bot.keyboards import button, in_rows, inline, nav_row
from bot.vote_text import money
from storage import campaign_view, campaigns
from storage.campaigns import Campaign, Pledge
from storage.db import Database

AREA = "camp"
QUICK = (500, 1000, 2500, 5000)  # the amounts on buttons, in cents
STATUS = {
    campaigns.PLEDGED: N_("not paid yet"),
    campaigns.RECEIVED: N_("paid, thank you"),
    campaigns.LAPSED: N_("lapsed"),
}


def own_line(_: Translate, language: str, campaign: Campaign, pledge: Pledge, now: datetime) -> str:
    """Like "• €25.00 · not paid yet". An all-or-nothing campaign that ended short asks nobody to pay."""
    status = STATUS[pledge.status]
    if campaign.all_or_nothing and not campaign.reached and not campaign.open_at(now):
        status = N_("no need to pay")
    return "• " + money(pledge.amount_cents, language) + " · " + _(status)


def member_view(
    db: Database, settings: Settings, language: str, campaign: Campaign, member_id: int, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    """What it is for, how far it is, who supports it, the member's own pledges, and what to give."""
    _ = i18n.translator(language)
    seen = campaign_view.seen_by(db, campaign.id, member_id)  # one read (DESIGN.md: a tap takes ≤ 5 calls)
    lines = [card(_, language, campaign, settings.timezone, now, seen.names)]
    mine = seen.mine
    if mine:
        lines += ["", _("Your pledges:"), *(own_line(_, language, campaign, p, now) for p in mine)]
    need_lines, need_rows = need_notices.member_part(_, language, campaign, seen.needs, now)  # help and things
    lines += need_lines
    rows = []
    if campaign.open_at(now) and settings.iban:  # the question last, right above its buttons
        lines += ["", _("How much do you want to give?")]
        amounts = [button(money(cents, language), AREA, "amt", campaign.id, cents) for cents in QUICK]
        rows += in_rows(amounts, 4) + [[button("✍️ " + _("Another amount"), AREA, "other", campaign.id)]]
    payable = [p for p in mine if p.status == campaigns.PLEDGED and campaign.pays_now() and settings.iban]
    for pledge in payable:
        label = "💶 " + _("Pay {amount}").format(amount=money(pledge.amount_cents, language))
        rows.append([button(label, AREA, "pay", pledge.id)])
    rows += need_rows
    if campaign.photo:
        rows.append([button("🖼️ " + _("Photo"), AREA, "photo", campaign.id)])
    rows.append(nav_row(_, callbacks.pack(AREA, "menu")))
    return "\n".join(lines), inline(rows)
