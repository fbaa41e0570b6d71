"""🎯 Crowdfunding: organisers start campaigns, members pledge and pay by transfer, organisers confirm (issue 15)."""

import asyncio
import io
import json
from datetime import timedelta

import pytest
import zxingcpp
from PIL import Image

from bot import i18n, payments
from bot.campaign_notices import progress
from bot.config import Settings
from bot.context import runtime_of
from bot.exports import personal_data, personal_json
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.server import TelegramEmulator
from storage import campaigns, members
from storage.campaigns import LAPSED, PLEDGED, Campaign, Plan
from tests.conftest import Clock, running_bot
from tests.journeys import catch_up, database, english, member_id, signed_up, stored

IBAN, NAME = "NL91ABNA0417164300", "Wijkcoöperatie De Hoogte"
WITH_ACCOUNT = pytest.mark.settings(WIJKBOT_IBAN="NL91 ABNA 0417 1643 00", WIJKBOT_IBAN_NAME=NAME)


async def organiser(local_bot: LocalBot) -> Person:
    return await signed_up(local_bot, "Olga", user_id=900, language="English")


def started(local_bot: LocalBot, goal_euros: int, *, all_or_nothing: bool, days: int = 14) -> Campaign:
    """A campaign an organiser published (as ✅ Publish stores it)."""
    runtime = runtime_of(local_bot.application)
    now = runtime.clock()
    plan = Plan(
        "New benches", "Benches for the square.", goal_euros * 100, now + timedelta(days=days), all_or_nothing, None
    )
    olga = members.get_by_telegram_id(runtime.database, 900)
    assert olga is not None
    return campaigns.create(runtime.database, plan, olga.id, now)


async def to_campaign(person: Person, campaign: Campaign) -> None:
    await person.send("/menu")
    await person.tap("🙌 Take part")
    await person.tap("🎯 Crowdfunding")
    await person.tap("🎯 " + campaign.title)


async def pledged(person: Person, campaign: Campaign, cents: int, *, anonymous: bool = False) -> None:
    """The member pledges from the campaign's card (an amount on its buttons, as the buttons send it)."""
    await to_campaign(person, campaign)
    await person.press(f"camp:give:{campaign.id}:{cents}:{int(anonymous)}")


def qr_lines(local_bot: LocalBot, person: Person) -> list[str]:
    [photo] = [event.message["photo"][-1]["file_id"] for event in person.replies if event.kind == "photo"]
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(local_bot.emulator.photos[photo])))
    return found.text.split("\n")


def pledges_of(local_bot: LocalBot, campaign: Campaign) -> list[campaigns.Pledge]:
    return campaigns.pledges(database(local_bot), campaign.id, 0).items


@WITH_ACCOUNT
async def test_an_organiser_starts_a_campaign_a_member_pledges_pays_and_is_thanked(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    await olga.press("camporg:menu")
    await olga.tap("➕ New campaign")
    await olga.send("New benches")
    await olga.send("Benches for the square, so older neighbours can sit.")
    await olga.tap("€5,000.00")
    await olga.tap(olga.inline_labels[1])  # in 4 weeks
    assert olga.last_text.endswith("Which one do you choose?")  # the question right above its two buttons
    await olga.tap("Keep it all")
    await olga.tap("⏭️ Skip")
    assert "░░░░░░░░░░ 0%\n€0.00 of €5,000.00" in olga.last_text and "28 days left" in olga.last_text
    preview = olga.last_message
    await olga.tap("✅ Yes, publish")
    await olga.tap_on(preview, "✅ Yes, publish")  # a double tap that left with the first: the flow has ended
    assert olga.texts == []  # a pop-up only: no "choose again from the menu" below what the first tap did
    [campaign] = campaigns.every(database(local_bot), 0).items
    assert (campaign.goal_cents, campaign.all_or_nothing, campaign.photo) == (500_000, False, None)
    assert database(local_bot).fetchone("SELECT count(*) FROM audit_log WHERE action = 'campaign_started'")[0] == 1

    await to_campaign(ann, campaign)
    assert "Benches for the square" in ann.last_text and "0 supporters" in ann.last_text
    await ann.tap("€25.00")
    await ann.tap("👤 Yes, with my name")
    [pledge] = pledges_of(local_bot, campaign)
    instructions = ann.texts[0]
    assert (
        "Please transfer €25.00 for “New benches”." in instructions and "IBAN: NL91 ABNA 0417 1643 00" in instructions
    )
    assert f"Reference: {payments.grouped(pledge.reference or '')}" in instructions
    lines = qr_lines(local_bot, ann)
    assert (lines[5], lines[6], lines[7], lines[9]) == (NAME, IBAN, "EUR25.00", pledge.reference)
    assert {"⬅️ Back", "🏠 Menu"} <= set(ann.inline_labels)

    await olga.press(f"camporg:card:{campaign.id}")
    await olga.tap("📋 Pledges")
    await olga.tap("Ann · €25.00 · waiting for payment")
    await olga.tap("✅ Received")
    assert olga.toasts == ["✅ Received. The member gets a thank-you."]
    ann.look()
    assert ann.last_text == "✅ We received your payment of €25.00 for “New benches”. Thank you!"
    assert campaigns.get(database(local_bot), campaign.id).received_cents == 2500


@WITH_ACCOUNT
async def test_all_or_nothing_gives_the_details_when_the_goal_is_reached_and_tells_each_supporter_once(
    local_bot: LocalBot,
) -> None:
    await organiser(local_bot)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    campaign = started(local_bot, 100, all_or_nothing=True)
    await pledged(ann, campaign, 5000)
    assert "You get the payment details when the goal is reached." in ann.last_text
    assert not [event for event in ann.replies if event.kind == "photo"]
    ann.look()
    [early] = pledges_of(local_bot, campaign)
    organiser_id = members.get_by_telegram_id(database(local_bot), 900).id
    runtime = runtime_of(local_bot.application)
    decision = campaigns.decide(runtime.database, early.id, campaigns.RECEIVED, organiser_id, runtime.clock())
    assert decision.outcome is campaigns.Outcome.NOT_YET  # nobody pays before the goal: nothing is received

    await pledged(bert, campaign, 5000)  # reaches € 100: Bert gets the details at once
    assert "Please transfer €50.00" in bert.texts[0]
    await pledged(bert, campaign, 2500)  # after the goal: no second message about it
    await catch_up(local_bot)
    told = [event.text for event in ann.look() if "reached its goal" in event.text]
    assert len(told) == 1 and "Please transfer your pledge now:" in told[0] and "Amount: €50.00" in told[0]
    assert "💶 Pay €50.00" in ann.inline_labels
    [reached] = [event.text for event in bert.chat.events if "reached its goal" in event.text]
    assert "Please transfer" not in reached  # Bert had the details on his screen already
    assert database(local_bot).fetchone("SELECT count(*) FROM outbox WHERE kind = 'campaign_reached'")[0] == 2
    found = campaigns.get(database(local_bot), campaign.id)
    assert (found.pledged_cents, found.supporters, found.reached) == (12_500, 2, True)


@WITH_ACCOUNT
async def test_a_campaign_closes_at_its_end_also_across_a_restart_and_supporters_hear_it_once(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        await organiser(local_bot)
        ann = await english(local_bot, "Ann", 1)
        campaign = started(local_bot, 100, all_or_nothing=True, days=2)
        await pledged(ann, campaign, 2500)
        await catch_up(local_bot)
        ann.look()
    clock.advance(days=3)  # the bot was down when it ended
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = local_bot.person("Ann", user_id=1)
        await catch_up(local_bot)
        await catch_up(local_bot)
        texts = [event.text for event in ann.look()]
        assert len(texts) == 1 and "“New benches” has ended." in texts[0]
        assert "The goal was not reached. So nobody pays." in texts[0] and "25%" in texts[0]
        found = campaigns.get(database(local_bot), campaign.id)
        # nobody pays, and the card and the overview keep the result: what was pledged, by how many
        assert (found.status, found.pledged_cents, found.received_cents, found.supporters) == ("closed", 2500, 0, 1)
        assert [p.status for p in pledges_of(local_bot, campaign)] == [LAPSED]
        await ann.press(f"camp:give:{campaign.id}:500:0")  # an old button: the campaign ended
        assert ann.toasts == ["This button no longer works."]
        await ann.press(f"camp:card:{campaign.id}")  # the card says so too (as the bot edits it): nothing is owed
        assert "The goal was not reached. So nobody pays." in ann.last_text
        assert "• €25.00 · no need to pay" in ann.last_text and "only pay when" not in ann.last_text
        olga = local_bot.person("Olga", user_id=900)
        [pledge] = pledges_of(local_bot, campaign)
        await olga.press(f"camporg:lapseok:{pledge.id}:0")  # an old ✖️: the closing lapsed it, not an organiser
        assert olga.toasts == ["The bot did this already. Nothing was changed."]


@WITH_ACCOUNT
async def test_two_organisers_confirming_a_pledge_at_once_count_it_once(local_bot: LocalBot) -> None:
    olga, bert, ann = await two_organisers_and_ann(local_bot)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    await pledged(ann, campaign, 5000)
    [pledge] = pledges_of(local_bot, campaign)

    await asyncio.gather(olga.press(f"camporg:got:{pledge.id}:0"), bert.press(f"camporg:got:{pledge.id}:0"))

    db = database(local_bot)
    assert campaigns.get(db, campaign.id).received_cents == 5000
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'pledge_received'")[0] == 1
    assert sorted(olga.toasts + bert.toasts) == [
        "Another organiser did this already.",
        "✅ Received. The member gets a thank-you.",
    ]
    assert [event.text for event in ann.look() if "We received" in event.text] == [
        "✅ We received your payment of €50.00 for “New benches”. Thank you!"
    ]
    await olga.press(f"camporg:lapse:{pledge.id}:0")  # an old card's ✖️ Lapsed: the pledge is received
    assert olga.last_text.endswith("\nreceived") and "Has the pledge" not in olga.last_text


@WITH_ACCOUNT
async def test_a_pledge_paid_after_it_lapsed_is_found_by_its_reference_and_counts_again(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    await pledged(ann, campaign, 2500)
    [pledge] = pledges_of(local_bot, campaign)
    for _tap in range(2):  # a double tap hears what it did
        await olga.press(f"camporg:lapseok:{pledge.id}:0")
        assert olga.toasts == ["Lapsed. The member gets a message."]
    db = database(local_bot)
    assert (campaigns.get(db, campaign.id).pledged_cents, campaigns.get(db, campaign.id).supporters) == (0, 0)

    await olga.press("payfind:find")  # the transfer came after all: its reference, from the bank statement
    assert pledge.reference is not None
    await olga.send(payments.grouped(pledge.reference))
    assert "Did the payment come after all? Tap ✅ Received." in olga.last_text
    await olga.tap("✅ Received")
    found = campaigns.get(db, campaign.id)
    assert (found.pledged_cents, found.received_cents, found.supporters) == (2500, 2500, 1)
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'pledge_received'")[0] == 1
    assert [event.text for event in ann.look() if "We received" in event.text] == [
        "✅ We received your payment of €25.00 for “New benches”. Thank you!"
    ]


async def two_organisers_and_ann(local_bot: LocalBot) -> tuple[Person, Person, Person]:
    """Olga and Bert organise; Ann supports."""
    olga = await organiser(local_bot)
    bert = await english(local_bot, "Bert", 2)
    await members_made_organiser(local_bot, bert)
    return olga, bert, await english(local_bot, "Ann", 1)


async def members_made_organiser(local_bot: LocalBot, person: Person) -> None:
    member = await stored(local_bot, person)
    olga = members.get_by_telegram_id(database(local_bot), 900)
    assert member is not None and olga is not None
    members.set_organiser(
        database(local_bot), member.id, True, actor_id=olga.id, now=runtime_of(local_bot.application).clock()
    )


def test_the_progress_bar_and_totals() -> None:
    _ = i18n.translator("en")
    assert progress(_, "en", 260_000, 500_000) == "▓▓▓▓▓░░░░░ 52%\n€2,600.00 of €5,000.00"
    assert progress(_, "en", 499_999, 500_000).startswith("▓▓▓▓▓▓▓▓▓░ 99%")  # not 100 % before it is
    assert progress(_, "en", 750_000, 500_000).startswith("▓▓▓▓▓▓▓▓▓▓ 150%")


@WITH_ACCOUNT
async def test_an_anonymous_supporter_is_not_named_to_other_members_but_organisers_see_them(
    local_bot: LocalBot,
) -> None:
    olga = await organiser(local_bot)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    await pledged(ann, campaign, 1000)
    await pledged(bert, campaign, 2500, anonymous=True)
    await to_campaign(ann, campaign)
    assert "2 supporters: Ann …" in ann.last_text and "Bert" not in ann.last_text
    assert "€35.00 of €1,000.00" in ann.last_text
    await olga.press(f"camporg:pledges:{campaign.id}:0")
    assert {"Ann · €10.00 · waiting for payment", "🙈 Bert · €25.00 · waiting for payment"} <= set(olga.inline_labels)

    await pledged(ann, campaign, 500, anonymous=True)  # one anonymous pledge: Ann is no longer named at all
    await to_campaign(bert, campaign)
    assert "2 supporters" in bert.last_text and "Ann" not in bert.last_text


@WITH_ACCOUNT
async def test_forged_and_stale_buttons_and_a_non_organiser_are_refused(local_bot: LocalBot) -> None:
    await organiser(local_bot)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    await pledged(ann, campaign, 1000)
    [pledge] = pledges_of(local_bot, campaign)

    await bert.press("camporg:menu")
    assert "organiser" in bert.last_text.lower()
    await bert.press(f"camporg:got:{pledge.id}:0")
    assert bert.toasts == ["Only organisers can do this."]
    forged = (
        f"camp:pay:{pledge.id}",  # Ann's pledge
        f"camp:card:{campaign.id + 1}",  # no such campaign
        f"camp:amt:{campaign.id}:1234",  # not an amount on the buttons
        f"camp:give:{campaign.id}:0:0",  # an amount the codec refuses
    )
    for data in forged:
        await bert.press(data)
        assert bert.toasts == ["This button no longer works."], data
    assert pledges_of(local_bot, campaign)[0].status == PLEDGED
    assert campaigns.get(database(local_bot), campaign.id).received_cents == 0


@WITH_ACCOUNT
async def test_pledges_are_in_the_download_and_stay_anonymous_after_deletion(local_bot: LocalBot) -> None:
    await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    await pledged(ann, campaign, 2500, anonymous=True)
    member = await stored(local_bot, ann)
    assert member is not None
    runtime = runtime_of(local_bot.application)
    data = await personal_data(runtime.database, member, {}, runtime.clock())
    [kept] = json.loads(personal_json(data))["pledges"]
    assert (kept["campaign"], kept["amount_cents"], kept["anonymous"], kept["status"]) == (
        "New benches",
        2500,
        True,
        PLEDGED,
    )
    text = data.as_text(i18n.translator("en"), "en", runtime.settings.timezone).decode()
    assert "What you pledged to crowdfunding" in text and "€25.00" in text

    ann_id = await member_id(local_bot, ann)
    members.delete_account(runtime.database, member, runtime.clock())
    [pledge] = pledges_of(local_bot, campaign)
    assert (pledge.member_id, pledge.first_name, pledge.amount_cents, pledge.status) == (ann_id, None, 2500, LAPSED)
    found = campaigns.get(runtime.database, campaign.id)
    assert (found.pledged_cents, found.supporters) == (0, 0)


@WITH_ACCOUNT
async def test_a_typed_amount_is_asked_again_once_when_it_is_no_amount_and_then_pledged(local_bot: LocalBot) -> None:
    await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    await to_campaign(ann, campaign)
    await ann.tap("✍️ Another amount")
    assert ann.last_text == "How much do you want to give? Type an amount in euros, like 15 or 7,50."
    await ann.send("a lot 🎉")
    assert ann.last_text == "Please type an amount in euros, like 15 or 7,50.\n\nHow much do you want to give?"
    await ann.send("12,50")
    assert ann.last_text.startswith("You give €12.50 to “New benches”.")
    await ann.tap("🙈 No, anonymous")
    [pledge] = pledges_of(local_bot, campaign)
    assert (pledge.amount_cents, pledge.anonymous) == (1250, True)


@WITH_ACCOUNT
async def test_an_organiser_ends_a_campaign_early_and_every_supporter_hears_it_once(local_bot: LocalBot) -> None:
    olga, bert, ann = await two_organisers_and_ann(local_bot)
    campaign = started(local_bot, 1000, all_or_nothing=True)
    await pledged(ann, campaign, 2500)
    await catch_up(local_bot)
    ann.look()

    await ann.press(f"camporg:close:{campaign.id}")  # not an organiser
    assert ann.toasts == ["Only organisers can do this."]
    await olga.press(f"camporg:card:{campaign.id}")
    await olga.tap("🏁 End now")
    assert "The goal is not reached, so nobody pays." in olga.last_text
    await olga.tap("↩️ No")
    assert "🏁 End now" in olga.inline_labels and campaigns.get(database(local_bot), campaign.id).status == "open"
    await olga.tap("🏁 End now")
    await olga.press(f"camporg:closeok:{campaign.id}")
    assert olga.toasts == ["Ended. Every supporter gets a message."]
    assert "This campaign has ended." in olga.last_text and "🏁 End now" not in olga.inline_labels
    await olga.press(f"camporg:closeok:{campaign.id}")  # a double tap hears what it did
    assert olga.toasts == ["Ended. Every supporter gets a message."]
    await bert.press(f"camporg:closeok:{campaign.id}")  # another organiser, later
    assert bert.toasts == ["This campaign has ended already."]

    found = campaigns.get(database(local_bot), campaign.id)
    assert (found.status, found.pledged_cents, found.supporters) == ("closed", 2500, 1)
    assert [p.status for p in pledges_of(local_bot, campaign)] == [LAPSED]  # all or nothing, short: nobody pays
    db = database(local_bot)
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'campaign_ended'")[0] == 1
    await catch_up(local_bot)
    texts = [event.text for event in ann.look()]
    assert len(texts) == 1 and "“New benches” has ended." in texts[0] and "nobody pays" in texts[0]
    await ann.press(f"camp:give:{campaign.id}:500:0")
    assert ann.toasts == ["This button no longer works."]
