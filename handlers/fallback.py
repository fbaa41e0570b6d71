"""What nobody else answered: unknown text and stale buttons. Registered last."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import WijkContext
from bot.keyboards import FEATURES, menu_label_pattern
from bot.never_stuck import NOT_TEXT, cannot_read, show_step_again
from bot.replies import answer_stale_button, reply_with_menu


async def unknown_text(update: Update, context: WijkContext) -> None:
    """Anything we do not understand: a short hint and the menu, never silence."""
    _ = context.gettext
    await reply_with_menu(update, context, _("Sorry, I do not understand that. Tap a button below."))


async def unreadable(update: Update, context: WijkContext) -> None:
    """A voice message, photo, sticker, location or contact outside a flow: say kindly what it was."""
    _ = context.gettext
    assert update.message is not None
    await reply_with_menu(update, context, f"{cannot_read(_, update.message)} {_('Tap a button.')}")


async def edited(update: Update, context: WijkContext) -> None:
    """A message changed after it was sent: the answer it gave stays; say so, with the step again."""
    _ = context.gettext
    await show_step_again(update, context, _("Changing a sent message does not change your answer. Send it again."))


def edited_handler() -> BaseHandler:
    """First in group 0 (bot/app.py): no flow takes an edit as a new answer."""
    return MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE, edited)


async def stale_button(update: Update, context: WijkContext) -> None:
    """A button from an old message, or data we never made."""
    await answer_stale_button(update, context)


def handlers() -> list[BaseHandler]:
    return [
        MessageHandler(filters.ChatType.PRIVATE & NOT_TEXT, unreadable),
        # Not the main menu's buttons: they are answered in group 1 (bot/app.py).
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL & ~filters.Regex(menu_label_pattern(*FEATURES)),
            unknown_text,
        ),
        CallbackQueryHandler(stale_button),
    ]
