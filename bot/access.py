"""Who may use what. Checked against the database on every message and tap."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import Handler, R, WijkContext
from bot.replies import reply_with_menu
from storage.members import ACTIVE, PENDING, SUSPENDED


class Need(enum.Enum):
    SIGNED_UP = "signed up"  # pending, active or suspended: their own details
    ACTIVE = "active"  # member features
    ORGANISER = "organiser"  # an active organiser


def refusal(context: WijkContext, need: Need) -> str | None:
    """Why this member may not do this, or None when they may."""
    _ = context.gettext
    member = context.member
    if member is None or member.status not in (PENDING, ACTIVE, SUSPENDED):
        return _("This is for members. Tap 📝 Sign up to become a member.")
    if need is Need.SIGNED_UP:
        return None
    if member.status == PENDING:
        return _("Your sign-up is waiting for an organiser. You will get a message from me.")
    if member.status == SUSPENDED:
        return _("Your membership is paused. Please talk to an organiser.")
    if need is Need.ORGANISER and not member.is_organiser:
        return _("Only organisers can do this.")
    return None


async def allowed(update: Update, context: WijkContext, need: Need) -> bool:
    """True when the member may go on; otherwise tell them why and show the menu."""
    reason = refusal(context, need)
    if reason is None:
        return True
    if update.callback_query:
        await update.callback_query.answer(reason)
    await reply_with_menu(update, context, reason)
    return False


def requires(need: Need) -> Callable[[Handler[R]], Handler[R | int]]:
    """Check access before a handler runs; a refused person is told why and gets the menu.

    Behind it, `context.known_member` is the member who may do this."""

    def wrap(handler: Handler[R]) -> Handler[R | int]:
        @functools.wraps(handler)
        async def checked(update: Update, context: WijkContext) -> R | int:
            if not await allowed(update, context, need):
                return ConversationHandler.END
            return await handler(update, context)

        return checked

    return wrap
