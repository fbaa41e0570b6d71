"""Crowdfunding in words (storage/campaigns.py): the progress bar and card both members and organisers see, and
the messages the bot sends by itself — the goal was reached (all or nothing: with the payment details), the
campaign ended, a pledge was received (a thank-you) or lapsed. Worded when they go out, in the member's
language, and dropped when they no longer hold."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from html import escape
from zoneinfo import ZoneInfo

from babel.numbers import format_percent
from telegram import InlineKeyboardMarkup

from bot import i18n, payment_text
from bot.config import Settings
from bot.formatting import format_when, local_time
from bot.i18n import Translate
from bot.keyboards import button, inline, nav_row
from bot.vote_text import money
from storage import campaigns
from storage.campaigns import Campaign, Pledge
from storage.db import Database
from storage.outbox import Claimed

KINDS = set(campaigns.KINDS)
NOT_ESSENTIAL: set[str] = set()  # each is about the member's own money
BAR = 10  # blocks in the progress bar
STILL = {campaigns.RECEIVED_ACTION: campaigns.RECEIVED, campaigns.LAPSED_ACTION: campaigns.LAPSED}


def progress(_: Translate, language: str, pledged: int, goal: int) -> str:
    """Like "▓▓▓▓▓░░░░░ 52 %\n€ 2.600,00 of € 5.000,00": the bar stops full, the percentage goes on."""
    filled = min(BAR, pledged * BAR // goal)
    percent = format_percent(Decimal(pledged * 100 // goal) / 100, locale=language)  # 99.9 % is not 100 %
    bar = "▓" * filled + "░" * (BAR - filled) + " " + percent
    return bar + "\n" + _("{pledged} of {goal}").format(pledged=money(pledged, language), goal=money(goal, language))


def time_left(_: Translate, language: str, campaign: Campaign, tz: ZoneInfo, now: datetime) -> str:
    """Like "12 days left" or "Ends today, Friday 18 December, 20:00"."""
    if not campaign.open_at(now):
        return _("This campaign has ended.")
    days = (local_time(campaign.ends_at, tz).date() - local_time(now, tz).date()).days
    if days < 1:
        return _("Ends today, {when}.").format(when=format_when(campaign.ends_at, language, tz))
    ngettext = i18n.plural(language)
    return ngettext("{count} day left", "{count} days left", days).format(count=days)


def card(_: Translate, language: str, campaign: Campaign, tz: ZoneInfo, now: datetime, names: list[str]) -> str:
    """The campaign as a member sees it; `names`: supporters who may be named (never the anonymous ones)."""
    ngettext = i18n.plural(language)
    lines = [
        f"🎯 <b>{escape(campaign.title)}</b>",
        escape(campaign.purpose),
        "",
        progress(_, language, campaign.pledged_cents, campaign.goal_cents),
        "🙌 "
        + ngettext("{count} supporter", "{count} supporters", campaign.supporters).format(count=campaign.supporters),
    ]
    if names:
        shown = ", ".join(str(i18n.kept_apart(escape(name))) for name in names)
        lines[-1] += ": " + shown + (" …" if campaign.supporters > len(names) else "")
    lines.append("⏳ " + time_left(_, language, campaign, tz, now))
    if campaign.reached:
        lines.append("🎉 " + _("The goal is reached!"))
    elif campaign.all_or_nothing and not campaign.open_at(now):
        lines.append(_("The goal was not reached. So nobody pays."))
    elif campaign.all_or_nothing:
        lines.append(_("All or nothing: you only pay when the goal is reached."))
    return "\n".join(lines)


def pledge_details(_: Translate, settings: Settings, language: str, pledge: Pledge) -> list[str]:
    """The payment details of one pledge."""
    return payment_text.details(_, settings, language, pledge.amount_cents, pledge.reference or "")


def _to_pay(db: Database, campaign: Campaign, member_id: int) -> list[Pledge]:
    return [p for p in campaigns.of_member(db, campaign.id, member_id) if p.status == campaigns.PLEDGED]


def _about_pledge(message: Claimed, db: Database, language: str) -> str | None:
    pledge = campaigns.get_pledge(db, message.payload["pledge"])
    if pledge is None or pledge.status != STILL[message.kind]:
        return None
    campaign = campaigns.get(db, pledge.campaign_id)
    assert campaign is not None
    _ = i18n.translator(language)
    values = {"amount": money(pledge.amount_cents, language), "title": escape(campaign.title)}
    if message.kind == campaigns.RECEIVED_ACTION:
        return "✅ " + _("We received your payment of {amount} for “{title}”. Thank you!").format(**values)
    text = _("Your pledge of {amount} for “{title}” has lapsed. We did not get the payment.").format(**values)
    return text + "\n" + _("Did you pay? Please ask an organiser.")


def _about_campaign(message: Claimed, db: Database, settings: Settings, language: str) -> tuple[str, list] | None:
    """The goal reached, or the campaign ended; with the details of what the member still has to pay."""
    campaign = campaigns.get(db, message.payload["campaign"])
    assert message.member_id is not None
    if campaign is None:
        return None
    _ = i18n.translator(language)
    title = escape(campaign.title)
    to_pay = _to_pay(db, campaign, message.member_id)
    if message.kind == campaigns.GOAL_REACHED:  # from the pledge that reached it on, the details came at once
        to_pay = [p for p in to_pay if p.id < message.payload.get("reached_by", p.id + 1)]
    if message.kind == campaigns.GOAL_REACHED:
        lines = ["🎉 " + _("“{title}” reached its goal. Thank you!").format(title=title)]
        lines.append(progress(_, language, campaign.pledged_cents, campaign.goal_cents))
    else:
        pledged = message.payload["pledged"]
        lines = ["🏁 " + _("“{title}” has ended.").format(title=title)]
        lines.append(progress(_, language, pledged, campaign.goal_cents))
        if campaign.reached:
            lines.append(_("The goal is reached. Thank you for your support!"))
        elif campaign.all_or_nothing:
            lines.append(_("The goal was not reached. So nobody pays. Thank you for your support!"))
        else:
            lines.append(_("The goal was not reached. All that was given still helps. Thank you!"))
    rows = []
    if to_pay and campaign.pays_now() and settings.iban:
        for pledge in to_pay:
            lines += ["", "💶 " + _("Please transfer your pledge now:")]
            lines += pledge_details(_, settings, language, pledge)
            label = "💶 " + _("Pay {amount}").format(amount=money(pledge.amount_cents, language))
            rows.append([button(label, "camp", "pay", pledge.id)])
    return "\n".join(lines), rows


def compose(
    message: Claimed, db: Database, settings: Settings, now: datetime
) -> tuple[int, str, InlineKeyboardMarkup] | None:
    """(chat, text, buttons) for one outbox row, or None when it no longer holds."""
    if message.telegram_id is None:
        return None
    language = message.language or settings.default_language
    _ = i18n.translator(language)
    rows: list = []
    if message.kind in STILL:
        text = _about_pledge(message, db, language)
    else:
        made = _about_campaign(message, db, settings, language)
        text, rows = made if made else (None, [])
    if text is None:
        return None
    rows.append([button("🎯 " + _("Crowdfunding"), "camp", "menu")])
    return message.telegram_id, text, inline([*rows, nav_row(_, None)])
