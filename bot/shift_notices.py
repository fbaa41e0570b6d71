"""The messages about volunteer shifts (storage/shifts.py): the reminder the day before, the question to a
task's volunteers when a place is free shortly before the start, the news that a shift does not go on, and
(with the time bank on) the hours a shift brought, or that they were taken back.

Worded when they go out, in the recipient's language, and dropped when they no longer hold: a reminder to
someone no longer on the shift, a question about a place someone else took. The start goes with each, so
quiet hours let a message about an early shift through at night (bot/timing.py).
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardMarkup

from bot import hour_text, i18n
from bot.config import Settings
from bot.formatting import format_clock, format_when
from bot.keyboards import button, inline, nav_row
from storage import shifts
from storage.db import Database
from storage.outbox import Claimed
from storage.shifts import ASK, CANCELLED, HOURS, HOURS_BACK, REMINDER, Shift

KINDS = set(shifts.KINDS)
# A question to help out, and a thank-you; a reminder, a cancellation and hours taken back are about their own.
NOT_ESSENTIAL = {ASK, HOURS}


def when(shift: Shift, language: str, settings: Settings) -> str:
    """Like "Tuesday 1 December, 13:00–17:00"."""
    return (
        format_when(shift.starts_at, language, settings.timezone)
        + "–"
        + format_clock(shift.ends_at, language, settings.timezone)
    )


def compose(
    message: Claimed, db: Database, settings: Settings, now: datetime
) -> tuple[int, str, InlineKeyboardMarkup, datetime | None] | None:
    """(chat, text, buttons, start) for one outbox row, or None when it no longer holds."""
    shift = shifts.get(db, message.payload["shift"])
    if message.telegram_id is None or message.member_id is None or shift is None:
        return None
    on_it = shifts.is_on(db, shift.id, message.member_id)
    language = message.language or settings.default_language
    _ = i18n.translator(language)
    task, at = escape(shift.task), when(shift, language, settings)
    if message.kind == CANCELLED:
        if not shift.cancelled:
            return None
        text = "🚫 " + _("The shift {task} on {when} does not go on. You do not need to come.")
        return message.telegram_id, text.format(task=task, when=at), inline([nav_row(_, None)]), shift.starts_at
    if message.kind in (HOURS, HOURS_BACK):
        if not settings.timebank:
            return None
        if message.kind == HOURS:
            amount = hour_text.hours(language, message.payload["halves"])
            text = "🙏 " + _("Thank you for the shift {task} on {when}. You get {hours} in the time bank.")
            text = text.format(task=task, when=at, hours=amount)
        else:
            text = "✏️ " + _("An organiser took back the hours for the shift {task} on {when}.")
            text = text.format(task=task, when=at) + "\n" + _("Is this not right? Please ask an organiser.")
        rows = [[button("⏱️ " + _("My hours"), "hours", "mine")], nav_row(_, None)]
        return message.telegram_id, text, inline(rows), None  # not about a start: quiet hours hold
    if not shift.open_at(now):
        return None
    show = button("🙋 " + _("Show"), "shift", "card", shift.id, "mine" if on_it else "list", 0)
    if message.kind == REMINDER:
        if not on_it:
            return None
        text = "⏰ " + _("Reminder: tomorrow you do the shift {task}, {when}.").format(task=task, when=at)
        text += "\n" + _("Can you not come? Give it back under 📋 My shifts.")
        return message.telegram_id, text, inline([[show], nav_row(_, None)]), shift.starts_at
    assert message.kind == ASK
    if on_it or not shift.places_left:
        return None
    text = "🙋 " + _("Can someone do {task} on {when}?").format(task=task, when=at)
    text += "\n" + _("You did this task before. The first to tap gets the place.")
    take = button("✅ " + _("I'll do it"), "shift", "take", shift.id)
    return message.telegram_id, text, inline([[take], [show], nav_row(_, None)]), shift.starts_at
