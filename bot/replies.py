"""Answers that every flow gives the same way."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot import i18n, payments
from bot.context import WijkContext
from bot.incoming import chat_id, query
from bot.keyboards import inline, main_menu, nav_row
from storage import audit

DOUBLE_TAP = timedelta(seconds=30)  # a tap on a button this soon after its message changed is a double tap


async def reply_with_menu(update: Update, context: WijkContext, text: str) -> None:
    """Send a text with the main menu under it."""
    chat = chat_id(update)
    await context.bot.send_message(chat, text, reply_markup=main_menu(context.gettext, context.member))
    context.runtime.menu_is_last.add(chat)
    context.runtime.steps.left(chat)


async def send(update: Update, context: WijkContext, text: str, markup: InlineKeyboardMarkup | None) -> Message:
    """A new message in this chat that is not the menu."""
    chat = chat_id(update)
    sent = await context.bot.send_message(chat, text, reply_markup=markup)
    context.runtime.menu_is_last.discard(chat)
    context.runtime.steps.shown(chat, text, markup)
    return sent


async def answer_stale_button(update: Update, context: WijkContext) -> None:
    """A button we no longer understand: a pop-up says so; the menu follows unless it is the newest message."""
    _ = context.gettext
    text = _("This button no longer works.")
    if update.callback_query:
        await update.callback_query.answer(text)
        if context.double_tap:
            return  # the same button moments ago (bot/double_taps.py): what the first tap did is on the screen
        if update.effective_chat is None or update.effective_chat.id in context.runtime.menu_is_last:
            return  # no chat to send to (a deleted message), or the menu is the newest message
        if tapped_twice(update.callback_query):
            return  # the first tap changed the message; what it did is on the screen
    await reply_with_menu(update, context, text + " " + _("Choose again from the menu."))


def just_acted(context: WijkContext, action: str, member_id: int) -> bool:
    """Whether this organiser did this for the member moments ago: a second tap of ✅ Yes that left with the
    first (both before the first was answered) finds the first one's act in the audit log."""
    since = context.now() - DOUBLE_TAP
    return audit.done_since(context.db, context.known_member.id, action, member_id, since)


def tapped_twice(tapped: CallbackQuery) -> bool:
    """A second tap that came after the first had changed its message (moments ago, by Telegram's
    clock): the button is no longer on it, and what the first tap did is on the screen."""
    message = tapped.message
    if not isinstance(message, Message) or message.edit_date is None:
        return False  # too old for Telegram to show, or never changed: a stale or forged button
    shown = message.reply_markup.inline_keyboard if message.reply_markup else ()
    just_changed = datetime.now(UTC) - message.edit_date < DOUBLE_TAP
    return just_changed and tapped.data not in {button.callback_data for row in shown for button in row}


async def edit(update: Update, text: str | None = None, markup: InlineKeyboardMarkup | None = None) -> bool:
    """Change the tapped message: its text and buttons, or (without text) only its buttons. False when it
    showed that already."""
    tapped = query(update)
    if text is None:
        return await unless_unchanged(tapped.edit_message_reply_markup(markup))
    return await unless_unchanged(tapped.edit_message_text(text, reply_markup=markup))


async def unless_unchanged(editing: Awaitable[object]) -> bool:
    """Every edit goes through here. Telegram answers "message is not modified" when two taps come
    close together, or a card is updated twice: the message already shows what we want, so that is fine
    (False)."""
    try:
        await editing
    except BadRequest as error:
        if "not modified" not in error.message:
            raise
        return False
    return True


async def show(
    update: Update,
    context: WijkContext,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    toast: str | None = None,
) -> int | None:
    """Show a step: after a tap, in place of the tapped message (answering the tap, with an
    optional toast); after typing, as a new message. Returns the id of the message that shows it, if known."""
    if update.callback_query:
        await update.callback_query.answer(toast)
        tapped = update.callback_query.message
        if isinstance(tapped, Message) and tapped.photo:  # a photo (a QR code) has no text to replace
            await edit(update)  # its buttons go; the step comes as a new message below it
            return (await send(update, context, text, markup)).message_id
        await edit(update, text, markup)
        context.runtime.steps.shown(chat_id(update), text, markup)
        return tapped.message_id if tapped else None
    return (await send(update, context, text, markup)).message_id


async def way_on_after_files(update: Update, context: WijkContext, back: str, files: int = 1) -> None:
    """After sending files: Telegram cannot edit a document into a text, so one short message with
    ⬅️ Back (to the callback data `back`: where the member was) and 🏠 Menu (UX.md)."""
    ngettext = i18n.plural(context.language)
    text = ngettext("Here is your file.", "Here are your files.", files)
    await send(update, context, text, inline([nav_row(context.gettext, back)]))


async def show_with_qr(update: Update, context: WijkContext, text: str, cents: int, reference: str, back: str) -> None:
    """Payment details (bot/payment_text.py) in place of the tapped message, then the EPC QR code as a photo
    with ⬅️ Back (to `back`) and 🏠 Menu under it: banking apps scan it instead of typing (issue 15).
    A second tap finds the details already there and sends no second code."""
    _ = context.gettext
    settings = context.settings
    tapped = query(update)
    await tapped.answer()
    if isinstance(tapped.message, Message) and tapped.message.photo:  # under a photo (a QR code): no text to replace
        await edit(update)
        await send(update, context, text, None)
    elif not await edit(update, text):
        return
    png = payments.epc_qr(settings.iban_name, settings.iban or "", cents, reference)
    caption = "📷 " + _("Or scan this code with your banking app.")
    chat = chat_id(update)
    await context.bot.send_photo(chat, png, caption=caption, reply_markup=inline([nav_row(_, back)]))
    context.runtime.menu_is_last.discard(chat)
