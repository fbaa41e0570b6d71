"""A newcomer's first minute: language, welcome, menu, help."""

import pytest

from bot import i18n
from bot.telegram_emulation.local_bot import LocalBot
from storage import members
from tests.journeys import chose_language, database

WELCOME = (
    "Welcome to the neighbourhood bot of our cooperative!\n"
    "Here you take part in your neighbourhood.\n"
    "Tap 📝 Sign up to become a member."
)
LANGUAGES = ["Nederlands", "English", "Türkçe", "العربية", "Polski", "Українська"]


async def test_first_start_in_dutch_on_a_phone_set_to_another_language(local_bot: LocalBot) -> None:
    ann = local_bot.person("Ann", user_id=1, language_code="de")  # German: we do not ship it
    await ann.send("/start")
    assert ann.last_text == "🌐 Kies je taal."
    assert ann.inline_labels == [*LANGUAGES, "🏠 Menu"]  # each in its own name and script

    await ann.tap("Nederlands")
    assert ann.toasts == ["✅ Nederlands"]
    assert ann.texts[0] == "🌐 Nederlands"  # the language buttons are replaced by the choice
    assert ann.inline_labels == []
    assert ann.last_text.startswith("Welkom bij de wijkbot")
    assert ann.keyboard == ["📝 Lid worden", "🌐 Taal", "❓ Hulp"]


@pytest.mark.parametrize(
    ("language_code", "language"),
    [("nl", "nl"), ("en-GB", "en"), ("tr", "tr"), ("ar", "ar"), ("pl-PL", "pl"), ("uk", "uk")],
)
async def test_the_phones_language_is_taken_on_first_contact(local_bot: LocalBot, language_code, language) -> None:
    bob = local_bot.person("Bob", user_id=2, language_code=language_code)
    await bob.send("/start")
    _ = i18n.translator(language)
    assert bob.last_text == _(WELCOME) + "\n" + _("Another language? Tap 🌐 Language.")
    assert bob.keyboard == ["📝 " + _("Sign up"), "🌐 " + _("Language"), "❓ " + _("Help")]
    member = members.get_by_telegram_id(database(local_bot), bob.id)
    assert (member.language, member.status, member.first_name) == (language, "visitor", None)

    await bob.tap("🌐 " + _("Language"))  # another language is one tap away
    await bob.tap("Nederlands")
    assert bob.last_text == "Oké. Ik praat nu Nederlands met je."


@pytest.mark.parametrize("language_code", ["de", None, "xx-invalid"])
async def test_a_language_we_do_not_ship_falls_back_to_dutch(local_bot: LocalBot, language_code) -> None:
    kurt = local_bot.person("Kurt", user_id=3, language_code=language_code)
    await kurt.send("/start")
    assert kurt.last_text == "🌐 Kies je taal."


async def test_changing_language_changes_every_label(local_bot: LocalBot) -> None:
    ann = await chose_language(local_bot)

    await ann.tap("🌐 Taal")
    assert ann.last_text == "🌐 Kies je taal."
    await ann.tap("English")
    assert ann.last_text == "OK. I now speak English with you."
    assert ann.keyboard == ["📝 Sign up", "🌐 Language", "❓ Help"]

    await ann.send("/start")  # the choice is stored: no language question again
    assert ann.last_text == "What do you want to do? Tap a button."


async def test_start_again_shows_the_menu(local_bot: LocalBot) -> None:
    ann = await chose_language(local_bot)
    for text in ("/start", "/menu", "menu", "  Menu ", "🏠 Menu"):
        await ann.send(text)
        assert ann.last_text == "Wat wil je doen? Tik op een knop.", text
        assert ann.keyboard == ["📝 Lid worden", "🌐 Taal", "❓ Hulp"]


async def test_help_explains_in_at_most_five_short_lines(local_bot: LocalBot) -> None:
    ann = await chose_language(local_bot)
    await ann.tap("❓ Hulp")
    lines = ann.last_text.splitlines()
    assert lines[0] == "Met deze bot doe je mee in je buurt."
    assert len(lines) <= 5
    assert all(len(line.split()) <= 15 for line in lines)


async def test_telegram_knows_our_commands_in_each_language(local_bot: LocalBot) -> None:
    commands = local_bot.emulator.commands
    assert [c["command"] for c in commands[""]] == ["start", "menu", "help"]
    assert commands["nl"][1]["description"] == "Menu tonen"
    assert commands["en"][1]["description"] == "Show the menu"
    for language in i18n.languages():  # every shipped language, each in its own words
        _ = i18n.translator(language)
        assert [c["description"] for c in commands[language]] == [
            _("Start or start again"),
            _("Show the menu"),
            _("What can this bot do?"),
        ]
    assert len({commands[language][1]["description"] for language in i18n.languages()}) >= 5
