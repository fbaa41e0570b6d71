"""🙌 Take part → 🎯 Crowdfunding: open campaigns, a campaign's card with its progress bar, and a pledge (issue 15).

A member picks € 5 / 10 / 25 / 50 or types another amount, chooses whether other members may see their name,
and pledges. Keep it all: the payment details and the QR code come at once. All or nothing: they come when the
goal is reached (bot/campaign_notices.py). An organiser confirms the money arrived (handlers/campaign_admin.py)
and the member is thanked.

The bot never moves money: without WIJKBOT_IBAN it asks for no pledges and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, payments, validation
from bot.access import Need, requires
from bot.campaign_card import QUICK, member_view
from bot.campaign_notices import pledge_details
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.i18n import N_
from bot.incoming import chat_id, query, tapped, text
from bot.keyboards import button, inline, nav_row, paged, typed_text
from bot.replies import show, show_with_qr
from bot.vote_text import money
from handlers.taking_part import menu_data
from storage import campaign_cards, campaigns
from storage.campaign_cards import Card
from storage.campaigns import Campaign, Pledge, Pledging

AREA = "camp"
AMOUNT = "camp_amount"
MOST_EUROS = 10_000  # a typed pledge


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def card_data(campaign_id: int) -> str:
    return callbacks.pack(AREA, "card", campaign_id)


async def not_set_up(update: Update, context: WijkContext) -> None:
    """No account is configured: no pledges are asked, and the member hears where to go."""
    _ = context.gettext
    text = "🎯 " + _("Crowdfunding") + "\n" + _("Giving money in the bot is not set up yet.")
    text += "\n" + _("Do you want to give? Please ask an organiser or come to the desk.")
    await show(update, context, text, inline([nav_row(_, menu_data())]))


async def show_list(update: Update, context: WijkContext, page: int) -> None:
    """The open campaigns, the one that ends soonest first."""
    _ = context.gettext
    if context.settings.iban is None:
        await not_set_up(update, context)
        return
    found = campaigns.open_ones(context.db, context.now(), page)
    text = "🎯 " + _("Crowdfunding") + "\n"
    if found.items:
        text += _("Together we pay for things the neighbourhood needs. Choose a campaign.")
    else:
        text += _("There is no campaign now. Please look again later.")
    rows = paged(found, lambda c: button("🎯 " + c.title, AREA, "card", c.id), AREA, "list")
    await show(update, context, text, inline(rows + [nav_row(_, menu_data())]))


@requires(Need.ACTIVE)
async def menu_button(update: Update, context: WijkContext) -> None:
    """🎯 Crowdfunding from 🙌 Take part, or ⬅️ Back to it."""
    await show_list(update, context, 0)


@requires(Need.ACTIVE)
async def list_button(update: Update, context: WijkContext) -> None:
    """◀️ ▶️ through the open campaigns."""
    await show_list(update, context, tapped(update).int_arg(0))


def found_campaign(context: WijkContext, campaign_id: int) -> Campaign:
    campaign = campaigns.get(context.db, campaign_id)
    if campaign is None:
        raise callbacks.StaleButton(f"no campaign {campaign_id}")
    return campaign


async def show_card(update: Update, context: WijkContext, campaign: Campaign, toast: str | None = None) -> None:
    """A campaign: what it is for, how far it is, who supports it, and what to give. The card is remembered,
    so it is kept up to date as the campaign grows (bot/campaign_live.py)."""
    member = context.known_member
    text, markup = member_view(context.db, context.settings, context.language, campaign, member.id, context.now())
    message_id = await show(update, context, text, markup, toast=toast)
    if message_id is not None:
        shown = Card(chat_id(update), campaign.id, member.id, message_id, False, context.language)
        campaign_cards.remember(context.db, shown, context.now())


@requires(Need.ACTIVE)
async def card_button(update: Update, context: WijkContext) -> None:
    """A campaign from the list."""
    await show_card(update, context, found_campaign(context, tapped(update).int_arg(0)))


@requires(Need.ACTIVE)
async def photo_button(update: Update, context: WijkContext) -> None:
    """🖼️ Photo: the campaign's photo, with the way back to its card under it."""
    _ = context.gettext
    campaign = found_campaign(context, tapped(update).int_arg(0))
    if campaign.photo is None:
        raise callbacks.StaleButton(f"campaign {campaign.id} has no photo")
    await query(update).answer()
    markup = inline([nav_row(_, card_data(campaign.id))])
    chat = chat_id(update)
    await context.bot.send_photo(chat, campaign.photo, caption="🎯 " + escape(campaign.title), reply_markup=markup)
    context.runtime.menu_is_last.discard(chat)
    context.runtime.steps.shown(chat, campaign.title, markup)


def open_campaign(context: WijkContext, campaign_id: int) -> Campaign:
    """A campaign that takes pledges now; otherwise the button no longer works."""
    campaign = found_campaign(context, campaign_id)
    if not campaign.open_at(context.now()) or context.settings.iban is None:
        raise callbacks.StaleButton(f"campaign {campaign_id} takes no pledges")
    return campaign


async def ask_name(update: Update, context: WijkContext, campaign: Campaign, cents: int) -> None:
    """The amount chosen: may other members see the name? The answer pledges."""
    _ = context.gettext
    text = _("You give {amount} to “{title}”.").format(
        amount=money(cents, context.language), title=escape(campaign.title)
    )
    text += "\n" + _("May other members see your name? Organisers always see it, for the bookkeeping.")
    rows = [
        [button("👤 " + _("Yes, with my name"), AREA, "give", campaign.id, cents, 0)],
        [button("🙈 " + _("No, anonymous"), AREA, "give", campaign.id, cents, 1)],
        nav_row(_, card_data(campaign.id)),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def amount_button(update: Update, context: WijkContext) -> None:
    """€ 5, 10, 25 or 50."""
    args = tapped(update)
    if args.int_arg(1) not in QUICK:
        raise callbacks.MalformedCallback(query(update).data)
    await ask_name(update, context, open_campaign(context, args.int_arg(0)), args.int_arg(1))


async def ask_amount(update: Update, context: WijkContext, campaign_id: int, error: str = "") -> str:
    _ = context.gettext
    question = _("How much do you want to give? Type an amount in euros, like 15 or 7,50.")
    if error:  # it says what to type already
        question = _("How much do you want to give?")
    await show(update, context, f"{error}\n\n{question}".strip(), inline([nav_row(_, card_data(campaign_id))]))
    return AMOUNT


@requires(Need.ACTIVE)
async def other_button(update: Update, context: WijkContext) -> object:
    """✍️ Another amount: typed."""
    campaign = open_campaign(context, tapped(update).int_arg(0))
    context.answers[AREA] = {"campaign": campaign.id}
    return await ask_amount(update, context, campaign.id)


@requires(Need.ACTIVE)
async def amount_text(update: Update, context: WijkContext) -> object:
    """The typed amount: more than 0, at most € 10.000."""
    unreadable = N_("Please type an amount in euros, like 15 or 7,50.")
    campaign_id = context.answers.get(AREA, {}).get("campaign", 0)
    try:
        cents = validation.amount(text(update), MOST_EUROS, unreadable, language=context.language)
    except validation.Invalid as invalid:
        return await ask_amount(update, context, campaign_id, invalid.text(context.gettext))
    context.answers.pop(AREA, None)
    campaign = campaigns.get(context.db, campaign_id)
    if campaign is None or not campaign.open_at(context.now()):
        return await leave(update, context, N_("This campaign has ended. Nothing was changed."))
    await ask_name(update, context, campaign, cents)
    return ConversationHandler.END


async def leave(update: Update, context: WijkContext, words: str = N_("Stopped. Nothing was changed.")) -> int:
    """🏠 Menu, /start or /menu while typing the amount."""
    return await end_conversation(update, context, context.gettext(words), AREA)


async def send_details(update: Update, context: WijkContext, campaign: Campaign, pledge: Pledge) -> None:
    """The payment details of a pledge in place of the tapped message, and the QR code under them."""
    _ = context.gettext
    amount = money(pledge.amount_cents, context.language)
    lines = ["💶 " + _("Please transfer {amount} for “{title}”.").format(amount=amount, title=escape(campaign.title))]
    lines += ["", *pledge_details(_, context.settings, context.language, pledge)]
    lines.append(_("An organiser checks the payment. Then you get a message."))
    text, back = "\n".join(lines), card_data(campaign.id)
    await show_with_qr(update, context, text, pledge.amount_cents, pledge.reference or "", back)


@requires(Need.ACTIVE)
async def give_button(update: Update, context: WijkContext) -> None:
    """👤 With my name / 🙈 Anonymous: the pledge; a double tap pledges once."""
    _ = context.gettext
    args = tapped(update)
    if context.settings.iban is None:
        raise callbacks.StaleButton("no payments set up")
    done = campaigns.pledge(
        context.db,
        args.int_arg(0),
        context.known_member.id,
        args.int_arg(1),
        bool(args.int_arg(2)),
        context.now(),
        lambda number: payments.reference("CF", number),  # CF: crowdfunding
    )
    if done.outcome is Pledging.CLOSED or done.pledge is None or done.campaign is None:
        raise callbacks.StaleButton(f"campaign {args.int_arg(0)} takes no pledges")
    if done.campaign.pays_now():
        await send_details(update, context, done.campaign, done.pledge)
        return
    amount = money(done.pledge.amount_cents, context.language)
    text = "✅ " + _("Thank you! You pledged {amount}.").format(amount=amount)
    text += "\n" + _("This campaign is all or nothing. You get the payment details when the goal is reached.")
    await show(update, context, text, inline([nav_row(_, card_data(done.campaign.id))]))


@requires(Need.ACTIVE)
async def pay_button(update: Update, context: WijkContext) -> None:
    """💶 Pay: the details of the member's own pledge that waits, again."""
    pledge = campaigns.get_pledge(context.db, tapped(update).int_arg(0))
    if pledge is None or pledge.member_id != context.known_member.id:
        raise callbacks.StaleButton("not their pledge")
    campaign = found_campaign(context, pledge.campaign_id)
    if pledge.status != campaigns.PLEDGED or not campaign.pays_now() or context.settings.iban is None:
        raise callbacks.StaleButton(f"pledge {pledge.id} waits for no payment")
    await send_details(update, context, campaign, pledge)


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "camp_amount",
            entry_points=[CallbackQueryHandler(other_button, pattern=on("other"))],
            states={AMOUNT: [MessageHandler(typed_text(), amount_text)]},
            fallbacks=leave_handlers(leave, draft=AREA),
        ),
        CallbackQueryHandler(menu_button, pattern=on("menu")),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(photo_button, pattern=on("photo")),
        CallbackQueryHandler(amount_button, pattern=on("amt")),
        CallbackQueryHandler(give_button, pattern=on("give")),
        CallbackQueryHandler(pay_button, pattern=on("pay")),
    ]
