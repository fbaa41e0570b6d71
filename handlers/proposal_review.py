"""Organisers answer a member's proposal: ask a question, or decline with a reason.

Every organiser gets each new proposal as a card (bot/vote_notices.py). The
first decision counts: storage/proposals.py settles it in one transaction, and
a later tap on another organiser's old card says it was answered and changes
nothing. The question or reason is previewed as the member will read it: that
flow is handlers/answering_proposals.py; here is what is a vote proposal's own.
Putting it to a vote is in handlers/vote_planning.py.
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, vote_text
from bot.access import Need, requires
from bot.context import WijkContext
from bot.i18n import N_, Translate
from bot.incoming import tapped
from bot.keyboards import button, inline, nav_row, paged
from bot.replies import show
from bot.vote_notices import PROPOSAL_NEWS, proposal_buttons, proposal_card
from handlers.answering_proposals import ASK, DECLINE, ProposalAnswers
from handlers.proposing import status_words
from storage import proposals
from storage.proposals import Proposal

AREA = "review"


def author(_: Translate, proposal: Proposal) -> str:
    return escape(proposal.member_name) if proposal.member_name else _("a member who has left")


ANSWERS = ProposalAnswers(
    area=AREA,
    conversation="review_proposal",
    get=proposals.get,
    pending=proposals.PENDING,
    decide={ASK: proposals.send_back, DECLINE: proposals.decline},
    done=proposals.Decision.DONE,
    card=lambda context, proposal: proposal_card(context.gettext, proposal),
    card_buttons=lambda _, proposal: proposal_buttons(_, proposal.id),
    status_words=status_words,
    title=lambda proposal: proposal.title,
    author=author,
    questions={
        ASK: N_("❓ What do you want to ask {name} about “{title}”? Type your question. At most 500 characters."),
        DECLINE: N_("✖️ Why is “{title}” not put to a vote? Type the reason for {name}. At most 500 characters."),
    },
    news={ASK: PROPOSAL_NEWS["proposal_asked"], DECLINE: PROPOSAL_NEWS["proposal_declined"]},  # bot/vote_notices.py
)


@requires(Need.ORGANISER)
async def list_button(update: Update, context: WijkContext) -> None:
    """💡 Proposals: those that wait for an answer, oldest first, 5 a page."""
    _ = context.gettext
    page = tapped(update).int_arg(0)
    waiting = proposals.waiting_page(context.db, page)
    if not waiting.items and page:  # an old ▶️: the list got shorter since
        waiting = proposals.waiting_page(context.db, 0)

    def line(proposal: Proposal) -> InlineKeyboardButton:
        name = proposal.member_name or _("a member who has left")
        return button(f"💡 {vote_text.on_a_button(proposal.title)} · {name}", AREA, "card", proposal.id)

    if waiting.items:
        said = _("💡 Proposals that wait for an answer. Tap one to read it.")
    else:
        said = _("💡 No proposals are waiting.")
    rows = paged(waiting, line, AREA, "list") + [nav_row(_, callbacks.pack("vorg", "menu"))]
    await show(update, context, said, inline(rows))


def handlers() -> list[BaseHandler]:
    return [*ANSWERS.handlers(), CallbackQueryHandler(list_button, pattern=ANSWERS.on("list"))]
