"""🔔 News about new posts: the kinds of help a member can give, and how they want to hear of new posts.

One screen: a button per category (✅ when followed), 🔔 a message at once about a new request and
📰 a weekly digest; both off until the member turns them on. Each button says what it sets (on or
off), so a double tap changes nothing. The messages themselves: storage/help_news.py, bot/help_news.py.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, post_text
from bot.access import Need, requires
from bot.context import WijkContext
from bot.i18n import Translate
from bot.incoming import query
from bot.keyboards import button, in_rows, inline, nav_row
from bot.replies import show
from handlers import helping
from storage import help_news
from storage.help_news import Following
from storage.posts import CATEGORIES

AREA = "follow"


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def ticked(on: bool, label: str) -> str:
    return ("✅ " if on else "⬜ ") + label


def what_comes(_: Translate, chosen: Following) -> str:
    """One line on what the member gets now, so a choice that brings nothing yet is clear."""
    if not chosen.categories:
        return _("You get no news yet. Tick at least one kind of help.")
    if not (chosen.alerts or chosen.digest):
        return _("You get no news yet. Choose 🔔 or 📰.")
    return _("You hear about new posts in the kinds of help with ✅.")


def category_choice(_: Translate, key: str, followed: bool) -> InlineKeyboardButton:
    """✅ 🌱 Garden: tapping it stops following; ⬜ 🌱 Garden: tapping it follows."""
    return button(ticked(followed, post_text.category(_, key)), AREA, "cat", key, int(not followed))


async def show_news(update: Update, context: WijkContext, chosen: Following) -> None:
    _ = context.gettext
    text = "\n".join(
        [
            "🔔 " + _("News about new posts"),
            _("What can you help with? Tick it."),
            _("🔔 A message at once when someone asks for that help. At most 3 a day."),
            _("📰 Once a week, a list of the new posts."),
            "",
            what_comes(_, chosen),
        ]
    )
    rows = in_rows([category_choice(_, key, key in chosen.categories) for key in CATEGORIES]) + [
        [button(ticked(chosen.alerts, "🔔 " + _("A message at once")), AREA, "alerts", int(not chosen.alerts))],
        [button(ticked(chosen.digest, "📰 " + _("A weekly digest")), AREA, "digest", int(not chosen.digest))],
        nav_row(_, helping.menu_data()),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def menu_button(update: Update, context: WijkContext) -> None:
    """🔔 News about new posts, from 🤝 Help & services."""
    await show_news(update, context, help_news.following(context.db, context.known_member.id))


@requires(Need.ACTIVE)
async def category_button(update: Update, context: WijkContext) -> None:
    """A category tapped: follow it, or stop."""
    tapped = callbacks.parse(query(update).data)
    chosen = help_news.follow(context.db, context.known_member.id, tapped.str_arg(0), tapped.int_arg(1) == 1)
    await show_news(update, context, chosen)


@requires(Need.ACTIVE)
async def news_button(update: Update, context: WijkContext) -> None:
    """🔔 or 📰 tapped: on or off."""
    tapped = callbacks.parse(query(update).data)
    chosen = help_news.set_news(context.db, context.known_member.id, **{tapped.action: tapped.int_arg(0) == 1})
    await show_news(update, context, chosen)


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(menu_button, pattern=on("menu")),
        CallbackQueryHandler(category_button, pattern=on("cat")),
        CallbackQueryHandler(news_button, pattern=on("alerts", "digest")),
    ]
