"""A campaign asks for help and things too; members pledge them; help becomes a shift (issue 15)."""

import asyncio
import json

import pytest

from bot import i18n
from bot.context import runtime_of
from bot.exports import personal_data, personal_json
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import campaign_needs, campaigns, members
from storage.campaign_needs import Need
from storage.campaigns import Campaign
from tests.journeys import catch_up, database, english, stored
from tests.test_campaigns import WITH_ACCOUNT, organiser, started, to_campaign

pytestmark = WITH_ACCOUNT


async def asked(olga: Person, campaign: Campaign, kind: str, text: str, wanted: str) -> None:
    """The organiser asks for help or things from the campaign's card: the kind, what, how many (a tap or typed)."""
    await olga.press(f"camporg:card:{campaign.id}")
    await olga.tap("➕ Ask for help or things")
    await olga.tap(kind)
    await olga.send(text)
    if wanted in olga.inline_labels:
        await olga.tap(wanted)
    else:
        await olga.send(wanted)
    assert "This is how members will see it:" in olga.last_text
    await olga.tap("✅ Yes, add")
    assert olga.last_text == "✅ Added. Members see it on the campaign."


def needs_of(local_bot: LocalBot, campaign: Campaign) -> list[Need]:
    return campaign_needs.of_campaign(database(local_bot), campaign.id)


async def tap_starting(person: Person, start: str) -> None:
    [label] = [label for label in person.inline_labels if label.startswith(start)]
    await person.tap(label)


async def with_needs(local_bot: LocalBot) -> tuple[Person, Campaign, Need, Need]:
    """Olga's campaign asks for 2 people to paint and 5 tins of paint."""
    olga = await organiser(local_bot)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    await asked(olga, campaign, "🙋 Help", "Paint the hall", "2")
    await asked(olga, campaign, "📦 Things", "Tins of paint", "5")
    helping, things = needs_of(local_bot, campaign)
    return olga, campaign, helping, things


async def test_members_pledge_help_and_things_and_the_counts_stay_right(local_bot: LocalBot) -> None:
    olga, campaign, helping, things = await with_needs(local_bot)
    assert (helping.kind, helping.wanted, things.kind, things.wanted) == ("help", 2, "thing", 5)
    assert database(local_bot).fetchone("SELECT count(*) FROM audit_log WHERE action = 'campaign_need_added'")[0] == 2
    ann, bert, cara = (
        await english(local_bot, "Ann", 1),
        await english(local_bot, "Bert", 2),
        await english(local_bot, "Cara", 3),
    )

    await to_campaign(ann, campaign)
    assert "🙋 Paint the hall: 0 of 2 people" in ann.last_text and "📦 Tins of paint: 0 of 5" in ann.last_text
    assert ann.last_text.endswith("How much do you want to give?")  # right above its amount buttons
    await ann.tap("🙋 I help: Paint the hall")
    assert ann.toasts == ["✅ Thank you! The organisers can see it."]
    assert "🙋 Paint the hall: 1 of 2 people · ✅ you help" in ann.last_text
    await ann.press(f"need:help:{helping.id}")  # a double tap pledges once
    assert ann.toasts == ["✅ Thank you! The organisers can see it."]  # what the first tap did
    await to_campaign(bert, campaign)
    await bert.tap("🙋 I help: Paint the hall")
    await to_campaign(cara, campaign)
    assert "🙋 I help: Paint the hall" not in cara.inline_labels  # full: no button
    await cara.press(f"need:help:{helping.id}")  # an older card's button
    assert cara.toasts == ["Sorry, that is more than is still needed. Nothing was changed."]

    await ann.tap("📦 I bring: Tins of paint")
    await ann.tap("3")
    await bert.tap("📦 I bring: Tins of paint")
    await bert.tap("✍️ Another number")
    await bert.send("3")
    assert bert.last_text.startswith("Please type a number from 1 to 2.")
    await bert.send("2")
    assert "📦 Tins of paint: 5 of 5 · ✅ you bring 2" in bert.last_text

    found = {need.id: (need.pledged, need.left) for need in needs_of(local_bot, campaign)}
    assert found == {helping.id: (2, 0), things.id: (5, 0)}
    await olga.press(f"camporg:card:{campaign.id}")
    assert "🙋 Paint the hall: 2 of 2 people" in olga.last_text and "📦 Tins of paint: 5 of 5" in olga.last_text
    await olga.tap("📋 Who: Tins of paint")
    assert "• Ann · member " in olga.last_text and "brings 3" in olga.last_text and "brings 2" in olga.last_text


async def test_withdrawing_and_a_closed_campaign(local_bot: LocalBot) -> None:
    olga, campaign, helping, _ = await with_needs(local_bot)
    ann = await english(local_bot, "Ann", 1)
    await to_campaign(ann, campaign)
    await ann.tap("🙋 I help: Paint the hall")
    await ann.tap("↩️ Withdraw: Paint the hall")
    assert ann.toasts == ["↩️ Withdrawn."] and "0 of 2 people" in ann.last_text
    await ann.tap("🙋 I help: Paint the hall")  # again, one tap
    assert needs_of(local_bot, campaign)[0].pledged == 1

    runtime = runtime_of(local_bot.application)
    assert campaigns.close_due(runtime.database, campaign.ends_at) == 1  # closing ends the needs
    for data in (f"need:off:{helping.id}", f"need:help:{helping.id}"):
        await ann.press(data)
        assert ann.toasts == ["This campaign has ended. Nothing was changed."], data
    assert "I help" not in " ".join(ann.inline_labels) and "Withdraw" not in " ".join(ann.inline_labels)
    shown = ann.last_message["text"]
    assert "Help and things:" in shown and "Also needed:" not in shown
    assert needs_of(local_bot, campaign)[0].pledged == 1
    await olga.press(f"need:new:{campaign.id}")  # an old ➕: nothing to ask for any more
    assert olga.last_text == "This campaign has ended. Nothing was added."


async def test_forged_buttons_and_a_non_organiser_are_refused(local_bot: LocalBot) -> None:
    _, campaign, helping, things = await with_needs(local_bot)
    bert = await english(local_bot, "Bert", 2)
    await to_campaign(bert, campaign)
    for data in (f"need:new:{campaign.id}", f"need:who:{helping.id}:0", f"need:shift:{helping.id}"):
        await bert.press(data)
        assert bert.toasts == ["Only organisers can do this."], data
    forged = (
        f"need:help:{things.id}",  # things are brought, not helped with
        f"need:amt:{helping.id}:1",  # help is one tap
        f"need:amt:{things.id}:4",  # not a number on the buttons
        f"need:off:{helping.id}",  # nothing pledged to withdraw
        f"need:help:{things.id + 1}",  # no such need
    )
    for data in forged:
        await bert.press(data)
        assert bert.toasts == ["This button no longer works."], data
    assert [need.pledged for need in needs_of(local_bot, campaign)] == [0, 0]


async def test_make_a_shift_puts_the_helpers_on_it_and_tells_them(local_bot: LocalBot) -> None:
    olga, campaign, helping, _ = await with_needs(local_bot)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    for person in (ann, bert):
        await to_campaign(person, campaign)
        await person.tap("🙋 I help: Paint the hall")
        person.look()

    await olga.press(f"camporg:card:{campaign.id}")
    await olga.tap("📅 Make a shift: Paint the hall")
    await olga.tap(olga.inline_labels[0])  # tomorrow
    await olga.tap("9:00–13:00")
    assert "The 2 people who offered help are put on it." in olga.last_text
    [make] = [b["callback_data"] for row in olga.last_message["reply_markup"]["inline_keyboard"] for b in row][:1]
    await olga.tap("✅ Yes, make the shift")
    assert olga.last_text.startswith("✅ The shift is made. 2 people are on it.")
    await olga.press(make)  # a double tap makes one shift, and the screen still says so
    assert olga.last_message["text"].startswith("✅ The shift is made. 2 people are on it.")
    db = database(local_bot)
    [shift] = db.fetchall("SELECT * FROM shifts")
    assert (shift["task"], shift["places"], shift["taken"]) == ("Paint the hall", 2, 2)
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'campaign_need_shift'")[0] == 1
    await catch_up(local_bot)
    for person in (ann, bert):
        [told] = [event.text for event in person.look() if "You are on the shift" in event.text]
        assert told.startswith("📅 Thank you for helping “New benches”! You are on the shift Paint the hall,")

    day = runtime_of(local_bot.application).clock().strftime("%Y%m%d")
    await olga.press(f"need:shtime:{helping.id}:{day}:0900-1300")  # an old button: the need is a shift now
    assert olga.toasts == ["This button no longer works."]
    assert db.fetchone("SELECT count(*) FROM shifts")[0] == 1
    await to_campaign(ann, campaign)
    assert "📅 now a volunteer shift" in ann.last_text and "Withdraw: Paint the hall" not in ann.inline_labels
    await ann.press(f"need:off:{helping.id}")  # an older card
    assert ann.toasts == ["This help is a volunteer shift now. Give your place back under 📋 My shifts."]
    cara = await english(local_bot, "Cara", 3)
    await to_campaign(cara, campaign)
    await cara.tap("🙋 I help: Paint the hall")  # the way to the shift
    assert cara.last_text.startswith("🙋 Paint the hall") and "Free places: 0 of 2" in cara.last_text


async def test_need_pledges_are_in_the_download_and_withdrawn_on_deletion(local_bot: LocalBot) -> None:
    _, campaign, _, things = await with_needs(local_bot)
    ann = await english(local_bot, "Ann", 1)
    await to_campaign(ann, campaign)
    await ann.tap("📦 I bring: Tins of paint")
    await ann.tap("2")
    member = await stored(local_bot, ann)
    assert member is not None
    runtime = runtime_of(local_bot.application)
    data = await personal_data(runtime.database, member, {}, runtime.clock())
    [kept] = json.loads(personal_json(data))["help_and_things_pledged"]
    assert (kept["campaign"], kept["need"], kept["how_many"], kept["status"]) == (
        "New benches",
        "Tins of paint",
        2,
        "pledged",
    )
    text = data.as_text(i18n.translator("en"), "en", runtime.settings.timezone).decode()
    assert "Help and things you offered to campaigns" in text and "New benches · 📦 Tins of paint · you bring 2" in text

    members.delete_account(runtime.database, member, runtime.clock())
    assert campaign_needs.get(runtime.database, things.id).pledged == 0
    row = database(local_bot).fetchone("SELECT status FROM need_pledges WHERE need_id = ?", (things.id,))
    assert row["status"] == "withdrawn"


@pytest.mark.parametrize("typed", ["0", "101", "many"])
async def test_how_many_is_a_number_from_1_to_100(local_bot: LocalBot, typed: str) -> None:
    olga = await organiser(local_bot)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    await olga.press(f"camporg:card:{campaign.id}")
    card = olga.last_text
    await olga.tap("➕ Ask for help or things")
    await olga.tap("⬅️ Back")  # at the first question: the campaign's card again, where ➕ was
    assert olga.last_text == card
    await olga.tap("➕ Ask for help or things")
    await olga.tap("📦 Things")
    await olga.send("Chairs")
    await olga.send(typed)
    assert olga.last_text.startswith("Please type a number from 1 to 100.")
    assert needs_of(local_bot, campaign) == []


async def test_members_tapping_for_the_last_places_at_once_never_overfill_a_need(local_bot: LocalBot) -> None:
    _, campaign, helping, _ = await with_needs(local_bot)
    people = [await english(local_bot, name, n) for n, name in enumerate(("Ann", "Bert", "Cara", "Dirk"), 1)]
    for person in people:
        await to_campaign(person, campaign)
    await asyncio.gather(*(person.tap("🙋 I help: Paint the hall") for person in people))
    toasts = sorted(toast for person in people for toast in person.toasts)
    assert toasts.count("✅ Thank you! The organisers can see it.") == 2
    assert needs_of(local_bot, campaign)[0].pledged == 2
    assert database(local_bot).fetchone("SELECT count(*) FROM need_pledges WHERE status = 'pledged'")[0] == 2


async def test_giving_back_a_shift_made_of_help_withdraws_the_help_and_taking_it_pledges(local_bot: LocalBot) -> None:
    olga, campaign, helping, _ = await with_needs(local_bot)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    for person in (ann, bert):
        await to_campaign(person, campaign)
        await person.tap("🙋 I help: Paint the hall")
    await olga.press(f"camporg:card:{campaign.id}")
    await olga.tap("📅 Make a shift: Paint the hall")
    await olga.tap(olga.inline_labels[0])  # tomorrow
    await olga.tap("9:00–13:00")
    await olga.tap("✅ Yes, make the shift")
    shift_id = needs_of(local_bot, campaign)[0].shift_id

    await ann.press(f"shift:card:{shift_id}:mine:0")  # 📋 My shifts → the shift
    await ann.tap("↩️ Give back")
    await ann.tap("↩️ Yes, give it back")
    assert needs_of(local_bot, campaign)[0].pledged == 1
    await to_campaign(ann, campaign)
    assert "🙋 Paint the hall: 1 of 2 people · 📅 now a volunteer shift\n" in ann.last_text  # no "✅ you help"
    await olga.press(f"need:who:{helping.id}:0")
    assert "Bert" in olga.last_text and "Ann" not in olga.last_text

    cara = await english(local_bot, "Cara", 3)
    await to_campaign(cara, campaign)
    await cara.tap("🙋 I help: Paint the hall")  # the way to the shift, which has the free place
    await cara.tap("✅ I'll do it")
    assert needs_of(local_bot, campaign)[0].pledged == 2
    await to_campaign(cara, campaign)
    assert "🙋 Paint the hall: 2 of 2 people · 📅 now a volunteer shift · ✅ you help" in cara.last_text
    await olga.press(f"need:who:{helping.id}:0")
    assert "Bert" in olga.last_text and "Cara" in olga.last_text


async def test_a_number_typed_on_the_bring_screen_pledges_and_says_thanks_above_the_card(local_bot: LocalBot) -> None:
    _, campaign, _, _ = await with_needs(local_bot)
    ann = await english(local_bot, "Ann", 1)
    await to_campaign(ann, campaign)
    await ann.tap("📦 I bring: Tins of paint")
    assert ann.last_text.endswith("How many do you bring? Tap a number, or type it.")
    await ann.send("6")  # the refusal once, above the numbers to tap
    assert ann.last_text.startswith("Please type a number from 1 to 5.\n\n📦 Tins of paint")
    assert ann.last_text.count("1 to 5") == 1 and "3" in ann.inline_labels
    await ann.send("4")
    thanks, card = ann.texts[-2:]
    assert thanks == "✅ Thank you! The organisers can see it."
    assert "📦 Tins of paint: 4 of 5 · ✅ you bring 4" in card
    assert needs_of(local_bot, campaign)[1].pledged == 4


async def test_a_campaign_that_closed_meanwhile_asks_no_number(local_bot: LocalBot) -> None:
    _, campaign, _, things = await with_needs(local_bot)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    for person in (ann, bert):
        await to_campaign(person, campaign)
    await bert.tap("📦 I bring: Tins of paint")  # Bert starts typing his number …
    await bert.tap("✍️ Another number")
    assert campaigns.close_due(database(local_bot), campaign.ends_at) == 1  # … and the campaign closes
    await ann.tap("📦 I bring: Tins of paint")  # an older card
    assert ann.toasts == ["This campaign has ended. Nothing was changed."]
    assert "How many" not in ann.last_text and "Help and things:" in ann.last_text
    await bert.send("2")
    notice, card = bert.texts[-2:]
    assert notice == "This campaign has ended. Nothing was changed." and "Help and things:" in card
    assert campaign_needs.get(database(local_bot), things.id).pledged == 0


async def test_the_preview_of_a_need_can_be_changed(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    campaign = started(local_bot, 1000, all_or_nothing=False)
    await olga.press(f"camporg:card:{campaign.id}")
    card = olga.last_text
    await olga.tap("➕ Ask for help or things")
    await olga.tap("⬅️ Back")  # at the first question: the campaign's card again, where ➕ was
    assert olga.last_text == card
    await olga.tap("➕ Ask for help or things")
    await olga.tap("📦 Things")
    await olga.send("Chairs")
    await olga.tap("5")
    assert "📦 Chairs: 0 of 5" in olga.last_text
    assert {"✅ Yes, add", "✏️ Change", "✖️ Stop"} <= set(olga.inline_labels)
    await olga.tap("✏️ Change")
    await olga.tap("How many")
    await olga.send("12")
    assert "📦 Chairs: 0 of 12" in olga.last_text  # straight back to the preview, the other answers kept
    await olga.tap("✅ Yes, add")
    [need] = needs_of(local_bot, campaign)
    assert (need.kind, need.text, need.wanted) == ("thing", "Chairs", 12)
