"""🔎 Looking around: requests or offers, then a category, then the posts, newest first, 5 a page.

A member never sees their own posts here, nor ones that ended, were hidden or
come from a member who is not active (storage/posts.py browse_page). A card
opened from an older list checks the post again and says kindly when it is no
longer up. 💬 React and ⚠️ Report on a card are answered by handlers/talking.py
and handlers/reporting.py. ⬅️ Back leads one level up each time, to 🤝 at last.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, post_text
from bot.access import Need, requires
from bot.context import WijkContext
from bot.i18n import N_, Translate
from bot.incoming import query
from bot.keyboards import arrows, button, in_rows, inline, nav_row
from bot.replies import show
from handlers import helping
from storage import posts
from storage.posts import CATEGORIES, OFFER, REQUEST

AREA = "browse"
SIDES = {REQUEST: N_("🙋 Requests for help"), OFFER: N_("💪 Offers of help")}


def heading(_: Translate, side: str, category: str) -> str:
    """Like "🙋 Requests for help · 🌱 Garden"."""
    return f"{_(SIDES[side])} · {post_text.category(_, category)}"


@requires(Need.ACTIVE)
async def side_button(update: Update, context: WijkContext) -> None:
    """🔎 Look around: requests or offers?"""
    _ = context.gettext
    rows = [[button(_(SIDES[side]), AREA, "cats", side)] for side in SIDES]
    await show(update, context, _("🔎 What do you want to see?"), inline([*rows, nav_row(_, helping.menu_data())]))


@requires(Need.ACTIVE)
async def categories_button(update: Update, context: WijkContext) -> None:
    """The categories of one side."""
    _ = context.gettext
    side = callbacks.parse(query(update).data).str_arg(0)
    choices = in_rows([button(post_text.category(_, key), AREA, "list", side, key, 0) for key in CATEGORIES])
    text = _(SIDES[side]) + "\n" + _("Choose a category.")
    await show(update, context, text, inline([*choices, nav_row(_, callbacks.pack(AREA, "side"))]))


@requires(Need.ACTIVE)
async def list_button(update: Update, context: WijkContext) -> None:
    """The posts of one side and category: newest first, 5 a page, a button each."""
    _ = context.gettext
    tapped = callbacks.parse(query(update).data)
    side, category, page = tapped.str_arg(0), tapped.str_arg(1), tapped.int_arg(2)
    viewer = context.known_member.id
    found = posts.browse_page(context.db, side, category, viewer, page)
    if not found.items and page:  # an old ▶️: the list got shorter since
        found = posts.browse_page(context.db, side, category, viewer, 0)
    text = heading(_, side, category)
    if not found.items:
        text += "\n\n" + _("There is nothing here right now. Have a look later, or choose another category.")
    rows = [[button(post_text.button_label(post), AREA, "card", post.id, found.number)] for post in found.items]
    rows += arrows(found, AREA, "list", side, category)
    await show(update, context, text, inline([*rows, nav_row(_, callbacks.pack(AREA, "cats", side))]))


@requires(Need.ACTIVE)
async def card_button(update: Update, context: WijkContext) -> None:
    """One post as others see it, with 💬 React and ⚠️ Report; kindly told when it is no longer up."""
    _ = context.gettext
    tapped = callbacks.parse(query(update).data)
    post = posts.get(context.db, tapped.int_arg(0))
    if post is None:
        raise callbacks.StaleButton("no such post")
    back = nav_row(_, callbacks.pack(AREA, "list", post.side, post.category, tapped.int_arg(1)))
    if not post.live(context.now()):
        await show(update, context, _(post_text.NO_LONGER_UP), inline([back]), toast=_("No longer up"))
        return
    rows = []
    if post.member_id != context.known_member.id:
        rows.append(
            [
                button("💬 " + _("React"), "talk", "start", post.id),
                button("⚠️ " + _("Report"), "report", "post", post.id),
            ]
        )
    text = post_text.card(_, post, context.language, context.settings.timezone)
    await show(update, context, text, inline([*rows, back]))


def on(action: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, action)


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(side_button, pattern=on("side")),
        CallbackQueryHandler(categories_button, pattern=on("cats")),
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
    ]
