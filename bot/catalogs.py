"""Refresh the translation catalogs: `python -m bot.catalogs`.

Extracts every _(), N_(), ngettext() and gettext() string into locales/messages.pot, then updates
each language's messages.po (creating it for a language given as argument:
`python -m bot.catalogs tr`). English msgids are the English text, so the
English catalog is filled in automatically. Translate the empty msgstr lines
of the other catalogs; the tests fail until every one is filled in.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from bot import i18n

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = i18n.LOCALES_DIR / "messages.pot"


# The header of a new catalog: its first version is not a native speaker's (README: improving a translation).
REVIEW_NOTE = """{name} ({code}) messages of wijkbot, the neighbourhood bot of our cooperative.
NOT YET REVIEWED: a native speaker of {name} should read every message and correct it.
How: see "Improving a translation" in README.md (Poedit, or edit this file).
When a native speaker has reviewed it, replace these lines with their name and the date."""


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "--quiet", *args])


def mark_for_review(language: str) -> None:
    """A new catalog says in its header that a native speaker should review it."""
    path = i18n.catalog_path(language)
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    catalog.header_comment = "\n".join(
        "# " + line for line in REVIEW_NOTE.format(name=i18n.language_name(language), code=language).splitlines()
    )
    with path.open("wb") as po:
        write_po(po, catalog, width=100)


def fill_english() -> None:
    """In the English catalog the translation is the msgid itself."""
    path = i18n.catalog_path("en")
    with path.open("rb") as po:
        catalog = read_po(po, locale="en")
    for message in catalog:
        if message.id and not any(message.string if isinstance(message.string, tuple) else [message.string]):
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as po:
        write_po(po, catalog, width=100)


def main(new_languages: list[str]) -> None:
    pybabel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "--no-default-keywords",
        "-k",
        "_",
        "-k",
        "N_",
        "-k",
        "ngettext:1,2",
        "-k",
        "gettext",  # context.gettext("…") where a handler has no _ of its own
        "--no-location",
        "--sort-output",
        "--width=100",
        "-o",
        str(TEMPLATE),
        str(ROOT),
    )
    for language in new_languages:
        if not i18n.catalog_path(language).exists():
            pybabel("init", "-i", str(TEMPLATE), "-d", str(i18n.LOCALES_DIR), "-l", language, "--width=100")
            mark_for_review(language)
    pybabel(
        "update",
        "-i",
        str(TEMPLATE),
        "-d",
        str(i18n.LOCALES_DIR),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
        "--width=100",
    )
    fill_english()


if __name__ == "__main__":
    main(sys.argv[1:])
