"""⏱️ With the time bank on, a member pays part of a room in hours where organisers allow it: one rented hour is
one time-bank hour, at the member price only. The hours leave the time bank when the member asks, and come back
when the booking does not go ahead (issue 14)."""

import asyncio
import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import hours, members, rooms
from storage.rooms import CONFIRMED, Request, Room
from tests.conftest import Clock
from tests.journeys import catch_up, database, english, last_file, member_id
from tests.test_rooms import MONDAY_10, a_room, organiser


async def with_hours(local_bot: LocalBot, clock: Clock, person: Person, halves: int) -> int:
    """The person gets `halves` half hours in the time bank (Olga, the organiser, thanks them); their member id."""
    db = database(local_bot)
    olga = members.get_by_telegram_id(db, 900)
    person_id = await member_id(local_bot, person)
    found = members.get(db, person_id)
    assert olga is not None and found is not None
    answer, _transfer = hours.give(db, olga.id, person_id, halves, None, clock(), first_name=found.first_name)
    assert answer is hours.Answer.DONE
    return person_id


def balance(local_bot: LocalBot, person_id: int) -> int:
    return hours.balance(database(local_bot), person_id).balance


def paying(
    local_bot: LocalBot, room: Room, member: int, starts: datetime, paid: int, *, timebank: bool = True
) -> rooms.Booking | None:
    """A 2-hour request for 10 people, `paid` half hours of it in hours."""
    runtime = runtime_of(local_bot.application)
    request = Request(room.id, member, starts, starts + timedelta(hours=2), "Repair café", 10, paid)
    return rooms.ask(runtime.database, request, runtime.settings.timezone, runtime.clock(), timebank=timebank)


async def to_the_last_step(person: Person) -> None:
    """🚪 Rent a room → Big hall, Monday 10:00 for 2 hours, 10 people."""
    await person.send("🙌 Take part")
    await person.tap("🚪 Rent a room")
    await person.tap("🚪 Big hall")
    await person.tap("📆 Ask for this room")
    await person.tap("Mon 30 Nov")
    await person.tap("10:00")
    await person.tap("2 hours")
    await person.send("Repair café")
    await person.tap("10")


async def test_a_member_pays_part_in_hours_and_gets_them_back_when_declined(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    a_room(local_bot, hours_share=50)
    ann_id = await with_hours(local_bot, clock, ann, 12)

    await to_the_last_step(ann)
    assert "Pay part in hours? You have 6 hours." in ann.last_text
    assert ann.inline_labels[:3] == ["½ hour", "1 hour", "No"]  # half of 2 hours
    await ann.tap("1 hour")
    assert "💶 €10.00 + ⏱️ 1 hour" in ann.last_text
    await ann.tap("✅ Yes, ask")
    assert "Sent to the organisers" in ann.last_text

    db = database(local_bot)
    stored = db.fetchone("SELECT id, price_cents, paid_halves FROM room_bookings")
    assert (stored["price_cents"], stored["paid_halves"]) == (1000, 2)
    assert balance(local_bot, ann_id) == 10
    assert db.fetchone("SELECT sum(given - received) FROM hour_accounts")[0] == 0

    olga.look()
    assert olga.last_text.startswith("🚪 Ann asks for a room:") and "💶 €10.00 + ⏱️ 1 hour" in olga.last_text
    await olga.tap("❌ Decline")
    await olga.tap("The room does not suit this.")
    assert balance(local_bot, ann_id) == 12
    await catch_up(local_bot)
    ann.look()
    assert ann.last_text.startswith("Sorry, an organiser said no") and "⏱️ You get your 1 hour back." in ann.last_text
    assert hours.last_of_member(db, ann_id)[0].note == "Big hall"


async def test_cancelling_by_the_member_or_an_organiser_gives_the_hours_back(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    room = a_room(local_bot, hours_share=100)
    ann_id = await with_hours(local_bot, clock, ann, 8)
    db, olga_id = database(local_bot), await member_id(local_bot, olga)
    mine = paying(local_bot, room, ann_id, MONDAY_10, 4)
    theirs = paying(local_bot, room, ann_id, MONDAY_10 + timedelta(days=1), 2)
    assert mine is not None and theirs is not None
    for booking in (mine, theirs):
        rooms.confirm(db, booking.id, olga_id, clock())
    assert balance(local_bot, ann_id) == 2
    await catch_up(local_bot)

    await ann.press("room:mine:0")
    await ann.tap("✅ Mon 30 Nov, 10:00 · Big hall")
    assert "💶 €0.00 + ⏱️ 2 hours" in ann.last_text and "If you cancel, you get your 2 hours back." in ann.last_text
    await ann.tap("❌ Cancel")
    assert "Do you want to cancel this?" in ann.last_text and "You get your 2 hours back." in ann.last_text
    await ann.tap("✅ Yes, cancel")
    assert "Cancelled" in ann.last_text and "You get your 2 hours back." in ann.last_text
    assert balance(local_bot, ann_id) == 6
    await ann.press(f"room:cancelok:{mine.id}:0")  # a double tap gives nothing twice
    assert balance(local_bot, ann_id) == 6

    await olga.press(f"roomorg:cancel:{theirs.id}")
    await olga.tap("Please come to the desk to talk about it.")
    assert balance(local_bot, ann_id) == 8
    await catch_up(local_bot)
    ann.look()
    assert ann.last_text.startswith("🚫 An organiser cancelled") and "You get your 1 hour back." in ann.last_text
    assert db.fetchone("SELECT sum(given - received) FROM hour_accounts")[0] == 0


async def test_two_requests_cannot_spend_the_same_hours(local_bot: LocalBot, clock: Clock) -> None:
    await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    room = a_room(local_bot, hours_share=100, buffer_minutes=0)
    ann_id = await with_hours(local_bot, clock, ann, 3)

    async def ask(hour: int) -> rooms.Booking | None:
        return paying(local_bot, room, ann_id, MONDAY_10 + timedelta(hours=hour), 2)

    asked = await asyncio.gather(*(ask(hour) for hour in (0, 2, 4, 6)))

    assert sum(booking is not None for booking in asked) == 1
    assert balance(local_bot, ann_id) == 1
    assert database(local_bot).fetchone("SELECT count(*) FROM room_bookings")[0] == 1


async def test_the_month_counts_the_euros_due_and_the_hours_paid(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    room = a_room(local_bot, hours_share=50, buffer_minutes=0)
    ann_id = await with_hours(local_bot, clock, ann, 6)
    piet_id = await member_id(local_bot, piet)
    db, olga_id = database(local_bot), await member_id(local_bot, olga)
    for starts, member, paid in ((0, ann_id, 2), (2, piet_id, 0), (4, ann_id, 1)):
        booking = paying(local_bot, room, member, MONDAY_10 + timedelta(hours=starts), paid)
        assert booking is not None
        rooms.confirm(db, booking.id, olga_id, clock())
    paying(local_bot, room, ann_id, MONDAY_10 + timedelta(days=1), 2)  # not confirmed
    await catch_up(local_bot)

    await olga.press("roomorg:month:202611")
    assert "• Ann (member 0002): €25.00 + ⏱️ 1½ hours" in olga.last_text
    assert "• Piet (member 0003): €20.00" in olga.last_text
    assert "Total: €45.00" in olga.last_text and "⏱️ Paid in hours: 1½ hours" in olga.last_text
    await olga.tap("📄 As a file")
    _document, data = last_file(local_bot, olga)
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][-2:] == ["Paid in hours", "Amount"]
    booked = [line for line in lines[1:] if line and line[0] == "Big hall"]
    stored = db.fetchone("SELECT sum(price_cents) FROM room_bookings WHERE status = 'confirmed'")[0]
    assert sum(Decimal(line[-1]) for line in booked) == Decimal(lines[-1][-1]) == Decimal(stored) / 100
    assert [line[-2] for line in booked] == ["1", "0", "0.5"] and lines[-1][-2] == "1.5"


async def test_no_hours_step_where_hours_cannot_pay(local_bot: LocalBot, clock: Clock) -> None:
    await organiser(local_bot)
    ann, bob, carl = (
        await english(local_bot, "Ann", 1),
        await english(local_bot, "Bob", 2),
        await english(local_bot, "Carl", 3),
    )
    room = a_room(local_bot, hours_share=50)
    a_room(local_bot, name="Kitchen", hours_share=0)
    for person in (ann, bob):
        await with_hours(local_bot, clock, person, 12)
    members.update_profile(database(local_bot), await member_id(local_bot, bob), business_name="Bob's Bikes")
    assert room.hours_share == 50

    await to_the_last_step(bob)  # a ZZP'er: the business price is income
    assert bob.last_text.startswith("You ask for:") and "⏱️" not in bob.last_text
    await to_the_last_step(carl)  # no hours
    assert carl.last_text.startswith("You ask for:")
    await ann.send("🙌 Take part")
    await ann.tap("🚪 Rent a room")
    await ann.tap("🚪 Kitchen")  # organisers allow no hours here
    assert "⏱️" not in ann.last_text
    await ann.tap("📆 Ask for this room")
    await ann.tap("Mon 30 Nov")
    await ann.tap("10:00")
    await ann.tap("2 hours")
    await ann.send("Repair café")
    await ann.tap("10")
    assert ann.last_text.startswith("You ask for:")


@pytest.mark.settings(WIJKBOT_TIMEBANK="off")
async def test_with_the_time_bank_off_nothing_is_paid_in_hours(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    room = a_room(local_bot, hours_share=50)
    ann_id = await with_hours(local_bot, clock, ann, 12)
    await olga.press(f"roomorg:card:{room.id}")
    assert "Paid in hours" not in olga.last_text
    await olga.tap("✏️ Change")
    assert "Paid in hours" not in olga.inline_labels

    await to_the_last_step(ann)
    assert ann.last_text.startswith("You ask for:") and "⏱️" not in ann.last_text
    assert paying(local_bot, room, ann_id, MONDAY_10 + timedelta(days=1), 2, timebank=False) is None
    assert balance(local_bot, ann_id) == 12


async def test_forged_hours_are_refused_and_change_nothing(local_bot: LocalBot, clock: Clock) -> None:
    await organiser(local_bot)
    ann, bob = await english(local_bot, "Ann", 1), await english(local_bot, "Bob", 2)
    room = a_room(local_bot, hours_share=25)
    ann_id, bob_id = await with_hours(local_bot, clock, ann, 12), await with_hours(local_bot, clock, bob, 12)
    members.update_profile(database(local_bot), bob_id, business_name="Bob's Bikes")

    assert paying(local_bot, room, ann_id, MONDAY_10, 2) is None  # 25% of 2 hours is ½ hour
    assert paying(local_bot, room, bob_id, MONDAY_10, 1) is None  # the business price
    assert paying(local_bot, room, ann_id, MONDAY_10, 1, timebank=False) is None
    assert database(local_bot).fetchone("SELECT count(*) FROM room_bookings")[0] == 0

    await to_the_last_step(ann)
    assert ann.inline_labels[:2] == ["½ hour", "No"]
    await ann.press("room:pay:4")  # more than the room allows
    assert ann.last_text.startswith("You do not have that many hours now.")
    await ann.tap("½ hour")
    assert "💶 €15.00 + ⏱️ ½ hour" in ann.last_text
    hours.give(database(local_bot), ann_id, None, 12, None, clock())  # she gives her hours away meanwhile
    await ann.tap("✅ Yes, ask")
    assert "You do not have that many hours now." in ann.last_text and "💶 €20.00" in ann.last_text
    assert database(local_bot).fetchone("SELECT count(*) FROM room_bookings")[0] == 0
    assert balance(local_bot, ann_id) == 0 and balance(local_bot, bob_id) == 12


async def test_a_season_pays_each_date_and_what_does_not_go_ahead_comes_back(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    room = a_room(local_bot, hours_share=50)
    ann_id = await with_hours(local_bot, clock, ann, 8)
    db, olga_id, piet_id = database(local_bot), await member_id(local_bot, olga), await member_id(local_bot, piet)
    tz = runtime_of(local_bot.application).settings.timezone
    fourteenth = MONDAY_10 + timedelta(days=14)
    clash = rooms.ask(
        db, Request(room.id, piet_id, fourteenth, fourteenth + timedelta(hours=1), "Yoga", 5), tz, clock()
    )
    assert clash is not None
    rooms.confirm(db, clash.id, olga_id, clock())
    request = Request(room.id, ann_id, MONDAY_10, MONDAY_10 + timedelta(hours=2), "Choir", 10, 2)
    until = MONDAY_10.date() + timedelta(days=29)  # 30 Nov, 7, 14, 21 and 28 December
    assert rooms.ask_season(db, request, until, tz, clock(), timebank=True) is None  # 5 hours needed, 4 there
    await with_hours(local_bot, clock, ann, 4)
    found = rooms.ask_season(db, request, until, tz, clock(), timebank=True)
    assert found is not None and len(found.dates) == 5 and balance(local_bot, ann_id) == 2
    await catch_up(local_bot)
    card = [event.text for event in olga.look() if "asks for a room every week" in event.text][-1]
    assert "4 times" in card and "⏱️ 5 hours in total (1 hour each time)" in card  # 14 Dec is left out, its hour too

    decided = rooms.confirm_season(db, found.id, olga_id, tz, clock())
    assert [d.starts_at for d in decided.left] == [fourteenth]
    assert balance(local_bot, ann_id) == 4  # the date left out
    await catch_up(local_bot)
    ann.look()
    assert ann.last_text.startswith("✅ Your weekly room is booked.") and "You get your 1 hour back." in ann.last_text

    clock.advance(days=8)  # 30 November is past
    leaving = members.get(db, ann_id)
    assert leaving is not None
    members.delete_account(db, leaving, clock())
    statuses = [rooms.booking(db, d.id).status for d in found.dates]
    assert statuses == [CONFIRMED, "cancelled", "declined", "cancelled", "cancelled"]
    assert balance(local_bot, ann_id) == 10  # the three freed dates came back, on her anonymous row
    assert db.fetchone("SELECT sum(given - received) FROM hour_accounts")[0] == 0


async def test_a_request_nobody_answered_in_time_gives_the_hours_back(local_bot: LocalBot, clock: Clock) -> None:
    await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    room = a_room(local_bot, hours_share=50)
    ann_id = await with_hours(local_bot, clock, ann, 6)
    booking = paying(local_bot, room, ann_id, MONDAY_10, 2)
    assert booking is not None and balance(local_bot, ann_id) == 4
    clock.advance(days=3)  # Monday 10:00 has passed; no organiser answered
    await catch_up(local_bot)
    assert rooms.booking(database(local_bot), booking.id).status == "declined"
    assert balance(local_bot, ann_id) == 6
    told = [event.text for event in ann.look() if event.text.startswith("Sorry, no organiser answered")]
    assert len(told) == 1 and "⏱️ You get your 1 hour back." in told[0]
