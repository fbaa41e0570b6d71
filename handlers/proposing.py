"""💡 A member's proposal, step by step: title, text, why; previewed, then sent to the organisers.

Each step asks one thing and checks it. ⬅️ Back goes one step back; from the
preview, ✏️ Change jumps to one answer and comes back. The preview shows the
card exactly as organisers will read it; nothing is sent before ✅.
📋 My proposals shows what became of each one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import States, end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_when, shortened
from bot.i18n import N_, Translate
from bot.incoming import query, text
from bot.keyboards import arrows, button, in_rows, inline, nav_row, typed_text
from bot.replies import edit, show
from bot.vote_notices import proposal_card
from storage import proposals
from storage.proposals import ASKED, DECLINED, PENDING, VOTING, Proposal

AREA = "prop"
TITLE, TEXT, WHY = "title", "text", "why"
ORDER = (TITLE, TEXT, WHY)
PREVIEW = "preview"
MAX_TEXT = validation.MAX_DESCRIPTION
MAX_WHY = 500
SHORT_ANSWER = 150  # characters of an organiser's words in 📋 My proposals: five fit in one message
STATUS = {
    PENDING: N_("⏳ Waiting for the organisers."),
    ASKED: N_("❓ An organiser asked a question: {answer}"),
    VOTING: N_("🗳️ Put to a vote."),
    DECLINED: N_("✖️ Not put to a vote: {answer}"),
}


def read_title(typed: str) -> str:
    """One line of at most 80 characters (validation.title), with words of its own when it is empty."""
    if not typed.strip():
        raise validation.Invalid(N_("Please type a short title for your proposal."))
    return validation.title(typed)


@dataclass(frozen=True)
class Step:
    question: str
    read: Callable[[str], str]  # typed text -> the answer to keep; raises validation.Invalid
    label: str  # the field's name on the ✏️ Change screen


STEPS: dict[str, Step] = {
    TITLE: Step(N_("💡 What is your proposal? Give it a short title. At most 80 characters."), read_title, N_("Title")),
    TEXT: Step(
        N_("What should happen? Describe your proposal. At most 1000 characters."),
        lambda typed: validation.lines(typed, MAX_TEXT, N_("Please write a few words about your proposal.")),
        N_("Text"),
    ),
    WHY: Step(
        N_("Why is it good for the neighbourhood? At most 500 characters."),
        lambda typed: validation.lines(typed, MAX_WHY, N_("Please write why you propose it.")),
        N_("Why"),
    ),
}


def status_words(_: Translate, proposal: Proposal, shorten: int | None = None) -> str:
    """What became of a proposal, in words; the organiser's words shortened to `shorten` characters."""
    answer = shortened(proposal.answer or "", shorten) if shorten else proposal.answer or ""
    return _(STATUS[proposal.status]).format(answer=escape(answer))


def draft(context: WijkContext) -> dict:
    return context.answers.setdefault(AREA, {})


def votes_menu() -> str:
    """🗳️ Votes (handlers/voting.py), where a proposal starts and where the way back leads."""
    return callbacks.pack("vote", "menu")


async def ask(update: Update, context: WijkContext, step: str, error: str = "") -> str:
    """One question; ⬅️ Back from the first step leaves for 🗳️ Votes, while changing an answer to the preview."""
    _ = context.gettext
    first = step == ORDER[0] and not draft(context).get("editing")
    back = votes_menu() if first else callbacks.pack(AREA, "back", step)
    await show(update, context, f"{error}\n\n{_(STEPS[step].question)}".strip(), inline([nav_row(_, back)]))
    return step


def answering(step: str) -> Callable:
    """The handler for a typed answer to one step."""

    @requires(Need.ACTIVE)
    async def typed(update: Update, context: WijkContext) -> object:
        try:
            draft(context)[step] = STEPS[step].read(text(update))
        except validation.Invalid as invalid:
            return await ask(update, context, step, invalid.text(context.gettext))
        later = ORDER[ORDER.index(step) + 1 :]
        if later and not draft(context).get("editing"):
            return await ask(update, context, later[0])
        return await preview(update, context)

    typed.__name__ = f"{step}_text"
    return typed


def drafted(context: WijkContext) -> Proposal:
    """The proposal as it will be stored; a button of a draft that is gone no longer works."""
    answers = draft(context)
    if any(step not in answers for step in ORDER):
        raise callbacks.StaleButton("no complete proposal to show or send")
    member = context.known_member
    return Proposal(
        id=0,
        member_id=member.id,
        member_name=member.first_name,
        title=answers[TITLE],
        body=answers[TEXT],
        reason=answers[WHY],
        status=PENDING,
        answer=None,
        created_at=context.now(),
    )


async def preview(update: Update, context: WijkContext) -> str:
    """The proposal exactly as organisers will read it, and what to do with it."""
    _ = context.gettext
    proposal = drafted(context)
    draft(context)["editing"] = False
    shown = _("This is what the organisers will read:") + "\n\n" + proposal_card(_, proposal)
    rows = [
        [button("✅ " + _("Yes, send"), AREA, "send")],
        [button("✏️ " + _("Change"), AREA, "change")],
        [button("✖️ " + _("Stop"), AREA, "stop")],
        nav_row(_, callbacks.pack(AREA, "back", PREVIEW)),
    ]
    await show(update, context, shown, inline(rows))
    return PREVIEW


@requires(Need.ACTIVE)
async def new_button(update: Update, context: WijkContext) -> str:
    """💡 Make a proposal, from 🗳️ Votes: a fresh draft."""
    context.answers[AREA] = {}
    return await ask(update, context, TITLE)


@requires(Need.ACTIVE)
async def back_button(update: Update, context: WijkContext) -> str:
    """⬅️ Back: one step back; while changing one answer, back to the preview."""
    step = callbacks.parse(query(update).data).str_arg(0)
    if step == PREVIEW:
        return await ask(update, context, ORDER[-1])
    if draft(context).get("editing") or step == ORDER[0]:
        return await preview(update, context)
    return await ask(update, context, ORDER[ORDER.index(step) - 1])


@requires(Need.ACTIVE)
async def change_button(update: Update, context: WijkContext) -> str:
    """✏️ Change: which answer?"""
    _ = context.gettext
    drafted(context)  # a draft that is gone: this button no longer works
    fields = [button(_(STEPS[step].label), AREA, "edit", step) for step in ORDER]
    rows = in_rows(fields, 3) + [nav_row(_, callbacks.pack(AREA, "preview"))]
    await show(update, context, _("What do you want to change?"), inline(rows))
    return PREVIEW


@requires(Need.ACTIVE)
async def edit_button(update: Update, context: WijkContext) -> str:
    """One answer to change; then back to the preview."""
    step = callbacks.parse(query(update).data).str_arg(0)
    drafted(context)  # a draft that is gone: this button no longer works
    draft(context)["editing"] = True
    return await ask(update, context, step)


@requires(Need.ACTIVE)
async def preview_button(update: Update, context: WijkContext) -> str:
    """⬅️ Back from ✏️ Change."""
    return await preview(update, context)


@requires(Need.ACTIVE)
async def send_button(update: Update, context: WijkContext) -> int:
    """✅ Yes, send: every organiser gets it. The flow ends here, so a second tap sends nothing."""
    _ = context.gettext
    proposal = drafted(context)
    context.answers.pop(AREA, None)
    member_id = context.known_member.id
    proposals.propose(context.db, member_id, proposal.title, proposal.body, proposal.reason, context.now())
    context.wake_sender()
    await query(update).answer("✅")
    sent = _("✅ Sent: {title}.\nThe organisers get your proposal. You will hear from them here.").format(
        title=escape(proposal.title)
    )
    rows = [[button("📋 " + _("My proposals"), AREA, "mine", 0)], nav_row(_, votes_menu())]
    await edit(update, sent, inline(rows))
    return ConversationHandler.END


async def leave(update: Update, context: WijkContext) -> int:
    """✖️ Stop, 🏠 Menu, /start or /menu: nothing is sent."""
    _ = context.gettext
    return await end_conversation(update, context, _("Stopped. Nothing was sent."), AREA)


@requires(Need.ACTIVE)
async def mine_button(update: Update, context: WijkContext) -> None:
    """📋 My proposals: newest first, 5 a page, each with what became of it."""
    _ = context.gettext
    page = callbacks.parse(query(update).data).int_arg(0)
    member_id = context.known_member.id
    mine = proposals.of_member(context.db, member_id, page)
    if not mine.items and page:  # an old ▶️: the list got shorter since
        page = 0
        mine = proposals.of_member(context.db, member_id, page)
    if mine.items:
        tz = context.settings.timezone
        entries = [
            f"💡 <b>{escape(p.title)}</b>\n{format_when(p.created_at, context.language, tz)}\n"
            + status_words(_, p, SHORT_ANSWER)
            for p in mine.items
        ]
        shown = "\n\n".join(["📋 " + _("My proposals"), *entries])
    else:
        shown = _("📋 You have not made a proposal yet.")
    rows = arrows(mine, AREA, "mine") + [
        [button("💡 " + _("Make a proposal"), AREA, "new")],
        nav_row(_, votes_menu()),
    ]
    await show(update, context, shown, inline(rows))


def on(action: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, action)


def handlers() -> list[BaseHandler]:
    # Each step answers only its own ⬅️ Back: an old button of another step, or forged data, is stale.
    states: States = {
        step: [
            MessageHandler(typed_text(), answering(step)),
            CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", step)),
        ]
        for step in ORDER
    }
    states[PREVIEW] = [
        CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", PREVIEW)),
        CallbackQueryHandler(send_button, pattern=on("send")),
        CallbackQueryHandler(change_button, pattern=on("change")),
        CallbackQueryHandler(edit_button, pattern=on("edit")),
        CallbackQueryHandler(preview_button, pattern=on("preview")),
        CallbackQueryHandler(leave, pattern=on("stop")),
    ]
    return [
        persistent_conversation(
            "propose",
            entry_points=[CallbackQueryHandler(new_button, pattern=on("new"))],
            states=states,
            fallbacks=leave_handlers(leave, draft=AREA),
        ),
        CallbackQueryHandler(mine_button, pattern=on("mine")),
    ]
