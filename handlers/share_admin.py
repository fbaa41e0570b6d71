"""📣 Organise → 💶 Shares: what waits (payments to come, with their reference, and shares to pay back), oldest
first; a request's card with ✅ Received or ✖️ Lapsed (asked once), or ✅ Paid back; the money that came for a
purchase that lapsed waits too, with ↩️ Paid back (asked once, storage/shares.py pay_back); and the share register on
screen and as CSV (issue 15). Each decision is logged and the member is told (storage/shares.py decide). 🤝 Solidarity
shares: how many paid ones wait, and one given to a member without shares (storage/shares.py give)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, i18n, payments
from bot.access import Need, requires
from bot.context import WijkContext
from bot.double_taps import files_once
from bot.exports import file_name, spreadsheet
from bot.formatting import format_amount, format_day, format_member_no, local_time
from bot.i18n import N_, Translate
from bot.incoming import chat_id, query, tapped
from bot.keyboards import button, inline, nav_row, paged
from bot.payment_text import MEMBER_LEFT
from bot.replies import just_acted, show, way_on_after_files
from bot.share_notices import count_words
from bot.vote_text import money
from storage import members, shares
from storage.shares import BUY, LAPSED, PAID, PENDING, RECEIVED, Gift, Outcome, Request

AREA = "shareorg"
NAMES_ON_SCREEN = 40  # holders in the register on screen; the file has them all
DONE_TOASTS = {
    RECEIVED: N_("✅ Received. The member gets a thank-you."),
    LAPSED: N_("Lapsed. The member gets a message."),
    PAID: N_("✅ Paid back. The register is updated."),
}
ALREADY = {
    RECEIVED: N_("This payment is already marked as received."),
    LAPSED: N_("This request has already lapsed."),
    PAID: N_("These shares are already paid back."),
}
DECIDED_ON = {  # what became of a request, on its card: true for whoever decided it
    RECEIVED: N_("✅ Received on {day}."),
    LAPSED: N_("✖️ Lapsed on {day}."),
    PAID: N_("↩️ Paid back on {day}."),
}
# ↩️ Paid back, of the money that came for a purchase that lapsed (storage/shares.py pay_back).
REFUND_DONE = N_("✅ Marked as paid back.")
REFUND_ALREADY = N_("This money is already marked as paid back.")
NOTHING_TO_PAY_BACK = N_("There is nothing to pay back now. Nothing was changed.")
PAID_BACK_TOO = N_("The money of this request was paid back. Did more money come? Pay that back too.")


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def who(_: Translate, first_name: str | None, member_no: int | None) -> str:
    """Like "Ann (member 0001)"; a deleted account keeps only its number: "A former member (member 0004)"."""
    name = escape(first_name) if first_name else former_member(_)
    return f"{i18n.kept_apart(name)} ({format_member_no(_, member_no)})"


def former_member(_: Translate) -> str:
    """Like "A former member": how a pledge's card names a deleted account (handlers/campaign_admin.py who)."""
    name = _("a former member")
    return name[:1].upper() + name[1:]


def card_title(_: Translate, request: Request) -> str:
    """Like "Ann (member 0001)", or "A former member · member 0004" as on a pledge's card."""
    if request.first_name:
        return who(_, request.first_name, request.member_no)
    return former_member(_) + " · " + format_member_no(_, request.member_no)


@requires(Need.ORGANISER)
async def menu_button(update: Update, context: WijkContext) -> None:
    """💶 Shares from 📣 Organise."""
    _ = context.gettext
    waiting = shares.pending(context.db, 0).total or 0
    rows = [
        [button("⏳ " + _("Waiting: {count}").format(count=waiting), AREA, "list", 0)],
        [button("📒 " + _("Share register"), AREA, "reg")],
        [button("🤝 " + _("Solidarity shares: {count}").format(count=shares.pool(context.db).shares), AREA, "pool", 0)],
        nav_row(_, callbacks.pack("org", "menu")),
    ]
    text = "💶 " + _("Shares") + "\n" + _("What do you want to do?")
    if context.settings.iban is None:
        text += "\n\n" + _("Members cannot buy shares in the bot yet: the bank account is not set up.")
    await show(update, context, text, inline(rows))


def item_label(context: WijkContext, request: Request) -> str:
    """Like "💶 27 Nov · Ann · €20.00" for a payment to come, "↩️ …" for shares or money to pay back."""
    name = request.first_name or former_member(context.gettext)
    to_pay_back = request.kind != BUY or request.to_pay_back
    mark = "↩️" if to_pay_back else "🤝" if request.solidarity else "💶"
    day = format_day(request.asked_at, context.language)
    return f"{mark} {day} · {name} · {money(request.to_pay_back or request.amount_cents, context.language)}"


@requires(Need.ORGANISER)
async def list_button(update: Update, context: WijkContext) -> None:
    """⏳ Waiting: oldest first, 5 a page."""
    _ = context.gettext
    found = shares.pending(context.db, tapped(update).int_arg(0))

    def pick(request: Request) -> InlineKeyboardButton:
        return button(item_label(context, request), AREA, "card", request.id, found.number)

    if found.items:
        text = "⏳ " + _("Waiting: {count}").format(count=found.total)
        text += "\n" + _("💶 a payment to come, ↩️ shares or money to pay back. Tap one.")
    else:
        text = "✅ " + _("Nothing waits.")
    rows = paged(found, pick, AREA, "list") + [nav_row(_, callbacks.pack(AREA, "menu"))]
    await show(update, context, text, inline(rows))


def existing(context: WijkContext, request_id: int) -> Request:
    request = shares.get(context.db, request_id)
    if request is None:
        raise callbacks.StaleButton(f"share request {request_id} is gone")
    return request


def card_text(_: Translate, context: WijkContext, request: Request, late: shares.Instalment | None = None) -> str:
    """Who, what, how much, the reference, when asked, and what became of it; for a lapsed purchase, whether a
    payment that came after all (of the `late` instalment) can be ✅ Received."""
    language = context.language
    amount = money(request.amount_cents, language)
    if request.kind == BUY:
        what = "💶 " + _("Buys {shares} for {amount}").format(
            shares=count_words(language, request.shares), amount=amount
        )
    else:
        what = "↩️ " + _("Sells back {shares} for {amount}").format(
            shares=count_words(language, request.shares), amount=amount
        )
    if request.solidarity:
        what = (
            "🤝" + what.removeprefix("💶") + "\n" + _("An organiser gives it to a member who cannot pay for a share.")
        )
    lines = [f"<b>{card_title(_, request)}</b>", what]
    if request.reference:
        lines.append(
            _("Reference: {reference}").format(reference=f"<code>{payments.grouped(request.reference)}</code>")
        )
    lines.append(_("Asked on {day}").format(day=format_day(request.asked_at, language, long=True, year=True)))
    lines += [instalment_line(_, context, found) for found in shares.instalments_of(context.db, request.id)]
    if request.status != PENDING:
        decided_at = local_time(request.decided_at or request.asked_at, context.settings.timezone)
        day = format_day(decided_at, language, long=True, year=True)
        lines.append(_(DECIDED_ON[request.status]).format(day=day))
    if request.paid_back_at is not None:
        day = format_day(local_time(request.paid_back_at, context.settings.timezone), language, long=True, year=True)
        paid_back = _("↩️ Paid back {amount} on {day}.")
        lines.append(paid_back.format(amount=money(request.paid_back_cents, language), day=day))
        lines.append(_(PAID_BACK_TOO))  # a transfer found later by its reference goes back too
    elif came_late(request) and request.left:
        lines.append("⚠️ " + _(MEMBER_LEFT))
    elif came_late(request) and (request.instalments == 1 or late is not None):
        lines.append(_("Did the payment come after all? Tap ✅ Received."))
    if request.to_pay_back:
        owed = _("{amount} came in before it lapsed. Pay it back to the account it came from, then tap ↩️ Paid back.")
        lines.append("↩️ " + owed.format(amount=money(request.to_pay_back, language)))
    return "\n".join(lines)


def came_late(request: Request) -> bool:
    """A purchase that lapsed: its payment (or an instalment's) may still come, and is then ✅ Received after all."""
    return request.kind == BUY and request.status == LAPSED


def searched_instalment(context: WijkContext, request: Request, instalment_id: int | None) -> shares.Instalment | None:
    """The instalment whose reference found the purchase (🔎), when it can be ✅ received now: one that waits,
    of a purchase that waits; or a lapsed one of a lapsed purchase whose payment came after all, while what came
    for it before was not paid back."""
    if instalment_id is None:
        return None
    found = shares.instalment(context.db, instalment_id)
    if found is None or found.request_id != request.id:
        return None
    if found.status == PENDING and request.status == PENDING:
        return found
    late = came_late(request) and not request.left and request.paid_back_at is None
    return found if late and found.status == LAPSED else None


INSTALMENT_STATUS = {PENDING: "⏳", RECEIVED: "✅", LAPSED: "✖️"}


def instalment_line(_: Translate, context: WijkContext, found: shares.Instalment) -> str:
    """Like "✅ 2. 27 Dec · €4.00 · RF12 SI00 0002"."""
    day = format_day(found.due_on, context.language)
    money_ = money(found.amount_cents, context.language)
    reference = f"<code>{payments.grouped(found.reference)}</code>"
    return f"{INSTALMENT_STATUS[found.status]} {found.number}. {day} · {money_} · {reference}"


async def show_card(
    update: Update,
    context: WijkContext,
    request_id: int,
    page: int,
    toast: str | None = None,
    searched_id: int | None = None,
) -> None:
    """A request's card with what can be decided now; `searched_id`: the instalment whose reference found it."""
    _ = context.gettext
    request = existing(context, request_id)
    rows = []
    searched = searched_instalment(context, request, searched_id)
    late = searched if searched and searched.status == LAPSED else None
    instalment = searched if searched and searched.status == PENDING else None
    if instalment is None and request.status == PENDING:  # the one due next
        instalment = shares.next_due(context.db, request)
    if instalment is not None:
        number = instalment.number
        rows.append(
            [
                button("✅ " + _("{number}. Received").format(number=number), AREA, "igot", instalment.id, page),
                button("✖️ " + _("{number}. Lapsed").format(number=number), AREA, "ilapse", instalment.id, page),
            ]
        )
    elif request.status == PENDING and request.kind == BUY:
        rows.append(
            [
                button("✅ " + _("Received"), AREA, "got", request.id, page),
                button("✖️ " + _("Lapsed"), AREA, "lapse", request.id, page),
            ]
        )
    elif request.status == PENDING:
        rows.append([button("✅ " + _("Paid back"), AREA, "paid", request.id, page)])
    elif late is not None:
        label = "✅ " + _("{number}. Received").format(number=late.number)
        rows.append([button(label, AREA, "igot", late.id, page)])
    elif came_late(request) and request.instalments == 1 and not request.left:
        rows.append([button("✅ " + _("Received"), AREA, "got", request.id, page)])
    if request.to_pay_back:
        label = "↩️ " + _("Paid back {amount}").format(amount=money(request.to_pay_back, context.language))
        rows.append([button(label, AREA, "refund", request.id, page)])
    rows.append(nav_row(_, callbacks.pack(AREA, "list", page)))
    await show(update, context, card_text(_, context, request, late), inline(rows), toast=toast)


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    args = tapped(update)
    await show_card(update, context, args.int_arg(0), args.int_arg(1))


async def decide(update: Update, context: WijkContext, status: str) -> None:
    """One tap decides, once: a second tap or a second organiser reads what was decided."""
    _ = context.gettext
    args = tapped(update)
    request_id, page = args.int_arg(0), args.int_arg(1)
    decision = shares.decide(context.db, request_id, status, context.known_member.id, context.now())
    if decision.outcome is Outcome.GONE or decision.request is None:
        raise callbacks.StaleButton(f"share request {request_id} cannot be {status}")
    request = decision.request
    if decision.outcome is Outcome.DONE:
        context.wake_sender()
        toast = _(DONE_TOASTS[status])
    elif decision.outcome is Outcome.TOO_FEW:
        toast = _("The member does not hold that many shares now.")
    elif decision.outcome is Outcome.LEFT:
        toast = _(MEMBER_LEFT)
    elif request.status == status and just_acted(context, shares.DECISIONS[status][1], request.member_id):
        toast = _(DONE_TOASTS[status])  # their own second tap: what they did, not "already"
    else:
        toast = _(ALREADY[request.status])
    await show_card(update, context, request_id, page, toast=toast)


@requires(Need.ORGANISER)
async def received_button(update: Update, context: WijkContext) -> None:
    """✅ Received: the money is in the account; the shares are the member's."""
    await decide(update, context, RECEIVED)


@requires(Need.ORGANISER)
async def lapse_button(update: Update, context: WijkContext) -> None:
    """✖️ Lapsed: asked once, saying the member gets a message."""
    _ = context.gettext
    args = tapped(update)
    request = existing(context, args.int_arg(0))
    if request.kind != BUY:
        raise callbacks.StaleButton(f"share request {request.id} is not a payment to come")
    if request.status != PENDING:
        await show_card(update, context, request.id, args.int_arg(1), toast=_(ALREADY[request.status]))
        return
    text = card_text(_, context, request) + "\n\n" + _("No payment came? Then the request lapses.")
    text += "\n" + _("The member gets a message.")
    rows = [
        [button("✖️ " + _("Yes, it lapses"), AREA, "lapseok", request.id, args.int_arg(1))],
        [button("↩️ " + _("No"), AREA, "card", request.id, args.int_arg(1))],
        nav_row(_, callbacks.pack(AREA, "card", request.id, args.int_arg(1))),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ORGANISER)
async def lapse_confirmed_button(update: Update, context: WijkContext) -> None:
    await decide(update, context, LAPSED)


@requires(Need.ORGANISER)
async def paid_button(update: Update, context: WijkContext) -> None:
    """✅ Paid back: the member has their money; the register goes down."""
    await decide(update, context, PAID)


INSTALMENT_DONE = {
    RECEIVED: N_("✅ Received. The member gets a message."),
    LAPSED: N_("Lapsed. The whole purchase lapses. The member gets a message."),
}


async def decide_instalment(update: Update, context: WijkContext, status: str) -> None:
    """One tap decides one instalment, once; the card shows the purchase after it."""
    _ = context.gettext
    args = tapped(update)
    decision = shares.decide_instalment(context.db, args.int_arg(0), status, context.known_member.id, context.now())
    if decision.instalment is None:
        raise callbacks.StaleButton(f"instalment {args.int_arg(0)} is gone")
    if decision.outcome is Outcome.DONE:
        context.wake_sender()
        toast = _(INSTALMENT_DONE[status])
    elif decision.outcome is Outcome.LEFT:
        toast = _(MEMBER_LEFT)
    elif decision.outcome is Outcome.PAID_BACK:
        toast = _(PAID_BACK_TOO)
    else:
        toast = _("This instalment is already decided.")
    await show_card(update, context, decision.instalment.request_id, args.int_arg(1), toast=toast)


@requires(Need.ORGANISER)
async def instalment_received_button(update: Update, context: WijkContext) -> None:
    """✅ An instalment received; with the last one the shares are the member's."""
    await decide_instalment(update, context, RECEIVED)


@requires(Need.ORGANISER)
async def instalment_lapse_button(update: Update, context: WijkContext) -> None:
    """✖️ An instalment lapsed: asked once, saying the purchase lapses."""
    _ = context.gettext
    args = tapped(update)
    found = shares.instalment(context.db, args.int_arg(0))
    if found is None:
        raise callbacks.StaleButton(f"instalment {args.int_arg(0)} is gone")
    text = card_text(_, context, existing(context, found.request_id)) + "\n\n"
    text += _("No payment came for instalment {number}? Then the whole purchase lapses.").format(number=found.number)
    text += "\n" + _("The member gets a message.")
    back = callbacks.pack(AREA, "card", found.request_id, args.int_arg(1))
    rows = [
        [button("✖️ " + _("Yes, it lapses"), AREA, "ilapseok", found.id, args.int_arg(1))],
        [button("↩️ " + _("No"), AREA, "card", found.request_id, args.int_arg(1))],
        nav_row(_, back),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ORGANISER)
async def instalment_lapse_confirmed_button(update: Update, context: WijkContext) -> None:
    await decide_instalment(update, context, LAPSED)


@requires(Need.ORGANISER)
async def refund_button(update: Update, context: WijkContext) -> None:
    """↩️ Paid back, of the money that came for a purchase that lapsed: asked once, as it cannot be undone."""
    _ = context.gettext
    args = tapped(update)
    request = existing(context, args.int_arg(0))
    if request.kind != BUY or request.instalments == 1:
        raise callbacks.StaleButton(f"share request {request.id} has no money to pay back")
    if not request.to_pay_back:  # paid back already, or it was completed after all (or still waits)
        toast = _(REFUND_ALREADY if request.paid_back_at else NOTHING_TO_PAY_BACK)
        await show_card(update, context, request.id, args.int_arg(1), toast=toast)
        return
    amount = money(request.to_pay_back, context.language)
    text = card_text(_, context, request) + "\n\n" + _("Did you pay {amount} back?").format(amount=amount)
    if not request.left:
        text += "\n" + _("The member gets a message.")
    rows = [
        [button("✅ " + _("Yes, paid back"), AREA, "refundok", request.id, args.int_arg(1), request.to_pay_back)],
        [button("↩️ " + _("No"), AREA, "card", request.id, args.int_arg(1))],
        nav_row(_, callbacks.pack(AREA, "card", request.id, args.int_arg(1))),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ORGANISER)
async def refund_confirmed_button(update: Update, context: WijkContext) -> None:
    """✅ Yes, paid back: once, however many tap (storage/shares.py pay_back)."""
    _ = context.gettext
    args = tapped(update)
    cents = args.int_arg(2)
    decision = shares.pay_back(context.db, args.int_arg(0), cents, context.known_member.id, context.now())
    request = decision.request
    if request is None or request.kind != BUY:
        raise callbacks.StaleButton(f"share request {args.int_arg(0)} has no money to pay back")
    if decision.outcome is Outcome.GONE:  # completed after all meanwhile, or nothing came
        toast = _(NOTHING_TO_PAY_BACK)
    elif decision.outcome is Outcome.CHANGED:  # more came meanwhile: the card shows it, ↩️ asks again
        toast = _("More money came meanwhile. Please look again. Nothing was changed.")
    elif decision.outcome is Outcome.DONE:
        context.wake_sender()
        toast = _(REFUND_DONE)
    elif just_acted(context, shares.REFUNDED_ACTION, request.member_id):
        toast = _(REFUND_DONE)  # their own second tap: what they did, not "already"
    else:
        toast = _(REFUND_ALREADY)
    await show_card(update, context, request.id, args.int_arg(1), toast=toast)


def pool_line(_: Translate, pool: shares.Pool) -> str:
    return "🤝 " + _("Solidarity shares waiting: {count}").format(count=pool.shares)


async def show_pool(update: Update, context: WijkContext, page: int, toast: str | None = None) -> None:
    """How many solidarity shares wait; members without shares to give the oldest one to, 5 a page."""
    _ = context.gettext
    found = shares.pool(context.db)
    text = pool_line(_, found)
    rows = []
    if found.oldest is not None:
        candidates = shares.without_shares(context.db, page, found.buyer or 0, context.known_member.id)
        text += "\n" + _("Who gets one? Tap a member without shares.")
        text += "\n" + _("The member does not see who paid. The payer does not see who gets it.")
        oldest = found.oldest

        def pick(candidate: shares.Candidate) -> InlineKeyboardButton:
            return button(who(_, candidate.first_name, candidate.member_no), AREA, "give", oldest, candidate.id)

        rows = paged(candidates, pick, AREA, "pool")
    await show(update, context, text, inline(rows + [nav_row(_, callbacks.pack(AREA, "menu"))]), toast=toast)


@requires(Need.ORGANISER)
async def pool_button(update: Update, context: WijkContext) -> None:
    """🤝 Solidarity shares."""
    await show_pool(update, context, tapped(update).int_arg(0))


@requires(Need.ORGANISER)
async def give_button(update: Update, context: WijkContext) -> None:
    """A member to give a solidarity share to: asked once, as it cannot be undone with one tap."""
    _ = context.gettext
    args = tapped(update)
    purchase = shares.get(context.db, args.int_arg(0))
    if purchase is None or not purchase.solidarity or purchase.status != RECEIVED or purchase.passed_on:
        raise callbacks.StaleButton(f"share request {args.int_arg(0)} waits in no pool")
    receiver = members.get(context.db, args.int_arg(1))
    if receiver is None or receiver.first_name is None:
        raise callbacks.StaleButton(f"member {args.int_arg(1)} is gone")
    name = who(_, receiver.first_name, receiver.member_no)
    text = _("Give a solidarity share to {name}?").format(name=name) + "\n" + _("They get a message.")
    rows = [
        [button("🤝 " + _("Yes, give it"), AREA, "giveok", args.int_arg(0), receiver.id)],
        [button("↩️ " + _("No"), AREA, "pool", 0)],
        nav_row(_, callbacks.pack(AREA, "pool", 0)),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ORGANISER)
async def give_confirmed_button(update: Update, context: WijkContext) -> None:
    """🤝 Yes, give it: once, however many tap (storage/shares.py give)."""
    _ = context.gettext
    args = tapped(update)
    gift = shares.give(context.db, args.int_arg(0), args.int_arg(1), context.known_member.id, context.now())
    if gift is Gift.GONE:
        raise callbacks.StaleButton(f"solidarity share {args.int_arg(0)} cannot go to member {args.int_arg(1)}")
    if gift is Gift.GIVEN:
        context.wake_sender()
        toast = "✅ " + _("Given. Both get a message.")
    elif gift is Gift.HOLDS:  # the list again, without them: someone else can get it
        receiver = members.get(context.db, args.int_arg(1))
        name = receiver.first_name if receiver and receiver.first_name else _("deleted account")
        toast = _("{name} holds shares now. Please choose someone else.").format(name=name)
    else:
        toast = _("This share was given already.")
    await show_pool(update, context, 0, toast=toast)


def register_title(context: WijkContext) -> str:
    return "📒 " + context.gettext("Share register")


@requires(Need.ORGANISER)
async def register_button(update: Update, context: WijkContext) -> None:
    """📒 Share register: who holds how many shares since when, and what they paid; the totals."""
    _ = context.gettext
    holders = await shares.register(context.db)
    language = context.language
    lines = [register_title(context)]
    for holder in holders[:NAMES_ON_SCREEN]:
        since = format_day(local_time(holder.since, context.settings.timezone), language, year=True)
        lines.append(
            " · ".join(
                [
                    "• " + who(_, holder.first_name, holder.member_no),
                    count_words(language, holder.shares),
                    _("since {day}").format(day=since),
                    money(holder.paid_cents, language),
                ]
            )
        )
    if len(holders) > NAMES_ON_SCREEN:
        lines.append(_("The file has everyone."))
    total = sum(holder.shares for holder in holders)
    paid = money(sum(holder.paid_cents for holder in holders), language)
    lines += ["", _("Total: {shares}, {amount}").format(shares=count_words(language, total), amount=paid)]
    pool = shares.pool(context.db)
    if pool.shares:  # paid in, not yet anyone's: the register and the pool add up to what came in
        lines.append(pool_line(_, pool) + " · " + money(pool.cents, language))
    rows = [[button("📄 " + _("As a file"), AREA, "csv")], nav_row(_, callbacks.pack(AREA, "menu"))]
    await show(update, context, "\n".join(lines), inline(rows))


@requires(Need.ORGANISER)
@files_once
async def register_csv_button(update: Update, context: WijkContext) -> None:
    """📄 The register as a file: a line a holder, then the totals; amounts written as the organiser reads them."""
    _ = context.gettext
    await query(update).answer()
    holders = await shares.register(context.db)
    language, tz = context.language, context.settings.timezone
    rows: list[list[object]] = [[_("Number"), _("First name"), _("Shares"), _("Since"), _("Amount paid")]]
    for holder in holders:
        rows.append(
            [
                format_member_no(_, holder.member_no),
                holder.first_name or _("deleted account"),
                holder.shares,
                local_time(holder.since, tz).strftime("%Y-%m-%d"),
                format_amount(holder.paid_cents, language),
            ]
        )
    total_cents = sum(holder.paid_cents for holder in holders)
    rows += [[], [_("Total"), "", sum(holder.shares for holder in holders), "", format_amount(total_cents, language)]]
    pool = shares.pool(context.db)
    if pool.shares:
        rows.append([_("Solidarity shares waiting"), "", pool.shares, "", format_amount(pool.cents, language)])
    day = local_time(context.now(), tz).strftime("%Y-%m-%d")
    await context.bot.send_document(
        chat_id(update),
        InputFile(spreadsheet(rows), filename=file_name(_, N_("share register"), day, extension="csv")),
        caption=register_title(context),
    )
    await way_on_after_files(update, context, callbacks.pack(AREA, "reg"))


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(menu_button, pattern=on("menu")),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(received_button, pattern=on("got")),
        CallbackQueryHandler(lapse_button, pattern=on("lapse")),
        CallbackQueryHandler(lapse_confirmed_button, pattern=on("lapseok")),
        CallbackQueryHandler(paid_button, pattern=on("paid")),
        CallbackQueryHandler(instalment_received_button, pattern=on("igot")),
        CallbackQueryHandler(instalment_lapse_button, pattern=on("ilapse")),
        CallbackQueryHandler(instalment_lapse_confirmed_button, pattern=on("ilapseok")),
        CallbackQueryHandler(refund_button, pattern=on("refund")),
        CallbackQueryHandler(refund_confirmed_button, pattern=on("refundok")),
        CallbackQueryHandler(pool_button, pattern=on("pool")),
        CallbackQueryHandler(give_button, pattern=on("give")),
        CallbackQueryHandler(give_confirmed_button, pattern=on("giveok")),
        CallbackQueryHandler(register_button, pattern=on("reg")),
        CallbackQueryHandler(register_csv_button, pattern=on("csv")),
    ]
