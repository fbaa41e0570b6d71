"""🧾 Act for this member → 🤝 Ask for help for them: an organiser puts a help request online for a member
who asked at the desk, by phone or on paper (issue 13); and 🔒 closes one of their posts later.

The request is the member's own post (their data: it counts in their limit, download and deletion), made
by the same rules and checks as a member's own 🙋 request (storage/posts.py publish, handlers/posting.py's
title and description checks): a category, a title and a description typed by the organiser, the preview
exactly as neighbours will see it, then ✅ Put online. The post, its audit entry with how the member asked
and the member's message are one transaction. Every button carries the member, so a button of another
member's draft, or one left from before, no longer works.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, i18n, post_text, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import States, end_conversation, leave_handlers, persistent_conversation
from bot.i18n import N_
from bot.incoming import query, tapped, text
from bot.keyboards import button, in_rows, inline, nav_row, paged, typed_text
from bot.replies import just_acted, show, tapped_twice
from handlers import acting, posting
from storage import posts
from storage.members import Member
from storage.posts import CATEGORIES, DELETED, FREE, POSTS_A_DAY, REQUEST, Ended, Post, Refusal

AREA = "act4h"
CATEGORY, TITLE, BODY, PREVIEW = posting.CATEGORY, posting.TITLE, posting.BODY, posting.PREVIEW
STEPS = (CATEGORY, TITLE, BODY)
TOO_MANY = N_("{name} placed {count} posts in the last 24 hours. That is the most. Please try again tomorrow.")


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def draft(context: WijkContext) -> dict:
    return context.answers.setdefault(AREA, {})


def to_choices(member: Member) -> str:
    """⬅️ Back to what to do for the member (handlers/acting.py)."""
    return callbacks.pack(acting.AREA, "what", member.id)


async def ask(update: Update, context: WijkContext, member: Member, step: str, error: str = "") -> str:
    """One question; ⬅️ Back from the category leads to what to do for them, while changing to the preview."""
    _ = context.gettext
    editing = draft(context).get("editing")
    name = acting.name_of(member)
    choices: list[list[InlineKeyboardButton]] = []
    if step == CATEGORY:
        back = callbacks.pack(AREA, "preview", member.id) if editing else to_choices(member)
        question = _("🤝 What does {name} need help with?").format(name=name) + "\n" + _("Choose a category.")
        choices = in_rows([button(post_text.category(_, key), AREA, "cat", member.id, key) for key in CATEGORIES])
        if not editing and posts.up_of_author(context.db, member.id, context.now(), 0).items:
            choices.append([button("🔒 " + _("Close one of their posts"), AREA, "mine", member.id, 0)])
    else:
        back = callbacks.pack(AREA, "back", member.id, step)
        if step == TITLE:
            question = _("Type a short title for what {name} needs. At most 80 characters.").format(name=name)
        else:
            question = _(posting.QUESTIONS[BODY])
    await show(update, context, f"{error}\n\n{question}".strip(), inline([*choices, nav_row(_, back)]))
    return step


async def next_step(update: Update, context: WijkContext, member: Member, step: str) -> str:
    """After an answer: the next step; while changing one answer, the preview."""
    later = STEPS[STEPS.index(step) + 1 :]
    if draft(context).get("editing") or not later:
        return await preview(update, context, member)
    return await ask(update, context, member, later[0])


def drafted(context: WijkContext, member: Member) -> Post:
    """The request as it will be stored and shown; a button of a draft that is not complete is stale."""
    answers = draft(context)
    if any(key not in answers for key in STEPS):
        raise callbacks.StaleButton("no complete request to show or put online")
    now = context.now()
    return Post(
        id=0,
        member_id=member.id,
        member_name=member.first_name,
        business_name=None,
        side=REQUEST,
        category=answers[CATEGORY],
        kind=FREE,  # neighbour help; swaps and paid help are asked by the member themselves
        title=answers[TITLE],
        body=answers[BODY],
        price_cents=None,
        price_unit=None,
        created_at=now,
        ends_at=now + timedelta(days=context.settings.post_days),
        ended_at=None,
        end_reason=None,
        helper_id=None,
        reactions=0,
        via_desk=member.telegram_id is None,
    )


async def preview(update: Update, context: WijkContext, member: Member) -> str:
    """The request exactly as neighbours will see it, and what to do with it."""
    _ = context.gettext
    post = drafted(context, member)
    draft(context)["editing"] = False
    card = post_text.card(_, post, context.language, context.settings.timezone)
    rows = [
        [button("✅ " + _("Put online"), AREA, "publish", member.id)],
        [button("✏️ " + _("Change"), AREA, "change", member.id)],
        [button("✖️ " + _("Stop"), AREA, "stop", member.id)],
        nav_row(_, callbacks.pack(AREA, "back", member.id, PREVIEW)),
    ]
    text = _("This is how others will see the post of {name}:").format(name=acting.name_of(member))
    await show(update, context, text + "\n\n" + card, inline(rows))
    return PREVIEW


async def too_many(update: Update, context: WijkContext, member: Member) -> int:
    """Five posts went up for this member in 24 hours: the same limit as their own; the flow ends."""
    _ = context.gettext
    context.answers.pop(AREA, None)
    text = _(TOO_MANY).format(name=acting.name_of(member), count=POSTS_A_DAY)
    await show(update, context, text, inline([nav_row(_, to_choices(member))]))
    return ConversationHandler.END


@requires(Need.ORGANISER)
async def start_button(update: Update, context: WijkContext) -> object:
    """🤝 Ask for help for them: a fresh draft, once how they asked is known and fewer than 5 went up today."""
    member = acting.acted_for(context, tapped(update).int_arg(0))
    if await acting.with_reason(update, context, member) is None:
        return ConversationHandler.END
    if not posts.may_post(context.db, member.id, context.now()):
        return await too_many(update, context, member)
    context.answers[AREA] = {"member": member.id}
    return await ask(update, context, member, CATEGORY)


def member_of_button(update: Update, context: WijkContext) -> Member:
    """The member a step's button is about: the one of the draft, still active; another one's is stale."""
    member_id = tapped(update).int_arg(0)
    if draft(context).get("member") != member_id:
        raise callbacks.StaleButton(f"no draft for member {member_id}")
    return acting.acted_for(context, member_id)


@requires(Need.ORGANISER)
async def category_button(update: Update, context: WijkContext) -> str:
    member = member_of_button(update, context)
    draft(context)[CATEGORY] = tapped(update).str_arg(1)
    return await next_step(update, context, member, CATEGORY)


def answering(step: str, read: Callable[[str], str]) -> Callable:
    """The handler for the typed title or description: the checks of a member's own post."""

    @requires(Need.ORGANISER)
    async def typed(update: Update, context: WijkContext) -> object:
        member = acting.acted_for(context, int(draft(context).get("member", 0)))  # whose draft this is
        try:
            draft(context)[step] = read(text(update))
        except validation.Invalid as invalid:
            return await ask(update, context, member, step, invalid.text(context.gettext))
        return await next_step(update, context, member, step)

    typed.__name__ = f"{step}_text"
    return typed


@requires(Need.ORGANISER)
async def back_button(update: Update, context: WijkContext) -> str:
    """⬅️ Back: one step back; while changing one answer, back to the preview."""
    member = member_of_button(update, context)
    step = tapped(update).str_arg(1)
    if step == PREVIEW:
        return await ask(update, context, member, BODY)
    if draft(context).get("editing"):
        return await preview(update, context, member)
    return await ask(update, context, member, STEPS[STEPS.index(step) - 1])


@requires(Need.ORGANISER)
async def change_button(update: Update, context: WijkContext) -> str:
    """✏️ Change: which answer?"""
    _ = context.gettext
    member = member_of_button(update, context)
    drafted(context, member)  # a draft that is not complete: this button no longer works
    labels = [button(_(posting.CHANGE_LABELS[step]), AREA, "edit", member.id, step) for step in STEPS]
    rows = [*in_rows(labels, 3), nav_row(_, callbacks.pack(AREA, "preview", member.id))]
    await show(update, context, _("What do you want to change?"), inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def edit_button(update: Update, context: WijkContext) -> str:
    """One answer to change; then back to the preview."""
    member = member_of_button(update, context)
    drafted(context, member)
    draft(context)["editing"] = True
    return await ask(update, context, member, tapped(update).str_arg(1))


@requires(Need.ORGANISER)
async def preview_button(update: Update, context: WijkContext) -> str:
    """⬅️ Back from ✏️ Change, or from changing the category."""
    return await preview(update, context, member_of_button(update, context))


@requires(Need.ORGANISER)
async def publish_button(update: Update, context: WijkContext) -> int:
    """✅ Put online, as the member's own post. The flow ends here, so a second tap puts nothing online."""
    _ = context.gettext
    member = member_of_button(update, context)
    post = drafted(context, member)
    by = await acting.with_reason(update, context, member)
    if by is None:
        return ConversationHandler.END
    settings = context.settings
    published = posts.publish(
        context.db,
        member.id,
        *(post.side, post.category, post.kind, post.title, post.body, None, None),
        context.now(),
        settings.post_days,
        tz=settings.timezone,
        for_member_by=by,
    )
    if published.refusal is Refusal.TOO_MANY:
        return await too_many(update, context, member)
    if published.post is None:
        raise callbacks.StaleButton(f"member {member.id} is no longer active")
    context.answers.pop(AREA, None)
    context.wake_sender()
    ngettext = i18n.plural(context.language)
    days = ngettext("It is up for {days} day.", "It is up for {days} days.", settings.post_days)
    lines = [_("✅ The request of {name} is online.").format(name=acting.name_of(member))]
    lines.append(days.format(days=settings.post_days))
    if member.telegram_id is not None:
        lines.append(_("{name} gets a message about it.").format(name=acting.name_of(member)))
    await show(update, context, "\n".join(lines), inline(acting.done_rows(context, member)))
    return ConversationHandler.END


@requires(Need.ORGANISER)
async def stop_button(update: Update, context: WijkContext) -> int:
    """✖️ Stop: nothing goes online; back to the member's card from here."""
    _ = context.gettext
    member = member_of_button(update, context)
    context.answers.pop(AREA, None)
    await show(update, context, _("Stopped. Nothing was put online."), inline(acting.done_rows(context, member)))
    return ConversationHandler.END


async def leave(update: Update, context: WijkContext) -> int:
    """🏠 Menu, /start or /menu: nothing goes online."""
    return await end_conversation(update, context, context.gettext("Stopped. Nothing was put online."), AREA)


def back(step: str) -> CallbackQueryHandler:
    """Each step answers only its own ⬅️ Back: an old button of another step is stale."""
    return CallbackQueryHandler(back_button, pattern=lambda data: on("back")(data) and str(data).endswith(f":{step}"))


@requires(Need.ORGANISER)
async def mine_button(update: Update, context: WijkContext) -> None:
    """🔒 Close one of their posts: the ones that are up, newest first, 5 a page."""
    _ = context.gettext
    data = tapped(update)
    member, page = acting.acted_for(context, data.int_arg(0)), data.int_arg(1)
    if await acting.with_reason(update, context, member) is None:
        return
    up = posts.up_of_author(context.db, member.id, context.now(), page)
    if not up.items and page:  # an old ▶️: the list got shorter since
        up = posts.up_of_author(context.db, member.id, context.now(), 0)

    def line(post: Post) -> InlineKeyboardButton:
        return button(post_text.button_label(post), AREA, "close", member.id, post.id)

    name = acting.name_of(member)
    text = _("🔒 Close which post of {name}?") if up.items else _("{name} has no posts online.")
    rows = paged(up, line, AREA, "mine", member.id)
    await show(update, context, text.format(name=name), inline([*rows, nav_row(_, to_choices(member))]))


def theirs(context: WijkContext, member: Member, post_id: int) -> Post:
    post = posts.get(context.db, post_id)
    if post is None or post.member_id != member.id:
        raise callbacks.StaleButton(f"post {post_id} is not of member {member.id}")
    return post


@requires(Need.ORGANISER)
async def close_button(update: Update, context: WijkContext) -> None:
    """One of their posts: neighbours lose it, so ask once (UX.md)."""
    _ = context.gettext
    data = tapped(update)
    member = acting.acted_for(context, data.int_arg(0))
    post = theirs(context, member, data.int_arg(1))
    if not post.live(context.now()):
        await closeok_button(update, context)  # ended meanwhile: told so
        return
    back = callbacks.pack(AREA, "mine", member.id, 0)
    rows = [
        [button("✅ " + _("Yes"), AREA, "closeok", member.id, post.id)],
        [InlineKeyboardButton("↩️ " + _("No"), callback_data=back)],
        nav_row(_, back),
    ]
    text = _("Close “{title}”? Neighbours can then no longer see it.").format(title=escape(post.title))
    await show(update, context, text, inline(rows))


@requires(Need.ORGANISER)
async def closeok_button(update: Update, context: WijkContext) -> None:
    """✅ Yes: the post ends as if its author deleted it, logged with how they asked; a second tap is told."""
    _ = context.gettext
    data = tapped(update)
    member = acting.acted_for(context, data.int_arg(0))
    post = theirs(context, member, data.int_arg(1))
    by = await acting.with_reason(update, context, member)
    if by is None:
        return
    ended = posts.end(context.db, post.id, member.id, DELETED, None, context.now(), by)
    if ended is Ended.GONE:
        raise callbacks.StaleButton(f"post {post.id} or member {member.id} is gone")
    if ended is not Ended.DONE and just_acted(context, posts.CLOSED_FOR, member.id):
        await query(update).answer("✅ " + _("Done"))  # a double tap: the first one's result stays on the screen
        return
    if ended is not Ended.DONE and tapped_twice(query(update)):
        raise callbacks.StaleButton("a tap on a button the last answer took away")
    title = escape(post.title)
    if ended is Ended.DONE:
        text = _("🔒 “{title}” is closed. Neighbours can no longer see it.").format(title=title)
    else:
        text = _("“{title}” had already ended. Nothing changed.").format(title=title)
    await show(update, context, text, inline(acting.done_rows(context, member)))


def handlers() -> list[BaseHandler]:
    states: States = {
        CATEGORY: [
            CallbackQueryHandler(category_button, pattern=on("cat")),
            CallbackQueryHandler(preview_button, pattern=on("preview")),  # ⬅️ Back while changing the category
        ],
        TITLE: [MessageHandler(typed_text(), answering(TITLE, posting.read_title)), back(TITLE)],
        BODY: [MessageHandler(typed_text(), answering(BODY, posting.read_body)), back(BODY)],
        PREVIEW: [
            back(PREVIEW),
            CallbackQueryHandler(publish_button, pattern=on("publish")),
            CallbackQueryHandler(change_button, pattern=on("change")),
            CallbackQueryHandler(edit_button, pattern=on("edit")),
            CallbackQueryHandler(preview_button, pattern=on("preview")),
            CallbackQueryHandler(stop_button, pattern=on("stop")),
        ],
    }
    return [
        persistent_conversation(
            "act4h",
            entry_points=[CallbackQueryHandler(start_button, pattern=on("start"))],
            states=states,
            fallbacks=leave_handlers(leave, draft=AREA),
        ),
        CallbackQueryHandler(mine_button, pattern=on("mine")),
        CallbackQueryHandler(close_button, pattern=on("close")),
        CallbackQueryHandler(closeok_button, pattern=on("closeok")),
    ]
