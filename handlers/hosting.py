"""🙌 Take part → 💡 Propose an activity: a member hosts an activity of their own (issue 14).

💡 New proposal takes the organiser's planning steps (handlers/activity_planning.py, in its member mode);
organisers decide in handlers/host_review.py. Here the member sees what became of their proposals, and the
activities they host: who comes, and ✔️ who was there once it took place (handlers/activity_admin.py's
lists, open to the host of that activity only). Changing or cancelling stays with the organisers.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import activity_text, callbacks
from bot.access import Need, requires
from bot.context import WijkContext
from bot.formatting import format_when, shortened
from bot.i18n import N_, Translate
from bot.incoming import tapped
from bot.keyboards import arrows, button, inline, nav_row, paged
from bot.replies import show
from handlers.activities import existing, host_of
from handlers.activity_admin import RECENT, coming_and_waiting
from storage import activities, hosting
from storage.activities import Activity
from storage.hosting import APPROVED, ASKED, DECLINED, PENDING, Proposal

AREA = "host"
SHORT_ANSWER = 150  # characters of an organiser's words in 📋 My proposals: five fit in one message
STATUS = {
    PENDING: N_("⏳ Waiting for the organisers."),
    ASKED: N_("❓ An organiser asked a question: {answer}"),
    APPROVED: N_("✅ Published. You are the host."),
    DECLINED: N_("✖️ Not published: {answer}"),
}


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def status_words(_: Translate, proposal: Proposal, shorten: int | None = None) -> str:
    """What became of a proposal, in words; the organiser's words shortened to `shorten` characters."""
    answer = shortened(proposal.answer or "", shorten) if shorten else proposal.answer or ""
    return _(STATUS[proposal.status]).format(answer=escape(answer))


@requires(Need.ACTIVE)
async def menu(update: Update, context: WijkContext) -> None:
    """💡 Propose an activity: a new proposal, what became of mine, and what I host."""
    _ = context.gettext
    text = _(
        "💡 Propose an activity\nDo you want to organise something yourself? Propose it here. "
        "An organiser looks at it. When it is published, you are the host."
    )
    rows = [
        [button("💡 " + _("New proposal"), AREA, "new")],
        [button("📋 " + _("My proposals"), AREA, "mine", 0)],
        [button("👤 " + _("Activities I host"), AREA, "hosted", 0)],
        nav_row(_, callbacks.pack("part", "menu")),  # 🙌 Take part
    ]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def mine_button(update: Update, context: WijkContext) -> None:
    """📋 My proposals: newest first, 5 a page, each with what became of it; one asked about can be changed."""
    _ = context.gettext
    page = tapped(update).int_arg(0)
    member_id = context.known_member.id
    mine = hosting.of_member(context.db, member_id, page)
    if not mine.items and page:  # an old ▶️: the list got shorter since
        page = 0
        mine = hosting.of_member(context.db, member_id, page)
    tz = context.settings.timezone
    entries = [
        f"💡 <b>{escape(p.plan.title)}</b>\n{format_when(p.plan.starts_at, context.language, tz)}\n"
        + status_words(_, p, SHORT_ANSWER)
        for p in mine.items
    ]
    text = "\n\n".join(["📋 " + _("My proposals"), *entries]) if entries else _("📋 You have not made a proposal yet.")
    again = [
        [button("✏️ " + shortened(p.plan.title, activity_text.TITLE_ON_A_BUTTON), AREA, "again", p.id)]
        for p in mine.items
        if p.status == ASKED
    ]
    rows = again + arrows(mine, AREA, "mine") + [nav_row(_, callbacks.pack(AREA, "menu"))]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def hosted_button(update: Update, context: WijkContext) -> None:
    """👤 Activities I host: what is coming, then the last two weeks (to tick who was there)."""
    _ = context.gettext
    now = context.now()
    found = activities.recent_and_upcoming(
        context.db, now - RECENT, now, tapped(update).int_arg(0), host_id=context.known_member.id
    )
    tz = context.settings.timezone

    def line(a: Activity) -> InlineKeyboardButton:
        return button(
            ("🚫 " if a.cancelled else "") + activity_text.list_line(_, a, context.language, tz), AREA, "act", a.id
        )

    text = _("👤 Activities I host") if found.items else _("👤 You do not host an activity yet.")
    rows = paged(found, line, AREA, "hosted") + [nav_row(_, callbacks.pack(AREA, "menu"))]
    await show(update, context, text, inline(rows))


@requires(Need.ACTIVE)
async def activity_button(update: Update, context: WijkContext) -> None:
    """One activity I host: the card, how many come, 👥 who, and ✔️ who was there once it took place."""
    _ = context.gettext
    activity = existing(context, tapped(update).int_arg(0))
    if activity.host_id != context.known_member.id:  # another member's activity: a forged button
        raise callbacks.StaleButton(f"member {context.known_member.id} does not host activity {activity.id}")
    started = activity.starts_at <= context.now()
    text = "\n\n".join(
        [
            activity_text.card(
                _,
                activity,
                context.language,
                context.settings.timezone,
                is_open=activity.open_at(context.now()),
                host=host_of(context, activity),
            ),
            coming_and_waiting(context.language, activity),
            _("You are the host. An organiser can change or cancel it."),
        ]
    )
    rows = [[button("👥 " + _("Who comes"), "org", "who", activity.id)]]
    if started and not activity.cancelled:
        rows.append([button("✔️ " + _("Who was there"), "org", "attend", activity.id, 0)])
    rows.append(nav_row(_, callbacks.pack(AREA, "hosted", 0)))
    await show(update, context, text, inline(rows))


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(menu, pattern=on("menu")),
        CallbackQueryHandler(mine_button, pattern=on("mine")),
        CallbackQueryHandler(hosted_button, pattern=on("hosted")),
        CallbackQueryHandler(activity_button, pattern=on("act")),
    ]
