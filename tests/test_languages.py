"""Every shipped catalog is complete, and dates and money read the way people say them."""

import ast
import string
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from bot import i18n
from bot.formatting import format_money, format_when


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def catalog(language: str):
    with i18n.catalog_path(language).open("rb") as po:
        return read_po(po, locale=language)


def template_ids() -> set[str | tuple[str, ...]]:
    """The msgids of the template; a plural is (singular, plural)."""
    with (i18n.LOCALES_DIR / "messages.pot").open("rb") as pot:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(pot) if m.id}


def test_we_ship_dutch_and_english_and_dutch_is_the_default() -> None:
    assert i18n.languages()[:2] == ("nl", "en")
    assert i18n.DEFAULT_LANGUAGE == "nl"
    assert [i18n.language_name(code) for code in ("nl", "en", "ar", "uk")] == [
        "Nederlands",
        "English",
        "العربية",
        "Українська",
    ]


@pytest.mark.parametrize("language", i18n.languages())
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    messages = [m for m in catalog(language) if m.id]
    assert {m.id for m in messages} >= template_ids(), "run: python -m bot.catalogs"
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)  # singular and plural
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(placeholders(text) for text in ids))
        assert all(forms), f"{language}: no translation for {message.id!r}"
        assert "fuzzy" not in message.flags, f"{language}: fuzzy translation for {message.id!r}"
        assert all(placeholders(form) == expected for form in forms), f"{language}: {message.id!r}"


def test_the_template_holds_every_string_in_the_code() -> None:
    """A string added to the code without refreshing the catalogs is caught here."""
    from babel.messages.extract import extract_from_dir

    root = i18n.LOCALES_DIR.parent
    found = set()
    for folder in ("bot", "handlers"):
        for _, _, message, _, _ in extract_from_dir(
            root / folder,
            method_map=[("**.py", "python")],
            keywords={"_": None, "N_": None, "ngettext": (1, 2), "gettext": None},
        ):
            found.add(message)
    assert found == template_ids()


def test_no_text_is_translated_by_a_call_the_extractor_cannot_see() -> None:
    """`i18n.plural(language)("one", "many", n)` translates at run time, but the catalog tool only sees calls
    by name (ngettext, _): such a text would stay English in every language. Name it first."""
    root = i18n.LOCALES_DIR.parent
    hidden = [
        f"{path.relative_to(root)}:{node.lineno}"
        for folder in ("bot", "handlers")
        for path in sorted((root / folder).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Call)
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]
    assert hidden == []


def test_a_translator_is_chosen_per_member() -> None:
    assert i18n.translator("nl")("Help") == "Hulp"
    assert i18n.translator("en")("Help") == "Help"
    assert i18n.shipped_language("en-GB") == "en"
    assert i18n.shipped_language("de") is None
    assert i18n.every_translation("menu") == {"menu", "menü", "القائمة", "меню"}  # typed in any language


def test_dates_read_the_way_people_say_them() -> None:
    moment = datetime(2026, 12, 12, 13, 0, tzinfo=UTC)  # 14:00 in Amsterdam
    amsterdam = ZoneInfo("Europe/Amsterdam")
    assert format_when(moment, "nl", amsterdam) == "zaterdag 12 december, 14:00"
    assert format_when(moment, "en", amsterdam) == "Saturday 12 December, 14:00"
    summer = datetime(2026, 7, 4, 12, 30, tzinfo=UTC)
    assert format_when(summer, "nl", amsterdam) == "zaterdag 4 juli, 14:30"
    assert format_when(moment, "nl", ZoneInfo("UTC")) == "zaterdag 12 december, 13:00"


def test_money_reads_the_way_people_say_it() -> None:
    assert format_money(Decimal("25"), "nl") == "€\xa025,00"
    assert format_money("2.5", "en") == "€2.50"
