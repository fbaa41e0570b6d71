"""📣 Organise → 🗳️ New vote: step by step, a preview, then open it now or at a set time."""

from __future__ import annotations

from telegram.ext import BaseHandler


def handlers() -> list[BaseHandler]:
    return []
