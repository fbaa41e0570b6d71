"""📣 Organise → 💡 proposed activities: organisers publish a member's activity with them as host, ask a
question, or decline it with a reason (issue 14).

Every organiser gets each proposal as a card (bot/host_notices.py). The first decision counts:
storage/hosting.py settles it in one transaction, and publishing checks the room again in it. A later tap on
another organiser's card says it was answered and changes nothing. The question or reason is previewed as the
member will read it; declining is asked once more that way.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import activity_text, callbacks, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.formatting import shortened
from bot.host_notices import NEWS, decision_rows, proposal_text
from bot.i18n import N_, Translate
from bot.incoming import tapped, text
from bot.keyboards import button, inline, nav_row, paged, typed_text
from bot.replies import show
from handlers.activities import link
from handlers.hosting import status_words
from storage import hosting
from storage.hosting import PENDING, Decision, Proposal

AREA = "hostorg"
ASK, DECLINE = "ask", "decline"
TYPING, PREVIEW = "typing", "preview"
MAX_ANSWER = 500
QUESTIONS = {
    ASK: N_("❓ What do you want to ask {name} about “{title}”? Type your question. At most 500 characters."),
    DECLINE: N_("❌ Why is “{title}” not published? Tap a reason, or type it for {name}. At most 500 characters."),
}
EMPTY = {ASK: N_("Please type your question."), DECLINE: N_("Please type the reason.")}
KINDS = {ASK: hosting.ASKED_NOTICE, DECLINE: hosting.DECLINED_NOTICE}  # what the member gets
DECIDE = {ASK: hosting.ask, DECLINE: hosting.decline}
REASONS = (  # quick reasons to decline (hostorg:reason)
    N_("The room or the time does not work."),
    N_("We already have an activity like this."),
    N_("It does not fit the cooperative."),
)
PUBLISH_REFUSED = {
    Decision.ROOM_TAKEN: N_("⚠️ The room is in use at that time. Nothing was published. Ask a question or decline."),
    Decision.STARTED: N_("⚠️ The time of this activity has passed. Nothing was published. Please decline it."),
}


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def to_the_list(_: Translate) -> list[InlineKeyboardButton]:
    """⬅️ Back to the proposals that wait, and 🏠 Menu."""
    return nav_row(_, callbacks.pack(AREA, "list", 0))


async def still_waiting(update: Update, context: WijkContext, proposal: Proposal | None) -> Proposal | None:
    """The proposal while it waits for an answer; otherwise None, after saying plainly why, changing nothing."""
    _ = context.gettext
    if proposal is not None and proposal.status == PENDING:
        return proposal
    if proposal is None:
        said = _("This proposal no longer exists.")
    else:
        said = "\n\n".join(
            [
                proposal_text(_, proposal, context.language, context.settings),
                _("An organiser already answered this proposal. Nothing was changed."),
                status_words(_, proposal),
            ]
        )
    await show(update, context, said, inline([to_the_list(_)]))
    return None


@requires(Need.ORGANISER)
async def list_button(update: Update, context: WijkContext) -> None:
    """💡 Proposed activities that wait for an answer, the longest waiting first, 5 a page."""
    _ = context.gettext
    page = tapped(update).int_arg(0) if tapped(update).action == "list" else 0
    waiting = hosting.waiting_page(context.db, page)
    if not waiting.items and page:  # an old ▶️: the list got shorter since
        waiting = hosting.waiting_page(context.db, 0)

    def line(proposal: Proposal) -> InlineKeyboardButton:
        title = shortened(proposal.plan.title, activity_text.TITLE_ON_A_BUTTON)
        return button(f"💡 {title} · {proposal.member_name or '?'}", AREA, "card", proposal.id)

    if waiting.items:
        said = _("💡 Proposed activities that wait for an answer. Tap one to read it.")
    else:
        said = _("💡 No proposed activities are waiting.")
    rows = paged(waiting, line, AREA, "list") + [nav_row(_, callbacks.pack("org", "menu"))]
    await show(update, context, said, inline(rows))


async def show_card(update: Update, context: WijkContext, proposal_id: int, note: str = "") -> None:
    """One proposal as organisers read it, with what they can do; a decided one says what became of it."""
    _ = context.gettext
    proposal = await still_waiting(update, context, hosting.get(context.db, proposal_id))
    if proposal is not None:
        said = proposal_text(_, proposal, context.language, context.settings)
        rows = decision_rows(_, proposal.id) + [to_the_list(_)]
        await show(update, context, f"{note}\n\n{said}".strip(), inline(rows))


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    """A proposal from the list."""
    await show_card(update, context, tapped(update).int_arg(0))


@requires(Need.ORGANISER)
async def publish_button(update: Update, context: WijkContext) -> None:
    """✅ Publish: members can sign up, the member is the host and hears it; the first decision counts."""
    _ = context.gettext
    proposal_id = tapped(update).int_arg(0)
    published = hosting.publish(context.db, proposal_id, organiser_id=context.known_member.id, now=context.now())
    if published.decision in PUBLISH_REFUSED:
        await show_card(update, context, proposal_id, _(PUBLISH_REFUSED[published.decision]))
        return
    if published.activity is None:  # another organiser came first, or it is gone: say so
        await still_waiting(update, context, hosting.get(context.db, proposal_id))
        return
    context.wake_sender()
    activity = published.activity
    said = _("✅ Published: {title}.\nShare this link on posters and in other chats:\n{link}").format(
        title=escape(activity.title), link=link(context.bot.username, activity.id)
    )
    rows = [[button("📅 " + _("Show"), "org", "act", activity.id)], to_the_list(_)]
    await show(update, context, said + "\n\n" + _("The host gets a message."), inline(rows))


def draft(context: WijkContext, tapped_id: int | None = None) -> dict:
    """The answer being written; a button of an answer that is gone, or of another proposal, no longer works."""
    answer = context.answers.get(AREA)
    if not answer or (tapped_id is not None and tapped_id != answer["proposal"]):
        raise callbacks.StaleButton("no answer to this proposal is being written")
    return answer


async def current(update: Update, context: WijkContext) -> Proposal | None:
    """The proposal being answered while it still waits; otherwise say why not and forget the answer."""
    proposal = await still_waiting(update, context, hosting.get(context.db, draft(context)["proposal"]))
    if proposal is None:
        context.answers.pop(AREA, None)
    return proposal


async def ask(update: Update, context: WijkContext, proposal: Proposal, error: str = "") -> str:
    """Type the question or the reason (or tap one); ⬅️ Back goes to the proposal."""
    _ = context.gettext
    action = draft(context)["action"]
    name = activity_text.host_name(_, proposal.member_name)
    question = _(QUESTIONS[action]).format(name=name, title=escape(proposal.plan.title))
    rows = []
    if action == DECLINE:
        rows = [[button(_(reason), AREA, "reason", proposal.id, n)] for n, reason in enumerate(REASONS)]
    rows.append(nav_row(_, callbacks.pack(AREA, "card", proposal.id)))
    await show(update, context, f"{error}\n\n{question}".strip(), inline(rows))
    return TYPING


@requires(Need.ORGANISER)
async def start_button(update: Update, context: WijkContext) -> object:
    """❓ Ask a question or ❌ Decline on a proposal: first the words for the member."""
    button_data = tapped(update)
    proposal = await still_waiting(update, context, hosting.get(context.db, button_data.int_arg(0)))
    if proposal is None:
        return ConversationHandler.END
    context.answers[AREA] = {"proposal": proposal.id, "action": button_data.action}
    return await ask(update, context, proposal)


async def answered(update: Update, context: WijkContext, words: str) -> object:
    """The words for the member are known: preview them, if the proposal still waits."""
    proposal = await current(update, context)
    if proposal is None:
        return ConversationHandler.END
    draft(context)["text"] = words
    return await preview(update, context, proposal)


@requires(Need.ORGANISER)
async def answer_text(update: Update, context: WijkContext) -> object:
    """The typed question or reason: checked, then previewed."""
    action = draft(context)["action"]
    try:
        words = validation.lines(text(update), MAX_ANSWER, EMPTY[action])
    except validation.Invalid as invalid:
        proposal = await current(update, context)
        return (
            await ask(update, context, proposal, invalid.text(context.gettext)) if proposal else ConversationHandler.END
        )
    return await answered(update, context, words)


@requires(Need.ORGANISER)
async def reason_button(update: Update, context: WijkContext) -> object:
    """A reason from the buttons, when declining."""
    button_data = tapped(update)
    if draft(context, button_data.int_arg(0))["action"] != DECLINE:
        raise callbacks.StaleButton("a reason only when declining")
    return await answered(update, context, context.gettext(REASONS[button_data.int_arg(1)]))


async def preview(update: Update, context: WijkContext, proposal: Proposal) -> str:
    """The message exactly as the member will get it (in their own language), and what to do with it."""
    _ = context.gettext
    answer = draft(context)
    news = _(NEWS[KINDS[answer["action"]]]).format(title=escape(proposal.plan.title), answer=escape(answer["text"]))
    name = activity_text.host_name(_, proposal.member_name)
    said = _("This is the message {name} will get:").format(name=name) + "\n\n" + news
    rows = [
        [button("✅ " + _("Yes, send"), AREA, "send", proposal.id)],
        [button("✏️ " + _("Change"), AREA, "change", proposal.id)],
        [button("✖️ " + _("Stop"), AREA, "stop", proposal.id)],
        nav_row(_, callbacks.pack(AREA, "change", proposal.id)),
    ]
    await show(update, context, said, inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def change_button(update: Update, context: WijkContext) -> object:
    """✏️ Change or ⬅️ Back on the preview: the words again."""
    draft(context, tapped(update).int_arg(0))
    proposal = await current(update, context)
    return await ask(update, context, proposal) if proposal else ConversationHandler.END


@requires(Need.ORGANISER)
async def send_button(update: Update, context: WijkContext) -> int:
    """✅ Yes, send: the first decision counts; the member hears it. The flow ends, so a second tap sends nothing."""
    _ = context.gettext
    answer = draft(context, tapped(update).int_arg(0))
    context.answers.pop(AREA, None)
    decide = DECIDE[answer["action"]]
    decision = decide(
        context.db, answer["proposal"], answer["text"], organiser_id=context.known_member.id, now=context.now()
    )
    if decision is Decision.DONE:
        context.wake_sender()
        await show(update, context, _("✅ Sent. The member gets your message."), inline([to_the_list(_)]))
    else:  # another organiser came first, or it is gone: say so
        await still_waiting(update, context, hosting.get(context.db, answer["proposal"]))
    return ConversationHandler.END


@requires(Need.ORGANISER)
async def back_to_card_button(update: Update, context: WijkContext) -> int:
    """⬅️ Back while typing: the proposal again, nothing sent."""
    context.answers.pop(AREA, None)
    await show_card(update, context, tapped(update).int_arg(0))
    return ConversationHandler.END


async def leave(update: Update, context: WijkContext) -> int:
    """✖️ Stop, 🏠 Menu, /start or /menu: nothing is sent."""
    _ = context.gettext
    return await end_conversation(update, context, _("Stopped. Nothing was sent."), AREA)


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "review_hosted",
            entry_points=[CallbackQueryHandler(start_button, pattern=on(ASK, DECLINE))],
            states={
                TYPING: [
                    MessageHandler(typed_text(), answer_text),
                    CallbackQueryHandler(reason_button, pattern=on("reason")),
                    CallbackQueryHandler(back_to_card_button, pattern=on("card")),
                ],
                PREVIEW: [
                    CallbackQueryHandler(send_button, pattern=on("send")),
                    CallbackQueryHandler(change_button, pattern=on("change")),
                    CallbackQueryHandler(leave, pattern=on("stop")),
                ],
            },
            fallbacks=leave_handlers(leave, draft=AREA),
        ),
        CallbackQueryHandler(list_button, pattern=on("menu", "list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(publish_button, pattern=on("publish")),
    ]
