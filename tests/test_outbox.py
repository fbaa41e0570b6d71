"""The outbox: every message the bot sends by itself is claimed, sent, then marked; never lost.

A crash is a restart of the real bot with claims left in the database file.
"""

import asyncio
from datetime import timedelta

from bot.app import send_outbox_now
from bot.config import Settings
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot
from bot.telegram_emulation.server import TelegramEmulator
from storage import outbox
from storage.outbox import Message
from tests.conftest import Clock, running_bot
from tests.journeys import catch_up, database, planned_activity, signed_up, stored
from tests.test_reminders import local


async def due_reminders(local_bot: LocalBot, clock: Clock, count: int) -> list:
    """`count` members coming to one activity, whose reminder is due now."""
    activity = await planned_activity(local_bot, starts_in=timedelta(days=2))
    people = []
    for n in range(count):
        person = await signed_up(local_bot, f"Lid {n}", user_id=100 + n)
        await person.press(f"act:yes:{activity.id}")
        person.look()
        people.append(person)
    clock.now = activity.starts_at - timedelta(hours=24)
    return people


def reminders_seen(person) -> int:
    return sum(event.text.startswith("⏰") for event in person.look())


async def test_a_claim_left_by_a_crash_is_sent_again_after_a_minute_and_only_once(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        people = await due_reminders(local_bot, clock, 3)
        claimed = outbox.claim_due(database(local_bot), clock(), limit=10)
        assert len(claimed) == 3  # the bot "crashes" now: claimed, nothing sent
    async with running_bot(settings, emulator, clock) as local_bot:
        await catch_up(local_bot)
        assert [reminders_seen(p) for p in people] == [0, 0, 0]  # a claim younger than a minute may be in flight
        clock.advance(seconds=61)
        assert await catch_up(local_bot) == 3
        assert [reminders_seen(p) for p in people] == [1, 1, 1]
        clock.advance(minutes=5)
        assert await catch_up(local_bot) == 0


async def test_a_sent_message_is_marked_and_not_sent_again_after_a_restart(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        [ann] = await due_reminders(local_bot, clock, 1)
        assert await catch_up(local_bot) == 1
    clock.advance(minutes=2)
    async with running_bot(settings, emulator, clock) as local_bot:
        assert await catch_up(local_bot) == 0
        assert reminders_seen(ann) == 1


async def test_stopping_finishes_the_message_in_flight_and_frees_the_rest(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        people = await due_reminders(local_bot, clock, 3)
        held = emulator.hold("sendMessage")
        sending = asyncio.create_task(send_outbox_now(local_bot.application))
        await held.arrived.wait()  # one message is on its way; two more wait their turn
        stopping = asyncio.create_task(runtime_of(local_bot.application).outbox_sender.stop())  # as on SIGTERM
        held.released.set()
        await sending
        await stopping
        first = [reminders_seen(p) for p in people]
        assert first == [1, 0, 0]
        assert database(local_bot).fetchone("SELECT count(*) FROM outbox WHERE claimed_at IS NOT NULL")[0] == 0
    async with running_bot(settings, emulator, clock) as local_bot:  # no minute to wait: nothing was left claimed
        assert await catch_up(local_bot) == 2
        assert [before + reminders_seen(p) for before, p in zip(first, people, strict=True)] == [1, 1, 1]


async def test_every_message_waits_for_the_morning_at_night(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot)
    member = await stored(local_bot, ann)
    activity = await planned_activity(local_bot, starts_in=timedelta(days=3))
    await ann.press(f"act:yes:{activity.id}")
    clock.now = local(27, 22, 15)
    with database(local_bot).transaction() as conn:  # a message about an activity, written late in the evening
        outbox.add(
            conn,
            [
                Message(
                    "late",
                    "activity_changed",
                    member.id,
                    activity.id,
                    deliver_at=clock(),
                    expires_at=activity.starts_at,
                    payload={"changed": ["place"]},
                )
            ],
        )
    assert await send_outbox_now(local_bot.application) == 0
    assert ann.look() == []
    clock.now = local(28, 7, 59)
    assert await send_outbox_now(local_bot.application) == 0
    clock.now = local(28, 8, 0)
    assert await send_outbox_now(local_bot.application) == 1
    assert ann.look()[0].text.startswith("✏️ Deze activiteit is veranderd.")


async def test_messages_past_their_use_are_deleted(local_bot: LocalBot, clock: Clock) -> None:
    [ann] = await due_reminders(local_bot, clock, 1)
    await catch_up(local_bot)
    db = database(local_bot)
    kept = db.fetchone("SELECT count(*) FROM outbox")[0]
    assert kept >= 2  # both reminders (one sent, one still to come)
    clock.advance(days=5)  # the activity was three days ago
    await catch_up(local_bot)
    assert db.fetchone("SELECT count(*) FROM outbox")[0] == 0
    assert reminders_seen(ann) == 1  # the 2-hour reminder could no longer arrive in time: dropped, never sent


async def test_one_bad_message_does_not_hold_up_the_others(local_bot: LocalBot, clock: Clock) -> None:
    [ann] = await due_reminders(local_bot, clock, 1)
    member = await stored(local_bot, ann)
    [activity_id] = [row[0] for row in database(local_bot).fetchall("SELECT id FROM activities")]
    with database(local_bot).transaction() as conn:  # news whose payload makes no sense: it cannot be written
        broken = Message(
            "broken",
            "activity_changed",
            member.id,
            activity_id,
            deliver_at=clock() - timedelta(minutes=1),
            payload={"changed": 5},
        )
        outbox.add(conn, [broken])
    runtime_of(local_bot.application).outbox_sender.start()  # the sender as it runs in the bot
    try:
        runtime_of(local_bot.application).outbox_sender.wake()
        for _ in range(200):
            if reminders_seen(ann):
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("the reminder behind the broken message never came")
        assert not runtime_of(local_bot.application).outbox_sender._task.done()  # still running
    finally:
        await runtime_of(local_bot.application).outbox_sender.stop()
    waiting = database(local_bot).fetchone("SELECT deliver_at, sent_at FROM outbox WHERE key = 'broken'")
    assert waiting["sent_at"] is None and waiting["deliver_at"] > clock().isoformat()  # tried again later


async def test_news_about_an_activity_goes_only_to_people_still_on_its_lists(local_bot: LocalBot, clock: Clock) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    ann = await signed_up(local_bot, "Ann")
    bob = await signed_up(local_bot, "Bob", user_id=2)
    activity = await planned_activity(local_bot, starts_in=timedelta(days=3), created_by=olga)
    for person in (ann, bob):
        await person.press(f"act:yes:{activity.id}")
    clock.now = local(27, 22, 0)
    await olga.press(f"org:actedit:{activity.id}")
    await olga.tap("Plaats")
    await olga.send("De Bieb")
    await olga.tap("✅ Ja, opslaan en laten weten")
    clock.now = local(27, 23, 0)
    await ann.press(f"act:no:{activity.id}")  # Ann leaves before the news could go out
    await ann.tap("✅ Ja, ik kan niet")
    ann.look()
    clock.now = local(28, 8, 0)
    await catch_up(local_bot)
    assert ann.look() == []
    assert bob.look()[0].text.startswith("✏️ Deze activiteit is veranderd.")


async def test_a_member_who_paused_gets_only_what_is_essential(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    ann = await signed_up(local_bot, "Ann")
    await olga.tap("👤 Mijn gegevens")
    await olga.tap("🔕 Berichten pauzeren")
    activity = await planned_activity(local_bot, capacity=1, created_by=olga)
    olga.look()
    await ann.press(f"act:yes:{activity.id}")
    assert olga.look() == []  # "it is full now" is news, not essential


async def test_a_member_who_blocked_the_bot_is_marked_until_they_write_again(local_bot: LocalBot, clock: Clock) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    [ann] = await due_reminders(local_bot, clock, 1)
    local_bot.emulator.block(ann.id)
    assert await catch_up(local_bot) == 0
    assert (await stored(local_bot, ann)).unreachable_since == clock()
    await olga.press(f"org:card:{(await stored(local_bot, ann)).id}")
    assert "📵 Heeft de bot geblokkeerd op " in olga.last_text  # the desk knows to call or see her
    local_bot.emulator.chats[ann.id].blocked = False
    await ann.send("/menu")  # she is back
    assert (await stored(local_bot, ann)).unreachable_since is None
