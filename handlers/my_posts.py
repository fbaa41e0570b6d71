"""📋 My posts: what became of each, and ending one (✅ Helped, 🗑️ Delete) or keeping it up (🔁 Keep).

Every button names a post and is checked again in the transaction that acts
(storage/posts.py): only the author, only while it is up, and a double tap
finds it ended or kept already. ✅ Helped on a request asks who helped, among
the members who reacted, to thank them; for free help or a swap the hours can
go to the time bank next (bot/hour_text.py, answered by handlers/hours.py).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, hour_text, i18n, post_text
from bot.access import Need, requires
from bot.context import WijkContext
from bot.formatting import format_when
from bot.i18n import N_, Translate
from bot.incoming import query
from bot.keyboards import arrows, button, inline, nav_row
from bot.replies import show
from handlers import helping
from storage import posts
from storage.posts import DELETED, FREE, HELPED, KEEP_WINDOW, OFFER, REQUEST, SWAP, Ended, Kept, Post

AREA = "mypost"
ENDED_WORDS = {
    HELPED: N_("✅ Helped"),
    DELETED: N_("🗑️ Deleted"),
    posts.EXPIRED: N_("⏹️ Ended"),
    posts.HIDDEN: N_("🚫 Hidden by an organiser"),
    posts.LEFT: N_("⏹️ Ended"),
}
ALREADY_ENDED = N_("This post has already ended.")


def live(context: WijkContext, post: Post) -> bool:
    """Still up: not ended, and not past its end (the scheduled work ends it within a minute)."""
    return post.ended_at is None and post.ends_at > context.now()


def status(context: WijkContext, post: Post) -> str:
    """Like "🟢 Up until Friday 25 December, 10:00", or how it ended."""
    _ = context.gettext
    if live(context, post):
        when = format_when(post.ends_at, context.language, context.settings.timezone)
        return _("🟢 Up until {when}").format(when=when)
    return _(ENDED_WORDS[post.end_reason or posts.EXPIRED])


def asks_for_hours(context: WijkContext, post: Post) -> bool:
    """Free help or a swap that a member gave on a request, with no hours given for it yet (time bank on)."""
    helped = post.end_reason == HELPED and post.helper_id is not None and not post.hours_given
    return helped and post.side == REQUEST and post.kind in (FREE, SWAP) and context.settings.timebank


def mine(context: WijkContext, post_id: int) -> Post:
    """The member's own post; anyone else's (a forged or old button) no longer works."""
    post = posts.get(context.db, post_id)
    if post is None or post.member_id != context.known_member.id:
        raise callbacks.StaleButton("not a post of this member")
    return post


def to_my_posts(_: Translate) -> list:
    return [button("📋 " + _("My posts"), AREA, "list", 0)]


@requires(Need.ACTIVE)
async def list_button(update: Update, context: WijkContext) -> None:
    """📋 My posts: the ones that are up first, then newest first, 5 a page, each with what became of it."""
    _ = context.gettext
    page = callbacks.parse(query(update).data).int_arg(0)
    member_id = context.known_member.id
    found = posts.of_author(context.db, member_id, page)
    if not found.items and page:  # an old ▶️: the list got shorter since
        found = posts.of_author(context.db, member_id, 0)
    if found.items:
        entries = [
            f"<b>{escape(p.title)}</b>\n{_(post_text.SIDE_NAMES[p.side])} · {post_text.category(_, p.category)}\n"
            + status(context, p)
            for p in found.items
        ]
        text = "\n\n".join(["📋 " + _("My posts"), *entries])
    else:
        text = _("📋 You have no posts yet.")
    rows = [[button(post_text.button_label(p), AREA, "card", p.id, found.number)] for p in found.items]
    rows += arrows(found, AREA, "list")
    if not found.items:
        rows += [[button("🙋 " + _("I need help"), "post", "new", REQUEST)]]
        rows += [[button("💪 " + _("I offer help"), "post", "new", OFFER)]]
    await show(update, context, text, inline([*rows, nav_row(_, helping.menu_data())]))


async def show_card(update: Update, context: WijkContext, post: Post, page: int, note: str = "") -> None:
    """One of my posts: as others see it, what became of it, the reactions, and what I can do."""
    _ = context.gettext
    now = context.now()
    ngettext = i18n.plural(context.language)
    reactions = ngettext("💬 {count} reaction", "💬 {count} reactions", post.reactions)
    text = "\n".join(
        [
            *([note, ""] if note else []),
            post_text.card(_, post, context.language, context.settings.timezone),
            "",
            status(context, post),
            reactions.format(count=post.reactions),
        ]
    )
    rows = []
    if asks_for_hours(context, post):
        text += "\n\n⏱️ " + _("How many hours did it take?")
        rows += hour_text.post_hour_buttons(_, post.id)
    if post.reactions:
        rows.append([button("💬 " + _("Conversations"), "talk", "about", post.id, 0)])
    if live(context, post):
        rows.append(
            [button("✅ " + _("Helped"), AREA, "helped", post.id), button("🗑️ " + _("Delete"), AREA, "delete", post.id)]
        )
        if post.ends_at - now <= KEEP_WINDOW:
            rows.append(
                [button(post_text.keep_label(context.language, context.settings.post_days), AREA, "keep", post.id)]
            )
    await show(update, context, text, inline([*rows, nav_row(_, callbacks.pack(AREA, "list", page))]))


@requires(Need.ACTIVE)
async def card_button(update: Update, context: WijkContext) -> None:
    """One of my posts."""
    tapped = callbacks.parse(query(update).data)
    await show_card(update, context, mine(context, tapped.int_arg(0)), tapped.int_arg(1))


async def already_ended(update: Update, context: WijkContext, post: Post) -> None:
    """A button of a post that ended meanwhile: say so, and show it as it is now."""
    await show_card(update, context, post, 0, context.gettext(ALREADY_ENDED))


@requires(Need.ACTIVE)
async def delete_button(update: Update, context: WijkContext) -> None:
    """🗑️ Delete: asked once more, since it cannot be undone."""
    _ = context.gettext
    post = mine(context, callbacks.parse(query(update).data).int_arg(0))
    if not live(context, post):
        return await already_ended(update, context, post)
    text = _("Delete “{title}”? Nobody can see it or react to it any more.").format(title=escape(post.title))
    rows = [
        [button("🗑️ " + _("Yes, delete"), AREA, "deleteok", post.id)],
        nav_row(_, callbacks.pack(AREA, "card", post.id, 0)),
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def delete_ok_button(update: Update, context: WijkContext) -> None:
    """🗑️ Yes, delete."""
    _ = context.gettext
    post_id = callbacks.parse(query(update).data).int_arg(0)
    ended = posts.end(context.db, post_id, context.known_member.id, DELETED, None, context.now())
    if ended is Ended.GONE:
        raise callbacks.StaleButton("not a post of this member")
    deleted = ended is Ended.DONE or mine(context, post_id).end_reason == DELETED  # a double tap: the same answer
    text = _("🗑️ Your post is deleted.") if deleted else _(ALREADY_ENDED)
    await show(update, context, text, inline([to_my_posts(_), nav_row(_, helping.menu_data())]))


@requires(Need.ACTIVE)
async def helped_button(update: Update, context: WijkContext) -> None:
    """✅ Helped: on a request, who helped (to thank them)? On an offer: end it, asked once more."""
    _ = context.gettext
    post = mine(context, callbacks.parse(query(update).data).int_arg(0))
    if not live(context, post):
        return await already_ended(update, context, post)
    back = nav_row(_, callbacks.pack(AREA, "card", post.id, 0))
    if post.side == OFFER:
        text = _("Did your offer help someone? Then your post ends.")
        await show(
            update, context, text, inline([[button("✅ " + _("Yes, end it"), AREA, "helper", post.id, 0)], back])
        )
        return
    choices = [
        [button("🙏 " + r.first_name, AREA, "helper", post.id, r.member_id)]
        for r in posts.responders(context.db, post.id)
    ]
    choices.append([button(_("Someone else / I'd rather not say"), AREA, "helper", post.id, 0)])
    text = _("✅ Good to hear! Who helped you? We will thank them for you.")
    await show(update, context, text, inline([*choices, back]))


@requires(Need.ACTIVE)
async def helper_button(update: Update, context: WijkContext) -> None:
    """Who helped (0: not said): the post ends as helped and the helper is thanked; then, for free help or
    a swap that a member gave, the hours for the time bank."""
    _ = context.gettext
    tapped = callbacks.parse(query(update).data)
    post = mine(context, tapped.int_arg(0))
    helper_id = tapped.int_arg(1) or None
    ended = posts.end(context.db, post.id, context.known_member.id, HELPED, helper_id, context.now())
    if ended is Ended.GONE:  # not a member who reacted to it
        raise callbacks.StaleButton("not a helper of this post")
    post = mine(context, post.id)  # as it ended now
    if ended is Ended.ALREADY and not (post.end_reason == HELPED and post.helper_id == helper_id):
        return await already_ended(update, context, post)
    if ended is Ended.DONE:
        context.wake_sender()  # a double tap shows the same answer again, hour buttons and all
    lines = [_("✅ Thank you! Your post has ended.")]
    if helper_id is not None:
        lines.append(_("We send them your thanks."))
    rows = []
    if asks_for_hours(context, post):
        lines += ["", "⏱️ " + _("How many hours did it take?")]
        rows = hour_text.post_hour_buttons(_, post.id)
    back = nav_row(_, callbacks.pack(AREA, "card", post.id, 0))  # one step back: the post, now helped
    await show(update, context, "\n".join(lines), inline([*rows, to_my_posts(_), back]))


@requires(Need.ACTIVE)
async def keep_button(update: Update, context: WijkContext) -> None:
    """🔁 Keep it: up for WIJKBOT_POST_DAYS more (from the card or the "keep it?" message)."""
    _ = context.gettext
    post_id = callbacks.parse(query(update).data).int_arg(0)
    settings = context.settings
    kept = posts.keep(
        context.db, post_id, context.known_member.id, context.now(), settings.post_days, tz=settings.timezone
    )
    if kept is Kept.GONE:
        raise callbacks.StaleButton("not a post of this member")
    post = mine(context, post_id)
    if kept is Kept.ENDED:
        return await already_ended(update, context, post)
    await show_card(update, context, post, 0, _("🔁 Your post stays up.") if kept is Kept.DONE else "")


def on(action: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, action)


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(delete_button, pattern=on("delete")),
        CallbackQueryHandler(delete_ok_button, pattern=on("deleteok")),
        CallbackQueryHandler(helped_button, pattern=on("helped")),
        CallbackQueryHandler(helper_button, pattern=on("helper")),
        CallbackQueryHandler(keep_button, pattern=on("keep")),
    ]
