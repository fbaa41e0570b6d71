"""How help and service posts read: categories with their emoji, the kind of help, prices.

Every label is translated when it is shown (call these inside a handler or notice).
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from zoneinfo import ZoneInfo

from bot.formatting import format_money, format_when, shortened
from bot.i18n import N_, Translate, plural
from storage.posts import FREE, HOUR, OFFER, PAID, REQUEST, SWAP, Post

BUTTON_TITLE = 40  # characters of a title on a button

CATEGORY_EMOJI = {
    "odd_jobs": "🔨",
    "garden": "🌱",
    "shopping": "🛒",
    "transport": "🚗",
    "computer": "💻",
    "language": "📝",
    "childcare": "🧸",
    "cooking": "🍲",
    "sewing": "🧵",
    "company": "☕",
    "other": "✨",
}
CATEGORY_NAMES = {
    "odd_jobs": N_("Odd jobs"),
    "garden": N_("Garden"),
    "shopping": N_("Shopping"),
    "transport": N_("Transport"),
    "computer": N_("Computer & phone"),
    "language": N_("Language & forms"),
    "childcare": N_("Childcare"),
    "cooking": N_("Cooking"),
    "sewing": N_("Sewing & repairs"),
    "company": N_("Company"),
    "other": N_("Other"),
}
SIDE_NAMES = {REQUEST: N_("🙋 Asks for help"), OFFER: N_("💪 Offers help")}
KIND_NAMES = {FREE: N_("🤝 Free neighbour help"), SWAP: N_("🔄 Swap"), PAID: N_("💶 Paid")}
NO_LONGER_UP = N_("Sorry, this post is no longer up. It has ended, or its author took it away.")
PRICE_UNIT_WORDS = {HOUR: N_("{price} per hour"), "job": N_("{price} per job")}


def category(_: Translate, key: str) -> str:
    """Like "🌱 Tuin": the emoji and the name, for a button or a card."""
    return f"{CATEGORY_EMOJI[key]} {_(CATEGORY_NAMES[key])}"


def price(_: Translate, cents: int, unit: str, language: str) -> str:
    """Like "€ 25,00 per uur", as people read it."""
    return _(PRICE_UNIT_WORDS[unit]).format(price=format_money(Decimal(cents) / 100, language))


def price_or_kind(_: Translate, post: Post, language: str) -> str:
    """ "💶 € 25,00 per uur" for a paid post, else the kind, like "🤝 Free neighbour help"."""
    if post.price_cents is not None and post.price_unit is not None:
        return "💶 " + price(_, post.price_cents, post.price_unit, language)
    return _(KIND_NAMES[post.kind])


def author(post: Post) -> str:
    """Who placed it, as others see it: the business on a paid post, else the first name (escaped)."""
    if post.kind == PAID and post.business_name:
        return "🏢 " + escape(post.business_name)
    return "👤 " + escape(post.member_name or "")


def card(_: Translate, post: Post, language: str, tz: ZoneInfo) -> str:
    """A post as other members read it (also the preview before it is published). A post of a member without
    Telegram says that an organiser passes messages on, so a neighbour knows why an answer takes longer."""
    return "\n".join(
        [
            f"{_(SIDE_NAMES[post.side])} · {category(_, post.category)}",
            f"<b>{escape(post.title)}</b>",
            price_or_kind(_, post, language),
            author(post),
            *(["📞 " + _("No Telegram: an organiser passes your message on.")] if post.via_desk else []),
            "",
            escape(post.body),
            "",
            "📅 " + _("Posted on {when}").format(when=format_when(post.created_at, language, tz)),
        ]
    )


def keep_label(language: str, days: int) -> str:
    """🔁 Keep it 30 more days: on the card of one's own post and on the "keep it?" message."""
    ngettext = plural(language)
    return ngettext("🔁 Keep it {days} more day", "🔁 Keep it {days} more days", days).format(days=days)


def button_label(post: Post) -> str:
    """A post in a list of buttons: the category's emoji and the title, shortened."""
    return f"{CATEGORY_EMOJI[post.category]} {shortened(post.title, BUTTON_TITLE)}"
