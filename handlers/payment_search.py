"""🔎 Find a payment (📣 Organise; issue 15): the reference on the bank statement opens the card of the share
purchase or the pledge it belongs to. So an organiser can mark a transfer received, also one that came after
the request lapsed."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, payments, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import leave_handlers, persistent_conversation
from bot.incoming import text
from bot.keyboards import inline, nav_row, typed_text
from bot.replies import show
from handlers import campaign_admin, share_admin
from handlers.organise import show_organise
from handlers.profile import leave
from storage import campaigns, shares

AREA = "payfind"
REFERENCE = "payfind_reference"
EXAMPLE = payments.reference("SH", 1)  # what a reference looks like, to type


async def ask(update: Update, context: WijkContext, error: str = "") -> str:
    _ = context.gettext
    question = _("Type the reference from the bank statement, like {example}.").format(
        example=payments.grouped(EXAMPLE)
    )
    await show(update, context, f"{error}\n\n{question}".strip(), inline([nav_row(_, callbacks.pack("org", "menu"))]))
    return REFERENCE


@requires(Need.ORGANISER)
async def find_button(update: Update, context: WijkContext) -> str:
    """🔎 Find a payment."""
    return await ask(update, context)


@requires(Need.ORGANISER)
async def reference_text(update: Update, context: WijkContext) -> object:
    """The typed reference: a share purchase (or one of its instalments), or a pledge. Digits may come from an
    Arabic keyboard."""
    typed = validation.western(text(update))
    found = shares.with_reference(context.db, typed)
    if found is not None:  # a purchase, and the instalment when it is one of its instalments' reference
        request_id, instalment_id = found
        await share_admin.show_card(update, context, request_id, 0, searched_id=instalment_id)
        return ConversationHandler.END
    pledge = campaigns.pledge_with_reference(context.db, typed)
    if pledge is not None:
        await campaign_admin.show_pledge(update, context, pledge, 0)
        return ConversationHandler.END
    return await ask(update, context, context.gettext("No payment has this reference. Please check it."))


async def back_to_organise(update: Update, context: WijkContext) -> int:
    """⬅️ Back while typing: to 📣 Organise, and out of the search."""
    await show_organise(update, context)
    return ConversationHandler.END


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "find_payment",
            entry_points=[CallbackQueryHandler(find_button, pattern=callbacks.pattern(AREA, "find"))],
            states={
                REFERENCE: [
                    MessageHandler(typed_text(), reference_text),
                    CallbackQueryHandler(back_to_organise, pattern=callbacks.exactly("org", "menu")),
                ]
            },
            fallbacks=leave_handlers(leave),
        )
    ]
