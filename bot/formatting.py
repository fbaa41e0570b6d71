"""Dates and money the way people say them, in the member's language."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_currency

from bot.i18n import Translate


def local_time(moment: datetime, tz: ZoneInfo) -> datetime:
    """A stored UTC moment in the configured time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz)


@lru_cache(maxsize=4096)
def format_when(moment: datetime, language: str, tz: ZoneInfo) -> str:
    """Like "zaterdag 12 december, 14:00". Cached: every list and card shows the same few moments."""
    return format_datetime(local_time(moment, tz), "EEEE d MMMM, HH:mm", locale=language)


@lru_cache(maxsize=4096)
def format_short_when(moment: datetime, language: str, tz: ZoneInfo) -> str:
    """Like "za 12 dec, 14:00": for a button, where room is short."""
    return format_datetime(local_time(moment, tz), "EEE d MMM, HH:mm", locale=language)


def shortened(text: str, limit: int) -> str:
    """At most `limit` characters, cut with … when longer (a button, a line in a list)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def format_money(amount: Decimal | int | str, language: str) -> str:
    """Like "€ 25,00" in Dutch and "€25.00" in English."""
    return format_currency(Decimal(amount), "EUR", locale=language)


def format_member_no(_: Translate, member_no: int | None) -> str:
    """Like "lid 0042", for use at the desk."""
    if member_no is None:
        return _("no number yet")
    return _("member {number}").format(number=f"{member_no:04d}")
