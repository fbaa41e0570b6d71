"""📣 Organise → 🗳️ Votes: running votes with turnout, 🔔 reminders, who voted what, results, archive, CSV."""

from __future__ import annotations

from telegram.ext import BaseHandler


def handlers() -> list[BaseHandler]:
    return []
