"""Checks on what people type. Each refusal is a message (to translate) that says what to do."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time

from bot.formatting import format_number
from bot.i18n import N_, Translate

MAX_FIRST_NAME = 64
MAX_BUSINESS_NAME = 80
MAX_BUSINESS_LINE = 200
# Joiners that emoji and some scripts need; every other control or format character is refused.
_ALLOWED_FORMAT = {"\u200d", "\u200c"}
_LINK = re.compile(
    r"(https?://|www\.|t\.me/|tg://|@\w|\b[\w-]+\.(com|nl|net|org|eu|be|de|info|io|me|app|ly|ru|xyz|shop)\b)",
    re.IGNORECASE,
)


def without_contact_details(text: str) -> str:
    """Text for a public post: no phone number, e-mail address or link (_LINK), since everyone reads it.
    Members reach each other with 💬, through the bot. A date (12-12-2026) is not a phone number."""
    undated = re.sub(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b", " ", text)
    phones = (re.sub(r"\D", "", found) for found in re.findall(r"\+?\d[\d\s().-]{6,}\d", undated))
    if _LINK.search(text) or any(len(digits) >= 9 for digits in phones):
        raise Invalid(
            N_("Everyone can read your post. Please leave out phone numbers, e-mail and links.\nPeople react with 💬.")
        )
    return text


class Invalid(ValueError):
    """A refusal: a message id to translate and the values for its placeholders."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values

    def text(self, _: Translate) -> str:
        return _(self.message).format(**self.values)


def one_line(text: str | None, maximum: int, empty: str) -> str:
    """Trimmed, NFC-normalised text of one line without control characters; `empty` says what to type."""
    text = unicodedata.normalize("NFC", text or "").strip()
    if not text:
        raise Invalid(empty)
    if any(unicodedata.category(c) in ("Cc", "Cf") and c not in _ALLOWED_FORMAT for c in text):
        raise Invalid(N_("Please write it on one line, with letters, numbers or emoji."))
    text = re.sub(r"\s+", " ", text)
    if len(text) > maximum:
        raise Invalid(N_("This is too long. Write it in at most {maximum} characters."), maximum=maximum)
    return text


def first_name(text: str | None) -> str:
    name = one_line(text, MAX_FIRST_NAME, N_("Please type your first name."))
    if _LINK.search(name):
        raise Invalid(N_("A name cannot contain a link. Please type only your first name."))
    return name


def business_name(text: str | None) -> str:
    return one_line(text, MAX_BUSINESS_NAME, N_("Please type the name of your business."))


def business_line(text: str | None) -> str:
    return one_line(text, MAX_BUSINESS_LINE, N_("Please write one sentence about your work."))


def kvk_number(text: str | None) -> str:
    """A Chamber of Commerce (KvK) number: exactly 8 digits; spaces and dots are allowed in between."""
    digits = re.sub(r"[\s.]", "", western(text))
    if not (len(digits) == 8 and digits.isascii() and digits.isdigit()):
        raise Invalid(N_("A KvK number has exactly 8 digits, like 12345678. Please try again."))
    return digits


_PHONE = re.compile(r"^\+?[\d\s().-]+$")


def phone(text: str | None) -> str:
    """A phone number as people write it ("06-1234 5678", "+31 6 12345678"): 6 to 15 digits with spaces,
    dashes, dots, brackets and a leading +; Arabic digits read as 0-9. Kept as written, for reading out."""
    written = " ".join(western(text).split())
    digits = sum(char.isdigit() for char in written)
    if not (_PHONE.match(written) and written.isascii() and 6 <= digits <= 15):
        raise Invalid(N_("That is not a phone number. Type it like 06 12345678, or tap Skip."))
    return written


MAX_TITLE = 80
MAX_DESCRIPTION = 1000
MAX_PLACE = 100
MAX_BRING = 200
MAX_PLACES = 1000
MAX_EUROS = 1000
RECENTLY = 60  # days: a day without a year this long ago means next year
_DAY = re.compile(r"^\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{2}|\d{4}))?\s*$")
# 14:00, 14.00, 14u30, 9 uur; also as a 12-hour clock: 2 pm, 2:30 م (Arabic: ص morning, م afternoon).
_TIME = re.compile(
    r"^\s*(\d{1,2})(?:\s*[:.u]\s*(\d{2})?)?\s*(?:uur)?\s*(am|a\.m\.|ص|صباحا|pm|p\.m\.|م|مساء)?\s*$", re.IGNORECASE
)
AFTERNOON = ("pm", "p.m.", "م", "مساء")
# 5000, 2.500,00, 2,500.00, € 750 or 12,50: dots, commas or spaces between thousands, a comma or a dot
# before the cents, the way each language writes it.
_AMOUNT = re.compile(
    r"^\s*(?:€|eur|euro)?\s*([1-9]\d{0,2}(?:[., ]\d{3})+|\d{1,9})(?:[,.](\d{1,2}))?\s*(?:€|eur|euro)?\s*$",
    re.IGNORECASE,
)
# Digits as Arabic (٠١٢) and Persian (۰۱۲) keyboards type them, their separators, and invisible
# direction marks: read as 0-9, a comma and a dot.
_WESTERN = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬\u00a0",
    "01234567890123456789,. ",
    "\u200e\u200f\u2068\u2069\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652",
)


def western(text: str | None) -> str:
    """Typed digits and separators in any script as 0-9, so "٢٠" is 20 and "٢٫٥٠" is 2,50."""
    return (text or "").translate(_WESTERN)


_EUROS = re.compile(r"^\s*(?:€|eur|euro)?\s*(\d{1,4})(?:[.,](\d{1,2}))?\s*(?:€|eur|euro)?\s*$", re.IGNORECASE)


def title(text: str | None) -> str:
    return one_line(text, MAX_TITLE, N_("Please type a name for the activity."))


def lines(text: str | None, maximum: int, empty: str) -> str:
    """Trimmed, NFC-normalised text of several lines without other control characters; `empty` says what to type."""
    text = unicodedata.normalize("NFC", text or "").strip()
    if not text:
        raise Invalid(empty)
    if any(unicodedata.category(c) in ("Cc", "Cf") and c not in _ALLOWED_FORMAT and c != "\n" for c in text):
        raise Invalid(N_("Please write it with letters, numbers or emoji."))
    if len(text) > maximum:
        raise Invalid(N_("This is too long. Write it in at most {maximum} characters."), maximum=maximum)
    return text


def description(text: str | None) -> str:
    return lines(text, MAX_DESCRIPTION, N_("Please write a few words about the activity."))


def place(text: str | None) -> str:
    return one_line(text, MAX_PLACE, N_("Please type where it is."))


def bring(text: str | None) -> str:
    return one_line(text, MAX_BRING, N_("Please type what people should bring."))


def day(text: str | None, today: date) -> date:
    """A day typed as 12-12 or 12-12-2026 (also with / or .), today or later."""
    match = _DAY.match(western(text))
    if not match:
        raise Invalid(N_("Please type the day like 12-12 or 12-12-2026."))
    day_, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
    full_year = today.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
    try:
        found = date(full_year, month, day_)
        if year is None and (today - found).days > RECENTLY:  # 5-1 typed in November: next January
            found = date(full_year + 1, month, day_)
    except ValueError:
        raise Invalid(N_("That day does not exist. Please type the day like 12-12.")) from None
    if found < today:
        raise Invalid(N_("That day has passed. Please choose a day from today on."))
    return found


def clock_time(text: str | None) -> time:
    """A time typed as 14:00, 14.00, 14u, 14u30, 9, 2 pm or ٢:٣٠ م."""
    match = _TIME.match(western(text))
    if not match:
        raise Invalid(N_("Please type the time like 14:00."))
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half and not 1 <= hour <= 12:
        raise Invalid(N_("That time does not exist. Please type the time like 14:00."))
    if half:
        hour = hour % 12 + (12 if half in AFTERNOON else 0)
    if hour > 23 or minute > 59:
        raise Invalid(N_("That time does not exist. Please type the time like 14:00."))
    return time(hour, minute)


def places(text: str | None) -> int:
    """A number of places: a whole number from 1 on."""
    text = western(text).strip()
    if not (text.isascii() and text.lstrip("-").isdigit()):
        raise Invalid(N_("Please type a number, like 12. Or tap No limit."))
    number = int(text)
    if not 1 <= number <= MAX_PLACES:
        raise Invalid(N_("Please type a number from 1 to {maximum}."), maximum=MAX_PLACES)
    return number


def euros(text: str | None) -> int:
    """An amount like 2,50 or € 3 as cents."""
    match = _EUROS.match(western(text))
    if not match:
        raise Invalid(N_("Please type an amount like 2,50. Or tap Free."))
    cents = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if cents > MAX_EUROS * 100:
        raise Invalid(N_("Please type an amount of at most {maximum} euros."), maximum=MAX_EUROS)
    return cents


def amount(
    text: str | None,
    maximum: int,
    unreadable: str = N_("Please type an amount in euros, like 5000 or 2.500,00."),
    *,
    language: str,
) -> int:
    """A larger amount in euros as cents, more than 0 and at most `maximum` euros: 5000, 2.500,00 or € 750.

    `unreadable` says what to type instead (its examples should fit the question); the maximum is written as
    the member's language writes numbers (100.000 or 100,000)."""
    match = _AMOUNT.match(western(text))
    if not match:
        raise Invalid(unreadable)
    cents = int(re.sub(r"\D", "", match.group(1))) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if cents > maximum * 100:
        raise Invalid(N_("Please type an amount of at most {maximum} euros."), maximum=format_number(maximum, language))
    if cents == 0:
        raise Invalid(N_("The amount must be more than 0."))
    return cents
