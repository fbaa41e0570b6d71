"""🚪 Renting a room: organisers set rooms up, members ask for free times, organisers decide (issue 14)."""

import asyncio
import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from handlers.room_admin import read_span
from storage import members, rooms
from storage.db import Database
from storage.rooms import CONFIRMED, Request, Room, RoomPlan
from tests.journeys import catch_up, database, english, last_file, member_id, signed_up

DAILY = ((9 * 60, 17 * 60),) * 7
MONDAY_10 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 30 November, 10:00 in Amsterdam


async def organiser(local_bot: LocalBot) -> Person:
    return await signed_up(local_bot, "Olga", user_id=900, language="English")


def a_room(local_bot: LocalBot, **changes: object) -> Room:
    plan = {
        "name": "Big hall",
        "capacity": 20,
        "facilities": "kitchen",
        "prices": (1000, 2000, 3000),
        "opening": DAILY,
        "buffer_minutes": 30,
        "notice_hours": 24,
    } | changes
    runtime = runtime_of(local_bot.application)
    return rooms.create(runtime.database, RoomPlan(**plan), runtime.clock())  # type: ignore[arg-type]


def asked(local_bot: LocalBot, room: Room, member: int, starts: datetime, hours: float = 2) -> rooms.Booking:
    runtime = runtime_of(local_bot.application)
    request = Request(room.id, member, starts, starts + timedelta(hours=hours), "Birthday", 10)
    booking = rooms.ask(runtime.database, request, runtime.settings.timezone, runtime.clock())
    assert booking is not None
    return booking


async def test_an_organiser_sets_up_a_room_step_by_step(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    await olga.send("/menu")
    await olga.tap("📣 Organise")
    await olga.tap("⚙️ Rooms")
    await olga.tap("➕ New room")
    await olga.send("Big hall")
    await olga.send("lots")
    assert "Please type a number" in olga.last_text
    await olga.send("40")
    await olga.send("kitchen, projector")
    await olga.send("7,50")
    await olga.tap("🆓 Free")
    await olga.send("25")
    await olga.tap("50%")  # members may pay half of the time in hours (the time bank is on)
    await olga.tap("09:00–17:00")  # Monday
    await olga.send("10:00-9:00")
    assert "The end must be after the start." in olga.last_text
    await olga.send("13:00-22:00")  # Tuesday
    for _day in range(4):  # Wednesday to Saturday
        await olga.tap("🔁 Same as the day before")
    await olga.tap("🚫 Closed")  # Sunday
    await olga.tap("15 min")
    await olga.tap("48 hours")
    assert "Big hall" in olga.last_text and "€7.50" in olga.last_text and "Sunday: closed" in olga.last_text
    await olga.tap("✅ Save")
    [room] = rooms.listed(database(local_bot), 0, only_active=False).items
    assert room.capacity == 40 and room.prices == (750, 0, 2500)
    assert room.opening == ((540, 1020), (780, 1320), (780, 1320), (780, 1320), (780, 1320), (780, 1320), None)
    assert (room.buffer_minutes, room.notice_hours, room.hours_share) == (15, 48, 50)
    await olga.tap("💤 Switch off")
    assert "Switched off" in olga.last_text


async def test_a_member_sees_only_free_times_asks_and_hears_the_answer(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    piet = await english(local_bot, "Piet", 2)
    room = a_room(local_bot)
    taken = asked(local_bot, room, await member_id(local_bot, piet), MONDAY_10 + timedelta(hours=2))  # 12:00-14:00
    rooms.confirm(database(local_bot), taken.id, await member_id(local_bot, olga), clock())

    await ann.send("🙌 Take part")
    await ann.tap("🚪 Rent a room")
    await ann.tap("🚪 Big hall")
    assert "You pay €10.00 per hour: the price for members." in ann.last_text
    await ann.tap("📆 Ask for this room")
    assert "Fri 27 Nov" not in ann.inline_labels  # less than a day's notice
    await ann.tap("Mon 30 Nov")
    labels = ann.inline_labels
    # 12:00-14:00 is booked, with 30 minutes of cleaning before and after it
    assert "11:00" in labels and "11:30" not in labels and "14:00" not in labels and "14:30" in labels
    await ann.tap("10:00")
    assert ann.inline_labels[:3] == ["½ hour", "1 hour", "1½ hours"] and "2 hours" not in ann.inline_labels
    await ann.tap("1 hour")
    await ann.send("Birthday of my son")
    await ann.tap("10")
    assert "€10.00" in ann.last_text and "Birthday of my son" in ann.last_text
    await ann.tap("✅ Yes, ask")
    assert "Sent to the organisers" in ann.last_text

    olga.look()
    assert olga.last_text.startswith("🚪 Ann asks for a room:")
    await olga.tap("✅ Confirm")
    assert "Confirmed" in olga.last_text
    ann.look()
    assert ann.last_text.startswith("✅ Your room is booked.")


async def test_two_organisers_confirming_overlapping_requests_at_once_exactly_one_wins(
    local_bot: LocalBot, clock
) -> None:
    olga = await organiser(local_bot)
    bert = await english(local_bot, "Bert", 3)
    db = database(local_bot)
    members.set_organiser(db, await member_id(local_bot, bert), True, actor_id=1, now=clock())
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    room = a_room(local_bot)
    first = asked(local_bot, room, await member_id(local_bot, ann), MONDAY_10)
    second = asked(local_bot, room, await member_id(local_bot, piet), MONDAY_10 + timedelta(hours=1))

    await asyncio.gather(olga.press(f"roomorg:confirm:{first.id}"), bert.press(f"roomorg:confirm:{second.id}"))

    statuses = sorted(rooms.booking(db, b.id).status for b in (first, second))
    assert statuses == ["asked", CONFIRMED]
    answers = olga.texts + bert.texts
    assert any("This time is no longer free" in text for text in answers)


async def test_cancel_until_a_day_before_and_forged_buttons_change_nothing(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    room = a_room(local_bot)
    booking = asked(local_bot, room, await member_id(local_bot, ann), MONDAY_10)
    rooms.confirm(database(local_bot), booking.id, await member_id(local_bot, olga), clock())

    await piet.press(f"room:cancelok:{booking.id}:0")  # not his
    assert rooms.booking(database(local_bot), booking.id).status == CONFIRMED

    clock.advance(days=2, hours=12)  # Sunday 22:00: less than a day before
    await ann.press("room:mine:0")
    await ann.tap(next(label for label in ann.inline_labels if "Big hall" in label))
    assert "please ask an organiser" in ann.last_text and "❌ Cancel" not in ann.inline_labels
    await ann.press(f"room:cancelok:{booking.id}:0")
    assert rooms.booking(database(local_bot), booking.id).status == CONFIRMED


async def test_a_member_cancels_in_time_and_the_day_before_gets_a_reminder(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    room = a_room(local_bot)
    kept = asked(local_bot, room, await member_id(local_bot, ann), MONDAY_10 + timedelta(days=1))
    dropped = asked(local_bot, room, await member_id(local_bot, ann), MONDAY_10)
    for booking in (kept, dropped):
        rooms.confirm(database(local_bot), booking.id, await member_id(local_bot, olga), clock())
    await catch_up(local_bot)
    await ann.press(f"room:cancel:{dropped.id}:0")
    assert "Do you want to cancel this?" in ann.last_text
    await ann.tap("✅ Yes, cancel")
    assert "Cancelled" in ann.last_text

    clock.now = MONDAY_10 + timedelta(hours=1)  # the day before the kept one
    await catch_up(local_bot)
    ann.look()
    assert any(text.startswith("⏰ Reminder: you have a room tomorrow.") for text in ann.texts)


async def test_the_month_file_adds_up_to_the_confirmed_bookings(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    room = a_room(local_bot, buffer_minutes=0)
    db, olga_id = database(local_bot), await member_id(local_bot, olga)
    for hours, person in ((0, ann), (2, piet), (4, ann)):
        booking = asked(local_bot, room, await member_id(local_bot, person), MONDAY_10 + timedelta(hours=hours), 1.5)
        rooms.confirm(db, booking.id, olga_id, clock())
    asked(local_bot, room, await member_id(local_bot, piet), MONDAY_10 + timedelta(days=1))  # not confirmed
    await catch_up(local_bot)

    await olga.press("roomorg:month:202611")
    assert "Big hall: 3 bookings, 4.5 hours" in olga.last_text and "Total: €45.00" in olga.last_text
    await olga.tap("📄 As a file")
    _document, data = last_file(local_bot, olga)
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    amounts = [Decimal(line[-1]) for line in lines[1:] if line and line[0] == "Big hall"]
    total = Decimal(lines[-1][-1])
    stored = db.fetchone("SELECT sum(price_cents) FROM room_bookings WHERE status = 'confirmed'")[0]
    assert sum(amounts) == total == Decimal(stored) / 100 == Decimal("45.00")
    assert lines[-1][4] == "4.5"  # the hours booked, in total


async def test_a_deleted_members_booking_is_freed_and_the_income_stays(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    room = a_room(local_bot, notice_hours=0)
    db, ann_id = database(local_bot), await member_id(local_bot, ann)
    past = asked(local_bot, room, ann_id, clock() + timedelta(hours=1))
    coming = asked(local_bot, room, ann_id, MONDAY_10)
    for booking in (past, coming):
        rooms.confirm(db, booking.id, await member_id(local_bot, olga), clock())
    clock.advance(hours=4)
    members.delete_account(db, members.get(db, ann_id), clock())  # type: ignore[arg-type]

    assert rooms.booking(db, coming.id).status == "cancelled"
    kept = rooms.booking(db, past.id)
    assert kept is not None and kept.status == CONFIRMED and kept.purpose is None and kept.price_cents == 2000
    tz = runtime_of(local_bot.application).settings.timezone
    free = rooms.free_starts(room, MONDAY_10.date(), tz, clock(), rooms.busy(db, room.id, MONDAY_10.date(), tz))
    assert MONDAY_10 in free
    await catch_up(local_bot)  # the organisers hear that the booked time is free again
    told = [event.text for event in olga.look() if "left the cooperative" in event.text]
    assert len(told) == 1 and "🚫 A member who booked this room left the cooperative. It is free again." in told[0]
    assert "Monday 30 November" in told[0]


# --- a weekly slot for a season ---

UNTIL_NEW_YEAR = date(2026, 12, 30)  # from Monday 30 November: 30 Nov, 7, 14, 21 and 28 December


def a_season(local_bot: LocalBot, room: Room, member: int, until: date = UNTIL_NEW_YEAR) -> rooms.Season:
    runtime = runtime_of(local_bot.application)
    request = Request(room.id, member, MONDAY_10, MONDAY_10 + timedelta(hours=2), "Choir", 10)
    found = rooms.ask_season(runtime.database, request, until, runtime.settings.timezone, runtime.clock())
    assert found is not None
    return found


def confirmed_season(local_bot: LocalBot, room: Room, member: int, organiser: int) -> rooms.Season:
    runtime = runtime_of(local_bot.application)
    found = a_season(local_bot, room, member)
    tz, now = runtime.settings.timezone, runtime.clock()
    assert rooms.confirm_season(runtime.database, found.id, organiser, tz, now).outcome is rooms.Outcome.DONE
    return found


def statuses(db: Database, found: rooms.Season) -> list[str]:
    return [date.status for date in rooms.season(db, found.id).dates]


async def test_a_group_asks_for_every_week_and_the_dates_that_clash_are_left_out(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    room = a_room(local_bot)
    db, olga_id, piet_id = database(local_bot), await member_id(local_bot, olga), await member_id(local_bot, piet)
    already = asked(local_bot, room, piet_id, MONDAY_10 + timedelta(days=14, hours=1))  # 14 Dec 11:00-13:00
    rooms.confirm(db, already.id, olga_id, clock())
    await catch_up(local_bot)

    await ann.send("🙌 Take part")
    await ann.tap("🚪 Rent a room")
    await ann.tap("🚪 Big hall")
    await ann.tap("🔁 Ask for every week")
    assert "This is the first day" in ann.last_text
    await ann.tap("Mon 30 Nov")
    await ann.tap("10:00")
    await ann.tap("2 hours")
    assert "Every Monday from Monday 30 November. Until when?" in ann.last_text
    await ann.tap("📆 Another day")
    await ann.send("2-12")
    assert "at least a week after the first day" in ann.last_text
    await ann.send("1-2-2028")
    assert "at most a year" in ann.last_text
    await ann.tap("1 month")
    await ann.send("Choir")
    await ann.tap("10")
    preview = ann.last_text
    assert "Every Monday, 10:00 – 12:00" in preview and "4 times: Mon 30 Nov – Mon 28 Dec" in preview
    assert "€80.00 in total (€20.00 each time)" in preview
    assert "These dates are not free. They are left out:\nMon 14 Dec" in preview
    await ann.tap("✅ Yes, ask")
    assert "Sent to the organisers" in ann.last_text

    olga.look()
    assert olga.last_text.startswith("🚪 Ann asks for a room every week:") and "left out:\nMon 14 Dec" in olga.last_text

    # After Ann asked, Piet's request for the 21st is confirmed: that date clashes now too.
    later = asked(local_bot, room, piet_id, MONDAY_10 + timedelta(days=21, hours=2))  # 21 Dec 12:00-14:00
    rooms.confirm(db, later.id, olga_id, clock())
    await catch_up(local_bot)
    await olga.press("roomorg:asked:0")
    await olga.tap("Mon 30 Nov, 10:00 · Big hall · Ann")
    assert (
        "3 times" in olga.last_text
    )  # what will be booked; the 2 left out are listed and "left out:\nMon 14 Dec, Mon 21 Dec" in olga.last_text
    await olga.tap("✅ Confirm all that are free")
    assert "Confirmed: 3 dates" in olga.last_text and "Mon 14 Dec, Mon 21 Dec" in olga.last_text

    [series_id] = {row[0] for row in db.fetchall("SELECT series_id FROM room_bookings WHERE purpose = 'Choir'")}
    found = rooms.season(db, series_id)
    assert found is not None and statuses(db, found) == [CONFIRMED, CONFIRMED, "declined", "declined", CONFIRMED]
    await catch_up(local_bot)
    ann.look()
    assert ann.last_text.startswith("✅ Your weekly room is booked.") and "Mon 14 Dec, Mon 21 Dec" in ann.last_text
    await ann.tap("📅 My bookings")
    assert [label for label in ann.inline_labels if "Big hall" in label] == ["🔁✅ Mon 30 Nov, 10:00 · Big hall"]


async def test_two_organisers_confirming_a_season_at_once_settle_it_once(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    bert, carl = await english(local_bot, "Bert", 3), await english(local_bot, "Carl", 4)
    db = database(local_bot)
    for helper in (bert, carl):
        members.set_organiser(db, await member_id(local_bot, helper), True, actor_id=1, now=clock())
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    room = a_room(local_bot)
    found = a_season(local_bot, room, await member_id(local_bot, ann))
    single = asked(local_bot, room, await member_id(local_bot, piet), MONDAY_10 + timedelta(days=7, hours=1))

    await asyncio.gather(
        olga.press(f"roomorg:sconfirm:{found.id}"),
        bert.press(f"roomorg:sconfirm:{found.id}"),
        carl.press(f"roomorg:confirm:{single.id}"),  # overlaps the season's 7 December
    )

    answers = olga.texts + bert.texts
    assert sum("Someone already decided about this request." in text for text in answers) == 1
    assert sum(text.startswith("✅ Confirmed:") for text in answers) == 1
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'room_season_confirmed'")[0] == 1
    seventh = rooms.season(db, found.id).dates[1]
    both = [seventh.status, rooms.booking(db, single.id).status]
    assert both.count(CONFIRMED) == 1  # the season's date or Piet's request, never both
    assert statuses(db, found).count("asked") == 0


async def test_a_member_cancels_the_rest_of_a_season_and_the_date_within_a_day_stays(
    local_bot: LocalBot, clock
) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    room = a_room(local_bot)
    db = database(local_bot)
    found = confirmed_season(local_bot, room, await member_id(local_bot, ann), await member_id(local_bot, olga))
    await catch_up(local_bot)

    await ann.press(f"room:cancelok:{found.dates[2].id}:0")  # one date of a season: not on its own
    assert statuses(db, found) == [CONFIRMED] * 5

    clock.now = datetime(2026, 12, 6, 21, 0, tzinfo=UTC)  # Sunday 22:00: less than a day before the 7th
    await ann.press("room:mine:0")
    await ann.tap("🔁✅ Mon 7 Dec, 10:00 · Big hall")
    assert "Next time: Mon 7 Dec, 10:00" in ann.last_text
    await ann.tap("❌ Cancel the rest")
    assert "3 times: Mon 14 Dec – Mon 28 Dec" in ann.last_text
    assert "a date stays: Mon 7 Dec" in ann.last_text
    await ann.tap("✅ Yes, cancel")
    assert "Cancelled: 3 dates." in ann.last_text
    assert statuses(db, found) == [CONFIRMED, CONFIRMED, "cancelled", "cancelled", "cancelled"]
    await ann.press(f"room:scancelok:{found.id}:0")  # again: only the date within a day is left
    assert statuses(db, found) == [CONFIRMED, CONFIRMED, "cancelled", "cancelled", "cancelled"]
    assert "Too late to cancel here." in ann.toasts


async def test_the_month_file_counts_each_date_of_a_season(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    room = a_room(local_bot)
    db = database(local_bot)
    confirmed_season(local_bot, room, await member_id(local_bot, ann), await member_id(local_bot, olga))
    await catch_up(local_bot)

    await olga.press("roomorg:month:202612")
    assert "Big hall: 4 bookings, 8 hours" in olga.last_text and "Total: €80.00" in olga.last_text
    await olga.tap("📄 As a file")
    _document, data = last_file(local_bot, olga)
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    amounts = [Decimal(line[-1]) for line in lines[1:] if line and line[0] == "Big hall"]
    stored = db.fetchone(
        "SELECT sum(price_cents) FROM room_bookings WHERE status = 'confirmed' AND starts_at >= '2026-12'"
    )[0]
    assert len(amounts) == 4 and sum(amounts) == Decimal(lines[-1][-1]) == Decimal(stored) / 100


async def test_forged_and_stale_season_buttons_change_nothing(local_bot: LocalBot, clock) -> None:
    olga = await organiser(local_bot)
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    room = a_room(local_bot)
    db = database(local_bot)
    found = a_season(local_bot, room, await member_id(local_bot, ann))
    await catch_up(local_bot)

    await piet.press(f"roomorg:sconfirm:{found.id}")  # not an organiser
    await piet.press(f"room:scancelok:{found.id}:0")  # not his
    await olga.press(f"roomorg:confirm:{found.dates[1].id}")  # one date on its own
    await olga.press(f"roomorg:sconfirm:{found.dates[1].id}")  # not the id of a season
    await olga.press(f"roomorg:decline:{found.dates[1].id}")
    assert statuses(db, found) == ["asked"] * 5

    olga.look()
    await olga.tap("❌ Decline")
    await olga.tap("The room does not suit this.")
    assert statuses(db, found) == ["declined"] * 5
    await olga.press(f"roomorg:sconfirm:{found.id}")  # stale: it was declined
    assert statuses(db, found) == ["declined"] * 5 and "Someone already decided" in olga.last_text
    await catch_up(local_bot)
    ann.look()
    assert ann.last_text.startswith("Sorry, an organiser said no to your weekly request.")
    assert "Reason: The room does not suit this." in ann.last_text


def test_a_room_open_until_midnight_can_be_rented_until_midnight() -> None:
    assert read_span("9:00-24:00") == "09:00-00:00"
    opening = rooms.read_opening(",".join([read_span("9:00-24:00")] * 7))
    assert opening[0] == (9 * 60, 24 * 60)
    assert rooms.read_opening(rooms.write_opening(opening)) == opening  # stored and read back the same
    plan = RoomPlan("Hall", 20, "", (1000, 2000, 3000), opening, 0, 0)
    room = Room(**vars(plan), id=1, active=True)
    tz = ZoneInfo("Europe/Amsterdam")
    late = datetime(2026, 12, 1, 22, tzinfo=tz).astimezone(UTC)
    assert rooms.fits(room, late, late + timedelta(hours=2), tz, late - timedelta(days=2), [])


async def test_organisers_see_how_many_requests_wait_and_every_card_has_a_way_on(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    room = a_room(local_bot)
    await olga.send("/menu")
    await olga.tap("📣 Organise")
    await olga.tap("⚙️ Rooms")
    assert "📨 Room requests" in olga.inline_labels  # none wait: no count
    asked(local_bot, room, await member_id(local_bot, ann), MONDAY_10)
    await catch_up(local_bot)
    assert olga.inline_labels[-3:] == ["✅ Confirm", "❌ Decline", "🏠 Menu"]  # the card that came in the chat
    await olga.send("/menu")
    await olga.tap("📣 Organise")
    await olga.tap("⚙️ Rooms")
    await olga.tap("📨 Room requests (1)")
    assert olga.last_text.startswith("📨 Room requests\nTap one to decide.")


async def test_organisers_hear_once_when_a_member_with_a_season_leaves(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    room = a_room(local_bot, notice_hours=0)
    ann_id = await member_id(local_bot, ann)
    confirmed_season(local_bot, room, ann_id, await member_id(local_bot, olga))
    await catch_up(local_bot)
    olga.look()
    runtime = runtime_of(local_bot.application)
    members.delete_account(runtime.database, members.get(runtime.database, ann_id), runtime.clock())  # type: ignore[arg-type]
    await catch_up(local_bot)
    told = [event.text for event in olga.look() if "left the cooperative" in event.text]
    assert len(told) == 1  # one message for the whole season, not one a week
