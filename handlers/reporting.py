"""⚠️ Reports: a member reports a post or a relayed message; organisers decide what to do about it.

The member is asked once, then thanked; storage/reports.py keeps a copy of the
content and sends every active organiser a card (bot/talk_notices.py). On the
card: 🙈 Hide post, ⏸️ Pause membership (asked once more) or ✔️ Nothing wrong.
The first decision counts; a later tap on another organiser's card shows who
decided and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.access import Need, requires
from bot.context import WijkContext
from bot.formatting import shortened
from bot.i18n import N_
from bot.incoming import query
from bot.keyboards import button, inline, nav_row
from bot.replies import send, show
from bot.talk_notices import decided, report_buttons, report_card
from handlers import helping
from storage import activities, posts, reports, talks
from storage.reports import Decision, Report, Reported

AREA = "report"
SHOWN_OF_A_MESSAGE = 200  # characters of the reported message shown in the question
TOASTS = {
    Decision.DONE: N_("Done."),
    Decision.ALREADY: N_("Another organiser decided first. Nothing was changed."),
    Decision.LAST_ORGANISER: N_("Not possible: there must always be at least one organiser."),
}


def tapped_id(update: Update) -> int:
    return callbacks.parse(query(update).data).int_arg(0)


async def ask(update: Update, context: WijkContext, shown: str, yes: str, thing_id: int) -> None:
    """Report this to the organisers? As a new message, so the post or message stays readable."""
    _ = context.gettext
    rows = [
        [button("✅ " + _("Yes, report"), AREA, yes, thing_id)],
        [button("✖️ " + _("No"), AREA, "no")],
        nav_row(_, helping.menu_data()),
    ]
    await query(update).answer()
    await send(update, context, _("⚠️ Report this to the organisers?") + "\n\n" + shown, inline(rows))


@requires(Need.ACTIVE)
async def post_button(update: Update, context: WijkContext) -> None:
    """⚠️ Report on another member's post card."""
    post = posts.get(context.db, tapped_id(update))
    if post is None or post.member_id in (None, context.known_member.id):
        raise callbacks.StaleButton("no post of another member to report")
    await ask(update, context, f"<b>{escape(post.title)}</b>", "postok", post.id)


@requires(Need.ACTIVE)
async def message_button(update: Update, context: WijkContext) -> None:
    """⚠️ Report on a relayed message: only by the member who received it."""
    message = talks.get_message(context.db, tapped_id(update))
    me = context.known_member.id
    talk = talks.get(context.db, message.talk_id) if message else None
    if message is None or talk is None or not talk.has(me) or message.sender_id in (None, me):
        raise callbacks.StaleButton("no message to this member to report")
    await ask(update, context, escape(shortened(message.body, SHOWN_OF_A_MESSAGE)), "msgok", message.id)


@requires(Need.ACTIVE)
async def yes_button(update: Update, context: WijkContext) -> None:
    """✅ Yes, report: stored once (a second tap reports nothing new), and the member is thanked."""
    _ = context.gettext
    tapped = callbacks.parse(query(update).data)
    file = reports.report_post if tapped.action == "postok" else reports.report_message
    if file(context.db, tapped.int_arg(0), context.known_member.id, context.now()) is Reported.GONE:
        raise callbacks.StaleButton("nothing to report")
    context.wake_sender()
    thanks = _("🙏 Thank you for telling us. The organisers will look at it.")
    await show(update, context, thanks, inline([nav_row(_, helping.menu_data())]))


@requires(Need.ACTIVE)
async def no_button(update: Update, context: WijkContext) -> None:
    """✖️ No: nothing is reported."""
    _ = context.gettext
    await show(update, context, _("Nothing was reported."), inline([nav_row(_, helping.menu_data())]))


async def show_report(update: Update, context: WijkContext, report: Report | None, toast: str | None = None) -> None:
    """The card: with what an organiser can do while it is open, else who decided what."""
    _ = context.gettext
    if report is None:
        raise callbacks.StaleButton("no such report")
    if report.handled_at is None:
        shown, rows = report_card(_, report), report_buttons(_, report)
    else:
        shown, rows = report_card(_, report) + "\n\n" + decided(_, report), []
    await show(update, context, shown, inline([*rows, nav_row(_, None)]), toast=toast)


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    """↩️ No to pausing: back to the card."""
    await show_report(update, context, reports.get(context.db, tapped_id(update)))


@requires(Need.ORGANISER)
async def suspend_button(update: Update, context: WijkContext) -> None:
    """⏸️ Pause membership: asked once more (UX.md), unless someone decided already."""
    _ = context.gettext
    report = reports.get(context.db, tapped_id(update))
    if report is None or report.handled_at is not None or report.reported_id is None:
        await show_report(update, context, report, toast=_(TOASTS[Decision.ALREADY]))
        return
    question = _("Pause the membership of {name}?").format(name=escape(report.reported_name or ""))
    rows = [
        [button("✅ " + _("Yes"), AREA, "suspendok", report.id)],
        [button("↩️ " + _("No"), AREA, "card", report.id)],
        nav_row(_, callbacks.pack(AREA, "card", report.id)),
    ]
    await show(update, context, report_card(_, report) + "\n\n" + question, inline(rows))


DECIDE = {"hide": reports.hide_post, "dismiss": reports.dismiss, "suspendok": reports.suspend_member}


@requires(Need.ORGANISER)
async def decide_button(update: Update, context: WijkContext) -> None:
    """🙈 Hide post, ✔️ Nothing wrong, or ✅ pause: the first decision counts."""
    tapped = callbacks.parse(query(update).data)
    now = context.now()
    decision, report = DECIDE[tapped.action](context.db, tapped.int_arg(0), context.known_member.id, now)
    if decision is Decision.DONE:
        if tapped.action == "suspendok" and report and report.reported_id:  # their places go to others
            activities.withdraw_everywhere(context.db, report.reported_id, now, context.timing)
        context.wake_sender()
    await show_report(update, context, report, toast=context.gettext(TOASTS[decision]) if report else None)


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(post_button, pattern=on("post")),
        CallbackQueryHandler(message_button, pattern=on("msg")),
        CallbackQueryHandler(yes_button, pattern=on("postok", "msgok")),
        CallbackQueryHandler(no_button, pattern=on("no")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(suspend_button, pattern=on("suspend")),
        CallbackQueryHandler(decide_button, pattern=on("hide", "dismiss", "suspendok")),
    ]
