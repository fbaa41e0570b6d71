"""The payment details a member copies into a banking app, and the EPC QR code they can scan instead: one way
for everything the cooperative asks money for (issue 15: shares and crowdfunding pledges).

The lines are plain text with the numbers in <code> (a tap copies them on most phones), so the messages the bot
sends by itself use them too (bot/campaign_notices.py). The QR code goes as a photo under a direct answer, with
the way on (bot/replies.py show_with_qr).
"""

from __future__ import annotations

from html import escape

from bot import payments
from bot.config import Settings
from bot.i18n import N_, Translate
from bot.vote_text import money

# A payment of a member who deleted their account: it buys nothing and counts for nothing (storage refuses it).
MEMBER_LEFT = N_(
    "This member has left: they deleted their account."
    " Did money come after all? Pay it back to the account it came from."
)


def details(_: Translate, settings: Settings, language: str, cents: int, reference: str) -> list[str]:
    """IBAN, name, amount and reference, and why the reference matters."""
    return [
        _("IBAN: {iban}").format(iban=f"<code>{payments.grouped(settings.iban or '')}</code>"),
        _("Account holder: {name}").format(name=escape(settings.iban_name)),
        _("Amount: {amount}").format(amount=money(cents, language)),
        _("Reference: {reference}").format(reference=f"<code>{payments.grouped(reference)}</code>"),
        "",
        "❗ " + _("Put the reference in the description. Then we know the payment is yours."),
    ]
