"""🗳️ Votes for members: open votes, a card per vote, voting with one tap, the archive."""

from __future__ import annotations

from telegram.ext import BaseHandler


def handlers() -> list[BaseHandler]:
    return []
