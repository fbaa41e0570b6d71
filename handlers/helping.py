"""🤝 Help & services: the door to asking, offering, browsing and one's own posts.

Each button leads to its own flow: handlers/posting.py (🙋 💪), handlers/browsing.py
(🔎), handlers/my_posts.py (📋) and handlers/following.py (🔔).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot import callbacks
from bot.access import Need, requires
from bot.context import WijkContext
from bot.keyboards import HELPING, button, inline, menu_label_pattern, nav_row
from bot.replies import show
from storage.posts import OFFER, REQUEST

AREA = "hlp"


def menu_data() -> str:
    """The callback data of 🤝 Help & services, for every ⬅️ Back that leads here."""
    return callbacks.pack(AREA, "menu")


@requires(Need.ACTIVE)
async def menu(update: Update, context: WijkContext) -> None:
    """🤝 Help & services: four big buttons and the 🔔 news settings."""
    _ = context.gettext
    rows = [
        [button("🙋 " + _("I need help"), "post", "new", REQUEST)],
        [button("💪 " + _("I offer help"), "post", "new", OFFER)],
        [button("🔎 " + _("Look around"), "browse", "side")],
        [button("📋 " + _("My posts"), "mypost", "list", 0), button("💬 " + _("Conversations"), "talk", "list", 0)],
        [button("🔔 " + _("News about new posts"), "follow", "menu")],
        nav_row(_, None),
    ]
    text = _("🤝 Help & services\nNeighbours help each other here. Local freelancers offer their services.")
    await show(update, context, text, inline(rows))


def handlers() -> list[BaseHandler]:
    return [CallbackQueryHandler(menu, pattern=callbacks.pattern(AREA, "menu"))]


def main_menu_button() -> BaseHandler:
    """🤝 Help & services in the main menu (group 1, see bot/app.py)."""
    return MessageHandler(filters.Regex(menu_label_pattern(HELPING)), menu)
