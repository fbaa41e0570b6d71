"""🙋 Volunteer shifts (issue 14): organisers define them, members take and give back places, the task's
volunteers are asked for a gap, organisers tick who came and count the hours."""

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import activities, members, shifts
from storage.members import Change
from tests.conftest import Clock
from tests.journeys import catch_up, database, english, last_file, member_id, signed_up


async def organiser(local_bot: LocalBot) -> Person:
    return await signed_up(local_bot, "Olga", user_id=900, language="English")


def shift(local_bot: LocalBot, task: str = "Bar", *, starts_in: timedelta = timedelta(days=4), places: int = 1) -> int:
    """A shift published `starts_in` from the bot's clock, 4 hours long."""
    runtime = runtime_of(local_bot.application)
    starts_at = runtime.clock() + starts_in
    plan = shifts.Plan(task, "Drinks and a chat.", starts_at, starts_at + timedelta(hours=4), places)
    [made] = shifts.create(runtime.database, plan, created_by=None, now=runtime.clock())
    return made.id


async def to_volunteer(person: Person) -> None:
    await person.send("/menu")
    await person.tap("🙌 Take part")
    await person.tap("🙋 Volunteer")


async def test_an_organiser_publishes_a_weekly_shift_and_a_member_takes_one_date(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    await olga.send("/menu")
    await olga.tap("📣 Organise")
    await olga.tap("🙋 Shifts")
    await olga.tap("➕ New shift")
    await olga.send("Bar")
    await olga.send("Pour coffee and talk with visitors.")
    await olga.send("1-12")  # Tuesday
    await olga.send("13:00 - 17")
    await olga.tap("2")
    await olga.tap("4 weeks")
    assert "🙋 <b>Bar</b>" not in olga.last_text and "Bar" in olga.last_text
    assert "Tuesday 1 December, 13:00–17:00" in olga.last_text and "Every week, 4 times." in olga.last_text
    await olga.tap("✅ Yes, publish")
    assert olga.last_text.startswith("✅ Published: 4 shifts.")
    assert database(local_bot).fetchone("SELECT count(*) FROM shifts")[0] == 4

    ann = await english(local_bot, "Ann", 1)
    await to_volunteer(ann)
    assert ann.inline_labels[0] == "Tue 1 Dec, 13:00 · Bar · 2 free"  # soonest first
    await ann.tap("Tue 1 Dec, 13:00 · Bar · 2 free")
    await ann.tap("✅ I'll do it")
    assert ann.toasts == ["✅ Thank you! The shift is yours."]
    assert "✅ You do this shift. Thank you!" in ann.last_text
    await ann.tap("⬅️ Back")
    assert ann.last_text.startswith("📋 My shifts") and "Tue 1 Dec, 13:00 · Bar" in ann.inline_labels


async def test_a_new_day_on_which_the_time_passed_asks_the_time_and_back_goes_to_the_day(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    await olga.send("/menu")
    await olga.tap("📣 Organise")
    await olga.tap("🙋 Shifts")
    await olga.tap("➕ New shift")
    await olga.tap("⬅️ Back")  # at the first step: back to 🙋 Shifts, like the other flows
    assert olga.last_text.startswith("🙋 Shifts") and "➕ New shift" in olga.inline_labels
    await olga.tap("➕ New shift")
    for answer in ("Bar", "Coffee.", "28-11", "9:00-13:00"):  # tomorrow morning (it is Friday 10:00)
        await olga.send(answer)
    await olga.tap("1")
    await olga.tap("Once")
    await olga.tap("✏️ Change")
    await olga.tap("Day")
    await olga.send("27-11")  # today: 9:00 has passed
    assert olga.last_text.startswith("What time?")
    await olga.tap("⬅️ Back")  # not to a preview with a time that passed: to the day that caused it
    assert olga.last_text.startswith("Which day?")
    await olga.send("30-11")
    assert "Monday 30 November, 09:00–13:00" in olga.last_text and "✅ Yes, publish" in olga.inline_labels


async def test_twenty_members_tapping_for_the_last_place_leave_exactly_one_on_it(
    local_bot: LocalBot, clock: Clock
) -> None:
    shift_id = shift(local_bot, places=1)
    db = database(local_bot)
    people = []
    for i in range(20):
        members.create(db, telegram_id=2000 + i, first_name=f"Lid {i}", language="en", status="active", now=clock())
        people.append(local_bot.person(f"Lid {i}", user_id=2000 + i))
    await asyncio.gather(*(person.send("/start") for person in people))
    await asyncio.gather(*(person.press(f"shift:take:{shift_id}") for person in people))
    assert database(local_bot).fetchone("SELECT taken, places FROM shifts WHERE id = ?", (shift_id,))[:] == (1, 1)
    assert db.fetchone("SELECT count(*) FROM shift_volunteers WHERE shift_id = ?", (shift_id,))[0] == 1
    toasts = [person.toasts for person in people]
    assert toasts.count(["✅ Thank you! The shift is yours."]) == 1
    assert toasts.count(["Sorry, someone else took it."]) == 19


async def test_a_shift_given_back_within_48_hours_is_taken_by_a_volunteer_of_that_task(
    local_bot: LocalBot, clock: Clock
) -> None:
    earlier = shift(local_bot, starts_in=timedelta(days=1, hours=-2), places=2)
    soon = shift(local_bot, starts_in=timedelta(days=1))
    ann, bob, cem = [await english(local_bot, name, uid) for name, uid in (("Ann", 1), ("Bob", 2), ("Cem", 3))]
    for person, shift_id in ((bob, earlier), (cem, earlier), (ann, soon)):
        await person.press(f"shift:take:{shift_id}")
    await ann.send("/menu")
    await ann.tap("🙌 Take part")
    await ann.tap("🙋 Volunteer")
    await ann.tap("📋 My shifts")
    [mine] = [label for label in ann.inline_labels if label.endswith(" · Bar") and "Sat" in label]
    await ann.tap(mine)
    await ann.tap("↩️ Give back")
    assert "It is soon. Other volunteers of this task get a message." in ann.last_text
    await ann.tap("↩️ Yes, give it back")
    assert ann.toasts == ["You gave the shift back."]
    await catch_up(local_bot)
    bob.look(), cem.look()
    asked = "🙋 Can someone do Bar on Saturday 28 November, 10:00–14:00?"
    assert bob.chat.events[-1].text.startswith(asked) and cem.chat.events[-1].text.startswith(asked)
    await cem.tap("✅ I'll do it")
    assert cem.toasts == ["✅ Thank you! The shift is yours."]
    await bob.tap("✅ I'll do it")
    assert bob.toasts == ["Sorry, someone else took it."]
    assert not shifts.is_on(database(local_bot), soon, await member_id(local_bot, ann))
    assert shifts.is_on(database(local_bot), soon, await member_id(local_bot, cem))


async def test_the_task_s_volunteers_are_asked_once_48_hours_before_a_gap_and_reminded_the_day_before(
    local_bot: LocalBot, clock: Clock
) -> None:
    past = shift(local_bot, starts_in=timedelta(hours=1))
    gap = shift(local_bot, starts_in=timedelta(days=3), places=2)
    ann, bob = await english(local_bot, "Ann", 1), await english(local_bot, "Bob", 2)
    await ann.press(f"shift:take:{past}")
    await bob.press(f"shift:take:{gap}")
    clock.advance(days=1, minutes=1)  # 48 hours before
    await catch_up(local_bot)
    await catch_up(local_bot)
    ann.look()
    [asked] = [e.text for e in ann.chat.events if "Can someone do Bar" in e.text]
    assert "You did this task before." in asked
    assert not any("Can someone" in e.text for e in bob.look())  # he is on it already
    clock.advance(days=1)  # the day before
    await catch_up(local_bot)
    [reminder] = [e.text for e in bob.look() if e.text.startswith("⏰")]
    assert "tomorrow you do the shift Bar" in reminder


async def test_the_organiser_ticks_who_came_and_gets_the_hours_and_the_volunteer_a_statement(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    shift_id = shift(local_bot, starts_in=timedelta(hours=2))
    ann = await english(local_bot, "Ann", 1)
    await ann.press(f"shift:take:{shift_id}")
    await olga.press(f"shiftorg:who:{shift_id}:0")
    assert olga.toasts == ["This button no longer works."]  # it has not taken place yet
    clock.advance(hours=7)
    await olga.press(f"shiftorg:card:{shift_id}")
    await olga.tap("✔️ Who came")
    await olga.tap("⬜ Ann (member 0002)")
    assert "✅ Ann (member 0002)" in olga.inline_labels
    await olga.press("shiftorg:month:now")
    assert "• Ann: 4 hours in 1 shift" in olga.last_text and "Total: 4 hours" in olga.last_text
    await olga.tap("📄 As a file")
    document, data = last_file(local_bot, olga)
    assert document["file_name"] == "volunteer-hours-202611.csv"
    assert data.decode("utf-8-sig").splitlines()[1] == "member 0002;Ann;1;4"
    await ann.press("shift:mine:0")
    await ann.tap("📄 Statement of hours")
    document, data = last_file(local_bot, ann)
    assert document["file_name"] == "volunteer-hours-2026.pdf" and data.startswith(b"%PDF")


async def test_forged_and_late_buttons_change_nothing(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    shift_id = shift(local_bot, places=2)
    ann, bob = await english(local_bot, "Ann", 1), await english(local_bot, "Bob", 2)
    await ann.press(f"shift:take:{shift_id}")
    await bob.press(f"shift:givebackok:{shift_id}")  # not his shift
    assert bob.toasts == ["This button no longer works."]
    await bob.press(f"shiftorg:cancelok:{shift_id}")  # not an organiser
    assert bob.toasts == ["Only organisers can do this."]
    await olga.press(f"shiftorg:cancel:{shift_id}")
    assert "1 volunteer on it gets a message." in olga.last_text
    await olga.tap("🚫 Yes, cancel it")
    await catch_up(local_bot)
    assert any("does not go on" in e.text for e in ann.look())
    await bob.press(f"shift:take:{shift_id}")
    assert bob.toasts == ["This shift is no longer open."]
    assert database(local_bot).fetchone("SELECT taken FROM shifts WHERE id = ?", (shift_id,))[0] == 1


async def test_a_deleted_member_s_shift_is_freed_and_the_others_asked(local_bot: LocalBot, clock: Clock) -> None:
    earlier = shift(local_bot, starts_in=timedelta(hours=1))
    soon = shift(local_bot, starts_in=timedelta(days=1))
    ann, bob = await english(local_bot, "Ann", 1), await english(local_bot, "Bob", 2)
    await bob.press(f"shift:take:{earlier}")
    await ann.press(f"shift:take:{soon}")
    db = database(local_bot)
    member = members.get(db, await member_id(local_bot, ann))
    assert member is not None
    assert members.delete_account(db, member, clock()) == Change.DONE
    assert db.fetchone("SELECT taken FROM shifts WHERE id = ?", (soon,))[0] == 0
    await catch_up(local_bot)
    assert any("Can someone do Bar" in e.text for e in bob.look())
    assert db.fetchone("SELECT count(*) FROM shift_volunteers WHERE member_id = ?", (member.id,))[0] == 0


async def test_download_my_data_has_the_shifts(local_bot: LocalBot) -> None:
    shift_id = shift(local_bot)
    ann = await english(local_bot, "Ann", 1)
    await ann.press(f"shift:take:{shift_id}")
    await ann.send("/menu")
    await ann.tap("👤 My details")
    await ann.tap("📦 Download")
    texts = [
        local_bot.emulator.documents[e.message["document"]["file_id"]] for e in ann.replies if e.kind == "document"
    ]
    assert any(b"Your volunteer shifts" in data and b"Bar, Tuesday 1 December, 10:00: taken" in data for data in texts)
    assert any(b'"volunteer_shifts"' in data for data in texts)


async def test_a_task_like_a_desk_code_is_the_answer_and_places_name_their_range(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    await olga.send("/menu")
    await olga.tap("📣 Organise")
    await olga.tap("🙋 Shifts")
    await olga.tap("➕ New shift")
    await olga.send("Receptie")  # 8 letters, like a code from the desk (handlers/desk.py)
    assert olga.last_text.startswith("What does a volunteer do?")
    await olga.send("Welcome visitors.")
    await olga.send("1-12")
    await olga.send("13:00-17:00")
    for typed in ("0", "abc", "51"):
        await olga.send(typed)
        assert olga.last_text.startswith("Please type a number from 1 to 50.")  # no "No limit" for a shift


async def test_a_place_given_back_is_asked_of_each_volunteer_once(local_bot: LocalBot, clock: Clock) -> None:
    done_before = shift(local_bot, starts_in=timedelta(hours=1))
    soon = shift(local_bot, starts_in=timedelta(days=3))
    ann, bob = await english(local_bot, "Ann", 1), await english(local_bot, "Bob", 2)
    await bob.press(f"shift:take:{done_before}")
    await ann.press(f"shift:take:{soon}")
    clock.advance(hours=30)  # 42 hours before, in the daytime: the gap check finds no gap, it is taken
    await catch_up(local_bot)
    await ann.press(f"shift:giveback:{soon}")
    await ann.tap("↩️ Yes, give it back")
    await catch_up(local_bot)  # the 48-hour check runs too: Bob was just asked, not again
    asked = [event for event in bob.look() if event.text.startswith("🙋 Can someone do Bar")]
    assert len(asked) == 1


def test_weekly_dates_keep_their_local_time_across_the_change_to_summer_time() -> None:
    amsterdam = ZoneInfo("Europe/Amsterdam")
    start = datetime(2027, 3, 23, 14, tzinfo=amsterdam).astimezone(UTC)  # a Tuesday in winter time
    dates = activities.weekly(start, start + timedelta(hours=4), 2, amsterdam)
    assert [begin.astimezone(amsterdam).hour for begin, _end in dates] == [14, 14]  # not 15:00 after 28 March
    assert [end.astimezone(amsterdam).hour for _begin, end in dates] == [18, 18]
