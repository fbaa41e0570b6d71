"""Plain Dutch (B1), measured over the whole catalog: short sentences, and none of the words that lose people.
English, Turkish, Polish and Ukrainian are held to the same sentence lengths.

A sentence is counted without HTML tags and placeholders; emoji are not words. The limits are the
product's (UX.md: "at most 15 words as a rule"): on average at most 12 words, never more than 20.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from bot import i18n

AVERAGE_WORDS = 12
MOST_WORDS = 20
# Words a B1 reader stumbles over, with the plain word to use instead. Grow the list as you find more.
JARGON = {
    "account": "gegevens",
    "notificatie": "bericht",
    "retourneren": "terugsturen",
    "faciliteren": "helpen",
    "authenticatie": "controle",
    "optioneel": "als je wilt",
    "registreren": "aanmelden",
    "votum": "stem",
    "selecteren": "kiezen",
}


def sentences(text: str) -> list[list[str]]:
    """The words of each sentence: tags and placeholders out, a word has a letter or digit."""
    plain = re.sub(r"\{[^}]*\}", "X", re.sub(r"<[^>]+>", " ", text))
    parts = re.split(r"(?<=[.!?:])\s+|\n+", plain)
    return [words for part in parts if (words := [w for w in part.split() if re.search(r"\w", w)])]


def translations(language: str, path: Path | None = None) -> list[str]:
    with (path or i18n.catalog_path(language)).open("rb") as po:
        catalog = read_po(po, locale=language)
    found: list[str] = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found += [text for text in strings if message.id and isinstance(text, str)]
    return found


def too_hard(texts: list[str], jargon: dict[str, str] = JARGON) -> list[str]:
    """What breaks the rules: sentences that are too long, words from `jargon`, an average over the limit."""
    counted = [words for text in texts for words in sentences(text)]
    problems = [" ".join(words) for words in counted if len(words) > MOST_WORDS]
    problems += [
        f"{word!r} (say {plain!r}): {text}" for text in texts for word, plain in jargon.items() if word in text.lower()
    ]
    average = sum(map(len, counted)) / max(len(counted), 1)
    if average > AVERAGE_WORDS:
        problems.append(f"on average {average:.1f} words a sentence")
    return problems


def test_dutch_is_plain() -> None:
    assert too_hard(translations("nl")) == []


@pytest.mark.parametrize("language", ["en", "tr", "pl", "uk"])
def test_the_other_languages_keep_sentences_as_short(language: str) -> None:
    assert too_hard(translations(language), jargon={}) == []


def test_a_long_sentence_added_to_the_dutch_catalog_fails(tmp_path: Path) -> None:
    with i18n.catalog_path("nl").open("rb") as po:
        catalog = read_po(po, locale="nl")
    long = (  # 21 words
        "Als je je gegevens wilt veranderen dan moet je eerst naar het menu gaan en daar op de grote knop tikken."
    )
    catalog.add("A new message", long)
    changed = tmp_path / "messages.po"
    with changed.open("wb") as po:
        write_po(po, catalog)
    assert too_hard(translations("nl", changed)) == [long]


def test_the_check_finds_a_long_sentence_and_jargon() -> None:
    long = "Als je dit leest " + "en nog meer woorden " * 5 + "dan is deze zin veel te lang geworden."
    assert too_hard([long]) == [long, "on average 32.0 words a sentence"]
    assert too_hard(["Maak een account aan."])[0].startswith("'account' (say 'gegevens')")
    assert too_hard(["Kort. Ook kort."]) == []
