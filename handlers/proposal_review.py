"""Organisers answer a member's proposal: ask a question, or decline with a reason.

Every organiser gets each new proposal as a card (bot/vote_notices.py). The
first decision counts: storage/proposals.py settles it in one transaction, and
a later tap on another organiser's old card says it was answered and changes
nothing. The question or reason is previewed as the member will read it.
Putting it to a vote is in handlers/vote_planning.py.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, validation, vote_text
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.i18n import N_, Translate
from bot.incoming import query, text
from bot.keyboards import button, inline, nav_row, paged, typed_text
from bot.replies import show
from bot.vote_notices import PROPOSAL_NEWS, proposal_buttons, proposal_card
from handlers.proposing import status_words
from storage import proposals
from storage.proposals import PENDING, Decision, Proposal

AREA = "review"
ASK, DECLINE = "ask", "decline"
TYPING, PREVIEW = "typing", "preview"
MAX_ANSWER = 500
QUESTIONS = {
    ASK: N_("❓ What do you want to ask {name} about “{title}”? Type your question. At most 500 characters."),
    DECLINE: N_("✖️ Why is “{title}” not put to a vote? Type the reason for {name}. At most 500 characters."),
}
EMPTY = {ASK: N_("Please type your question."), DECLINE: N_("Please type the reason.")}
NEWS = {ASK: "proposal_asked", DECLINE: "proposal_declined"}  # what the member gets (bot/vote_notices.py)
DECIDE = {ASK: proposals.send_back, DECLINE: proposals.decline}


def author(_: Translate, proposal: Proposal) -> str:
    return escape(proposal.member_name) if proposal.member_name else _("a member who has left")


def to_the_list(_: Translate) -> list[InlineKeyboardButton]:
    """⬅️ Back to 💡 Proposals, and 🏠 Menu."""
    return nav_row(_, callbacks.pack(AREA, "list", 0))


def tapped_id(update: Update) -> int:
    return callbacks.parse(query(update).data).int_arg(0)


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
                proposal_card(_, proposal),
                _("An organiser already answered this proposal. Nothing was changed."),
                status_words(_, proposal),
            ]
        )
    await show(update, context, said, inline([to_the_list(_)]))
    return None


@requires(Need.ORGANISER)
async def list_button(update: Update, context: WijkContext) -> None:
    """💡 Proposals: those that wait for an answer, oldest first, 5 a page."""
    _ = context.gettext
    page = callbacks.parse(query(update).data).int_arg(0)
    waiting = proposals.waiting_page(context.db, page)
    if not waiting.items and page:  # an old ▶️: the list got shorter since
        page = 0
        waiting = proposals.waiting_page(context.db, page)

    def line(proposal: Proposal) -> InlineKeyboardButton:
        name = proposal.member_name or _("a member who has left")
        return button(f"💡 {vote_text.on_a_button(proposal.title)} · {name}", AREA, "card", proposal.id)

    if waiting.items:
        said = _("💡 Proposals that wait for an answer. Tap one to read it.")
    else:
        said = _("💡 No proposals are waiting.")
    rows = paged(waiting, line, AREA, "list") + [nav_row(_, callbacks.pack("vorg", "menu"))]
    await show(update, context, said, inline(rows))


async def show_card(update: Update, context: WijkContext, proposal_id: int) -> None:
    """One proposal as organisers read it, with what they can do; a decided one says what became of it."""
    _ = context.gettext
    proposal = await still_waiting(update, context, proposals.get(context.db, proposal_id))
    if proposal is not None:
        rows = proposal_buttons(_, proposal.id) + [to_the_list(_)]
        await show(update, context, proposal_card(_, proposal), inline(rows))


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    """A proposal from 💡 Proposals."""
    await show_card(update, context, tapped_id(update))


def draft(context: WijkContext, tapped: int | None = None) -> dict:
    """The answer being written; a button of an answer that is gone, or of another proposal, no longer works."""
    answer = context.answers.get(AREA)
    if not answer or (tapped is not None and tapped != answer["proposal"]):
        raise callbacks.StaleButton("no answer to this proposal is being written")
    return answer


async def current(update: Update, context: WijkContext) -> Proposal | None:
    """The proposal being answered while it still waits; otherwise say why not and forget the answer."""
    proposal = await still_waiting(update, context, proposals.get(context.db, draft(context)["proposal"]))
    if proposal is None:
        context.answers.pop(AREA, None)
    return proposal


async def ask(update: Update, context: WijkContext, proposal: Proposal, error: str = "") -> str:
    """Type the question or the reason; ⬅️ Back goes to the proposal."""
    _ = context.gettext
    question = _(QUESTIONS[draft(context)["action"]]).format(name=author(_, proposal), title=escape(proposal.title))
    back = nav_row(_, callbacks.pack(AREA, "card", proposal.id))
    await show(update, context, f"{error}\n\n{question}".strip(), inline([back]))
    return TYPING


@requires(Need.ORGANISER)
async def start_button(update: Update, context: WijkContext) -> object:
    """❓ Ask a question or ✖️ Decline on a proposal card: first the words for the member."""
    tapped = callbacks.parse(query(update).data)
    proposal = await still_waiting(update, context, proposals.get(context.db, tapped.int_arg(0)))
    if proposal is None:
        return ConversationHandler.END
    context.answers[AREA] = {"proposal": proposal.id, "action": tapped.action}
    return await ask(update, context, proposal)


@requires(Need.ORGANISER)
async def answer_text(update: Update, context: WijkContext) -> object:
    """The typed question or reason: checked, then previewed."""
    proposal = await current(update, context)
    if proposal is None:
        return ConversationHandler.END
    answer = draft(context)
    try:
        answer["text"] = validation.lines(text(update), MAX_ANSWER, EMPTY[answer["action"]])
    except validation.Invalid as invalid:
        return await ask(update, context, proposal, invalid.text(context.gettext))
    return await preview(update, context, proposal)


async def preview(update: Update, context: WijkContext, proposal: Proposal) -> str:
    """The message exactly as the member will get it (in their own language), and what to do with it."""
    _ = context.gettext
    answer = draft(context)
    news = _(PROPOSAL_NEWS[NEWS[answer["action"]]]).format(title=escape(proposal.title), answer=escape(answer["text"]))
    said = _("This is the message {name} will get:").format(name=author(_, proposal)) + "\n\n" + news
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
    """✏️ Change or ⬅️ Back on the preview: type it again."""
    draft(context, tapped_id(update))
    proposal = await current(update, context)
    if proposal is None:
        return ConversationHandler.END
    return await ask(update, context, proposal)


@requires(Need.ORGANISER)
async def send_button(update: Update, context: WijkContext) -> int:
    """✅ Yes, send: the first decision counts; the member hears it. The flow ends, so a second tap sends nothing."""
    _ = context.gettext
    answer = draft(context, tapped_id(update))
    context.answers.pop(AREA, None)
    decide = DECIDE[answer["action"]]
    decision = decide(
        context.db, answer["proposal"], answer["text"], organiser_id=context.known_member.id, now=context.now()
    )
    if decision is Decision.DONE:
        context.wake_sender()
        await show(update, context, _("✅ Sent. The member gets your message."), inline([to_the_list(_)]))
    else:  # another organiser came first, or it is gone: say so
        await still_waiting(update, context, proposals.get(context.db, answer["proposal"]))
    return ConversationHandler.END


@requires(Need.ORGANISER)
async def back_to_card_button(update: Update, context: WijkContext) -> int:
    """⬅️ Back while typing: the proposal again, nothing sent."""
    context.answers.pop(AREA, None)
    await show_card(update, context, tapped_id(update))
    return ConversationHandler.END


async def leave(update: Update, context: WijkContext) -> int:
    """✖️ Stop, 🏠 Menu, /start or /menu: nothing is sent."""
    _ = context.gettext
    return await end_conversation(update, context, _("Stopped. Nothing was sent."), AREA)


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "review_proposal",
            entry_points=[CallbackQueryHandler(start_button, pattern=on(ASK, DECLINE))],
            states={
                TYPING: [
                    MessageHandler(typed_text(), answer_text),
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
        CallbackQueryHandler(list_button, pattern=on("list")),
        CallbackQueryHandler(card_button, pattern=on("card")),
    ]
