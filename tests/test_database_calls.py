"""A member's tap goes to the database at most 5 times (DESIGN.md), counted, not guessed.

Time is measured by benchmarks/rsvp_burst.py; here we count, which cannot flake.
"""

from datetime import timedelta

from telegram import Update
from telegram.ext import TypeHandler

from bot.telegram_emulation.local_bot import LocalBot
from storage import campaign_needs
from storage.db import CallCount, count_calls
from storage.votes import PlannedOption
from tests.journeys import catch_up, database, open_vote, planned_activity, signed_up
from tests.test_campaign_needs import asked
from tests.test_campaigns import WITH_ACCOUNT, organiser, started, to_campaign

MAX_CALLS_PER_TAP = 5
PROJECTS = (PlannedOption("Bankjes", 400_00), PlannedOption("Speeltuin", 800_00))


def count_each_update(local_bot: LocalBot) -> list[CallCount]:
    """From now on, count the database calls of every update the bot handles (before any handler runs)."""
    counts: list[CallCount] = []

    async def start_counting(update: Update, context: object) -> None:
        counts.append(count_calls())

    local_bot.application.add_handler(TypeHandler(Update, start_counting), group=-100)
    return counts


async def test_every_tap_of_a_member_takes_at_most_five_database_calls(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    ann = await signed_up(local_bot, "Ann")
    bob = await signed_up(local_bot, "Bob", user_id=2)
    full = await planned_activity(local_bot, "Vol", capacity=1, created_by=olga)
    for day in range(1, 8):
        await planned_activity(local_bot, f"Dag {day}", starts_in=timedelta(days=day))
    await bob.press(f"act:yes:{full.id}")
    counts = count_each_update(local_bot)

    taps = {
        "menu": lambda: ann.send("/menu"),
        "list": lambda: ann.tap("📅 Activiteiten"),
        "next page": lambda: ann.tap("▶️"),
        "card": lambda: ann.press(f"act:card:{full.id}"),
        "waiting list": lambda: ann.tap("⏳ Op de wachtlijst"),
        "mine": lambda: ann.press("act:mine:0"),
        "leave?": lambda: bob.press(f"act:no:{full.id}"),
        "leave": lambda: bob.tap("✅ Ja, ik kan niet"),
        "take the offer": lambda: ann.press(f"act:claim:{full.id}"),
        "calendar": lambda: ann.press(f"act:ics:{full.id}"),
        "details": lambda: ann.tap("👤 Mijn gegevens"),
        "pause": lambda: ann.tap("🔕 Berichten pauzeren"),
        "unknown text": lambda: ann.send("hallo?"),
    }
    used = {}
    for name, tap in taps.items():
        await tap()
        used[name] = counts[-1].calls
    assert max(used.values()) <= MAX_CALLS_PER_TAP, used
    assert used["card"] == 2  # who is tapping, then the card with their place in one query


async def test_every_voting_tap_takes_at_most_five_database_calls(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann")
    bob = await signed_up(local_bot, "Bob", user_id=2)
    vote = await open_vote(local_bot)
    budget = await open_vote(local_bot, "Buurtbudget", kind="budget", options=PROJECTS, budget_cents=1000_00)
    for_option, project = vote.options[0].id, budget.options[0].id
    await catch_up(local_bot)
    counts = count_each_update(local_bot)

    taps = {
        "votes": lambda: ann.tap("🗳️ Stemmen"),
        "card": lambda: ann.press(f"vote:card:{vote.id}"),
        "read more": lambda: ann.press(f"vote:more:{vote.id}"),
        "vote": lambda: ann.press(f"vote:pick:{vote.id}:{for_option}"),
        "same again": lambda: ann.press(f"vote:pick:{vote.id}:{for_option}"),
        "tick": lambda: bob.press(f"vote:tick:{budget.id}:{project}"),
        "archive": lambda: ann.press("vote:archive:0"),
    }
    used = {}
    for name, tap in taps.items():
        await tap()
        used[name] = counts[-1].calls
    assert max(used.values()) <= MAX_CALLS_PER_TAP, used
    assert used["vote"] == 2  # who is tapping, then the ballot and the card in one transaction


@WITH_ACCOUNT
async def test_every_crowdfunding_tap_takes_at_most_five_database_calls(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await signed_up(local_bot, "Ann", language="English")
    campaign = started(local_bot, 1000, all_or_nothing=False)
    await asked(olga, campaign, "🙋 Help", "Paint the hall", "2")
    await asked(olga, campaign, "📦 Things", "Tins of paint", "5")
    helping, things = campaign_needs.of_campaign(database(local_bot), campaign.id)
    await to_campaign(ann, campaign)
    counts = count_each_update(local_bot)

    taps = {
        "list": lambda: ann.press("camp:list:0"),
        "card": lambda: ann.press(f"camp:card:{campaign.id}"),
        "amount": lambda: ann.press(f"camp:amt:{campaign.id}:2500"),
        "pledge": lambda: ann.press(f"camp:give:{campaign.id}:2500:0"),
        "card again": lambda: ann.press(f"camp:card:{campaign.id}"),
        "help": lambda: ann.press(f"need:help:{helping.id}"),
        "bring how many": lambda: ann.press(f"need:bring:{things.id}"),
        "bring": lambda: ann.press(f"need:amt:{things.id}:2"),
        "withdraw": lambda: ann.press(f"need:off:{helping.id}"),
    }
    used = {}
    for name, tap in taps.items():
        await tap()
        used[name] = counts[-1].calls
    assert max(used.values()) <= MAX_CALLS_PER_TAP, used
    assert "✅ you bring 2" in ann.last_text  # the taps did what they say: 2 tins brought, the help withdrawn
    assert "🙋 Paint the hall: 0 of 2 people" in ann.last_text
