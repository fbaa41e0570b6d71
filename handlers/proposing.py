"""💡 A member's proposal, step by step: title, text, why; previewed, then sent to the organisers."""

from __future__ import annotations

from telegram.ext import BaseHandler


def handlers() -> list[BaseHandler]:
    return []
