"""Organisers answer a member's proposal: ask a question, or decline with a reason.

Putting it to a vote is in handlers/vote_planning.py."""

from __future__ import annotations

from telegram.ext import BaseHandler


def handlers() -> list[BaseHandler]:
    return []
