"""🧾 Desk → 📞 Who to call: what the bot would have told a member without Telegram, for an organiser to say."""

import json
from datetime import timedelta

from bot import i18n
from bot.context import runtime_of
from bot.exports import personal_data
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import activities, calls, desk, members
from storage.activities import GOING
from storage.members import Member
from tests.journeys import catch_up, database, english, member_id, open_vote, planned_activity, signed_up
from tests.test_acting import desk_member as added_at_the_desk
from tests.test_acting_help import put_online
from tests.test_forgetting import raw_files

STALE = "This button no longer works."


async def organiser(local_bot: LocalBot) -> Person:
    return await signed_up(local_bot, "Olga", user_id=900, language="English")


def desk_member(local_bot: LocalBot, olga_id: int, name: str = "Fatma", phone: str | None = "06 12345678") -> Member:
    """Someone added at the desk who reads Turkish and gave a phone number."""
    return added_at_the_desk(local_bot, olga_id, name, language="tr", phone=phone)


async def who_to_call(olga: Person) -> None:
    await olga.send("/menu")
    await olga.tap("📣 Organise")
    await olga.tap("🧾 Desk")


def sign_up(local_bot: LocalBot, activity_id: int, member: int) -> None:
    runtime = runtime_of(local_bot.application)
    activities.rsvp(runtime.database, activity_id, member, runtime.clock(), runtime.timing)


async def test_the_day_before_an_activity_the_organiser_is_told_whom_to_call_and_what_to_say(
    local_bot: LocalBot, clock
) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    activity = await planned_activity(local_bot, "Samen koken", starts_in=timedelta(days=2))
    sign_up(local_bot, activity.id, fatma.id)

    await catch_up(local_bot)
    await who_to_call(olga)
    assert "📞 Who to call: 0" in olga.inline_labels  # the reminder is not due yet

    clock.advance(days=1, minutes=1)
    await catch_up(local_bot)
    await olga.tap("⬅️ Back")
    await olga.tap("🧾 Desk")
    await olga.tap("📞 Who to call: 1")
    assert olga.last_text.startswith("📞 Who to call: 1")
    await olga.tap("⏰ Fatma · Samen koken")
    text = olga.last_text
    assert text.startswith(
        "📞 Fatma · member 0002\nPhone: 06 12345678\nLanguage: Turkish\n\nTell them:\n\n"
        "⏰ Reminder: you are coming tomorrow.\n"  # in Olga's language, not Fatma's Turkish
    )
    assert "Samen koken" in text and "Buurthuis" in text
    assert olga.inline_labels == ["✅ Called", "🧾 Act for them", "⬅️ Back", "🏠 Menu"]

    await olga.tap("✅ Called")
    assert olga.last_text.startswith("📞 Nobody to call now.")
    row = database(local_bot).fetchone("SELECT called_by, called_at FROM outbox WHERE member_id = ?", (fatma.id,))
    assert row[0] == await member_id(local_bot, olga) and row[1] is not None


async def test_a_place_that_came_free_is_taken_for_them_from_the_call(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    ann = await signed_up(local_bot, "Ann")
    activity = await planned_activity(local_bot, "Vol", capacity=1)
    await ann.press(f"act:yes:{activity.id}")
    sign_up(local_bot, activity.id, fatma.id)  # on the waiting list
    await ann.press(f"act:no:{activity.id}")
    await ann.tap("✅ Ja, ik kan niet")
    await catch_up(local_bot)

    await who_to_call(olga)
    await olga.tap("📞 Who to call: 1")
    await olga.tap("🎉 Fatma · Vol")
    assert "🎉 A place came free for you! Do you want it?\nPlease answer before " in olga.last_text
    await olga.tap("🧾 Act for them")
    await olga.tap("📞 By phone")
    await olga.tap("📅 Sign up for an activity")
    [line] = [label for label in olga.inline_labels if label.startswith("🎉 Vol · ")]  # the place held for her
    await olga.tap(line)
    assert olga.last_text == "✅ Fatma is coming to Vol."
    assert activities.card(database(local_bot), activity.id, fatma.id).status == GOING


async def test_one_line_a_member_and_the_nearest_deadline_first(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    mehmet = desk_member(local_bot, olga_id, name="Mehmet", phone=None)
    fatma = desk_member(local_bot, olga_id)
    ann = await signed_up(local_bot, "Ann")
    await open_vote(local_bot, "Bankjes", closes_in=timedelta(days=7))
    activity = await planned_activity(local_bot, "Vol", capacity=1)
    await ann.press(f"act:yes:{activity.id}")
    sign_up(local_bot, activity.id, fatma.id)
    await ann.press(f"act:no:{activity.id}")
    await ann.tap("✅ Ja, ik kan niet")
    await catch_up(local_bot)

    await who_to_call(olga)
    await olga.tap("📞 Who to call: 2")  # two people, three calls
    assert olga.inline_labels == ["🎉 Fatma · Vol +1", "🗳️ Mehmet · Bankjes", "⬅️ Back", "🏠 Menu"]
    await olga.tap("🎉 Fatma · Vol +1")
    text = olga.last_text
    assert "\n\n1. 🎉 A place came free for you!" in text and "\n\n2. 🗳️ A vote is open: Bankjes" in text
    await olga.tap("✅ Called")
    assert olga.inline_labels == ["🗳️ Mehmet · Bankjes", "⬅️ Back", "🏠 Menu"]
    await olga.tap("🗳️ Mehmet · Bankjes")
    assert "No phone number known." in olga.last_text
    assert "🗳️ A vote is open: Bankjes" in olga.last_text and "They can vote by phone or at the desk." in olga.last_text
    assert mehmet.id != fatma.id


async def test_a_call_that_no_longer_holds_leaves_the_list(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    activity = await planned_activity(local_bot, "Samen koken", starts_in=timedelta(days=2))
    sign_up(local_bot, activity.id, fatma.id)
    clock.advance(days=1, minutes=1)
    await catch_up(local_bot)
    await who_to_call(olga)
    await olga.tap("📞 Who to call: 1")
    await olga.tap("⏰ Fatma · Samen koken")
    reminder_card = olga.last_message

    activities.cancel(database(local_bot), activity.id, now=clock())
    await catch_up(local_bot)
    await olga.tap_on(reminder_card, "✅ Called")  # the card said "reminder": she did not tell the news
    assert olga.toasts == ["Something changed. Please look again."]
    assert "🚫 This activity does not go on." in olga.last_text and "Reminder" not in olga.last_text
    await olga.tap("✅ Called")
    assert olga.last_text.startswith("📞 Nobody to call now.")


async def test_when_they_link_telegram_what_waited_for_a_call_comes_in_their_chat(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    await open_vote(local_bot, "Bankjes")
    await catch_up(local_bot)
    runtime = runtime_of(local_bot.application)
    code = desk.make_code(runtime.database, fatma.id, await member_id(local_bot, olga), runtime.clock())

    phone = local_bot.person("Fatma", user_id=4242, language_code="tr")
    await phone.send(f"/start {code}")
    await catch_up(local_bot)
    assert any(text.startswith("🗳️") and "Bankjes" in text for text in phone.texts)  # in Turkish, in her chat
    await who_to_call(olga)
    assert "📞 Who to call: 0" in olga.inline_labels


async def test_only_members_without_telegram_are_called_and_a_deleted_one_is_not(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    await signed_up(local_bot, "Ann")  # she has Telegram: she gets the message itself
    await open_vote(local_bot, "Bankjes")
    await catch_up(local_bot)
    await who_to_call(olga)
    assert "📞 Who to call: 1" in olga.inline_labels

    runtime = runtime_of(local_bot.application)
    members.delete_account(runtime.database, fatma, runtime.clock())
    await olga.tap("📞 Who to call: 1")
    assert olga.last_text.startswith("📞 Nobody to call now.")
    assert b"12345678" not in raw_files(local_bot)  # her phone number is gone from the file and its WAL


async def test_double_forged_and_member_taps_change_nothing(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    ann = await signed_up(local_bot, "Ann")
    await open_vote(local_bot, "Bankjes")
    await catch_up(local_bot)
    [(key,)] = database(local_bot).fetchall("SELECT key FROM outbox WHERE outcome = 'call'")
    done = f"call:done:{fatma.id}:{calls.check([key])}:0"

    await ann.press(done)
    assert ann.toasts == ["Alleen organisatoren kunnen dit doen."]
    await ann.press("call:list:0")
    assert ann.toasts == ["Alleen organisatoren kunnen dit doen."]
    assert database(local_bot).fetchone("SELECT called_at FROM outbox WHERE member_id = ?", (fatma.id,))[0] is None

    await who_to_call(olga)
    await olga.press(f"call:done:{fatma.id}:{calls.check([key]) + 1}:0")  # forged: the card is shown, nothing done
    assert olga.last_text.startswith("📞 Fatma · member 0002")
    await olga.tap("✅ Called")
    await olga.press(done)  # a second tap, or another organiser's on their own copy
    assert olga.toasts[-1] == "Olga called them already, on Friday 27 November, 10:00."
    await olga.press(f"call:card:{fatma.id + 100}:0")
    assert olga.toasts[-1] == STALE


async def test_a_neighbour_s_message_about_their_post_is_passed_on_by_phone(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    ann = await english(local_bot, "Ann", 3)
    await put_online(olga, fatma, "Help with my hedge", "It is 10 metres long.")
    await ann.tap("🤝 Help & services")
    await ann.tap("🔎 Look around")
    await ann.tap("🙋 Requests for help")
    await ann.tap("🌱 Garden")
    await ann.tap("🌱 Help with my hedge")
    await ann.tap("💬 React")
    await ann.send("Ik <b>kan</b> dinsdag.")
    assert ann.last_text == "✅ Sent. Fatma has no Telegram: an organiser passes your message on by phone."
    await catch_up(local_bot)

    await who_to_call(olga)
    await olga.tap("📞 Who to call: 1")
    await olga.tap("💬 Fatma · Help with my hedge")
    assert "Tell them:\n\n💬 Ann reacts to your post “Help with my hedge”:\nIk <b>kan</b> dinsdag." in olga.last_text


async def test_their_phone_number_is_in_their_download_both_for_people_and_for_computers(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    runtime = runtime_of(local_bot.application)
    data = await personal_data(database(local_bot), fatma, {}, runtime.clock())
    assert "Telefon: 06 12345678" in data.as_text(i18n.translator("tr"), "tr", runtime.settings.timezone).decode()
    assert json.loads(data.as_json())["member"]["phone"] == "06 12345678"


async def test_the_sign_up_list_shows_the_place_held_for_them(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    ann = await signed_up(local_bot, "Ann")
    activity = await planned_activity(local_bot, "Vol", capacity=1)
    await planned_activity(local_bot, "Later", starts_in=timedelta(days=5))
    await ann.press(f"act:yes:{activity.id}")
    sign_up(local_bot, activity.id, fatma.id)
    await olga.press(f"act4:start:{fatma.id}")
    await olga.tap("📞 By phone")
    await olga.tap("📅 Sign up for an activity")
    assert olga.inline_labels[0].startswith("⏳ Vol · ")  # she waits
    assert olga.inline_labels[1].startswith("Later · ")
    await ann.press(f"act:no:{activity.id}")
    await ann.tap("✅ Ja, ik kan niet")
    await olga.press(f"act4:acts:{fatma.id}:0")
    assert olga.inline_labels[0].startswith("🎉 Vol · ")  # a place is held for her


async def test_an_activity_changed_twice_is_one_call_with_what_changed(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    activity = await planned_activity(local_bot, "Samen koken")
    sign_up(local_bot, activity.id, fatma.id)
    runtime = runtime_of(local_bot.application)
    activities.update(runtime.database, activity.id, now=clock(), timing=runtime.timing, place="Keuken")
    await catch_up(local_bot)
    clock.advance(minutes=5)
    activities.update(runtime.database, activity.id, now=clock(), timing=runtime.timing, place="Tuin")
    await catch_up(local_bot)

    await who_to_call(olga)
    await olga.tap("📞 Who to call: 1")
    await olga.tap("✏️ Fatma · Samen koken")  # one line, no "+1"
    assert olga.last_text.count("✏️ This activity has changed.") == 1
    assert "What changed: place." in olga.last_text and "Tuin" in olga.last_text


async def test_a_paused_member_hears_it_by_phone_and_nothing_else(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    fatma = desk_member(local_bot, olga_id)
    await open_vote(local_bot, "Bankjes")
    runtime = runtime_of(local_bot.application)
    members.set_suspended(runtime.database, fatma.id, True, actor_id=olga_id, now=runtime.clock())
    await catch_up(local_bot)
    await who_to_call(olga)
    await olga.tap("📞 Who to call: 1")
    await olga.tap("📞 Fatma · Membership")
    assert "Tell them:\n\nYour membership is paused. Please talk to an organiser." in olga.last_text
    assert "Bankjes" not in olga.last_text  # the vote is not for her while she is paused


async def test_after_acting_from_a_call_the_organiser_goes_back_to_it(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    await open_vote(local_bot, "Bankjes")
    await planned_activity(local_bot, "Samen koken")
    await catch_up(local_bot)
    await who_to_call(olga)
    await olga.tap("📞 Who to call: 1")
    await olga.tap("🗳️ Fatma · Bankjes")
    await olga.tap("🧾 Act for them")
    await olga.tap("📞 By phone")
    assert "📞 Back to the call" in olga.inline_labels
    await olga.tap("📅 Sign up for an activity")
    await olga.tap(next(label for label in olga.inline_labels if label.startswith("Samen koken")))
    assert olga.inline_labels == ["📞 Back to the call", "⬅️ Back", "🏠 Menu"]
    await olga.tap("📞 Back to the call")
    assert olga.last_text.startswith(f"📞 Fatma · member {fatma.member_no:04d}")
