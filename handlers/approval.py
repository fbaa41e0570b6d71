"""Organiser approval (WIJKBOT_APPROVAL=organiser): a card per organiser; the first decision counts."""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, i18n
from bot.access import Need, allowed
from bot.context import WijkContext
from bot.incoming import query
from bot.persistence import forget_user
from bot.replies import edit, unless_unchanged
from storage import members
from storage.members import Change, Member

logger = logging.getLogger(__name__)
AREA = "mem"


def outcome_text(_: i18n.Translate, name: str, admitted: bool, organiser: str) -> str:
    if admitted:
        return _("✅ {name} may join. Decided by {organiser}.").format(name=name, organiser=organiser)
    return _("❌ {name} may not join. Decided by {organiser}.").format(name=name, organiser=organiser)


async def decision_button(update: Update, context: WijkContext) -> None:
    """✅ Admit or ❌ Refuse on a card: the first organiser's decision counts, every card shows it."""
    if not await allowed(update, context, Need.ORGANISER):
        return
    _ = context.gettext
    tapped = callbacks.parse(query(update).data)
    member_id = tapped.int_arg(0)
    admit = tapped.action == "admit"
    cards = members.approval_cards(context.db, member_id)
    change, member = members.decide(
        context.db, member_id, admit=admit, actor_id=context.known_member.id, now=context.now()
    )
    if change is not Change.DONE or member is None:
        await query(update).answer(_("Someone else already decided."))
        await edit(update)
        return
    if not admit and member.telegram_id is not None:  # refused: nothing of theirs stays, in memory either
        forget_user(context.application, member.telegram_id, member.first_name)
    context.wake_sender()  # the person hears it (bot/notices.py), in the morning if it is night
    await query(update).answer("✅" if admit else "❌")
    await update_cards(context, cards, member, admit)


async def update_cards(context: WijkContext, cards: list[tuple[int, int]], member: Member, admitted: bool) -> None:
    """Each organiser's card now shows the decision, in that organiser's language."""
    name = escape(member.first_name or "")
    organiser = escape(context.known_member.first_name or "")
    for chat_id, message_id in cards:
        reader = members.get_by_telegram_id(context.db, chat_id)
        _ = i18n.translator(reader.language if reader else context.settings.default_language)
        try:
            await unless_unchanged(
                context.bot.edit_message_text(outcome_text(_, name, admitted, organiser), chat_id, message_id)
            )
        except (BadRequest, Forbidden) as error:
            logger.info("could not update approval card in chat %s: %s", chat_id, error)
    if admitted:
        members.forget_approval_cards(context.db, member.id)


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(decision_button, pattern=callbacks.pattern(AREA, "admit")),
        CallbackQueryHandler(decision_button, pattern=callbacks.pattern(AREA, "refuse")),
    ]
