"""Dates and money the way people say them, in the member's language."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal

from bot import i18n
from bot.i18n import Translate


def local_time(moment: datetime, tz: ZoneInfo) -> datetime:
    """A stored UTC moment in the configured time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz)


# English as it is written in Europe: "Saturday 12 December", a 24-hour clock.
FORMAT_LOCALE = {"en": "en_GB"}


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(FORMAT_LOCALE.get(language, language))


@cache
def _day_pattern(language: str, *, long: bool, year: bool = False) -> str:
    """The language's own order for a day (CLDR's "E d MMM" and its kin), with the weekday and month
    written out when `long`: "zaterdag 12 december", "12 Aralık Cumartesi", "субота, 12 грудня"."""
    pattern = _locale(language).datetime_skeletons["yMMMEd" if year else "MMMEd"].pattern
    if long:
        pattern = re.sub(r"(?<!M)MMM(?!M)", "MMMM", re.sub(r"(?<!E)E(?!E)", "EEEE", pattern))
    return pattern


def format_day(day: date | datetime, language: str, *, long: bool = False, year: bool = False) -> str:
    """Like "za 12 dec" (for a button) or, `long`, "zaterdag 12 december"."""
    return format_date(day, _day_pattern(language, long=long, year=year), locale=_locale(language))


def format_clock(moment: datetime, language: str, tz: ZoneInfo) -> str:
    """The time of day as the language writes it: "14:00", "2:00 م"."""
    return format_time(local_time(moment, tz), "short", locale=_locale(language))


def _day_and_time(day: str, time: str, language: str) -> str:
    """A day and a time joined as the language joins them ("{1}, {0}" in CLDR)."""
    joined = re.sub(r"'([^']*)'", r"\1", _locale(language).datetime_formats["medium"])
    return joined.replace("{1}", day).replace("{0}", time)


@lru_cache(maxsize=4096)
def format_when(moment: datetime, language: str, tz: ZoneInfo, *, year: bool = False) -> str:
    """Like "zaterdag 12 december, 14:00". Cached: every list and card shows the same few moments."""
    day = format_day(local_time(moment, tz), language, long=True, year=year)
    return _day_and_time(day, format_clock(moment, language, tz), language)


@lru_cache(maxsize=4096)
def format_short_when(moment: datetime, language: str, tz: ZoneInfo) -> str:
    """Like "za 12 dec, 14:00": for a button, where room is short."""
    return _day_and_time(format_day(local_time(moment, tz), language), format_clock(moment, language, tz), language)


def format_items(items: list[str], language: str) -> str:
    """A list the way the language says it: "A, B en C", "A, B i C", "A وB وC" (each kept apart in Arabic)."""
    return format_list([i18n.isolate(item, language) for item in items], locale=_locale(language)) if items else ""


def shortened(text: str, limit: int) -> str:
    """At most `limit` characters, cut with … when longer (a button, a line in a list)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def format_hours(minutes: int, language: str) -> str:
    """Like "4" or "3,5": hours as people (and their spreadsheet) read them in their language."""
    return format_decimal(minutes / 60, format="#,##0.##", locale=_locale(language))


def format_number(number: int, language: str) -> str:
    """Like "100.000" in Dutch and "100,000" in English."""
    return format_decimal(number, locale=_locale(language))


def format_amount(cents: int, language: str) -> str:
    """Like "5,00": euros without the sign, for a spreadsheet cell in the reader's language."""
    return format_decimal(Decimal(cents) / 100, format="#,##0.00", locale=_locale(language))


def format_money(amount: Decimal | int | str, language: str) -> str:
    """Like "€ 25,00" in Dutch and "€25.00" in English."""
    # Some languages write the code "EUR"; in the Netherlands everyone reads the sign.
    return format_currency(Decimal(amount), "EUR", locale=_locale(language)).replace("EUR", "€")


def format_member_no(_: Translate, member_no: int | None) -> str:
    """Like "lid 0042", for use at the desk."""
    if member_no is None:
        return _("no number yet")
    return _("member {number}").format(number=f"{member_no:04d}")
