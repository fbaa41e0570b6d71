"""📅 Activiteiten: browsing, signing up, the waiting list and freed places, as members use them."""

import asyncio
from datetime import timedelta

import pytest
from icalendar import Calendar

from bot.config import Settings
from bot.telegram_emulation.local_bot import LocalBot
from bot.telegram_emulation.server import TelegramEmulator
from storage import activities, members
from tests.conftest import Clock, running_bot
from tests.journeys import catch_up, chose_language, database, last_file, planned_activity, signed_up, stored
from tests.test_reminders import local


async def test_upcoming_activities_soonest_first_five_a_page(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot)
    for day in (6, 2, 4, 3, 5, 1, 7):
        await planned_activity(local_bot, f"Dag {day}", starts_in=timedelta(days=day), capacity=day)
    await ann.tap("📅 Activiteiten")
    assert ann.last_text == "📅 Activiteiten. Tik er een aan voor meer."
    labels = ann.inline_labels
    assert labels[0] == "Dag 1 · za 28 nov, 10:00 · nog 1 plek"
    assert labels[2] == "Dag 3 · ma 30 nov, 10:00 · nog 3 plekken"
    assert [label.split(" · ")[0] for label in labels[:5]] == ["Dag 1", "Dag 2", "Dag 3", "Dag 4", "Dag 5"]
    assert labels[5] == "▶️"
    await ann.tap("▶️")
    assert [label.split(" · ")[0] for label in ann.inline_labels[:2]] == ["Dag 6", "Dag 7"]


async def test_the_card_shows_everything_and_sign_up_answers_at_once(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot)
    await planned_activity(local_bot, "Koken <met> Fatima & co", capacity=10, bring="een schort")
    await ann.tap("📅 Activiteiten")
    await ann.tap(ann.inline_labels[0])
    assert ann.last_text.splitlines()[:6] == [
        "📅 Koken <met> Fatima & co",
        "🕑 maandag 30 november, 10:00–12:00",
        "📍 Buurthuis",
        "💶 Gratis",
        "👥 Nog 10 plekken vrij",
        "🎒 Meenemen: een schort",
    ]
    await ann.tap("✅ Ik kom")
    assert ann.toasts == ["✅ Je komt. Tot dan!"]
    assert "👥 Nog 9 plekken vrij" in ann.last_text
    assert ann.last_text.endswith("✅ Je komt.")
    assert ann.inline_labels[0] == "❌ Ik kan niet"


async def test_tapping_twice_is_one_rsvp(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot)
    activity = await planned_activity(local_bot, capacity=5)
    await ann.press(f"act:yes:{activity.id}")
    await ann.press(f"act:yes:{activity.id}")
    assert ann.toasts == ["✅ Je komt. Tot dan!"]
    assert (activities.get(database(local_bot), activity.id)).going == 1


async def test_when_full_members_join_the_waiting_list_and_see_their_place(local_bot: LocalBot) -> None:
    activity = await planned_activity(local_bot, capacity=1)
    ann = await signed_up(local_bot, "Ann", user_id=1)
    bob = await signed_up(local_bot, "Bob", user_id=2)
    cem = await signed_up(local_bot, "Cem", user_id=3)
    await ann.press(f"act:card:{activity.id}")
    await ann.tap("✅ Ik kom")
    for person in (bob, cem):
        await person.press(f"act:card:{activity.id}")
        assert "👥 Vol. Je kunt op de wachtlijst komen." in person.last_text
        await person.tap("⏳ Op de wachtlijst")
    assert bob.toasts == ["⏳ Het is vol. Je bent nummer 1 op de wachtlijst."]
    assert cem.toasts == ["⏳ Het is vol. Je bent nummer 2 op de wachtlijst."]
    assert cem.last_text.endswith("⏳ Je staat op de wachtlijst: nummer 2.")
    await cem.tap("📋 Mijn activiteiten") if "📋 Mijn activiteiten" in cem.buttons else await cem.press("act:mine:0")
    assert cem.inline_labels[0] == "⏳ Samen koken · ma 30 nov, 10:00 · wachtlijst 2"
    await cem.tap(cem.inline_labels[0])
    assert cem.inline_labels[0] == "❌ Van de wachtlijst af"
    await cem.tap("⬅️ Terug")
    assert cem.last_text == "📋 Mijn activiteiten"  # back where the card was opened
    await ann.press("act:list:0")
    await ann.tap(ann.inline_labels[0])
    assert "👥 Vol\n" in ann.last_text  # she has a place: no waiting list for her


async def test_a_freed_place_is_offered_to_the_first_on_the_waiting_list(local_bot: LocalBot, clock: Clock) -> None:
    activity = await planned_activity(local_bot, capacity=1, starts_in=timedelta(days=3))
    ann = await signed_up(local_bot, "Ann", user_id=1)
    bob = await signed_up(local_bot, "Bob", user_id=2, language="English")
    cem = await signed_up(local_bot, "Cem", user_id=3)
    for person in (ann, bob, cem):
        await person.press(f"act:yes:{activity.id}")

    await ann.press(f"act:no:{activity.id}")
    await ann.tap("✅ Ja, ik kan niet")
    assert ann.toasts == ["Oké, je staat niet meer op de lijst."]
    [offer] = bob.look()
    assert offer.text.startswith(
        "🎉 A place came free for you! Do you want it?\nPlease answer before Saturday 28 November, 08:00."
    )
    assert cem.look() == []  # second in line: nothing yet
    await bob.press(f"act:yes:{activity.id}")  # ✅ on an old card, not on the offer
    assert bob.toasts == ["A place is held for you. Do you want it?"]
    await bob.tap("✅ Yes, I'm coming")
    assert bob.toasts == ["✅ You are coming. See you there!"]
    assert [p.member_id for p in await activities.people(database(local_bot), activity.id, "going")] == [
        (await stored(local_bot, bob)).id
    ]


@pytest.mark.settings(WIJKBOT_CLAIM_HOURS="4")
async def test_an_unanswered_offer_moves_to_the_next_person(local_bot: LocalBot, clock: Clock) -> None:
    activity = await planned_activity(local_bot, capacity=1, starts_in=timedelta(days=3))
    ann, bob, cem = [await signed_up(local_bot, n, user_id=i) for i, n in enumerate(("Ann", "Bob", "Cem"), start=1)]
    for person in (ann, bob, cem):
        await person.press(f"act:yes:{activity.id}")
    await ann.press(f"act:no:{activity.id}")
    await ann.tap("✅ Ja, ik kan niet")
    assert "Antwoord vóór vrijdag 27 november, 14:00." in bob.look()[0].text

    clock.advance(hours=3, minutes=59)
    await catch_up(local_bot)
    assert bob.look() == [] and cem.look() == []
    clock.advance(minutes=2)  # the 4 hours are over
    await catch_up(local_bot)
    assert bob.look()[0].text.startswith("Je hebt niet op tijd geantwoord.")
    [offer] = cem.look()
    assert offer.text.startswith("🎉 Er is een plek vrij voor jou!")
    await bob.press(f"act:claim:{activity.id}")
    assert bob.toasts == ["Sorry, de plek is al weg."]
    await cem.tap("✅ Ja, ik kom")
    assert cem.toasts == ["✅ Je komt. Tot dan!"]


async def test_an_offer_at_night_waits_until_morning_and_its_window_starts_then(
    local_bot: LocalBot, clock: Clock
) -> None:
    activity = await planned_activity(local_bot, capacity=1, starts_in=timedelta(days=3))
    ann, bob = [await signed_up(local_bot, n, user_id=i) for i, n in enumerate(("Ann", "Bob"), start=1)]
    for person in (ann, bob):
        await person.press(f"act:yes:{activity.id}")
    clock.advance(hours=12)  # 22:00 in Amsterdam
    await ann.press(f"act:no:{activity.id}")
    await ann.tap("✅ Ja, ik kan niet")
    assert bob.look() == []  # quiet hours
    clock.advance(hours=9, minutes=59)  # 07:59
    await catch_up(local_bot)
    assert bob.look() == []
    clock.advance(minutes=1)  # 08:00
    await catch_up(local_bot)
    [offer] = bob.look()
    assert "Antwoord vóór zaterdag 28 november, 20:00." in offer.text


async def test_in_the_last_three_hours_the_first_tap_gets_a_freed_place(local_bot: LocalBot) -> None:
    activity = await planned_activity(local_bot, capacity=1, starts_in=timedelta(hours=2, minutes=30))
    ann, bob, cem = [await signed_up(local_bot, n, user_id=i) for i, n in enumerate(("Ann", "Bob", "Cem"), start=1)]
    for person in (ann, bob, cem):
        await person.press(f"act:yes:{activity.id}")
    await ann.press(f"act:no:{activity.id}")
    await ann.tap("✅ Ja, ik kan niet")
    assert bob.look()[0].text.startswith("🎉 Er is een plek vrij. Wie het eerst tikt, krijgt hem.")
    assert cem.look()[0].text.startswith("🎉 Er is een plek vrij.")
    await cem.tap("✅ Ik kom")
    assert cem.toasts == ["✅ Je komt. Tot dan!"]
    assert bob.look()[0].text.startswith("De vrije plek is al weg. Je staat nog op de wachtlijst.")
    await bob.tap("✅ Ik kom")  # on the message that said a place was free
    assert bob.toasts == ["Sorry, de plek is al weg."]
    assert bob.last_text.endswith("⏳ Je staat op de wachtlijst: nummer 1.")


async def test_fifty_members_tapping_at_once_for_the_last_place(local_bot: LocalBot, clock: Clock) -> None:
    activity = await planned_activity(local_bot, capacity=1)
    db = database(local_bot)
    people = []
    for i in range(50):  # members added at the desk, who then open the bot
        members.create(db, telegram_id=1000 + i, first_name=f"Lid {i}", language="nl", status="active", now=clock())
        people.append(local_bot.person(f"Lid {i}", user_id=1000 + i))
    await asyncio.gather(*(person.send(f"/start act_{activity.id}") for person in people))  # a poster's link
    await asyncio.gather(*(person.tap("✅ Ik kom") for person in people))
    assert len(await activities.people(db, activity.id, "going")) == 1
    waiting = await activities.people(db, activity.id, "waiting")
    assert len(waiting) == 49
    positions = sorted(activities.card(db, activity.id, p.member_id).position or 0 for p in waiting)
    assert positions == list(range(1, 50))
    assert sum(p.toasts == ["✅ Je komt. Tot dan!"] for p in people) == 1


async def test_the_calendar_file_has_the_right_time_zone(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot)
    activity = await planned_activity(local_bot, "Repair café")
    await ann.press(f"act:card:{activity.id}")
    await ann.tap("📆 In mijn agenda")
    document, data = last_file(local_bot, ann)
    assert document["file_name"] == f"activiteit-{activity.id}.ics"  # a name in her language
    calendar = Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Repair café"
    start = event.decoded("dtstart")
    assert (start.hour, str(start.tzinfo)) == (10, "Europe/Amsterdam")
    assert calendar.walk("VTIMEZONE")


async def test_a_link_opens_the_activity_card(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot)
    activity = await planned_activity(local_bot, "Buurtfeest")
    await ann.send(f"/start act_{activity.id}")
    assert ann.last_text.startswith("📅 Buurtfeest")
    await ann.send("/start act_999")
    assert ann.toasts == [] and ann.last_text.startswith("Deze knop werkt niet meer.")
    eve = await chose_language(local_bot, name="Eve", user_id=66)
    await eve.send(f"/start act_{activity.id}")  # not a member yet: she sees what it is, and how to join
    assert eve.last_text.startswith("📅 Buurtfeest\n🕑 ")
    assert eve.last_text.endswith("Dit is voor leden. Tik op 📝 Lid worden om lid te worden.")
    new = local_bot.person("Nel", user_id=67, language_code="en")  # a poster, and her very first message
    await new.send(f"/start act_{activity.id}")
    assert new.last_text.startswith("📅 Buurtfeest")
    assert "📝 Sign up" in new.keyboard


async def test_a_cancelled_or_deleted_activity_on_an_old_card(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot)
    activity = await planned_activity(local_bot)
    await ann.press(f"act:card:{activity.id}")
    activities.cancel(database(local_bot), activity.id, now=clock())
    await ann.tap("✅ Ik kom")
    assert ann.toasts == ["Deze activiteit gaat niet door."]
    assert ann.last_text.startswith("🚫 Deze activiteit gaat niet door.")
    await ann.press(f"act:ics:{activity.id}")  # an old card's calendar button
    assert ann.toasts == ["Deze activiteit gaat niet door."]
    assert [e.kind for e in ann.replies] == ["toast"]  # no calendar file
    await ann.press("act:yes:424242")
    assert ann.toasts == ["Deze knop werkt niet meer."]  # the menu is her newest message: the pop-up is enough


@pytest.mark.parametrize("data", ["act:yes:{id}", "act:card:{id}", "act:list:0"])
async def test_activities_are_for_active_members(local_bot: LocalBot, data: str) -> None:
    activity = await planned_activity(local_bot)
    eve = await chose_language(local_bot, name="Eve", user_id=66)
    await eve.press(data.format(id=activity.id))
    assert eve.toasts == ["Dit is voor leden. Tik op 📝 Lid worden om lid te worden."]
    assert (activities.get(database(local_bot), activity.id)).going == 0


async def test_a_restart_during_a_claim_window_keeps_the_offer(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        activity = await planned_activity(local_bot, capacity=1, starts_in=timedelta(days=3))
        people = [
            await signed_up(local_bot, n, user_id=i) for i, n in enumerate(("Ann", "Bob", "Cem", "Dirk"), start=1)
        ]
        for person in people:
            await person.press(f"act:yes:{activity.id}")
        await people[0].press(f"act:no:{activity.id}")  # Bob is offered the place
        await people[0].tap("✅ Ja, ik kan niet")
    clock.advance(hours=2)
    async with running_bot(settings, emulator, clock) as local_bot:  # restarted inside Bob's 12 hours
        bob = local_bot.person("Bob", user_id=2)
        await catch_up(local_bot)
        await bob.tap("✅ Ja, ik kom")
        assert bob.toasts == ["✅ Je komt. Tot dan!"]
        await bob.tap("❌ Ik kan niet")  # and gives it back: Cem's turn
        await bob.tap("✅ Ja, ik kan niet")
    clock.advance(hours=20)  # Cem lets the window pass while the bot is down; it is 08:00 the next day
    async with running_bot(settings, emulator, clock) as local_bot:
        cem, dirk = local_bot.person("Cem", user_id=3), local_bot.person("Dirk", user_id=4)
        await catch_up(local_bot)
        assert cem.look()[0].text.startswith("Je hebt niet op tijd geantwoord.")
        assert dirk.look()[0].text.startswith("🎉 Er is een plek vrij voor jou!")
        await catch_up(local_bot)
        assert cem.look() == [] and dirk.look() == []


@pytest.mark.parametrize("button", ["act:no", "act:decline"])
async def test_once_it_started_nobody_leaves_the_lists(local_bot: LocalBot, clock: Clock, button: str) -> None:
    ann = await signed_up(local_bot)
    bob = await signed_up(local_bot, "Bob", user_id=2)
    activity = await planned_activity(local_bot, capacity=1)
    await ann.press(f"act:yes:{activity.id}")
    await bob.press(f"act:yes:{activity.id}")
    clock.now = activity.starts_at + timedelta(minutes=5)
    await ann.press(f"{button}:{activity.id}")  # e.g. from the reminder, too late
    assert ann.toasts == ["Deze activiteit is begonnen. Je plek blijft zoals hij is."]
    stored_activity = activities.get(database(local_bot), activity.id)
    assert (stored_activity.going, stored_activity.waiting) == (1, 1)
    await catch_up(local_bot)
    assert bob.look() == []  # no place offered


async def test_a_place_offered_to_someone_who_blocked_the_bot_goes_on_at_once(local_bot: LocalBot) -> None:
    activity = await planned_activity(local_bot, capacity=1, starts_in=timedelta(days=3))
    ann, bob, cem = [await signed_up(local_bot, n, user_id=i) for i, n in enumerate(("Ann", "Bob", "Cem"), start=1)]
    for person in (ann, bob, cem):
        await person.press(f"act:yes:{activity.id}")
    local_bot.emulator.block(bob.id)
    await ann.press(f"act:no:{activity.id}")
    await ann.tap("✅ Ja, ik kan niet")
    assert cem.look()[0].text.startswith("🎉 Er is een plek vrij voor jou!")  # not after Bob's 12 hours
    assert activities.card(database(local_bot), activity.id, (await stored(local_bot, bob)).id).status is None


async def test_a_paused_membership_gives_its_places_to_the_waiting_list(local_bot: LocalBot, clock: Clock) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    bob = await signed_up(local_bot, "Bob", user_id=2)
    cem = await signed_up(local_bot, "Cem", user_id=3)
    activity = await planned_activity(local_bot, capacity=1, starts_in=timedelta(days=3))
    for person in (bob, cem):
        await person.press(f"act:yes:{activity.id}")
    bob_id = (await stored(local_bot, bob)).id
    await olga.press(f"org:suspend:{bob_id}:1")
    await olga.tap("✅ Ja")
    assert cem.look()[0].text.startswith("🎉 Er is een plek vrij voor jou!")
    clock.now = activity.starts_at - timedelta(hours=24)
    await catch_up(local_bot)
    assert [event.text for event in bob.look() if event.text.startswith("⏰")] == []  # no reminder any more


async def test_after_signing_up_from_a_poster_the_activity_is_one_tap_away(local_bot: LocalBot) -> None:
    activity = await planned_activity(local_bot, "Buurtfeest")
    nel = local_bot.person("Nel", user_id=67, language_code="nl")
    await nel.send(f"/start act_{activity.id}")  # the poster's link is her first message to the bot
    await nel.tap("📝 Lid worden")  # her phone's language is Dutch: no question about the language
    await nel.send("Nel")
    await nel.tap("✔️ Klaar")
    await nel.tap("✅ Akkoord")
    assert nel.last_text == "Je kwam voor een activiteit. Tik om hem te zien en je aan te melden."
    await nel.tap("📅 Bekijken")
    assert nel.last_text.startswith("📅 Buurtfeest")
    assert "✅ Ik kom" in nel.inline_labels


async def test_an_offer_that_could_not_go_out_in_time_is_not_called_too_late(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        activity = await planned_activity(local_bot, capacity=1, starts_in=timedelta(days=6))
        ann, bob = [await signed_up(local_bot, n, user_id=i) for i, n in enumerate(("Ann", "Bob"), start=1)]
        for person in (ann, bob):
            await person.press(f"act:yes:{activity.id}")
        clock.now = local(27, 22, 0)
        await ann.press(f"act:no:{activity.id}")
        await ann.tap("✅ Ja, ik kan niet")  # Bob's offer waits for the morning...
        bob.look()
    clock.now = local(28, 21, 0)  # ...but the bot was down all day, past the end of his window
    async with running_bot(settings, emulator, clock) as local_bot:
        bob = local_bot.person("Bob", user_id=2)
        await catch_up(local_bot)
        assert bob.look() == []  # not "you did not answer in time": he never saw it (and it is night)
        clock.now = local(29, 8, 0)
        await catch_up(local_bot)
        [offer] = bob.look()
        assert offer.text.startswith(
            "🎉 Er is een plek vrij voor jou! Wil je die?\nAntwoord vóór zondag 29 november, 20:00."
        )
