"""Languages: which ones we ship, and a translator per member.

Catalogs are read from the .po files when first needed, so a fresh clone works
without a compile step. Never keep a translated string in a module constant:
translate inside the function that answers the member (N_ marks a string for
extraction without translating it).
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import locales

LOCALES_DIR = Path(locales.__file__).parent
DOMAIN = "messages"
DEFAULT_LANGUAGE = "nl"
# The order of the language buttons (UX.md); only shipped languages are shown.
PREFERRED_ORDER = ("nl", "en", "tr", "ar", "pl", "uk")

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a string for translation later, at the moment it is shown."""
    return message


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def languages() -> tuple[str, ...]:
    """The languages we ship a catalog for, in button order."""
    shipped = {path.parent.parent.name for path in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    ordered = [code for code in PREFERRED_ORDER if code in shipped]
    return tuple(ordered + sorted(shipped - set(ordered)))


# Unicode's first-strong isolate and its end: what is between them keeps its own direction.
FSI, PDI = "\u2068", "\u2069"


def isolated(text: str) -> str:
    """Every {placeholder} outside an HTML tag between isolation marks, so that in right-to-left text a
    Latin name, a time, an amount or an emoji keeps its order and does not pull the sentence around."""
    parts = re.split(r"(<[^>]*>)", text)
    return "".join(
        part if part.startswith("<") else re.sub(r"\{[^{}]*\}", lambda found: FSI + found[0] + PDI, part)
        for part in parts
    )


@cache
def right_to_left(language: str) -> bool:
    return Locale.parse(language).character_order == "right-to-left"


def isolate(text: str, language: str) -> str:
    """A part of a line the code builds (not a catalog message) between isolation marks, in a
    right-to-left language: "Bankjes · € 1.200,00" keeps its order in an Arabic list."""
    return f"{FSI}{text}{PDI}" if right_to_left(language) else text


@cache
def _translations(language: str) -> gettext.GNUTranslations:
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    if right_to_left(language):
        for message in catalog:
            if message.id and isinstance(message.string, str):
                message.string = isolated(message.string)
            elif message.id and message.string:
                message.string = tuple(isolated(form) for form in message.string)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


# Letters of right-to-left scripts: Hebrew, Arabic, and their presentation forms.
RIGHT_TO_LEFT_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


class Message(str):
    """A message in a left-to-right language. Its format() puts a value written in a right-to-left
    script (an Arabic name in a Dutch sentence) between isolation marks, so that the sentence keeps its
    order around it. A right-to-left catalog isolates every placeholder already."""

    def format(self, *args: object, **kwargs: object) -> str:
        return str.format(self, *map(kept_apart, args), **{key: kept_apart(value) for key, value in kwargs.items()})


def kept_apart(value: object) -> object:
    """A value with right-to-left letters between isolation marks (also for lines the code builds:
    "• ليلى (lid 0005)" keeps its bullet and number where they belong)."""
    if isinstance(value, str) and RIGHT_TO_LEFT_LETTER.search(value) and not value.startswith(FSI):
        return f"{FSI}{value}{PDI}"
    return value


def translator(language: str) -> Translate:
    """The gettext function for one language."""
    gettext = _translations(language).gettext
    if right_to_left(language):
        return gettext
    return lambda message: Message(gettext(message))


def plural(language: str) -> Callable[[str, str, int], str]:
    """ngettext for one language: "1 place" / "2 places", as that language counts."""
    ngettext = _translations(language).ngettext
    if right_to_left(language):
        return ngettext
    return lambda singular, plural, count: Message(ngettext(singular, plural, count))


def every_translation(message: str) -> set[str]:
    """A message in every shipped language, to recognise what people type."""
    return {translator(language)(message) for language in languages()}


def language_name(language: str, reader: str | None = None) -> str:
    """A language in its own name and script (Nederlands, English, العربية), or as the `reader`'s
    language calls it ("Arabisch" for a Dutch organiser)."""
    name = Locale.parse(language).get_display_name(reader or language) or language
    return name[:1].upper() + name[1:]


def shipped_language(code: str | None) -> str | None:
    """Telegram's language_code (like 'en-GB') as one of our languages, if we ship it."""
    if not code:
        return None
    try:
        language = Locale.parse(code, sep="-").language
    except (UnknownLocaleError, ValueError):
        return None
    return language if language in languages() else None
