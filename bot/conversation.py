"""Multi-step input: named, persistent ConversationHandlers built one way."""

from __future__ import annotations

import warnings

from telegram.ext import BaseHandler, ConversationHandler
from telegram.warnings import PTBUserWarning


def persistent_conversation(
    name: str, entry_points: list[BaseHandler], states: dict[object, list[BaseHandler]], fallbacks: list[BaseHandler]
) -> ConversationHandler:
    """A conversation that survives a restart (see bot/persistence.py) and can be started again.

    It follows one person per chat, buttons included. PTB warns that with
    per_message=False buttons are not tracked per message: that is what we
    want, one flow per person at a time, so that one warning is silenced here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points, states=states, fallbacks=fallbacks,
            name=name, persistent=True, allow_reentry=True,
        )
