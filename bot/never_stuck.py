"""Never stuck (UX.md): a message the bot cannot read gets a friendly word in the member's language
and the buttons of the step they are in; ❓ explains the step.

bot/conversation.py adds `step_handlers` to every step of every flow; handlers/fallback.py gives
the same friendly word outside a flow, with the main menu.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Message, Update
from telegram.constants import MessageLimit
from telegram.ext import ApplicationHandlerStop, BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot import callbacks
from bot.context import WijkContext
from bot.i18n import N_, Translate
from bot.incoming import chat_id
from bot.keyboards import HELP, MENU_EMOJI, menu_label_pattern, typed_text

# A message that is not text: voice, photo, sticker, location, contact, a file …
NOT_TEXT = filters.UpdateType.MESSAGE & ~filters.TEXT & ~filters.StatusUpdate.ALL
EXPLAIN = callbacks.pack("nav", "explain")  # the ❓ under a step (bot/keyboards.py nav_row)
# Telegram shows at most this many characters in a pop-up (the ❓ under a step).
POP_UP = 200
# What ❓ says in a step that has no explanation of its own.
ANY_STEP = N_("Answer the question above, or tap one of its buttons.\nTap 🏠 Menu to stop.")


class NotAnAnswer(MessageHandler):
    """Typing in a step that wants a tap: answered, but not as the step's answer (the demo asks)."""


def cannot_read(_: Translate, message: Message) -> str:
    """What kind of message this was, said kindly."""
    if message.voice or message.audio or message.video_note:
        return _("I cannot listen to voice messages yet.")
    if message.photo or message.video or message.animation or message.document:
        return _("I cannot look at photos or files yet.")
    if message.sticker:
        return _("Nice sticker! But I cannot read stickers.")
    if message.location or message.venue:
        return _("I cannot use a location here.")
    if message.contact:
        return _("I cannot use a contact here.")
    return _("I cannot read this kind of message.")


async def show_step_again(update: Update, context: WijkContext, note: str) -> None:
    """The note, then the step the member is in with its buttons, in one message; the note alone when
    the bot no longer knows the step (after a restart: its buttons are still on the screen above)."""
    chat = chat_id(update)
    step = context.runtime.steps.get(chat)
    if step is not None and len(note) + 2 + len(step.text) <= MessageLimit.MAX_TEXT_LENGTH:
        await context.bot.send_message(chat, f"{note}\n\n{step.text}", reply_markup=step.markup)
    else:
        await context.bot.send_message(chat, note)
        if step is not None:
            await context.bot.send_message(chat, step.text, reply_markup=step.markup)
    context.runtime.menu_is_last.discard(chat)


async def explain_step(update: Update, context: WijkContext, text: str) -> None:
    """After a tap on ❓, a pop-up over the step when it fits; else, and after typing, a message
    with the step again under it."""
    if update.callback_query and len(text) <= POP_UP:
        await update.callback_query.answer(text, show_alert=True)
        return
    if update.callback_query:
        await update.callback_query.answer()
    await show_step_again(update, context, text)


def step_handlers(handlers: Sequence[BaseHandler[Any, Any, Any]], explanation: str | None) -> list[BaseHandler]:
    """What one step answers after its own handlers: whatever it cannot use, and ❓ with its
    `explanation` (a msgid, at most 3 short lines) or a general word. The member stays in the step."""
    takes_messages = any(isinstance(handler, MessageHandler) for handler in handlers)

    async def unreadable(update: Update, context: WijkContext) -> None:
        _ = context.gettext
        how = _("Type your answer, or tap a button.") if takes_messages else _("Tap a button.")
        assert update.message is not None
        await show_step_again(update, context, f"{cannot_read(_, update.message)} {how}")

    async def typed_instead_of_tapped(update: Update, context: WijkContext) -> None:
        _ = context.gettext
        await show_step_again(update, context, _("Here you answer with a button. Tap one below."))

    found: list[BaseHandler] = [MessageHandler(NOT_TEXT, unreadable)]
    if not takes_messages:  # a main-menu label typed alone is that button (the flow's fallbacks)
        menu_label = filters.Regex(menu_label_pattern(*MENU_EMOJI))
        found.append(NotAnAnswer(typed_text() & ~menu_label, typed_instead_of_tapped))
    return found + explain_handlers(explanation or ANY_STEP)


def explain_handlers(explanation: str) -> list[BaseHandler]:
    """❓ under the step: a pop-up; ❓ Help from the main menu: the explanation, then the step again."""

    async def explain(update: Update, context: WijkContext) -> None:
        await explain_step(update, context, "❓ " + context.gettext(explanation))
        raise ApplicationHandlerStop  # the main menu's ❓ (group 1, bot/app.py) would answer too

    return [
        MessageHandler(filters.Regex(menu_label_pattern(HELP)), explain),
        CallbackQueryHandler(explain, pattern=callbacks.pattern("nav", "explain")),
    ]
