"""🙌 Take part: the ways to help run the cooperative (UX.md): 🚪 rent a room, 🙋 volunteer shifts, 💡 host an
activity (issue 14), 💶 buy shares (issue 15).

Each button leads to its own flow: handlers/rooms.py (🚪), handlers/shifts.py (🙋), handlers/hosting.py (💡) and
handlers/shares.py (💶).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot import callbacks
from bot.access import Need, requires
from bot.context import WijkContext
from bot.keyboards import TAKE_PART, button, inline, menu_label_pattern, nav_row
from bot.replies import show

AREA = "part"


def menu_data() -> str:
    """The callback data of 🙌 Take part, for every ⬅️ Back that leads here."""
    return callbacks.pack(AREA, "menu")


@requires(Need.ACTIVE)
async def menu(update: Update, context: WijkContext) -> None:
    """🙌 Take part: a big button for each way to help run the cooperative."""
    _ = context.gettext
    rows = [
        [button("🚪 " + _("Rent a room"), "room", "menu")],
        [button("🙋 " + _("Volunteer"), "shift", "menu")],
        [button("💡 " + _("Propose an activity"), "host", "menu")],
        [button("💶 " + _("Shares"), "share", "menu")],
        [button("🎯 " + _("Crowdfunding"), "camp", "menu")],
        nav_row(_, None),
    ]
    text = _("🙌 Take part\nThe cooperative is run by its members. This is how you can help.")
    await show(update, context, text, inline(rows))


def main_menu_button() -> BaseHandler:
    """🙌 Take part in the main menu (group 1, see bot/app.py)."""
    return MessageHandler(filters.Regex(menu_label_pattern(TAKE_PART)), menu)


def handlers() -> list[BaseHandler]:
    return [CallbackQueryHandler(menu, pattern=callbacks.pattern(AREA, "menu"))]
