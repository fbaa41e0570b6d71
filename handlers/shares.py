"""🙌 Take part → 💶 Shares: a member buys shares in the cooperative (issue 15). They choose how many (1, 2, 5, 10
or a typed number), see the amount, ask ✅, and get the payment details in one message (the cooperative's IBAN
and name, the amount, the reference) with an EPC QR code that banking apps scan. An organiser confirms when the
money arrived (handlers/share_admin.py). 📋 My payments shows what waits, with its reference, to pay later; ↩️ Sell
back asks an organiser to buy shares back. 🤝 For someone else: a solidarity share, paid the same way, that an
organiser gives to a member who cannot pay for one (handlers/share_admin.py).

The bot never moves money: without WIJKBOT_IBAN it asks for no payments and says so.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, payment_text, payments, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_day
from bot.i18n import N_, Translate
from bot.incoming import tapped, text
from bot.keyboards import arrows, button, in_rows, inline, nav_row, typed_text
from bot.replies import show, show_with_qr
from bot.share_notices import count_words, held_line, paid_on_lapsed, solidarity_status
from bot.vote_text import money
from handlers.taking_part import menu_data
from storage import shares
from storage.shares import BUY, LAPSED, PAID, PENDING, RECEIVED, Request, Sale

AREA = "share"
HOW_MANY = "share_how_many"
QUICK = (1, 2, 5, 10)  # the numbers of shares on buttons
STATUS = {
    PENDING: N_("waiting for payment"),
    RECEIVED: N_("paid"),
    LAPSED: N_("lapsed"),
}
SALE_STATUS = {PENDING: N_("waiting for an organiser"), PAID: N_("paid back"), LAPSED: N_("lapsed")}


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def back_to_shares() -> str:
    return callbacks.pack(AREA, "menu")


async def not_set_up(update: Update, context: WijkContext) -> None:
    """No account is configured: no payments are asked, and the member hears where to go."""
    _ = context.gettext
    text = "💶 " + _("Shares") + "\n" + _("Buying shares in the bot is not set up yet.")
    text += "\n" + _("Do you want to buy shares? Please ask an organiser or come to the desk.")
    await show(update, context, text, inline([nav_row(_, menu_data())]))


async def show_menu(update: Update, context: WijkContext, toast: str | None = None) -> None:
    """💶 Shares: what a share costs, what the member holds, and how many to buy."""
    _ = context.gettext
    if context.settings.iban is None:
        await not_set_up(update, context)
        return
    price = money(context.settings.share_price_cents, context.language)
    found = shares.holding(context.db, context.known_member.id)
    lines = ["💶 " + _("Shares"), _("With a share you are a co-owner of the cooperative. One share costs {price}.")]
    lines[-1] = lines[-1].format(price=price)
    if found.shares:
        lines.append(held_line(context.language, found.shares))
    lines += ["", _("How many shares do you want to buy?")]
    rows = [[button(str(count), AREA, "pick", count) for count in QUICK]]
    rows.append([button("✍️ " + _("Another number"), AREA, "other")])
    rows.append([button("🤝 " + _("For someone else"), AREA, "solid")])
    if found.asked:
        rows.append([button("📋 " + _("My payments"), AREA, "mine", 0)])
    if found.sellable:
        rows.append([button("↩️ " + _("Sell back"), AREA, "sellhow")])
    rows.append(nav_row(_, menu_data()))
    await show(update, context, "\n".join(lines), inline(rows), toast=toast)


@requires(Need.ACTIVE)
async def menu_button(update: Update, context: WijkContext) -> None:
    """💶 Shares from 🙌 Take part, or ⬅️ Back to it."""
    await show_menu(update, context)


async def show_amount(update: Update, context: WijkContext, count: int) -> None:
    """How many, what it costs, and ✅ to get the payment details."""
    _ = context.gettext
    price = context.settings.share_price_cents
    text = _("You buy {shares} of {price}.\nThat is {amount} in all.").format(
        shares=count_words(context.language, count),
        price=money(price, context.language),
        amount=money(count * price, context.language),
    )
    text += "\n" + _("Do you pay at once, or in monthly instalments?")
    rows = [
        [button("💶 " + _("Pay at once"), AREA, "ask", count)],
        [button("📆 " + _("In instalments"), AREA, "split", count)],
        nav_row(_, back_to_shares()),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def pick_button(update: Update, context: WijkContext) -> None:
    """1, 2, 5 or 10 shares."""
    await show_amount(update, context, tapped(update).int_arg(0))


async def ask_number(update: Update, context: WijkContext, error: str = "") -> str:
    _ = context.gettext
    question = _("How many shares do you want? Type a number from 1 to {maximum}.").format(maximum=shares.MOST_AT_ONCE)
    await show(update, context, f"{error}\n\n{question}".strip(), inline([nav_row(_, back_to_shares())]))
    return HOW_MANY


@requires(Need.ACTIVE)
async def other_button(update: Update, context: WijkContext) -> str:
    """✍️ Another number: typed."""
    return await ask_number(update, context)


@requires(Need.ACTIVE)
async def number_text(update: Update, context: WijkContext) -> object:
    """The number of shares was typed: 1 to 100, in any script's digits."""
    typed = validation.western(text(update)).strip()
    if not (typed.isascii() and typed.isdigit() and 1 <= int(typed) <= shares.MOST_AT_ONCE):
        error = context.gettext("Please type a number from 1 to {maximum}.").format(maximum=shares.MOST_AT_ONCE)
        return await ask_number(update, context, error)
    await show_amount(update, context, int(typed))
    return ConversationHandler.END


async def leave(update: Update, context: WijkContext) -> int:
    """🏠 Menu, /start or /menu while typing the number."""
    return await end_conversation(update, context, context.gettext("Stopped. Nothing was changed."), AREA)


def to_pay(context: WijkContext, request: Request) -> tuple[int, str, shares.Instalment | None]:
    """What the member pays now for a purchase that waits: the amount, the reference, and the instalment."""
    if request.instalments == 1:
        return request.amount_cents, request.reference or "", None
    found = shares.next_due(context.db, request)
    if found is None:  # every instalment was decided: the purchase waits no longer
        raise callbacks.StaleButton(f"share request {request.id} has no instalment that waits")
    return found.amount_cents, found.reference, found


def instructions(_: Translate, context: WijkContext, request: Request) -> str:
    """The payment details in one message, to copy into a banking app (bot/payment_text.py)."""
    cents, reference, instalment = to_pay(context, request)
    words = {"amount": money(cents, context.language), "shares": count_words(context.language, request.shares)}
    what = _("Please transfer {amount} for {shares}.").format(**words)
    if instalment is not None:
        what = _("Instalment {number} of {count}: please transfer {amount} for {shares}.").format(
            number=instalment.number, count=request.instalments, **words
        )
    lines = payment_text.details(_, context.settings, context.language, cents, reference)
    if instalment is not None and instalment.number < request.instalments:
        lines.append(_("The next instalments come each month. We send a reminder on the day."))
    if request.solidarity:
        what = "🤝 " + what + "\n" + _("An organiser gives it to a member who cannot pay for a share.")
    else:
        what = "💶 " + what
    return "\n".join([what, "", *lines, _("An organiser checks the payment. Then you get a message.")])


async def send_instructions(update: Update, context: WijkContext, request: Request, back: str) -> None:
    """The details in place of the tapped message, then the QR code as a photo with the way on under it."""
    text = instructions(context.gettext, context, request)
    cents, reference, _instalment = to_pay(context, request)
    await show_with_qr(update, context, text, cents, reference, back)


def instalment_reference(number: int) -> str:
    """SI: one instalment of a share purchase (SH: a purchase paid at once)."""
    return payments.reference("SI", number)


async def buy(update: Update, context: WijkContext, count: int, instalments: int, solidarity: bool = False) -> None:
    """The request waits for the payment; a double tap gets the same request and reference."""
    if context.settings.iban is None:
        await not_set_up(update, context)
        return
    request = shares.ask_to_buy(
        context.db,
        context.known_member.id,
        count,
        context.settings.share_price_cents,
        context.now(),
        lambda number: payments.reference("SH", number),
        None if instalments == 1 else shares.Split(instalments, context.settings.timezone, instalment_reference),
        solidarity,
    )
    await send_instructions(update, context, request, back_to_shares())


@requires(Need.ACTIVE)
async def ask_button(update: Update, context: WijkContext) -> None:
    """💶 Pay at once."""
    await buy(update, context, tapped(update).int_arg(0), 1)


@requires(Need.ACTIVE)
async def split_button(update: Update, context: WijkContext) -> None:
    """📆 In instalments: 2, 5 or 10 monthly payments, each with what it costs."""
    _ = context.gettext
    count = tapped(update).int_arg(0)
    amount = count * context.settings.share_price_cents
    text = _("In how many monthly payments? Each payment has its own reference.")

    def choice(times: int) -> InlineKeyboardButton:
        each = money(-(-amount // times), context.language)  # the first ones carry the cents left over
        return button(f"{times} × {each}", AREA, "askin", count, times)

    rows = [[choice(times)] for times in shares.INSTALMENTS] + [nav_row(_, callbacks.pack(AREA, "pick", count))]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def ask_in_instalments_button(update: Update, context: WijkContext) -> None:
    """2, 5 or 10 instalments: the first one's details now, a reminder when each next one is due."""
    args = tapped(update)
    await buy(update, context, args.int_arg(0), int(args.str_arg(1)))  # one of shares.INSTALMENTS (bot/callbacks.py)


@requires(Need.ACTIVE)
async def solidarity_button(update: Update, context: WijkContext) -> None:
    """🤝 For someone else: one share, paid at once, for a member who cannot pay for one."""
    _ = context.gettext
    text = "🤝 " + _("A solidarity share: you pay {price} for a share for another member.")
    text += "\n" + _("An organiser gives it to a member who cannot pay for a share.")
    text += "\n" + _("You do not see their name, and they do not see yours.")
    rows = [[button("💶 " + _("Pay at once"), AREA, "solidok")], nav_row(_, back_to_shares())]
    await show(
        update, context, text.format(price=money(context.settings.share_price_cents, context.language)), inline(rows)
    )


@requires(Need.ACTIVE)
async def solidarity_confirmed_button(update: Update, context: WijkContext) -> None:
    """💶 Pay at once, for someone else: the payment details, as for their own share."""
    await buy(update, context, 1, 1, solidarity=True)


def own_waiting_purchase(context: WijkContext, request_id: int) -> Request:
    """The member's own purchase that still waits for the payment; otherwise the button no longer works."""
    request = shares.get(context.db, request_id)
    if request is None or request.member_id != context.known_member.id or request.kind != BUY:
        raise callbacks.StaleButton(f"share request {request_id} is not theirs")
    if request.status != PENDING or context.settings.iban is None:
        raise callbacks.StaleButton(f"share request {request_id} waits no longer")
    return request


@requires(Need.ACTIVE)
async def pay_button(update: Update, context: WijkContext) -> None:
    """💶 Pay: the details of a request that waits, again."""
    request = own_waiting_purchase(context, tapped(update).int_arg(0))
    await send_instructions(update, context, request, callbacks.pack(AREA, "mine", 0))


def request_line(_: Translate, context: WijkContext, request: Request) -> str:
    """Like "• 27 nov · 2 shares · € 20,00 · paid", "… · instalment 1 of 2: € 10,00 · RF18 SI00 0001 · waiting for
    payment" or "… · lapsed · € 10,00 paid, to be paid back"."""
    what = count_words(context.language, request.shares)
    if request.kind != BUY:
        what = _("sell back {shares}").format(shares=what)
    if request.solidarity or request.gift_of:
        what = "🤝 " + what
    parts = [format_day(request.asked_at, context.language), what, money(request.amount_cents, context.language)]
    if request.kind == BUY and request.status == PENDING:  # what to pay now, with which reference
        cents, reference, instalment = to_pay(context, request)
        if instalment is not None:
            now = _("instalment {number} of {count}: {amount}")
            parts.append(
                now.format(number=instalment.number, count=request.instalments, amount=money(cents, context.language))
            )
        parts.append(payments.grouped(reference))
    parts.append(_(request_status(request)))
    if request.kind == BUY and request.status == LAPSED and request.received_cents:
        parts.append(paid_on_lapsed(_, context.language, request.received_cents, request.paid_back_at is not None))
    return "• " + " · ".join(parts)


def request_status(request: Request) -> str:
    """What became of a request, in words to translate."""
    special = solidarity_status(request.status, request.solidarity, request.gift_of is not None, request.passed_on)
    return special or (STATUS if request.kind == BUY else SALE_STATUS)[request.status]


@requires(Need.ACTIVE)
async def mine_button(update: Update, context: WijkContext) -> None:
    """📋 My payments: every request, newest first; one that waits can be paid from here."""
    _ = context.gettext
    found = shares.of_member(context.db, context.known_member.id, tapped(update).int_arg(0))
    held = shares.holding(context.db, context.known_member.id)
    lines = ["📋 " + _("My payments"), held_line(context.language, held.shares), ""]
    lines += [request_line(_, context, request) for request in found.items] or [_("You have not asked for shares.")]
    rows = [
        [
            button(
                "💶 " + _("Pay {reference}").format(reference=payments.grouped(to_pay(context, r)[1])),
                AREA,
                "pay",
                r.id,
            )
        ]
        for r in found.items
        if r.kind == BUY and r.status == PENDING and context.settings.iban
    ]
    rows += arrows(found, AREA, "mine") + [nav_row(_, back_to_shares())]
    await show(update, context, "\n".join(lines), inline(rows))


@requires(Need.ACTIVE)
async def sell_how_button(update: Update, context: WijkContext) -> None:
    """↩️ Sell back: how many, up to what they hold."""
    _ = context.gettext
    found = shares.holding(context.db, context.known_member.id)
    if any(request.kind != BUY for request in found.waiting):
        await show_menu(update, context, toast=_("You already asked to sell shares. An organiser will contact you."))
        return
    if not found.sellable:
        raise callbacks.StaleButton("no shares to sell")
    counts = sorted({count for count in QUICK if count < found.sellable} | {found.sellable})
    text = _("How many shares do you want to sell back?") + "\n" + held_line(context.language, found.shares)
    if found.sellable < found.shares:
        text += "\n" + _("A share you got from the cooperative cannot be sold back.")
    rows = in_rows([button(str(count), AREA, "sell", count) for count in counts], 4)
    await show(update, context, text, inline(rows + [nav_row(_, back_to_shares())]))


@requires(Need.ACTIVE)
async def sell_button(update: Update, context: WijkContext) -> None:
    """A number to sell: asked once."""
    _ = context.gettext
    count = tapped(update).int_arg(0)
    if count > shares.holding(context.db, context.known_member.id).sellable:  # an old or forged button
        raise callbacks.StaleButton(f"selling {count} shares not held")
    amount = money(count * context.settings.share_price_cents, context.language)
    text = _("Sell back {shares}? You get {amount} back.").format(
        shares=count_words(context.language, count), amount=amount
    )
    text += "\n" + _("An organiser will contact you to pay it.")
    rows = [
        [button("↩️ " + _("Yes, sell back"), AREA, "sellok", count)],
        [button("✖️ " + _("No, keep them"), AREA, "menu")],
        nav_row(_, callbacks.pack(AREA, "sellhow")),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def sell_confirmed_button(update: Update, context: WijkContext) -> None:
    """↩️ Yes, sell back: it waits for an organiser (📣 Organise → 💶 Shares)."""
    _ = context.gettext
    count = tapped(update).int_arg(0)
    sale = shares.ask_to_sell(
        context.db, context.known_member.id, count, context.settings.share_price_cents, context.now()
    )
    toasts = {
        Sale.ASKED: "✅ " + _("Asked. An organiser will contact you."),
        Sale.ALREADY: _("You already asked to sell shares. An organiser will contact you."),
        Sale.TOO_MANY: _("You do not have that many shares."),
    }
    toast = toasts[sale]
    if sale is Sale.TOO_MANY and count <= shares.holding(context.db, context.known_member.id).shares:
        toast = _("A share you got from the cooperative cannot be sold back.")  # they hold it, as a gift
    await show_menu(update, context, toast=toast)


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "share_number",
            entry_points=[CallbackQueryHandler(other_button, pattern=on("other"))],
            states={HOW_MANY: [MessageHandler(typed_text(), number_text)]},
            fallbacks=leave_handlers(leave, draft=AREA),
        ),
        CallbackQueryHandler(menu_button, pattern=on("menu")),
        CallbackQueryHandler(pick_button, pattern=on("pick")),
        CallbackQueryHandler(ask_button, pattern=on("ask")),
        CallbackQueryHandler(split_button, pattern=on("split")),
        CallbackQueryHandler(ask_in_instalments_button, pattern=on("askin")),
        CallbackQueryHandler(solidarity_button, pattern=on("solid")),
        CallbackQueryHandler(solidarity_confirmed_button, pattern=on("solidok")),
        CallbackQueryHandler(pay_button, pattern=on("pay")),
        CallbackQueryHandler(mine_button, pattern=on("mine")),
        CallbackQueryHandler(sell_how_button, pattern=on("sellhow")),
        CallbackQueryHandler(sell_button, pattern=on("sell")),
        CallbackQueryHandler(sell_confirmed_button, pattern=on("sellok")),
    ]
