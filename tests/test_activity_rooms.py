"""📅 New activity in one of the building's rooms: it occupies the room, and a booked room is refused."""

from datetime import datetime

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot
from storage import activities, rooms
from tests.journeys import database, member_id, signed_up
from tests.test_activity_planning import ANSWERS, answer, planning_organiser
from tests.test_rooms import a_room, asked

SATURDAY_2 = datetime.fromisoformat("2026-11-28T13:00:00+00:00")  # Saturday 14:00 in Amsterdam


async def test_an_activity_in_a_room_occupies_it(local_bot: LocalBot) -> None:
    room = a_room(local_bot, name="Grote zaal", notice_hours=0)
    olga = await planning_organiser(local_bot)
    await answer(olga, ANSWERS[:5])
    assert olga.inline_labels[:2] == ["📍 Buurthuis", "🚪 Grote zaal"]
    await answer(olga, ["🚪 Grote zaal", *ANSWERS[6:]])
    assert "📍 Grote zaal" in olga.last_text
    await olga.tap("✅ Ja, publiceren")
    [activity] = activities.upcoming(database(local_bot), runtime_of(local_bot.application).clock(), 0).items
    assert (activity.place, activity.room_id) == ("Grote zaal", room.id)

    tz = runtime_of(local_bot.application).settings.timezone
    busy = rooms.busy(database(local_bot), room.id, SATURDAY_2.astimezone(tz).date(), tz)
    assert (activity.starts_at, activity.ends_at) in busy  # members cannot rent it then


async def test_a_room_booked_then_is_refused_and_nothing_is_published(local_bot: LocalBot) -> None:
    room = a_room(local_bot, name="Grote zaal", notice_hours=0, buffer_minutes=30)
    ann = await signed_up(local_bot, "Ann", user_id=1)
    olga = await planning_organiser(local_bot)
    booking = asked(local_bot, room, await member_id(local_bot, ann), SATURDAY_2.replace(hour=11), hours=1.75)
    runtime = runtime_of(local_bot.application)
    rooms.confirm(runtime.database, booking.id, await member_id(local_bot, olga), runtime.clock())  # 12:00-13:45

    await answer(olga, [*ANSWERS[:5], "🚪 Grote zaal", *ANSWERS[6:]])
    await olga.tap("✅ Ja, publiceren")  # 14:00 is within the 30 minutes of cleaning after the booking
    assert olga.last_text.startswith("De ruimte is dan in gebruik: za 28 nov. Kies een andere plek of tijd.")
    assert activities.upcoming(database(local_bot), runtime.clock(), 0).items == []
    await olga.tap("📍 Buurthuis")  # another place: the activity is in no room
    await olga.tap("✅ Ja, publiceren")
    [activity] = activities.upcoming(database(local_bot), runtime.clock(), 0).items
    assert (activity.place, activity.room_id) == ("Buurthuis", None)


async def test_an_activity_in_a_room_has_no_more_places_than_the_room(local_bot: LocalBot) -> None:
    a_room(local_bot, name="Grote zaal", notice_hours=0, capacity=20)
    olga = await planning_organiser(local_bot)
    await answer(olga, [*ANSWERS[:5], "🚪 Grote zaal"])
    await olga.send("50")
    assert olga.last_text.startswith("De ruimte heeft plaats voor maximaal 20 mensen.")
    await olga.tap("♾️ Geen maximum")  # no limit in a room: as many as fit in it
    await answer(olga, ANSWERS[7:])
    assert "👥 Nog 20 plekken vrij" in olga.last_text
