"""How help and service posts read: categories with their emoji, the kind of help, prices.

Every label is translated when it is shown (call these inside a handler or notice).
"""

from __future__ import annotations

from decimal import Decimal

from bot.formatting import format_money
from bot.i18n import N_, Translate
from storage.posts import FREE, HOUR, OFFER, PAID, REQUEST, SWAP

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
PRICE_UNIT_WORDS = {HOUR: N_("{price} per hour"), "job": N_("{price} per job")}


def category(_: Translate, key: str) -> str:
    """Like "🌱 Tuin": the emoji and the name, for a button or a card."""
    return f"{CATEGORY_EMOJI[key]} {_(CATEGORY_NAMES[key])}"


def price(_: Translate, cents: int, unit: str, language: str) -> str:
    """Like "€ 25,00 per uur", as people read it."""
    return _(PRICE_UNIT_WORDS[unit]).format(price=format_money(Decimal(cents) / 100, language))
