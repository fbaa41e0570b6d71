"""Campaign cards already on members' screens follow the campaign as it grows (issue 15)."""

import asyncio
import json

from bot import campaign_live, i18n
from bot.context import runtime_of
from bot.exports import personal_data, personal_json
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.server import TelegramEmulator
from storage import campaigns, members
from storage.campaigns import Campaign
from tests.conftest import Clock
from tests.journeys import catch_up, database, english, stored
from tests.test_campaign_needs import asked, needs_of
from tests.test_campaigns import WITH_ACCOUNT, organiser, pledged, started, to_campaign


async def scheduler_runs(local_bot: LocalBot) -> int:
    """The due work and the cards' round, as the repeating jobs run them; how many cards were edited."""
    await catch_up(local_bot)
    return await campaign_live.edit_due(local_bot.application)


async def card_open(person: Person, campaign: Campaign) -> int:
    """The member opens the campaign and leaves its card on the screen; its message id."""
    await to_campaign(person, campaign)
    return int(person.last_message["message_id"])


def edits_of(person: Person, message_id: int) -> list[str]:
    return [e.text for e in person.look() if e.kind == "edit" and e.message and e.message["message_id"] == message_id]


def kept_cards(local_bot: LocalBot) -> set[tuple[int, int]]:
    """(chat, message id) of the cards the bot keeps up to date."""
    rows = database(local_bot).fetchall("SELECT chat_id, message_id FROM campaign_cards")
    return {(row["chat_id"], row["message_id"]) for row in rows}


def pledge_directly(local_bot: LocalBot, campaign: Campaign, member_id: int, cents: int) -> None:
    """A pledge as the 👤/🙈 button stores it, without the taps (for a burst)."""
    runtime = runtime_of(local_bot.application)
    done = campaigns.pledge(
        runtime.database, campaign.id, member_id, cents, False, runtime.clock(), lambda n: f"RF18CF{n:08d}"
    )
    assert done.outcome is campaigns.Pledging.PLEDGED


@WITH_ACCOUNT
async def test_an_open_card_shows_the_new_total_after_another_member_pledges(local_bot: LocalBot) -> None:
    await organiser(local_bot)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    card = await card_open(ann, campaign)
    assert "€0.00 of €1,000.00" in ann.last_text
    await pledged(bert, campaign, 2500)
    assert edits_of(ann, card) == []  # not at once: the scheduler does it

    assert await scheduler_runs(local_bot) == 1
    [edited] = edits_of(ann, card)
    assert "€25.00 of €1,000.00" in edited and "1 supporter: Bert" in edited
    assert "How much do you want to give?" in edited and "€25.00" in ann.inline_labels  # the same buttons
    assert await scheduler_runs(local_bot) == 0  # nothing changed since: no edit

    runtime = runtime_of(local_bot.application)  # the download says the card is kept up to date
    member = await stored(local_bot, ann)
    assert member is not None
    data = await personal_data(runtime.database, member, {}, runtime.clock())
    assert [kept["campaign"] for kept in json.loads(personal_json(data))["campaign_cards_kept_up_to_date"]] == [
        "New benches"
    ]
    text = data.as_text(i18n.translator("en"), "en", runtime.settings.timezone).decode()
    assert "Campaign cards on your screen that the bot keeps up to date" in text


@WITH_ACCOUNT
async def test_a_burst_of_pledges_gives_only_a_few_edits_and_the_card_ends_right(
    local_bot: LocalBot, emulator: TelegramEmulator, clock: Clock
) -> None:
    await organiser(local_bot)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    card = await card_open(ann, campaign)
    bert_member = await stored(local_bot, bert)
    assert bert_member is not None
    calls_before = len(emulator.calls)
    for cents in range(100, 3100, 100):  # 30 pledges, one a second, the scheduler running after each
        pledge_directly(local_bot, campaign, bert_member.id, cents)
        await scheduler_runs(local_bot)
        clock.advance(seconds=1)
    await scheduler_runs(local_bot)
    clock.advance(seconds=20)
    await scheduler_runs(local_bot)

    edits = edits_of(ann, card)
    assert 1 <= len(edits) <= 3, edits
    assert "€465.00 of €1,000.00" in edits[-1]  # 1 + 2 + … + 30 euros
    calls = [method for method, _ in emulator.calls[calls_before:] if method.startswith("editMessage")]
    assert len(calls) == len(edits)


@WITH_ACCOUNT
async def test_a_card_the_member_deleted_or_a_blocked_bot_is_forgotten_and_others_still_follow(
    local_bot: LocalBot, emulator: TelegramEmulator
) -> None:
    await organiser(local_bot)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    cara, dirk = await english(local_bot, "Cara", 3), await english(local_bot, "Dirk", 4)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    ann_card, cara_card, _ = (
        await card_open(ann, campaign),
        await card_open(cara, campaign),
        await card_open(dirk, campaign),
    )
    emulator.user_deletes(ann.user, ann_card)
    emulator.block(dirk.id)
    await pledged(bert, campaign, 1000)

    assert await scheduler_runs(local_bot) == 1
    assert "€10.00 of €1,000.00" in edits_of(cara, cara_card)[0]
    assert kept_cards(local_bot) == {(cara.id, cara_card)}  # Bert's card became his payment details
    dirk_member = await stored(local_bot, dirk)
    assert dirk_member is not None and dirk_member.unreachable_since is not None


@WITH_ACCOUNT
async def test_a_closed_campaign_card_shows_it_ended_and_is_then_forgotten(local_bot: LocalBot, clock: Clock) -> None:
    await organiser(local_bot)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    campaign = started(local_bot, 1000, all_or_nothing=False, days=2)
    await pledged(bert, campaign, 2500)
    card = await card_open(ann, campaign)
    clock.advance(days=3)

    await scheduler_runs(local_bot)  # it closes, and the cards show it
    [edited] = edits_of(ann, card)
    assert "This campaign has ended." in edited and "How much do you want to give?" not in edited
    assert not {label for label in ann.inline_labels if label.startswith("€")}
    assert (ann.id, card) not in kept_cards(local_bot) and kept_cards(local_bot) == set()
    await ann.press(f"camp:card:{campaign.id}")  # opened again after the end: nothing left to follow
    assert kept_cards(local_bot) == set()


@WITH_ACCOUNT
async def test_a_deleted_account_has_its_cards_forgotten_and_old_cards_go_after_30_days(
    local_bot: LocalBot, clock: Clock
) -> None:
    await organiser(local_bot)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    cara = await english(local_bot, "Cara", 3)
    campaign = started(local_bot, 1000, all_or_nothing=False, days=60)
    await card_open(ann, campaign)
    cara_card = await card_open(cara, campaign)
    runtime = runtime_of(local_bot.application)
    member = await stored(local_bot, ann)
    assert member is not None
    members.delete_account(runtime.database, member, runtime.clock())
    assert {chat for chat, _ in kept_cards(local_bot)} == {cara.id}

    clock.advance(days=31)
    await pledged(bert, campaign, 500)
    await scheduler_runs(local_bot)
    assert edits_of(cara, cara_card) == [] and (cara.id, cara_card) not in kept_cards(local_bot)


@WITH_ACCOUNT
async def test_an_open_card_follows_the_help_asked_for(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    card = await card_open(ann, campaign)
    await asked(olga, campaign, "🙋 Help", "Paint the hall", "2")
    assert await scheduler_runs(local_bot) == 1
    assert "🙋 Paint the hall: 0 of 2 people" in edits_of(ann, card)[-1]
    await to_campaign(bert, campaign)
    await bert.tap("🙋 I help: Paint the hall")
    assert needs_of(local_bot, campaign)[0].pledged == 1
    clock.advance(seconds=20)
    assert await scheduler_runs(local_bot) == 1
    assert "🙋 Paint the hall: 1 of 2 people" in edits_of(ann, card)[-1]


@WITH_ACCOUNT
async def test_a_round_in_progress_leaves_a_card_the_member_tapped_away_from(
    local_bot: LocalBot, emulator: TelegramEmulator
) -> None:
    await organiser(local_bot)
    ann, bert, cara = [await english(local_bot, name, n) for name, n in (("Ann", 1), ("Bert", 2), ("Cara", 3))]
    campaign = started(local_bot, 1000, all_or_nothing=False)
    ann_card, cara_card = await card_open(ann, campaign), await card_open(cara, campaign)
    await pledged(bert, campaign, 1000)
    held, answered = emulator.hold("editMessageText"), emulator.hold("answerCallbackQuery")

    editing = asyncio.create_task(scheduler_runs(local_bot))
    await held.arrived.wait()  # the round edits the first card and waits for Telegram
    tapping = asyncio.create_task(cara.press(f"camp:amt:{campaign.id}:500", cara_card))  # Cara taps € 5 meanwhile
    await answered.arrived.wait()  # her tap is being answered: her card is no card any more
    assert (cara.id, cara_card) not in kept_cards(local_bot)
    answered.released.set()
    held.released.set()
    assert await editing == 1  # Ann's card only
    await tapping

    assert "€10.00 of €1,000.00" in edits_of(ann, ann_card)[-1]
    assert cara.last_message["message_id"] == cara_card
    assert "You give €5.00" in cara.last_message["text"]  # her screen stays what she tapped
