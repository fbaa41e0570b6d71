"""⚠️ Reports: a member reports a post or a relayed message; organisers decide what to do about it.

The member is asked once, then thanked; storage/reports.py keeps a copy of the
content and sends every active organiser a card (bot/talk_notices.py). On the
card: 🙈 Hide post, ⏸️ Pause membership (asked once more) or ✔️ Nothing wrong.
The first decision counts; a later tap on any card shows who decided (also when
it was the one tapping) and changes nothing. The same card opens from the list of
open reports (handlers/help_admin.py); its buttons then keep the list's page
(report:l<action>:<report>:<page>), so that ⬅️ Back leads back to the list.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, post_text
from bot.access import Need, requires
from bot.context import WijkContext
from bot.formatting import shortened
from bot.i18n import N_, Translate
from bot.incoming import query
from bot.keyboards import button, inline, nav_row
from bot.replies import send, show
from bot.talk_notices import decided, open_card, report_buttons, report_card, report_data
from handlers import helping
from storage import activities, posts, reports, talks
from storage.reports import Decision, Report, Reported

AREA = "report"
SHOWN_OF_A_MESSAGE = 200  # characters of the reported message shown in the question
TOASTS = {  # Decision.ALREADY: already()
    Decision.DONE: N_("Done."),
    Decision.LAST_ORGANISER: N_("Not possible: there must always be at least one organiser."),
    Decision.POST_GONE: N_("The post was already gone. Nothing was hidden."),
}


def tapped_id(update: Update) -> int:
    return callbacks.parse(query(update).data).int_arg(0)


def tapped_report(update: Update) -> tuple[str, int, int | None]:
    """The action on a report (without the list's "l"), the report, and the list's page (None: not from the list)."""
    tapped = callbacks.parse(query(update).data)
    if tapped.action.startswith("l"):
        return tapped.action[1:], tapped.int_arg(0), tapped.int_arg(1)
    return tapped.action, tapped.int_arg(0), None


def already(_: Translate, report: Report) -> str:
    """The toast for a tap on a report that was settled before: who decided (this organiser too), or that the
    reported member left. A toast is plain text: the name is not escaped."""
    if report.outcome == reports.LEFT:
        return _("The member has left. This report is closed.")
    if report.handled_by_name:
        return _("Already decided by {name}. Nothing was changed.").format(name=report.handled_by_name)
    return _("Already decided. Nothing was changed.")


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
    _ = context.gettext
    post = posts.get(context.db, tapped_id(update))
    if post is None or post.member_id in (None, context.known_member.id):
        raise callbacks.StaleButton("no post of another member to report")
    if not post.live(context.now()):  # nobody sees it any more: nothing left to report
        await query(update).answer(_("No longer up"))
        await send(update, context, _(post_text.NO_LONGER_UP), inline([nav_row(_, helping.menu_data())]))
        return
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


async def show_report(
    update: Update, context: WijkContext, report: Report | None, toast: str | None = None, page: int | None = None
) -> None:
    """The card: with what an organiser can do while it is open, else who decided what. ⬅️ Back leads to the
    list's page when it was opened from there."""
    _ = context.gettext
    if report is None:
        raise callbacks.StaleButton("no such report for this organiser")
    if report.handled_at is None:
        shown, rows = open_card(_, report), report_buttons(_, report, context.known_member.id, page)
    else:
        shown, rows = report_card(_, report) + "\n\n" + decided(_, report), []
    back = None if page is None else callbacks.pack("horg", "reports", page)
    await show(update, context, shown, inline([*rows, nav_row(_, back)]), toast=toast)


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    """A report from the list of open reports, or ↩️ No to pausing: the card."""
    _action, report_id, page = tapped_report(update)
    await show_report(update, context, reports.for_organiser(context.db, report_id, context.known_member.id), page=page)


@requires(Need.ORGANISER)
async def suspend_button(update: Update, context: WijkContext) -> None:
    """⏸️ Pause membership: asked once more (UX.md), unless someone decided already."""
    _ = context.gettext
    _action, report_id, page = tapped_report(update)
    report = reports.for_organiser(context.db, report_id, context.known_member.id)
    if report is None or report.handled_at is not None or report.reported_id is None:
        await show_report(update, context, report, toast=already(_, report) if report else None, page=page)
        return
    question = _("Pause the membership of {name}?").format(name=escape(report.reported_name or ""))
    rows = [
        [InlineKeyboardButton("✅ " + _("Yes"), callback_data=report_data("suspendok", report.id, page))],
        [InlineKeyboardButton("↩️ " + _("No"), callback_data=report_data("card", report.id, page))],
        nav_row(_, report_data("card", report.id, page)),
    ]
    await show(update, context, open_card(_, report) + "\n\n" + question, inline(rows))


DECIDE = {"hide": reports.hide_post, "dismiss": reports.dismiss, "suspendok": reports.suspend_member}


@requires(Need.ORGANISER)
async def decide_button(update: Update, context: WijkContext) -> None:
    """🙈 Hide post, ✔️ Nothing wrong, or ✅ pause: the first decision counts."""
    _ = context.gettext
    action, report_id, page = tapped_report(update)
    now = context.now()
    decision, report = DECIDE[action](context.db, report_id, context.known_member.id, now)
    if decision is Decision.DONE:
        if action == "suspendok" and report and report.reported_id:  # their places go to others
            activities.withdraw_everywhere(context.db, report.reported_id, now, context.timing)
        context.wake_sender()
    if report is None:
        raise callbacks.StaleButton("no such report for this organiser")
    toast = already(_, report) if decision is Decision.ALREADY else _(TOASTS[decision])
    await show_report(update, context, report, toast=toast, page=page)


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(post_button, pattern=on("post")),
        CallbackQueryHandler(message_button, pattern=on("msg")),
        CallbackQueryHandler(yes_button, pattern=on("postok", "msgok")),
        CallbackQueryHandler(no_button, pattern=on("no")),
        CallbackQueryHandler(card_button, pattern=on("card", "lcard")),
        CallbackQueryHandler(suspend_button, pattern=on("suspend", "lsuspend")),
        CallbackQueryHandler(decide_button, pattern=on(*DECIDE, *("l" + action for action in DECIDE))),
    ]
