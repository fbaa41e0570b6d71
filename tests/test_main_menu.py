"""The main menu works from anywhere: a button of it ends whatever flow was open, and does what it says."""

from bot.telegram_emulation.local_bot import LocalBot
from tests.journeys import signed_up, stored


async def test_a_menu_button_ends_the_open_flow_so_later_typing_is_not_taken_as_an_answer(
    local_bot: LocalBot,
) -> None:
    ann = await signed_up(local_bot)
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("✏️ Naam")
    assert ann.last_text == "Wat is je voornaam? Typ hem hieronder."
    await ann.tap("📅 Activiteiten")  # she goes elsewhere instead
    assert ann.last_text.startswith("📅 Er zijn nog geen activiteiten gepland.")
    await ann.send("hallo")  # much later
    assert ann.last_text == "Sorry, dat begrijp ik niet. Tik op een knop hieronder."
    assert (await stored(local_bot, ann)).first_name == "Ann"


async def test_an_organiser_who_leaves_a_search_for_the_menu_can_plan_right_away(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    await olga.tap("📣 Organiseren")
    await olga.tap("👥 Leden")
    await olga.tap("🔎 Lid zoeken")
    await olga.tap("📣 Organiseren")
    await olga.tap("📅 Nieuwe activiteit")
    await olga.send("Samen koken")
    assert olga.last_text.startswith("Beschrijf de activiteit in een paar zinnen.")


async def test_a_tap_on_an_older_button_ends_the_open_flow_too(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot)
    await ann.tap("📅 Activiteiten")
    activities_list = ann.last_message
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("✏️ Naam")
    await ann.tap_on(activities_list, "📋 Mijn activiteiten")  # an older message's button
    await ann.send("Hallo")
    assert ann.last_text == "Sorry, dat begrijp ik niet. Tik op een knop hieronder."
    assert (await stored(local_bot, ann)).first_name == "Ann"


async def test_a_new_flow_from_an_older_message_ends_the_search_that_was_open(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    await olga.tap("📣 Organiseren")
    first = olga.last_message
    await olga.send("📣 Organiseren")
    await olga.tap("👥 Leden")
    await olga.tap("🔎 Lid zoeken")
    await olga.tap_on(first, "📅 Nieuwe activiteit")
    await olga.send("Koffieochtend")
    assert olga.last_text.startswith("Beschrijf de activiteit in een paar zinnen.")


async def test_an_answer_that_starts_with_a_menu_emoji_is_still_an_answer(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot)
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("✏️ Naam")
    await ann.send("🤝 Annie")  # not the 🤝 Hulp & diensten button: only its emoji
    assert (await stored(local_bot, ann)).first_name == "🤝 Annie"


async def test_a_menu_button_is_known_by_its_emoji_alone_or_its_label_in_any_language(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot)
    for typed in ("🤝", "🤝 Help & services", " 🤝  hulp & diensten "):
        await ann.send(typed)
        assert ann.last_text.startswith("🤝 Hulp & diensten\nHier helpen buren elkaar."), typed
