"""A freelancer's three questions: business name, one line about the work, KvK number.

Sign-up and 👤 My details both ask them; each gives its own callback area,
draft and what comes before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot import callbacks, validation
from bot.context import Handler, WijkContext
from bot.conversation import States
from bot.i18n import N_
from bot.incoming import text
from bot.keyboards import button, inline, nav_row, typed_text
from bot.never_stuck import EXPLAIN
from bot.replies import show

BUSINESS, LINE, KVK = "business_name", "business_line", "kvk"
# What ❓ says on each step (bot/never_stuck.py).
EXPLANATIONS = {
    BUSINESS: N_("Type the name of your business, as your customers know it.\nMembers see it with your offers."),
    LINE: N_("Say in one sentence what you do, like: I paint houses.\nMembers see it with your offers."),
    KVK: N_("The KvK number is on the letter from the Chamber of Commerce.\nType its 8 digits. No number? Tap ⏭️ Skip."),
}


class BusinessQuestions:
    """The three steps, for a ConversationHandler whose buttons use `area`."""

    def __init__(self, area: str, before: Handler[Any], after: Handler[Any]) -> None:
        self.area = area
        self.before = before  # ⬅️ Back from the first question
        self.after = after  # when the last question is answered

    def draft(self, context: WijkContext) -> dict:
        return context.answers.setdefault(self.area, {})

    def _nav(self, context: WijkContext, step: str) -> list:
        return nav_row(context.gettext, callbacks.pack(self.area, "back", step), EXPLAIN)

    async def ask_business(self, update: Update, context: WijkContext, error: str = "") -> str:
        _ = context.gettext
        question = _("What is the name of your business?")
        await show(update, context, f"{error}\n\n{question}".strip(), inline([self._nav(context, BUSINESS)]))
        return BUSINESS

    async def ask_line(self, update: Update, context: WijkContext, error: str = "") -> str:
        _ = context.gettext
        question = _("Tell in one sentence what you do. For example: I repair bicycles.")
        await show(update, context, f"{error}\n\n{question}".strip(), inline([self._nav(context, LINE)]))
        return LINE

    async def ask_kvk(self, update: Update, context: WijkContext, error: str = "") -> str:
        _ = context.gettext
        question = _("What is your KvK number? It has 8 digits.\nNo KvK number? Tap Skip.")
        skip = [button("⏭️ " + _("Skip"), self.area, "skipkvk")]
        await show(update, context, f"{error}\n\n{question}".strip(), inline([skip, self._nav(context, KVK)]))
        return KVK

    async def business_text(self, update: Update, context: WijkContext) -> str:
        """The business name was typed."""
        try:
            self.draft(context)[BUSINESS] = validation.business_name(text(update))
        except validation.Invalid as invalid:
            return await self.ask_business(update, context, invalid.text(context.gettext))
        return await self.ask_line(update, context)

    async def line_text(self, update: Update, context: WijkContext) -> str:
        """The line about the work was typed."""
        try:
            self.draft(context)[LINE] = validation.business_line(text(update))
        except validation.Invalid as invalid:
            return await self.ask_line(update, context, invalid.text(context.gettext))
        return await self.ask_kvk(update, context)

    async def kvk_text(self, update: Update, context: WijkContext) -> object:
        """The KvK number was typed."""
        try:
            self.draft(context)[KVK] = validation.kvk_number(text(update))
        except validation.Invalid as invalid:
            return await self.ask_kvk(update, context, invalid.text(context.gettext))
        return await self.after(update, context)

    async def skip_kvk_button(self, update: Update, context: WijkContext) -> object:
        """⏭️ Skip: no KvK number."""
        self.draft(context)[KVK] = None
        return await self.after(update, context)

    def states(self) -> States:
        def back(step: str) -> Callable[[object], bool]:
            return callbacks.exactly(self.area, "back", step)

        return {
            BUSINESS: [
                MessageHandler(typed_text(), self.business_text),
                CallbackQueryHandler(self.before, pattern=back(BUSINESS)),
            ],
            LINE: [
                MessageHandler(typed_text(), self.line_text),
                CallbackQueryHandler(self.ask_business, pattern=back(LINE)),
            ],
            KVK: [
                MessageHandler(typed_text(), self.kvk_text),
                CallbackQueryHandler(self.skip_kvk_button, pattern=callbacks.pattern(self.area, "skipkvk")),
                CallbackQueryHandler(self.ask_line, pattern=back(KVK)),
            ],
        }
