"""Deleting an account with pledges or share payments: the member is told first what stays in the books and what
is cancelled (issue 15; the law keeps financial records with the member number)."""

from datetime import timedelta

import pytest

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot
from storage import campaigns, members
from storage.campaigns import Plan
from tests.journeys import catch_up, database, english, signed_up

WITH_ACCOUNT = pytest.mark.settings(WIJKBOT_IBAN="NL91ABNA0417164300", WIJKBOT_IBAN_NAME="Wijkcoop")
STAYS = "What you paid stays in the books with your member number, without your name."
CANCELLED = "What you have not paid yet is cancelled."


@WITH_ACCOUNT
async def test_the_delete_question_says_what_of_the_money_stays_and_what_is_cancelled(local_bot: LocalBot) -> None:
    await signed_up(local_bot, "Olga", user_id=900, language="English")
    ann = await english(local_bot, "Ann", 1)
    db, now = database(local_bot), runtime_of(local_bot.application).clock()
    olga = members.get_by_telegram_id(db, 900)
    assert olga is not None
    plan = Plan("Benches", "For the square.", 100_000, now + timedelta(days=14), False, None)
    campaign = campaigns.create(db, plan, olga.id, now)
    await ann.press(f"camp:give:{campaign.id}:2500:0")

    await ann.press("me:delete")  # pledged, not paid: nothing stays of it
    assert ann.last_text.endswith(f"\n\n{CANCELLED}") and STAYS not in ann.last_text
    [pledge] = campaigns.pledges(db, campaign.id, 0).items
    campaigns.decide(db, pledge.id, campaigns.RECEIVED, olga.id, now)
    await catch_up(local_bot)  # the thank-you goes out first
    await ann.press("me:delete")  # paid: it stays, nothing is cancelled
    assert ann.last_text.endswith(STAYS)
