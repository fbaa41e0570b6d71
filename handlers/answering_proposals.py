"""Organisers answer a member's proposal with ❓ a question or a reason to decline: one flow for each kind.

A proposal for a vote (handlers/proposal_review.py) and a proposed activity (handlers/host_review.py) are
answered the same way: the words for the member, checked, previewed exactly as the member will read them,
then ✅ sent. The first decision counts (storage settles it in one transaction); a later tap on another
organiser's card, or a button of an answer that is gone, says so and changes nothing. Each kind gives what
is its own: how its proposals are read and decided, their card, the questions and the member's message.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Generic, Protocol, TypeVar

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.i18n import N_, Translate
from bot.incoming import tapped, text
from bot.keyboards import button, inline, nav_row, typed_text
from bot.replies import show
from storage.db import Database

ASK, DECLINE = "ask", "decline"  # the buttons on a proposal's card that start the flow
TYPING, PREVIEW = "typing", "preview"
MAX_ANSWER = 500
EMPTY = {ASK: N_("Please type your question."), DECLINE: N_("Please type the reason.")}

Rows = list[list[InlineKeyboardButton]]


class Answerable(Protocol):
    """What the flow reads of a proposal itself."""

    @property
    def id(self) -> int: ...

    @property
    def status(self) -> str: ...


P = TypeVar("P", bound=Answerable)


class Decide(Protocol):
    """A storage call that answers a proposal with the organiser's words; it returns DONE when this answer counted."""

    def __call__(
        self, db: Database, proposal_id: int, words: str, /, *, organiser_id: int, now: datetime
    ) -> enum.Enum: ...


@dataclass(frozen=True)
class ProposalAnswers(Generic[P]):
    """The answer flow of one kind of proposal; its buttons use `area`, its draft is context.answers[area]."""

    area: str
    conversation: str  # its name in the stored conversations: a flow under way survives a restart
    get: Callable[[Database, int], P | None]
    pending: str  # the status of a proposal that waits for an answer
    decide: Mapping[str, Decide]  # for ASK and DECLINE
    done: enum.Enum  # what `decide` returns when this organiser came first
    card: Callable[[WijkContext, P], str]  # the proposal as organisers read it
    card_buttons: Callable[[Translate, P], Rows]  # what they can do with it
    status_words: Callable[[Translate, P], str]  # what became of it
    title: Callable[[P], str]  # as the member typed it
    author: Callable[[Translate, P], str]  # the member who proposed it, escaped
    questions: Mapping[str, str]  # msgids for ASK and DECLINE, with {name} and {title}
    news: Mapping[str, str]  # msgids of what the member gets for ASK and DECLINE, with {title} and {answer}
    # msgids an organiser can tap instead of typing, per action (their buttons: action "reason")
    ready: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def on(self, *actions: str) -> Callable[[object], bool]:
        return callbacks.pattern(self.area, *actions)

    def to_the_list(self, _: Translate) -> list[InlineKeyboardButton]:
        """⬅️ Back to the proposals that wait, and 🏠 Menu."""
        return nav_row(_, callbacks.pack(self.area, "list", 0))

    async def still_waiting(self, update: Update, context: WijkContext, proposal_id: int) -> P | None:
        """The proposal while it waits for an answer; otherwise None, after saying plainly why, changing nothing."""
        _ = context.gettext
        proposal = self.get(context.db, proposal_id)
        if proposal is not None and proposal.status == self.pending:
            return proposal
        if proposal is None:
            said = _("This proposal no longer exists.")
        else:
            said = "\n\n".join(
                [
                    self.card(context, proposal),
                    _("An organiser already answered this proposal. Nothing was changed."),
                    self.status_words(_, proposal),
                ]
            )
        await show(update, context, said, inline([self.to_the_list(_)]))
        return None

    async def show_card(self, update: Update, context: WijkContext, proposal_id: int, note: str = "") -> None:
        """One proposal as organisers read it, with what they can do; a decided one says what became of it."""
        _ = context.gettext
        proposal = await self.still_waiting(update, context, proposal_id)
        if proposal is not None:
            rows = self.card_buttons(_, proposal) + [self.to_the_list(_)]
            await show(update, context, f"{note}\n\n{self.card(context, proposal)}".strip(), inline(rows))

    async def card_button(self, update: Update, context: WijkContext) -> None:
        """A proposal from the list."""
        await self.show_card(update, context, tapped(update).int_arg(0))

    def draft(self, context: WijkContext, tapped_id: int | None = None) -> dict:
        """The answer being written; a button of an answer that is gone, or of another proposal, no longer works."""
        answer = context.answers.get(self.area)
        if not answer or (tapped_id is not None and tapped_id != answer["proposal"]):
            raise callbacks.StaleButton("no answer to this proposal is being written")
        return answer

    async def current(self, update: Update, context: WijkContext) -> P | None:
        """The proposal being answered while it still waits; otherwise say why not and forget the answer."""
        proposal = await self.still_waiting(update, context, self.draft(context)["proposal"])
        if proposal is None:
            context.answers.pop(self.area, None)
        return proposal

    async def ask(self, update: Update, context: WijkContext, proposal: P, error: str = "") -> str:
        """Type the question or the reason (or tap a ready one); ⬅️ Back goes to the proposal."""
        _ = context.gettext
        action = self.draft(context)["action"]
        question = _(self.questions[action]).format(name=self.author(_, proposal), title=escape(self.title(proposal)))
        ready = enumerate(self.ready.get(action, ()))
        rows = [[button(_(words), self.area, "reason", proposal.id, n)] for n, words in ready]
        rows.append(nav_row(_, callbacks.pack(self.area, "card", proposal.id)))
        await show(update, context, f"{error}\n\n{question}".strip(), inline(rows))
        return TYPING

    async def start_button(self, update: Update, context: WijkContext) -> object:
        """❓ Ask a question or decline on a proposal's card: first the words for the member."""
        button_data = tapped(update)
        proposal = await self.still_waiting(update, context, button_data.int_arg(0))
        if proposal is None:
            return ConversationHandler.END
        context.answers[self.area] = {"proposal": proposal.id, "action": button_data.action}
        return await self.ask(update, context, proposal)

    async def answered(self, update: Update, context: WijkContext, words: str) -> object:
        """The words for the member are known: preview them, if the proposal still waits."""
        proposal = await self.current(update, context)
        if proposal is None:
            return ConversationHandler.END
        self.draft(context)["text"] = words
        return await self.preview(update, context, proposal)

    async def answer_text(self, update: Update, context: WijkContext) -> object:
        """The typed question or reason: checked, then previewed."""
        action = self.draft(context)["action"]
        try:
            words = validation.lines(text(update), MAX_ANSWER, EMPTY[action])
        except validation.Invalid as invalid:
            proposal = await self.current(update, context)
            if proposal is None:
                return ConversationHandler.END
            return await self.ask(update, context, proposal, invalid.text(context.gettext))
        return await self.answered(update, context, words)

    async def ready_button(self, update: Update, context: WijkContext) -> object:
        """A ready answer from the buttons (a reason to decline)."""
        button_data = tapped(update)
        ready = self.ready.get(self.draft(context, button_data.int_arg(0))["action"], ())
        if button_data.int_arg(1) >= len(ready):
            raise callbacks.StaleButton("no such ready answer for this action")
        return await self.answered(update, context, context.gettext(ready[button_data.int_arg(1)]))

    async def preview(self, update: Update, context: WijkContext, proposal: P) -> str:
        """The message exactly as the member will get it (in their own language), and what to do with it."""
        _ = context.gettext
        answer = self.draft(context)
        title, words = escape(self.title(proposal)), escape(answer["text"])
        news = _(self.news[answer["action"]]).format(title=title, answer=words)
        said = _("This is the message {name} will get:").format(name=self.author(_, proposal)) + "\n\n" + news
        rows = [
            [button("✅ " + _("Yes, send"), self.area, "send", proposal.id)],
            [button("✏️ " + _("Change"), self.area, "change", proposal.id)],
            [button("✖️ " + _("Stop"), self.area, "stop", proposal.id)],
            nav_row(_, callbacks.pack(self.area, "change", proposal.id)),
        ]
        await show(update, context, said, inline(rows))
        return PREVIEW

    async def change_button(self, update: Update, context: WijkContext) -> object:
        """✏️ Change or ⬅️ Back on the preview: the words again."""
        self.draft(context, tapped(update).int_arg(0))
        proposal = await self.current(update, context)
        if proposal is None:
            return ConversationHandler.END
        return await self.ask(update, context, proposal)

    async def send_button(self, update: Update, context: WijkContext) -> int:
        """✅ Yes, send: the first decision counts; the member hears it. The flow ends: a second tap sends nothing."""
        _ = context.gettext
        answer = self.draft(context, tapped(update).int_arg(0))
        context.answers.pop(self.area, None)
        decide = self.decide[answer["action"]]
        decision = decide(
            context.db, answer["proposal"], answer["text"], organiser_id=context.known_member.id, now=context.now()
        )
        if decision is self.done:
            context.wake_sender()
            await show(update, context, _("✅ Sent. The member gets your message."), inline([self.to_the_list(_)]))
        else:  # another organiser came first, or it is gone: say so
            await self.still_waiting(update, context, answer["proposal"])
        return ConversationHandler.END

    async def back_to_card_button(self, update: Update, context: WijkContext) -> int:
        """⬅️ Back while typing: the proposal again, nothing sent."""
        context.answers.pop(self.area, None)
        await self.show_card(update, context, tapped(update).int_arg(0))
        return ConversationHandler.END

    async def leave(self, update: Update, context: WijkContext) -> int:
        """✖️ Stop, 🏠 Menu, /start or /menu: nothing is sent."""
        _ = context.gettext
        return await end_conversation(update, context, _("Stopped. Nothing was sent."), self.area)

    def handlers(self) -> list[BaseHandler]:
        """The answer conversation and the proposal's card; every tap and answer in them is an organiser's."""
        organiser = requires(Need.ORGANISER)
        typing: list[BaseHandler] = [MessageHandler(typed_text(), organiser(self.answer_text))]
        if self.ready:
            typing.append(CallbackQueryHandler(organiser(self.ready_button), pattern=self.on("reason")))
        typing.append(CallbackQueryHandler(organiser(self.back_to_card_button), pattern=self.on("card")))
        return [
            persistent_conversation(
                self.conversation,
                entry_points=[CallbackQueryHandler(organiser(self.start_button), pattern=self.on(ASK, DECLINE))],
                states={
                    TYPING: typing,
                    PREVIEW: [
                        CallbackQueryHandler(organiser(self.send_button), pattern=self.on("send")),
                        CallbackQueryHandler(organiser(self.change_button), pattern=self.on("change")),
                        CallbackQueryHandler(self.leave, pattern=self.on("stop")),
                    ],
                },
                fallbacks=leave_handlers(self.leave, draft=self.area),
            ),
            CallbackQueryHandler(organiser(self.card_button), pattern=self.on("card")),
        ]
