"""Checks on what people type. Each refusal is a message (to translate) that says what to do."""

from __future__ import annotations

import re
import unicodedata

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


class Invalid(ValueError):
    """A refusal: a message id to translate and the values for its placeholders."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values

    def text(self, _: Translate) -> str:
        return _(self.message).format(**self.values)


def _one_line(text: str | None, maximum: int, empty: str) -> str:
    """Trimmed, NFC-normalised text of one line without control characters."""
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
    name = _one_line(text, MAX_FIRST_NAME, N_("Please type your first name."))
    if _LINK.search(name):
        raise Invalid(N_("A name cannot contain a link. Please type only your first name."))
    return name


def business_name(text: str | None) -> str:
    return _one_line(text, MAX_BUSINESS_NAME, N_("Please type the name of your business."))


def business_line(text: str | None) -> str:
    return _one_line(text, MAX_BUSINESS_LINE, N_("Please write one sentence about your work."))


def kvk_number(text: str | None) -> str:
    """A Chamber of Commerce (KvK) number: exactly 8 digits; spaces and dots are allowed in between."""
    digits = re.sub(r"[\s.]", "", text or "")
    if not (len(digits) == 8 and digits.isascii() and digits.isdigit()):
        raise Invalid(N_("A KvK number has exactly 8 digits, like 12345678. Please try again."))
    return digits
