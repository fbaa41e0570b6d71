"""The news about new posts that the bot sends by itself (bot/notices.py asks here).

Each message is composed when it goes out, in the recipient's language, from the database as it
is then: an alert about a request that ended meanwhile, or for a member who turned alerts off or
stopped following its category, is not sent; a digest lists only posts that are still up, and is
not sent when none are left. Both are news, not something to act on: a paused member gets neither.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot import i18n, post_text
from bot.config import Settings
from bot.formatting import shortened
from bot.i18n import Translate
from bot.keyboards import button, inline, nav_row
from storage import help_news
from storage.db import Database
from storage.help_news import Alert, Digest
from storage.outbox import Claimed

ALERT, DIGEST = "post_alert", "post_digest"
KINDS = {ALERT, DIGEST}
NOT_ESSENTIAL = {ALERT, DIGEST}  # a member who paused messages does not get these
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None
BODY_IN_ALERT = 200  # characters of the description: the card (🔎 Show) has the rest
TITLE_IN_DIGEST = 60


def compose(message: Claimed, db: Database, settings: Settings, now: datetime) -> tuple[int, str, Markup] | None:
    """(chat, text, buttons) for one outbox row, or None when it no longer holds."""
    if message.member_id is None or message.telegram_id is None:
        return None
    language = message.language or settings.default_language
    _ = i18n.translator(language)
    if message.kind == ALERT:
        alert = help_news.alert_to_send(db, message.member_id, message.payload["post"], now)
        return (message.telegram_id, alert_text(_, alert, language), alert_buttons(_, alert)) if alert else None
    digest = help_news.digest_to_send(
        db,
        message.member_id,
        datetime.fromisoformat(message.payload["since"]),
        datetime.fromisoformat(message.payload["until"]),
    )
    return (message.telegram_id, digest_text(_, digest, language), digest_buttons(_)) if digest else None


def alert_text(_: Translate, alert: Alert, language: str) -> str:
    """A new request in short: what kind of help, the title, the start of the description."""
    lines = [
        "🔔 " + _("Someone asks for help: {category}").format(category=post_text.category(_, alert.category)),
        f"<b>{escape(alert.title)}</b>",
        escape(shortened(alert.body, BODY_IN_ALERT)),
    ]
    if alert.price_cents is not None and alert.price_unit is not None:
        lines.append("💶 " + post_text.price(_, alert.price_cents, alert.price_unit, language))
    else:
        lines.append(_(post_text.KIND_NAMES[alert.kind]))
    return "\n".join(lines)


def news_settings(_: Translate) -> InlineKeyboardButton:
    """Where a member changes what news they get (or stops it)."""
    return button("🔔 " + _("Change my news"), "follow", "menu")


def alert_buttons(_: Translate, alert: Alert) -> InlineKeyboardMarkup:
    return inline(
        [[button("🔎 " + _("Show"), "browse", "card", alert.post_id, 0)], [news_settings(_)], nav_row(_, None)]
    )


def digest_text(_: Translate, digest: Digest, language: str) -> str:
    """The new posts of the week in the member's categories, newest first: one line each."""
    lines = ["📰 " + _("New this week in your kinds of help:")]
    for line in digest.lines:
        emoji = post_text.CATEGORY_EMOJI[line.category]
        lines.append(f"{emoji} {escape(shortened(line.title, TITLE_IN_DIGEST))} · {_(post_text.SIDE_NAMES[line.side])}")
    more = digest.total - len(digest.lines)
    if more > 0:
        ngettext = i18n.plural(language)
        lines.append(ngettext("And {count} more.", "And {count} more.", more).format(count=more))
    lines += ["", _("Tap 🔎 Look around to read them.")]
    return "\n".join(lines)


def digest_buttons(_: Translate) -> InlineKeyboardMarkup:
    return inline([[button("🔎 " + _("Look around"), "browse", "side")], [news_settings(_)], nav_row(_, None)])
