"""🔎 Find a payment (📣 Organise): an organiser types the reference from a bank statement (issue 15)."""

from datetime import timedelta

import pytest

from bot import payments
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot
from storage import campaigns, members
from storage.campaigns import Plan
from tests.journeys import database, english, signed_up

WITH_ACCOUNT = pytest.mark.settings(WIJKBOT_IBAN="NL91ABNA0417164300", WIJKBOT_IBAN_NAME="Wijkcoop")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@WITH_ACCOUNT
async def test_an_arabic_organiser_finds_a_pledge_by_a_reference_typed_with_arabic_digits(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900, language="العربية")
    ann = await english(local_bot, "Ann", 1)
    runtime = runtime_of(local_bot.application)
    db, now = database(local_bot), runtime.clock()
    organiser = members.get_by_telegram_id(db, 900)
    assert organiser is not None
    plan = Plan("Benches", "For the square.", 100_000, now + timedelta(days=14), False, None)
    campaign = campaigns.create(db, plan, organiser.id, now)
    await ann.press(f"camp:give:{campaign.id}:2500:0")
    [pledge] = campaigns.pledges(db, campaign.id, 0).items
    assert pledge.reference is not None

    await olga.press("payfind:find")
    await olga.send("RF00 CF00 0000")  # no such payment: asked again, nothing opened
    assert "لا توجد دفعة برمز الدفع هذا" in olga.last_text
    await olga.send(payments.grouped(pledge.reference).lower().translate(ARABIC_DIGITS))
    assert "Ann" in olga.last_text and "لا توجد دفعة" not in olga.last_text
    assert "\n🎯 Benches\n" in olga.last_text  # which campaign: the search can find any pledge
