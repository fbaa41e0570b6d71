"""A newcomer's first minute: language, welcome, menu."""

from bot.telegram_emulation.local_bot import LocalBot


async def test_first_start_in_dutch(local_bot: LocalBot) -> None:
    ann = local_bot.person("Ann", user_id=1, language_code="nl")
    await ann.send("/start")
    assert ann.last_text == "🌐 Kies je taal."
    assert ann.inline_labels == ["Nederlands", "English"]

    await ann.tap("Nederlands")
    assert ann.toasts == ["✅ Nederlands"]
    assert ann.texts[0] == "🌐 Nederlands"
    assert ann.last_text.startswith("Welkom bij de wijkbot")
    assert ann.keyboard == ["🌐 Taal", "❓ Hulp"]
