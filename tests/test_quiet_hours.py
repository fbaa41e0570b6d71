"""No message to a member between 21:00 and 08:00 (UX.md): everything the bot sends by itself waits."""

import pytest

from bot.telegram_emulation.local_bot import LocalBot
from tests.conftest import Clock
from tests.journeys import catch_up, signed_up, stored
from tests.test_reminders import local


async def organiser_with_bob_on_his_card(local_bot: LocalBot) -> tuple:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    bob = await signed_up(local_bot, "Bob", user_id=2)
    await olga.tap("📣 Organiseren")
    await olga.tap("👥 Leden")
    await olga.tap("🔎 Lid zoeken")
    await olga.send("Bob")
    await olga.tap("Bob · lid 0002")
    return olga, bob


async def test_a_role_given_late_in_the_evening_is_told_in_the_morning(local_bot: LocalBot, clock: Clock) -> None:
    olga, bob = await organiser_with_bob_on_his_card(local_bot)
    bob.look()
    clock.now = local(27, 22, 15)
    await olga.tap("👑 Organisator maken")
    await olga.tap("✅ Ja")
    assert olga.toasts == ["Gedaan."]
    assert bob.look() == []
    clock.now = local(28, 8, 0)
    await catch_up(local_bot)
    [told] = bob.look()
    assert told.text == "Je bent nu organisator. Tik op 📣 Organiseren in het menu."
    assert "📣 Organiseren" in bob.keyboard


async def test_what_no_longer_holds_in_the_morning_is_not_said(local_bot: LocalBot, clock: Clock) -> None:
    olga, bob = await organiser_with_bob_on_his_card(local_bot)
    bob.look()
    clock.now = local(27, 23, 0)
    await olga.tap("⏸️ Lidmaatschap pauzeren")
    await olga.tap("✅ Ja")
    await olga.tap("▶️ Weer actief maken")  # a mistake, put right at once
    await olga.tap("✅ Ja")
    clock.now = local(28, 8, 0)
    await catch_up(local_bot)
    assert bob.look() == []  # paused and active again before he could hear it: nothing to say


@pytest.mark.settings(WIJKBOT_APPROVAL="organiser")
async def test_a_sign_up_at_night_reaches_the_organisers_in_the_morning(local_bot: LocalBot, clock: Clock) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    olga.look()
    clock.now = local(27, 23, 30)
    ann = await signed_up(local_bot, "Ann")
    assert ann.last_text.startswith("Bedankt, Ann! Een organisator kijkt naar je aanmelding.")
    assert olga.look() == []
    clock.now = local(28, 8, 0)
    await catch_up(local_bot)
    [card] = olga.look()
    assert card.text.startswith("Nieuwe aanmelding: Ann")
    clock.now = local(28, 22, 0)
    await olga.tap("✅ Toelaten")
    await olga.tap("✅ Ja")
    assert (await stored(local_bot, ann)).status == "active"
    ann.look()
    await catch_up(local_bot)
    assert ann.look() == []  # the good news waits for the morning too
    clock.now = local(29, 8, 0)
    await catch_up(local_bot)
    assert ann.look()[0].text.startswith("Goed nieuws, Ann! Je bent nu lid.")
