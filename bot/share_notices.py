"""The messages about member shares (storage/shares.py): an organiser marked a payment received (the member is
thanked), a request lapsed, shares were paid back, the money of a lapsed purchase was paid back, or a solidarity
share was given (the receiver and the buyer are
told, neither with the other's name). Worded when they go out, in the member's language, and
dropped when the request no longer has that status."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot import i18n, payments
from bot.config import Settings
from bot.i18n import N_, Translate
from bot.keyboards import button, inline, nav_row
from bot.vote_text import money
from storage import shares
from storage.db import Database
from storage.outbox import Claimed

KINDS = set(shares.KINDS)
NOT_ESSENTIAL: set[str] = set()  # each is about the member's own money
STATUS_OF = {
    shares.RECEIVED_ACTION: shares.RECEIVED,
    shares.LAPSED_ACTION: shares.LAPSED,
    shares.PAID_ACTION: shares.PAID,
    shares.INSTALMENT_RECEIVED: shares.RECEIVED,  # of the instalment
    shares.INSTALMENT_DUE: shares.PENDING,  # the instalment still waits for its payment
    shares.GIVEN_ACTION: shares.RECEIVED,  # the receiver's share
    shares.PASSED_ON: shares.RECEIVED,  # the buyer's solidarity purchase
    shares.REFUNDED_ACTION: shares.LAPSED,  # the purchase whose money went back
}


def count_words(language: str, count: int) -> str:
    """Like "2 shares"."""
    ngettext = i18n.plural(language)
    return ngettext("{count} share", "{count} shares", count).format(count=count)


def held_line(language: str, count: int) -> str:
    """Like "You now have 3 shares."."""
    ngettext = i18n.plural(language)
    return ngettext("You now have {count} share.", "You now have {count} shares.", count).format(count=count)


GIFT_STATUS = N_("given to you")  # a solidarity share from the cooperative: they paid nothing
SOLIDARITY_STATUS = {False: N_("paid, waits for a member"), True: N_("paid, given to a member")}  # passed on yet?


def solidarity_status(status: str, solidarity: bool, gift: bool, passed_on: bool) -> str | None:
    """What became of a gift, or of a paid solidarity share, where "paid" would say the wrong thing."""
    if gift:
        return GIFT_STATUS
    if solidarity and status == shares.RECEIVED:
        return SOLIDARITY_STATUS[passed_on]
    return None


def paid_on_lapsed(_: Translate, language: str, received_cents: int, paid_back: bool) -> str:
    """What became of the money that came for a purchase that lapsed, like "€25.00 paid, to be paid back"."""
    words = _("{amount} paid back") if paid_back else _("{amount} paid, to be paid back")
    return words.format(amount=money(received_cents, language))


def summary(language: str, found: shares.Holding) -> str:
    """One line for 👤 My details: the shares held, the requests that wait for a payment, and money of a lapsed
    purchase that an organiser pays back."""
    _, ngettext = i18n.translator(language), i18n.plural(language)
    waiting = sum(request.status == shares.PENDING for request in found.waiting)
    wait = ngettext("{count} request waits.", "{count} requests wait.", waiting).format(count=waiting)
    line = "💶 " + held_line(language, found.shares) + (" " + wait if waiting else "")
    if found.to_pay_back:
        back = _("You paid {amount} for shares, but the request lapsed. We pay it back to you.")
        line += "\n↩️ " + back.format(amount=money(found.to_pay_back, language))
    if found.for_others:
        others = ngettext(
            "You paid for {count} solidarity share.", "You paid for {count} solidarity shares.", found.for_others
        )
        line += "\n🤝 " + others.format(count=found.for_others)
    return line


def instalment_notice(
    message: Claimed, db: Database, settings: Settings
) -> tuple[int, str, InlineKeyboardMarkup] | None:
    """An instalment received (thanks), or due today (its amount and reference: the member pays it)."""
    found = shares.instalment(db, message.payload["instalment"])
    if message.telegram_id is None or found is None or found.status != STATUS_OF[message.kind]:
        return None
    request = shares.get(db, found.request_id)
    assert request is not None
    language = message.language or settings.default_language
    _ = i18n.translator(language)
    words = {"number": found.number, "count": request.instalments, "amount": money(found.amount_cents, language)}
    if message.kind == shares.INSTALMENT_RECEIVED:
        text = "✅ " + _("We received instalment {number} of {count} ({amount}) for your shares. Thank you!")
        if request.status == shares.LAPSED:  # it came after the purchase lapsed
            text += "\n" + _("Your request has lapsed, so this payment gives no shares yet.")
            text += "\n" + _("An organiser will contact you about it.")
        rows = [[button("💶 " + _("My shares"), "share", "menu")], nav_row(_, None)]
    else:
        text = "⏰ " + _("Instalment {number} of {count} for your shares is due today: {amount}.")
        text += "\n" + _("Reference: {reference}")
        words["reference"] = payments.grouped(found.reference)
        rows = [[button("💶 " + _("Pay"), "share", "pay", request.id)], nav_row(_, None)]
    return message.telegram_id, text.format(**words), inline(rows)


def lapsed_text(message: Claimed, db: Database, language: str, request: shares.Request) -> str:
    """Which payment did not come and, of a purchase in instalments, what was paid: it is not lost."""
    _, ngettext = i18n.translator(language), i18n.plural(language)
    parts = shares.instalments_of(db, request.id)
    lapsed = [part for part in parts if part.status == shares.LAPSED]
    missed = next((part for part in lapsed if part.id == message.payload.get("instalment")), None)
    missed = missed or next(iter(lapsed), None)  # a message written before it named the instalment
    if missed is None:  # paid at once
        text = ngettext(
            "Your request for {count} share has lapsed. We did not get the payment.",
            "Your request for {count} shares has lapsed. We did not get the payment.",
            request.shares,
        )
        return text.format(count=request.shares) + "\n" + _("Did you pay? Please ask an organiser.")
    text = ngettext(
        "Your request for {count} share has lapsed. We did not get instalment {number} of {instalments} ({amount}).",
        "Your request for {count} shares has lapsed. We did not get instalment {number} of {instalments} ({amount}).",
        request.shares,
    ).format(
        count=request.shares,
        number=missed.number,
        instalments=request.instalments,
        amount=money(missed.amount_cents, language),
    )
    paid = sum(part.amount_cents for part in parts if part.status == shares.RECEIVED)
    if not paid:
        return text + "\n" + _("Did you pay? Please ask an organiser.")
    more = _("You did pay {paid}. That money is not lost. An organiser will contact you about it.")
    return text + "\n" + more.format(paid=money(paid, language))


def completed_text(db: Database, language: str, instalment_id: int, request: shares.Request) -> str:
    """The last instalment came: what came now, and that the shares are the member's (formatted: no braces left)."""
    _ = i18n.translator(language)
    found = shares.instalment(db, instalment_id)
    assert found is not None  # instalments are never deleted
    came = _("We received instalment {number} of {count} ({amount}) for your shares. Thank you!").format(
        number=found.number, count=request.instalments, amount=money(found.amount_cents, language)
    )
    return "✅ " + came + "\n" + _("Everything is paid now, so the shares are yours.")


def compose(
    message: Claimed, db: Database, settings: Settings, now: datetime
) -> tuple[int, str, InlineKeyboardMarkup] | None:
    """(chat, text, buttons) for one outbox row, or None when it no longer holds."""
    if message.kind in (shares.INSTALMENT_RECEIVED, shares.INSTALMENT_DUE):
        return instalment_notice(message, db, settings)
    request = shares.get(db, message.payload["request"])
    if message.telegram_id is None or request is None or request.status != STATUS_OF[message.kind]:
        return None
    language = message.language or settings.default_language
    _ = i18n.translator(language)
    ngettext = i18n.plural(language)
    amount, count = money(request.amount_cents, language), request.shares
    if message.kind == shares.GIVEN_ACTION:  # never the buyer's name
        text = "🤝 " + _("You received a share from the cooperative. Another member paid for it.")
    elif message.kind == shares.PASSED_ON:  # never the receiver's name
        text = "🤝 " + _("Your solidarity share now belongs to a member who could not pay for one. Thank you!")
    elif message.kind == shares.RECEIVED_ACTION and request.solidarity:
        text = "✅ " + _("We received your payment of {amount} for a solidarity share. Thank you!")
        text += "\n" + _("An organiser gives it to a member who cannot pay for a share. We tell you when.")
    elif message.kind == shares.RECEIVED_ACTION and "instalment" in message.payload:
        text = completed_text(db, language, message.payload["instalment"], request)
    elif message.kind == shares.RECEIVED_ACTION:
        text = "✅ " + ngettext(
            "We received your payment of {amount} for {count} share. Thank you!",
            "We received your payment of {amount} for {count} shares. Thank you!",
            count,
        )
    elif message.kind == shares.PAID_ACTION:
        text = "↩️ " + ngettext(
            "We paid you back {amount} for {count} share.", "We paid you back {amount} for {count} shares.", count
        )
    elif message.kind == shares.REFUNDED_ACTION:
        text = "↩️ " + ngettext(
            "We paid you back {amount} for your request for {count} share. That request had lapsed.",
            "We paid you back {amount} for your request for {count} shares. That request had lapsed.",
            count,
        )
        amount = money(request.paid_back_cents, language)
    else:
        text = lapsed_text(message, db, language, request)
    text = text.format(amount=amount, count=count)
    if message.kind not in (shares.LAPSED_ACTION, shares.PASSED_ON, shares.REFUNDED_ACTION) and not request.solidarity:
        text += "\n" + held_line(language, shares.holding(db, request.member_id).shares)
    rows = [[button("💶 " + _("My shares"), "share", "menu")], nav_row(_, None)]
    return message.telegram_id, text, inline(rows)
