"""Reminders and scheduled messages: on time, once, never after the event, never at night."""

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import timing
from bot.app import build_application
from bot.config import Settings
from bot.telegram_emulation.local_bot import LocalBot
from bot.telegram_emulation.request import EmulatedRequest
from bot.telegram_emulation.server import TelegramEmulator
from storage import activities, members, outbox
from tests.conftest import Clock, running_bot
from tests.journeys import catch_up, database, planned_activity, signed_up, stored

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, Amsterdam time, as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=AMSTERDAM).astimezone(UTC)


async def test_people_who_come_get_two_reminders_and_people_waiting_none(local_bot: LocalBot, clock: Clock) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    ann = await signed_up(local_bot, "Ann", user_id=1)
    bob = await signed_up(local_bot, "Bob", user_id=2)
    activity = await planned_activity(
        local_bot, "Soep koken", starts_in=timedelta(days=2), capacity=1, bring="een pan", created_by=olga
    )
    await ann.press(f"act:yes:{activity.id}")
    await bob.press(f"act:yes:{activity.id}")  # waiting list
    olga.look()

    clock.now = activity.starts_at - timedelta(hours=24, minutes=1)
    await catch_up(local_bot)
    assert ann.look() == []
    clock.advance(minutes=1)
    await catch_up(local_bot)
    [day_before] = ann.look()
    assert day_before.text.splitlines() == [
        "⏰ Herinnering: morgen is het zover. Je komt.",
        "",
        "Soep koken",
        "🕑 zondag 29 november, 10:00–12:00",
        "📍 Buurthuis",
        "🎒 Meenemen: een pan",
    ]
    assert ann.inline_labels == ["❌ Ik kan toch niet"]

    clock.now = activity.starts_at - timedelta(hours=2)
    await catch_up(local_bot)
    assert ann.look()[0].text.startswith("⏰ Herinnering: over 2 uur begint het.")
    assert bob.look() == []  # the waiting list gets no reminders
    assert [n.split(":")[0] for n, _ in outbox.sent(database(local_bot))] == [
        "activity_full",
        "reminder_day",
        "reminder_2h",
    ]


async def test_the_organiser_hears_once_that_an_activity_is_full(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    ann = await signed_up(local_bot, "Ann", user_id=1)
    activity = await planned_activity(local_bot, "Fietsen maken", capacity=1, created_by=olga)
    olga.look()
    await ann.press(f"act:yes:{activity.id}")
    [full] = olga.look()
    assert full.text.startswith("👥 Deze activiteit is nu vol.\n\nFietsen maken")
    await ann.press(f"act:no:{activity.id}")
    await ann.tap("✅ Ja, ik kan niet")
    await ann.press(f"act:card:{activity.id}")
    await ann.tap("✅ Ik kom")
    await catch_up(local_bot)
    assert olga.look() == []


async def test_i_cannot_come_after_all_from_the_reminder(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1)
    bob = await signed_up(local_bot, "Bob", user_id=2)
    activity = await planned_activity(local_bot, starts_in=timedelta(days=2), capacity=1)
    await ann.press(f"act:yes:{activity.id}")
    await bob.press(f"act:yes:{activity.id}")
    clock.now = activity.starts_at - timedelta(hours=24)
    await catch_up(local_bot)
    ann.look()
    await ann.tap("❌ Ik kan toch niet")
    assert ann.last_text.startswith("Weet je het zeker? Je plek gaat dan naar iemand anders.")
    assert bob.look() == []  # nothing given away yet
    await ann.tap("✅ Ja, ik kan niet")
    assert ann.toasts == ["Oké, je staat niet meer op de lijst."]
    assert bob.look()[0].text.startswith("🎉 Er is een plek vrij voor jou!")
    clock.now = activity.starts_at - timedelta(hours=2)
    await catch_up(local_bot)
    assert ann.look() == []  # no more reminders for Ann


async def test_a_restart_never_sends_a_reminder_twice(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = await signed_up(local_bot, "Ann", user_id=1)
        activity = await planned_activity(local_bot, starts_in=timedelta(days=2))
        await ann.press(f"act:yes:{activity.id}")
        clock.now = activity.starts_at - timedelta(hours=24)
        await catch_up(local_bot)
        await catch_up(local_bot)
        assert len(ann.look()) == 1
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = local_bot.person("Ann", user_id=1)
        await catch_up(local_bot)
        clock.advance(minutes=30)
        await catch_up(local_bot)
        assert ann.look() == []


async def test_after_an_hour_away_what_became_due_is_sent_once(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = await signed_up(local_bot, "Ann", user_id=1)
        activity = await planned_activity(local_bot, starts_in=timedelta(days=2))
        await ann.press(f"act:yes:{activity.id}")
        clock.now = activity.starts_at - timedelta(hours=25)
        await catch_up(local_bot)
    clock.advance(hours=1, minutes=10)  # the bot was down when the reminder became due
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = local_bot.person("Ann", user_id=1)
        await catch_up(local_bot)
        await catch_up(local_bot)
        assert [e.text.splitlines()[0] for e in ann.look()] == ["⏰ Herinnering: morgen is het zover. Je komt."]


async def test_a_reminder_that_can_no_longer_arrive_in_time_is_dropped(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = await signed_up(local_bot, "Ann", user_id=1)
        bob = await signed_up(local_bot, "Bob", user_id=2)
        early = await planned_activity(local_bot, "Vroeg", starts_in=timedelta(days=2))
        late = await planned_activity(local_bot, "Laat", starts_in=timedelta(days=2, hours=1))
        await ann.press(f"act:yes:{early.id}")
        await bob.press(f"act:yes:{late.id}")
        clock.now = early.starts_at - timedelta(hours=25)
        await catch_up(local_bot)  # both reminders are planned
    clock.now = early.starts_at - timedelta(minutes=30)  # down until half an hour before "Vroeg"
    async with running_bot(settings, emulator, clock) as local_bot:
        ann, bob = local_bot.person("Ann", user_id=1), local_bot.person("Bob", user_id=2)
        await catch_up(local_bot)
        assert [e.text.splitlines()[0] for e in ann.look()] == ["⏰ Herinnering: over 2 uur begint het."]
        assert [e.text.splitlines()[0] for e in bob.look()] == ["⏰ Herinnering: over 2 uur begint het."]
        clock.now = late.starts_at + timedelta(minutes=1)
        await catch_up(local_bot)
        assert ann.look() == [] and bob.look() == []


async def test_no_reminders_at_night_unless_it_starts_early_next_morning(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1)
    evening = await planned_activity(local_bot, "Filmavond", starts_in=timedelta(days=2, hours=12))  # Sunday 22:00
    morning = await planned_activity(local_bot, "Ontbijt", starts_in=timedelta(days=2, hours=-2, minutes=-30))  # 07:30
    await ann.press(f"act:yes:{evening.id}")
    await ann.press(f"act:yes:{morning.id}")

    clock.now = local(28, 7, 30)  # the day-before moment of breakfast: still night, and breakfast is no sooner
    await catch_up(local_bot)  # than the morning after, so it waits until 08:00
    assert ann.look() == []
    clock.now = local(28, 8, 0)
    await catch_up(local_bot)
    assert [e.text.splitlines()[2] for e in ann.look()] == ["Ontbijt"]
    clock.now = local(28, 22, 0)  # Saturday 22:00: the day-before moment of the film night
    await catch_up(local_bot)
    assert ann.look() == []
    clock.now = local(29, 5, 30)  # 2 hours before breakfast: early tomorrow morning, so it may come at night
    await catch_up(local_bot)
    assert [e.text.splitlines()[2] for e in ann.look()] == ["Ontbijt"]
    clock.now = local(29, 8, 0)
    await catch_up(local_bot)
    assert [e.text.splitlines()[:3] for e in ann.look()] == [
        ["⏰ Herinnering: morgen is het zover. Je komt.", "", "Filmavond"]
    ]


async def test_a_member_who_paused_messages_still_gets_reminders(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1)
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("🔕 Berichten pauzeren")
    activity = await planned_activity(local_bot, starts_in=timedelta(days=2))
    await ann.press(f"act:yes:{activity.id}")
    clock.now = activity.starts_at - timedelta(hours=24)
    await catch_up(local_bot)
    assert len(ann.look()) == 1
    assert (await stored(local_bot, ann)).paused


async def test_signing_up_after_the_day_before_moment_gives_only_the_last_reminder(
    local_bot: LocalBot, clock: Clock
) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1)
    activity = await planned_activity(local_bot, starts_in=timedelta(hours=6))
    await ann.press(f"act:yes:{activity.id}")
    await catch_up(local_bot)
    assert ann.look() == []
    clock.now = activity.starts_at - timedelta(hours=2)
    await catch_up(local_bot)
    assert [e.text.splitlines()[0] for e in ann.look()] == ["⏰ Herinnering: over 2 uur begint het."]


async def test_the_repeating_job_catches_up_by_itself_after_a_start(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = await signed_up(local_bot, "Ann", user_id=1)
        activity = await planned_activity(local_bot, starts_in=timedelta(days=2))
        await ann.press(f"act:yes:{activity.id}")
    clock.now = activity.starts_at - timedelta(hours=24)
    application = build_application(settings, request=lambda: EmulatedRequest(emulator), clock=clock)
    chat = emulator.chats[1]
    seen = len(chat.events)
    async with LocalBot(application, emulator):
        for _ in range(100):  # the sender works in the background: give it a moment
            if chat.events[seen:]:
                break
            await asyncio.sleep(0.01)
        assert [e.text.splitlines()[0] for e in chat.events[seen:]] == ["⏰ Herinnering: morgen is het zover. Je komt."]
        [job] = application.job_queue.get_jobs_by_name("scheduled_work")
        assert job.job.trigger.interval == timedelta(seconds=60)


def test_quiet_hours_rules() -> None:
    assert timing.deliver_at(local(27, 20, 59), AMSTERDAM) == local(27, 20, 59)
    assert timing.deliver_at(local(27, 21, 0), AMSTERDAM) == local(28, 8, 0)
    assert timing.deliver_at(local(28, 3, 0), AMSTERDAM) == local(28, 8, 0)
    assert timing.deliver_at(local(28, 3, 0), AMSTERDAM, about_start=local(28, 9, 59)) == local(28, 3, 0)
    assert timing.deliver_at(local(27, 23, 0), AMSTERDAM, about_start=local(28, 10, 0)) == local(28, 8, 0)
    assert timing.deliver_at(local(28, 8, 0), AMSTERDAM) == local(28, 8, 0)


def test_the_claim_window_never_ends_at_night_nor_past_three_hours_before_the_start() -> None:
    twelve = timedelta(hours=12)
    offer = timing.offer_timing(local(27, 14, 0), local(30, 10, 0), AMSTERDAM, twelve)
    assert (offer.to_everyone, offer.expires) == (False, local(28, 8, 0))  # not 02:00 in the night: 08:00
    offer = timing.offer_timing(local(27, 8, 0), local(30, 10, 0), AMSTERDAM, twelve)
    assert (offer.to_everyone, offer.expires) == (False, local(27, 20, 0))
    offer = timing.offer_timing(local(27, 10, 0), local(27, 20, 0), AMSTERDAM, twelve)
    assert (offer.to_everyone, offer.expires) == (False, local(27, 17, 0))
    offer = timing.offer_timing(local(27, 18, 0), local(27, 20, 0), AMSTERDAM, twelve)
    assert (offer.to_everyone, offer.expires) == (True, local(27, 20, 0))
    offer = timing.offer_timing(local(27, 23, 0), local(28, 10, 30), AMSTERDAM, twelve)  # 08:00 is after 07:30
    assert (offer.to_everyone, offer.deliver) == (True, local(28, 8, 0))
    offer = timing.offer_timing(local(27, 20, 0), local(28, 12, 0), AMSTERDAM, twelve)  # 09:00 is the last moment
    assert (offer.to_everyone, offer.expires) == (False, local(28, 8, 0))
    offer = timing.offer_timing(local(27, 20, 0), local(28, 10, 30), AMSTERDAM, twelve)  # 08:00 is after 07:30:
    assert (offer.to_everyone, offer.expires) == (False, local(27, 21, 0))  # the evening before, an hour to answer
    offer = timing.offer_timing(local(27, 13, 59), local(27, 17, 0), AMSTERDAM, twelve)  # one minute to answer?
    assert (offer.to_everyone, offer.expires) == (True, local(27, 17, 0))  # no: the first to tap gets it
    offer = timing.offer_timing(local(27, 20, 30), local(28, 10, 30), AMSTERDAM, twelve)  # less than an hour:
    assert (offer.to_everyone, offer.expires) == (True, local(28, 10, 30))  # the first to tap gets it


async def test_reminder_planning_is_idempotent(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1)
    activity = await planned_activity(local_bot, starts_in=timedelta(hours=20))
    await ann.press(f"act:yes:{activity.id}")
    for _ in range(3):
        await catch_up(local_bot)
    rows = database(local_bot).fetchall("SELECT key FROM outbox WHERE kind LIKE 'reminder%'")
    assert len(rows) == 1  # only the 2-hour one: she signed up after the day-before moment
    member = members.get_by_telegram_id(database(local_bot), ann.id)
    assert activities.card(database(local_bot), activity.id, member.id).status == "going"


async def test_a_member_who_blocked_the_bot_does_not_stop_the_others(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1)
    bob = await signed_up(local_bot, "Bob", user_id=2)
    activity = await planned_activity(local_bot, starts_in=timedelta(days=2))
    for person in (ann, bob):
        await person.press(f"act:yes:{activity.id}")
    local_bot.emulator.block(ann.id)
    clock.now = activity.starts_at - timedelta(hours=24)
    assert await catch_up(local_bot) == 1
    assert len(bob.look()) == 1 and ann.look() == []
    assert await catch_up(local_bot) == 0  # Ann's reminder is dropped, not tried again and again
    dropped = database(local_bot).fetchall("SELECT member_id FROM outbox WHERE dropped_at IS NOT NULL")
    assert [row[0] for row in dropped] == [(await stored(local_bot, ann)).id]


async def test_telegram_asking_to_wait_delays_a_reminder_but_loses_nothing(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1)
    activity = await planned_activity(local_bot, starts_in=timedelta(days=2))
    await ann.press(f"act:yes:{activity.id}")
    local_bot.emulator.fail_next("sendMessage", retry_after=1, times=5)  # more than the rate limiter retries
    clock.now = activity.starts_at - timedelta(hours=24)
    assert await catch_up(local_bot) == 0
    assert ann.look() == []
    assert await catch_up(local_bot) == 1  # the next run sends it
    assert [e.text.splitlines()[0] for e in ann.look()] == ["⏰ Herinnering: morgen is het zover. Je komt."]
