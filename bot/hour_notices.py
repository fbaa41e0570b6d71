"""(Issue 10: being written.) The messages the bot sends by itself about this part; bot/notices.py asks here."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.config import Settings
from storage.db import Database
from storage.outbox import Claimed

KINDS: set[str] = set()
NOT_ESSENTIAL: set[str] = set()  # a member who paused messages does not get these
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


def compose(message: Claimed, db: Database, settings: Settings, now: datetime) -> tuple[int, str, Markup] | None:
    """(chat, text, buttons) for one outbox row, or None when it no longer holds."""
    return None
