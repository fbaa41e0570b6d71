"""🤝 Help & services: the door to asking, offering, looking around and one's own posts."""

from bot.telegram_emulation.local_bot import LocalBot
from tests.journeys import signed_up


async def test_a_member_finds_help_and_services_in_the_menu_in_dutch(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1)
    assert "🤝 Hulp & diensten" in ann.keyboard
    await ann.tap("🤝 Hulp & diensten")
    assert ann.last_text.startswith("🤝 Hulp & diensten\nHier helpen buren elkaar.")
    assert ann.inline_labels == [
        "🙋 Ik zoek hulp",
        "💪 Ik bied hulp",
        "🔎 Bekijken",
        "📋 Mijn berichten",
        "💬 Gesprekken",
        "🔔 Meldingen over nieuwe berichten",
        "🏠 Menu",
    ]


async def test_someone_who_is_not_a_member_is_told_how_to_become_one(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    stranger = local_bot.person("Sam", user_id=2, language_code="en")
    await stranger.send("🤝 Help & services")
    assert "This is for members" in stranger.last_text
    await stranger.press("hlp:menu")
    assert "This is for members" in stranger.last_text
    await ann.press("hlp:menu")
    assert ann.last_text.startswith("🤝 Help & services")
