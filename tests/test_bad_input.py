"""Whatever people type or tap, they get a friendly answer and nothing breaks."""

import pytest

from bot.telegram_emulation.local_bot import LocalBot
from storage import members
from tests.journeys import chose_language, database, signed_up

HINT_NL = "Sorry, dat begrijp ik niet. Tik op een knop hieronder."
STALE_NL = "Deze knop werkt niet meer."


@pytest.mark.parametrize(
    "text",
    [
        "hallo",
        "x" * 5000,
        "😀🎉👍",
        "مرحبا، أريد المساعدة",
        "<b>vet</b> & <script>alert(1)</script>",
        "/onbekend",
        "1234",
    ],
    ids=["word", "5000 characters", "emoji only", "arabic", "html", "unknown command", "number"],
)
async def test_text_we_do_not_understand_gets_a_hint_and_the_menu(local_bot: LocalBot, text: str) -> None:
    ann = await chose_language(local_bot)
    await ann.send(text)
    assert ann.texts == [HINT_NL]
    assert ann.keyboard == ["📝 Lid worden", "🌐 Taal", "❓ Hulp"]


async def test_an_english_member_gets_the_hint_in_english(local_bot: LocalBot) -> None:
    bob = await chose_language(local_bot, "English", name="Bob", user_id=2)
    await bob.send("مرحبا")
    assert bob.texts == ["Sorry, I do not understand that. Tap a button below."]


async def test_someone_new_who_types_gets_the_hint_in_their_telegram_language(local_bot: LocalBot) -> None:
    bob = local_bot.person("Bob", user_id=2, language_code="en")
    await bob.send("hello?")
    assert bob.texts == ["Sorry, I do not understand that. Tap a button below."]


@pytest.mark.parametrize(
    "data", ["act:rsvp:12", "lang:set:xx", "lang:set", "lang", "💣💣", "lang:set:nl:extra:" + "x" * 40]
)
async def test_a_stale_or_forged_button_gets_a_polite_answer_and_the_menu(local_bot: LocalBot, data: str) -> None:
    ann = await chose_language(local_bot)
    await ann.tap("🌐 Taal")  # the newest message is not the menu now
    await ann.press(data)
    assert ann.toasts == [STALE_NL]
    assert ann.texts == [STALE_NL + " Kies opnieuw in het menu."]
    await ann.press(data)  # again: the menu is the newest message, the pop-up is enough
    assert ann.toasts == [STALE_NL]
    assert ann.texts == []
    assert ann.keyboard == ["📝 Lid worden", "🌐 Taal", "❓ Hulp"]
    member = members.get_by_telegram_id(database(local_bot), ann.id)
    assert member.language == "nl"


async def test_a_forged_language_button_stores_nothing_for_a_stranger(local_bot: LocalBot) -> None:
    eve = local_bot.person("Eve", user_id=66, language_code="en")
    await eve.press("lang:set:xx", message_id=999)
    assert eve.toasts == ["This button no longer works."]
    assert members.get_by_telegram_id(database(local_bot), eve.id) is None


async def test_tapping_a_language_twice_is_one_choice(local_bot: LocalBot) -> None:
    ann = local_bot.person("Ann", user_id=1, language_code=None)
    await ann.send("/start")
    picker = ann.last_message
    await ann.tap("Nederlands")
    await ann.press("lang:set:nl", picker["message_id"])  # the second tap of a double tap
    assert ann.toasts == ["✅ Nederlands"]
    assert "Oké. Ik praat nu Nederlands met je." in ann.texts
    db = database(local_bot)
    assert members.count(db) == 1


@pytest.mark.parametrize("twice", ["🏠 Menu", "⬅️ Terug"])
async def test_a_double_tap_is_answered_once_and_never_with_an_error(local_bot: LocalBot, twice: str) -> None:
    ann = await signed_up(local_bot)
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("🎯 Wat ik wil doen")
    screen = ann.last_message
    await ann.tap_on(screen, twice)
    await ann.tap_on(screen, twice)  # the second tap of a double tap, on the same message as it was
    assert not any("ging iets mis" in text for text in ann.texts)
