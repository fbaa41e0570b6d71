"""Organiser approval (WIJKBOT_APPROVAL=organiser): a card per organiser; the first decision counts."""

from __future__ import annotations

import logging
from html import escape

from telegram import Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, i18n
from bot.access import Need, allowed
from bot.context import WijkContext
from bot.incoming import query
from bot.keyboards import button, inline, nav_row
from bot.member_text import approval_card_text, decision_buttons
from bot.persistence import forget_user
from bot.replies import edit, show, unless_unchanged
from storage import members
from storage.members import PENDING, Change, Member

logger = logging.getLogger(__name__)
AREA = "mem"


def outcome_text(_: i18n.Translate, name: str, admitted: bool, organiser: str) -> str:
    if admitted:
        return _("✅ {name} may join. Decided by {organiser}.").format(name=name, organiser=organiser)
    return _("❌ {name} may not join. Decided by {organiser}.").format(name=name, organiser=organiser)


QUESTIONS = {
    "admit": i18n.N_("Let {name} join as a member?"),
    "refuse": i18n.N_("Refuse {name}? Everything they filled in is then deleted."),
}


async def question_button(update: Update, context: WijkContext) -> None:
    """✅ Admit or ❌ Refuse on a card: ask once, the answer cannot be undone (UX.md)."""
    if not await allowed(update, context, Need.ORGANISER):
        return
    _ = context.gettext
    tapped = callbacks.parse(query(update).data)
    member = await still_waiting(update, context, tapped.int_arg(0))
    if member is None:
        return
    question = _(QUESTIONS[tapped.action]).format(name=escape(member.first_name or ""))
    rows = [
        [button("✅ " + _("Yes"), AREA, tapped.action + "ok", member.id)],
        [button("↩️ " + _("No"), AREA, "back", member.id)],
        nav_row(_, callbacks.pack(AREA, "back", member.id)),
    ]
    await show(update, context, question, inline(rows))


async def card_again_button(update: Update, context: WijkContext) -> None:
    """↩️ No, or ⬅️ Back: the card as it was."""
    if not await allowed(update, context, Need.ORGANISER):
        return
    _ = context.gettext
    member = await still_waiting(update, context, callbacks.parse(query(update).data).int_arg(0))
    if member is not None:
        rows = [decision_buttons(_, member), nav_row(_, callbacks.pack("org", "pending", 0))]
        await show(update, context, approval_card_text(_, member), inline(rows))


async def still_waiting(update: Update, context: WijkContext, member_id: int) -> Member | None:
    """The person the card is about, if nobody decided yet; else the card shows it was decided."""
    member = members.get(context.db, member_id)
    if member is not None and member.status == PENDING:
        return member
    if member is None and not members.was_decided(context.db, member_id):
        raise callbacks.StaleButton(f"nobody {member_id} ever signed up")
    _ = context.gettext
    await query(update).answer(_("This was already decided."))
    shown = query(update).message
    if isinstance(shown, Message) and shown.reply_markup:  # a question or a card that still asks: say so
        nav = inline([nav_row(_, callbacks.pack("org", "pending", 0))])
        await edit(update, _("This was already decided."), nav)
    return None


async def decision_button(update: Update, context: WijkContext) -> None:
    """✅ Yes to the question: the first organiser's decision counts, every card shows it."""
    if not await allowed(update, context, Need.ORGANISER):
        return
    _ = context.gettext
    tapped = callbacks.parse(query(update).data)
    member_id = tapped.int_arg(0)
    admit = tapped.action == "admitok"
    cards = members.approval_cards(context.db, member_id)
    change, member = members.decide(
        context.db, member_id, admit=admit, actor_id=context.known_member.id, now=context.now()
    )
    if change is not Change.DONE or member is None:
        await still_waiting(update, context, member_id)  # says it was decided (a double tap, or someone else)
        return
    if not admit and member.telegram_id is not None:  # refused: nothing of theirs stays, in memory either
        forget_user(context.application, member.telegram_id, member.first_name)
    context.wake_sender()  # the person hears it (bot/notices.py), in the morning if it is night
    await query(update).answer("✅" if admit else "❌")
    organiser = escape(context.known_member.first_name or "")
    outcome = outcome_text(_, escape(member.first_name or ""), admit, organiser)
    await edit(update, outcome, inline([nav_row(_, callbacks.pack("org", "pending", 0))]))  # also from 👥 Members
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
        CallbackQueryHandler(question_button, pattern=callbacks.pattern(AREA, "admit", "refuse")),
        CallbackQueryHandler(card_again_button, pattern=callbacks.pattern(AREA, "back")),
        CallbackQueryHandler(decision_button, pattern=callbacks.pattern(AREA, "admitok", "refuseok")),
    ]
