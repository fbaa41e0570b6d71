"""One step machine for the planning flows: ask, next step, ⬅️ Back, ✏️ Change which answer, the preview.

The flows (a campaign, a shift, recorded income …) used to write this machine out each around their own steps.
A flow now keeps only what is its own: its steps' content (`Step`), its quick-answer handler, its preview
screen, what leaving at the first step shows, and its publish. The states stay those of `planning_steps`, with
the same names and callback data, so a conversation persisted before still loads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot import callbacks, validation
from bot.access import Need, requires
from bot.context import Handler, WijkContext
from bot.conversation import States, end_conversation, leave_handlers, persistent_conversation, planning_steps
from bot.i18n import N_, Translate
from bot.incoming import tapped, text
from bot.keyboards import button, in_rows, inline, nav_row
from bot.replies import show

PREVIEW = "preview"  # the state (and ⬅️ Back argument) of the preview with ✅/✏️/✖️
EDITING = "editing"  # in the draft: one answer is being changed, so the next screen is the preview again
RECHECKED = "rechecked"  # in the draft: the changed answer that made a later one wrong, where ⬅️ Back goes

# A screen a flow shows itself: its preview, or where ⬅️ Back at the first step goes.
Screen = Callable[[Update, WijkContext], Awaitable[object]]


@dataclass(frozen=True)
class Step:
    """One question of a flow: all the machine needs to ask it, read it and name it."""

    question: str  # msgid
    read: Callable[[str, WijkContext], object]  # typed text -> value to keep; raises validation.Invalid
    choices: Callable[[Translate, WijkContext], list[InlineKeyboardButton]]  # its quick-answer buttons
    label: str  # msgid: the answer's name on the ✏️ Change screen
    per_row: int = 2  # quick-answer buttons in a row
    # After this answer, a later step it made wrong (a time that passed on the new day), asked again first.
    recheck: Callable[[WijkContext], str | None] | None = None


def tap_only(typed: str, context: WijkContext) -> object:
    """A step answered with a button only."""
    raise validation.Invalid(N_("Please tap one of the buttons."))


def no_choices(_: Translate, context: WijkContext) -> list[InlineKeyboardButton]:
    """A step answered by typing only."""
    return []


class StepFlow:
    """The machine of one flow, kept in `context.answers[area]` (the draft) between its steps."""

    def __init__(
        self,
        area: str,
        steps: Mapping[str, Step],
        *,
        preview: Screen,
        stopped: str,
        out: Screen | None = None,
        need: Need = Need.ORGANISER,
        change_per_row: int = 3,
        day: str | None = None,
    ) -> None:
        """`preview` shows the draft above `preview_rows`; `stopped` (a msgid) says what ✖️ Stop and 🏠 Menu did;
        `out` is where ⬅️ Back at the first step goes, the draft forgotten after it (without one, it stops the flow);
        `day` is the step whose 📆 Another day asks to type the day."""
        self.area, self.steps, self.order = area, steps, tuple(steps)
        self._preview, self._stopped, self._out, self._need = preview, stopped, out or self.leave, need
        self._change_per_row, self._day = change_per_row, day

    def draft(self, context: WijkContext) -> dict[str, Any]:
        return context.answers.setdefault(self.area, {})

    async def start(self, update: Update, context: WijkContext) -> str:
        """A new draft, then the first question."""
        context.answers[self.area] = {}
        return await self.ask(update, context, self.order[0])

    async def ask(self, update: Update, context: WijkContext, step: str, error: str = "") -> str:
        """The question with its quick answers and ⬅️ Back; after a refused answer, the refusal above it."""
        _ = context.gettext
        spec = self.steps[step]
        rows = in_rows(spec.choices(_, context), spec.per_row)
        rows.append(nav_row(_, callbacks.pack(self.area, "back", step)))
        await show(update, context, f"{error}\n\n{_(spec.question)}".strip(), inline(rows))
        return step

    async def change(self, update: Update, context: WijkContext, step: str, error: str = "") -> str:
        """Ask one step again, then come back to the preview."""
        self.draft(context)[EDITING] = True
        return await self.ask(update, context, step, error)

    async def preview(self, update: Update, context: WijkContext) -> str:
        """The flow's preview; the next answer changed comes back here."""
        self.draft(context)[EDITING] = False
        await self._preview(update, context)
        return PREVIEW

    def preview_rows(self, _: Translate, finish: InlineKeyboardButton) -> list[list[InlineKeyboardButton]]:
        """Under a preview: the flow's ✅ `finish`, ✏️ Change, ✖️ Stop, ⬅️ Back to the last step and 🏠 Menu."""
        return [
            [finish],
            [button("✏️ " + _("Change"), self.area, "change"), button("✖️ " + _("Stop"), self.area, "stop")],
            nav_row(_, callbacks.pack(self.area, "back", PREVIEW)),
        ]

    async def next_after(self, update: Update, context: WijkContext, step: str) -> str:
        """The next question, or back to the preview when one answer was being changed."""
        recheck = self.steps[step].recheck
        again = recheck(context) if recheck else None
        if again is not None:
            self.draft(context)[RECHECKED] = step  # the preview would show what is wrong now
            return await self.ask(update, context, again)
        if self.draft(context).get(EDITING):
            return await self.preview(update, context)
        later = self.order[self.order.index(step) + 1 :]
        return await self.ask(update, context, later[0]) if later else await self.preview(update, context)

    async def answer(self, update: Update, context: WijkContext, step: str, value: object) -> str:
        """Keep a step's answer (a quick answer the flow's own handler read) and go on."""
        self.draft(context)[step] = value
        self.draft(context).pop(RECHECKED, None)
        return await self.next_after(update, context, step)

    async def another_day(self, update: Update, context: WijkContext) -> str:
        """📆 Another day: type it; ⬅️ Back shows the day buttons again."""
        _ = context.gettext
        assert self._day is not None, "a flow without a day step has no 📆 Another day"
        rows = [nav_row(_, callbacks.pack(self.area, "days"))]
        await show(update, context, "📆 " + _("Type the day like 12-12 or 12-12-2026."), inline(rows))
        return self._day

    def typed(self, step: str) -> Handler[object]:
        """The handler for a typed answer to one step: kept and on, or refused with the step again."""

        async def typed(update: Update, context: WijkContext) -> object:
            try:
                value = self.steps[step].read(text(update), context)
            except validation.Invalid as invalid:
                return await self.ask(update, context, step, invalid.text(context.gettext))
            return await self.answer(update, context, step, value)

        typed.__name__ = f"{step}_text"
        return requires(self._need)(typed)

    async def back_button(self, update: Update, context: WijkContext) -> object:
        """⬅️ Back: one step back; from the first step out of the flow; while changing one answer, to the preview
        — or to that answer again, when it made this one wrong (a day on which the time has passed)."""
        step = tapped(update).str_arg(0)
        if step == PREVIEW:
            return await self.ask(update, context, self.order[-1])
        if self.draft(context).get(EDITING):
            cause = self.draft(context).pop(RECHECKED, None)
            return await (self.ask(update, context, cause) if cause else self.preview(update, context))
        index = self.order.index(step)
        if index == 0:  # `out` may read the draft (which campaign), then it is forgotten
            await self._out(update, context)
            context.answers.pop(self.area, None)
            return ConversationHandler.END
        return await self.ask(update, context, self.order[index - 1])

    async def change_button(self, update: Update, context: WijkContext) -> str:
        """✏️ Change: which answer?"""
        _ = context.gettext
        fields = [button(_(spec.label), self.area, "edit", step) for step, spec in self.steps.items()]
        rows = in_rows(fields, self._change_per_row) + [nav_row(_, callbacks.pack(self.area, PREVIEW))]
        await show(update, context, _("What do you want to change?"), inline(rows))
        return PREVIEW

    async def edit_button(self, update: Update, context: WijkContext) -> str:
        """One answer on the ✏️ Change screen: its step, then the preview again."""
        return await self.change(update, context, tapped(update).str_arg(0))

    async def preview_button(self, update: Update, context: WijkContext) -> str:
        """⬅️ Back from the ✏️ Change screen: the preview again."""
        return await self.preview(update, context)

    async def days_button(self, update: Update, context: WijkContext) -> str:
        """⬅️ Back from typing another day: the day buttons again."""
        assert self._day is not None
        return await self.ask(update, context, self._day)

    async def leave(self, update: Update, context: WijkContext) -> int:
        """✖️ Stop, 🏠 Menu, /start or /menu: the draft is forgotten, saying so."""
        return await end_conversation(update, context, context.gettext(self._stopped), self.area)

    def states(self, picked: Handler[Any], finish: BaseHandler[Any, Any, Any]) -> States:
        """Every step (typed answers, the flow's own `picked` quick answers, ⬅️ Back), then the preview:
        ⬅️ Back, the flow's `finish` (✅), ✏️ Change and its buttons, ✖️ Stop."""
        checked = requires(self._need)
        back = checked(self.back_button)
        states = planning_steps(self.area, self.order, self.typed, picked, back)
        if self._day is not None:
            states[self._day].append(CallbackQueryHandler(checked(self.days_button), pattern=self._on("days")))
        states[PREVIEW] = [
            CallbackQueryHandler(back, pattern=callbacks.exactly(self.area, "back", PREVIEW)),
            finish,
            CallbackQueryHandler(checked(self.change_button), pattern=self._on("change")),
            CallbackQueryHandler(checked(self.edit_button), pattern=self._on("edit")),
            CallbackQueryHandler(checked(self.preview_button), pattern=self._on(PREVIEW)),
            CallbackQueryHandler(self.leave, pattern=self._on("stop")),
        ]
        return states

    def conversation(self, name: str, states: States) -> ConversationHandler[Any]:
        """The flow as a named, persistent conversation, started with ➕ (area:new)."""
        return persistent_conversation(
            name,
            entry_points=[CallbackQueryHandler(requires(self._need)(self.start), pattern=self._on("new"))],
            states=states,
            fallbacks=leave_handlers(self.leave, draft=self.area),
        )

    def _on(self, action: str) -> Callable[[object], bool]:
        return callbacks.pattern(self.area, action)
