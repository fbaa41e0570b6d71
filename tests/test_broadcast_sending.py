"""Sending announcements through the outbox: in each member's language, at the right time, each member once,
through Telegram's refusals and a restart, with the organiser's progress and report; then correcting and
withdrawing them in every chat."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot import broadcast
from bot.app import send_outbox_now
from bot.config import Settings
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.server import ApiError, TelegramEmulator, _Failure
from storage import announcements, members, outbox
from storage.announcements import Announcement, Audience
from tests import journeys
from tests.conftest import ORGANISER_TELEGRAM_ID, Clock, running_bot
from tests.journeys import catch_up, database, english, member_id, signed_up

NIGHT = datetime(2026, 11, 27, 21, 30, tzinfo=UTC)  # 22:30 in Amsterdam
HEADING = "📢 Message from the organisers"


async def people(local_bot: LocalBot, count: int, first_id: int = 1) -> list[Person]:
    return [await english(local_bot, f"Member {n}", first_id + n) for n in range(count)]


def announce(local_bot: LocalBot, text: str = "The hall is closed on Monday.", **overrides: object) -> Announcement:
    return journeys.announce(local_bot, {"en": text}, **overrides)


def got(person: Person, text: str) -> int:
    """How many messages (or photos) with this text the person got in all."""
    return sum(event.kind in ("message", "photo") and text in event.text for event in person.chat.events)


def stored(local_bot: LocalBot, made: Announcement) -> Announcement:
    found = announcements.get(database(local_bot), made.id)
    assert found is not None
    return found


async def test_each_member_gets_it_once_in_their_language_or_else_the_original(local_bot: LocalBot) -> None:
    ann, bob = await people(local_bot, 2)
    cas = await signed_up(local_bot, "Cas", user_id=3)  # reads Dutch
    made = journeys.announce(local_bot, {"en": "Soup on Friday.", "nl": "Soep op vrijdag."}, original_language="nl")
    only_dutch = journeys.announce(local_bot, {"nl": "Alleen in het Nederlands."})
    assert await catch_up(local_bot) == 6
    for person in (ann, bob):
        shown = [event.text for event in person.look()]
        assert shown == [f"{HEADING}\n\nSoup on Friday.", f"{HEADING}\n\nAlleen in het Nederlands."]
    assert [event.text.split("\n\n")[1] for event in cas.look()] == ["Soep op vrijdag.", "Alleen in het Nederlands."]
    assert await catch_up(local_bot) == 0
    for done in (made, only_dutch):
        assert (stored(local_bot, done).sent, stored(local_bot, done).waiting) == (3, 0)


async def test_a_photo_goes_with_the_text_as_its_caption(local_bot: LocalBot) -> None:
    [ann] = await people(local_bot, 1)
    olga = await english(local_bot, "Olga", ORGANISER_TELEGRAM_ID)
    await olga.send_photo()  # how the organiser's photo came to Telegram: its file_id
    [photo] = list(local_bot.emulator.photos)
    announce(local_bot, "Look at our new garden.", photo=photo, audience=Audience("role", "organiser"))
    made = announce(local_bot, "Look at our new garden.", photo=photo)
    await catch_up(local_bot)
    [event] = ann.look()
    assert event.kind == "photo" and event.text == f"{HEADING}\n\nLook at our new garden."
    assert event.message["photo"][0]["file_id"] == photo
    now = runtime_of(local_bot.application).clock()  # not the real time: the tests start on a fixed day
    fixed = announcements.correct(database(local_bot), made.id, "en", "Look at our garden!", now)
    bot = local_bot.application.bot
    assert await broadcast.edit_everywhere(bot, stored(local_bot, made), fixed) == 2  # the caption, for Ann and Olga
    assert [(e.kind, e.text) for e in ann.look()] == [("edit", f"{HEADING}\n\nLook at our garden!")]


async def test_at_night_it_waits_for_the_morning_unless_it_is_urgent(local_bot: LocalBot, clock: Clock) -> None:
    [ann] = await people(local_bot, 1)
    clock.now = NIGHT
    announce(local_bot, "Choir practice is moved.")
    announce(local_bot, "Water pipe burst: the hall is closed tonight.", urgent=True)
    assert await catch_up(local_bot) == 1
    assert [event.text.splitlines()[0] for event in ann.look()] == ["🚨 Urgent message from the organisers"]
    clock.advance(hours=9)  # 07:30
    assert await catch_up(local_bot) == 0
    clock.advance(minutes=30)  # 08:00
    assert await catch_up(local_bot) == 1
    assert got(ann, "Choir practice is moved.") == 1


async def test_members_who_paused_get_only_urgent_ones(local_bot: LocalBot) -> None:
    ann, bob = await people(local_bot, 2)
    members.update_profile(database(local_bot), await member_id(local_bot, bob), paused=True)
    ordinary = announce(local_bot, "Bingo on Sunday.")
    urgent = announce(local_bot, "Storm: stay inside.", urgent=True)
    await catch_up(local_bot)
    assert got(bob, "Bingo on Sunday.") == 0
    assert got(bob, "Storm: stay inside.") == 1
    assert got(ann, "Bingo on Sunday.") == 1 and got(ann, "Storm: stay inside.") == 1
    assert stored(local_bot, ordinary).total == 1 and stored(local_bot, urgent).total == 2


async def test_a_member_who_blocked_the_bot_is_counted_unreachable_and_skipped_next_time(local_bot: LocalBot) -> None:
    ann, bob = await people(local_bot, 2)
    local_bot.emulator.block(bob.id)
    first = announce(local_bot, "First.")
    await catch_up(local_bot)
    assert got(ann, "First.") == 1
    done = stored(local_bot, first)
    assert (done.sent, done.unreachable, done.failed, done.waiting) == (1, 1, 0, 0)
    row = database(local_bot).fetchone(
        "SELECT status, reason FROM announcement_deliveries WHERE announcement_id = ? AND member_id = ?",
        (first.id, await member_id(local_bot, bob)),
    )
    assert row is not None and row[0] == "unreachable" and "blocked" in row[1]
    assert announcements.count(database(local_bot), Audience("everyone")) == 1
    second = announce(local_bot, "Second.")
    await catch_up(local_bot)
    assert stored(local_bot, second).total == 1  # Bob is not even tried until he writes to the bot again


async def test_telegram_asking_to_wait_delays_the_messages_but_loses_none(local_bot: LocalBot) -> None:
    ann, bob = await people(local_bot, 2)
    made = announce(local_bot, "Market on Saturday.")
    local_bot.emulator.fail_next("sendMessage", retry_after=1, times=4)  # more than the rate limiter retries
    assert await catch_up(local_bot) == 0
    assert stored(local_bot, made).waiting == 2
    assert await catch_up(local_bot) == 2
    assert got(ann, "Market on Saturday.") == 1 and got(bob, "Market on Saturday.") == 1
    done = stored(local_bot, made)
    assert (done.sent, done.failed) == (2, 0)
    tries = database(local_bot).fetchall(
        "SELECT attempts FROM announcement_deliveries WHERE announcement_id = ?", (made.id,)
    )
    assert [row[0] for row in tries] == [1, 1]  # Telegram asking to wait is no failed try


async def test_other_errors_are_tried_again_with_a_wait_then_counted_failed_with_the_reason(
    local_bot: LocalBot, clock: Clock
) -> None:
    [ann] = await people(local_bot, 1)
    made = announce(local_bot, "Repair café.")
    # Telegram's servers fail three times in a row (the emulation has no public switch for a 500 yet).
    local_bot.emulator._failures.append(_Failure("sendMessage", ApiError(500, "Internal Server Error"), 3))
    assert await catch_up(local_bot) == 0
    clock.advance(seconds=9)
    assert await catch_up(local_bot) == 0 and stored(local_bot, made).waiting == 1  # not due again yet
    clock.advance(seconds=1)
    assert await catch_up(local_bot) == 0  # the second try, 10 s later
    clock.advance(seconds=20)
    assert await catch_up(local_bot) == 0  # the third, 20 s after that: it counts as failed
    done = stored(local_bot, made)
    assert (done.failed, done.waiting) == (1, 0)
    [(reason, count)] = announcements.failures(database(local_bot), made.id)
    assert "Internal Server Error" in reason and count == 1
    clock.advance(minutes=5)
    assert await catch_up(local_bot) == 0 and got(ann, "Repair café.") == 0


async def test_a_photo_telegram_refuses_counts_as_failed_at_once(local_bot: LocalBot) -> None:
    await people(local_bot, 1)
    made = announce(local_bot, "Our new garden.", photo="no-such-file")
    await catch_up(local_bot)
    done = stored(local_bot, made)
    assert (done.failed, done.sent) == (1, 0)
    [(reason, _)] = announcements.failures(database(local_bot), made.id)
    assert "wrong file identifier" in reason.lower()


async def test_a_restart_mid_broadcast_sends_to_everyone_else_once(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        everyone = await people(local_bot, 6)
        made = announce(local_bot, "Meeting on Thursday.")
        db = database(local_bot)
        announcements.write_recipients(db, clock(), quiet=False, batch=2, batches=2)  # 4 of 6 written
        assert len(outbox.claim_due(db, clock(), limit=3)) == 3  # the bot crashes: claimed, nothing sent
    async with running_bot(settings, emulator, clock) as local_bot:
        assert await catch_up(local_bot) == 3  # the 2 not written yet and the one not claimed
        clock.advance(seconds=61)  # the claims of the crashed bot went stale
        assert await catch_up(local_bot) == 3
        assert [got(person, "Meeting on Thursday.") for person in everyone] == [1] * 6
        done = stored(local_bot, made)
        assert (done.total, done.sent, done.waiting) == (6, 6, 0)


async def test_stopping_mid_broadcast_finishes_the_message_in_flight_and_the_next_start_sends_the_rest(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        everyone = await people(local_bot, 4)
        announce(local_bot, "Clean-up day.")
        held = emulator.hold("sendMessage")
        sending = asyncio.create_task(send_outbox_now(local_bot.application))
        await held.arrived.wait()
        stopping = asyncio.create_task(runtime_of(local_bot.application).outbox_sender.stop())  # as on SIGTERM
        held.released.set()
        await sending
        await stopping
        assert [got(person, "Clean-up day.") for person in everyone] == [1, 0, 0, 0]
    async with running_bot(settings, emulator, clock) as local_bot:
        assert await catch_up(local_bot) == 3
        assert [got(person, "Clean-up day.") for person in everyone] == [1, 1, 1, 1]


async def test_two_announcements_at_once_both_reach_everyone(local_bot: LocalBot) -> None:
    everyone = await people(local_bot, 3)
    announce(local_bot, "First news.")
    announce(local_bot, "Second news.")
    assert await catch_up(local_bot) == 6
    for person in everyone:
        texts = [event.text for event in person.look()]
        assert sum("First news." in t for t in texts) == 1 and sum("Second news." in t for t in texts) == 1


async def test_the_organiser_sees_the_progress_at_most_every_3_seconds_and_then_the_report(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await english(local_bot, "Olga", ORGANISER_TELEGRAM_ID)
    ann, bob, cas = await people(local_bot, 3)
    local_bot.emulator.block(cas.id)
    made = announce(local_bot, "Vote on Tuesday.", confirm=True)
    progress = await local_bot.application.bot.send_message(olga.id, "📤 …")
    announcements.set_progress_message(database(local_bot), made.id, olga.id, progress.message_id)
    olga.look()
    await catch_up(local_bot)
    edits = [event.text for event in olga.look() if event.kind == "edit"]
    assert edits == [
        "📤 Sent: 1 of 4",  # the first message went; the clock did not move, so no other edit until the end
        "✅ Sending is finished.\nDelivered: 3\nNot reachable (blocked the bot or left): 1\nFailed: 0"
        "\n✅ Understood: 0",
    ]
    buttons = olga.chat.messages[progress.message_id]["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in buttons for b in row] == ["⬅️ Back", "🏠 Menu"]  # back to the announcement's card
    clock.advance(seconds=10)
    await catch_up(local_bot)
    assert olga.look() == []  # reported once
    assert stored(local_bot, made).reported_at is not None


async def test_a_progress_message_with_a_photo_gets_the_report_as_its_caption(local_bot: LocalBot) -> None:
    olga = await english(local_bot, "Olga", ORGANISER_TELEGRAM_ID)
    await olga.send_photo()
    [photo] = list(local_bot.emulator.photos)
    made = announce(local_bot, "Our garden.", photo=photo)
    preview = await local_bot.application.bot.send_photo(olga.id, photo, caption="Our garden.")
    announcements.set_progress_message(database(local_bot), made.id, olga.id, preview.message_id)
    await catch_up(local_bot)
    assert olga.chat.messages[preview.message_id]["caption"].startswith("✅ Sending is finished.\nDelivered: 1")


async def test_progress_is_shown_again_once_3_seconds_passed(local_bot: LocalBot, clock: Clock) -> None:
    olga = await english(local_bot, "Olga", ORGANISER_TELEGRAM_ID)
    await people(local_bot, 2)
    made = announce(local_bot, "Garden day.", audience=Audience("language", "en"))
    db = database(local_bot)
    progress = await local_bot.application.bot.send_message(olga.id, "📤 …")
    announcements.set_progress_message(db, made.id, olga.id, progress.message_id)
    sender = runtime_of(local_bot.application).outbox_sender
    announcements.write_recipients(db, clock(), quiet=False)
    olga.look()
    await sender.progress.update()
    clock.advance(seconds=2)
    await sender.progress.update()  # nothing changed, and too soon
    [first] = outbox.claim_due(db, clock(), limit=1)
    outbox.mark_sent(db, first.id, clock(), 1)
    await sender.progress.update()  # changed, but only 2 seconds after the last edit
    clock.advance(seconds=1)
    await sender.progress.update()
    assert [event.text for event in olga.look()] == ["📤 Sent: 0 of 3", "📤 Sent: 1 of 3"]


async def test_a_correction_is_edited_in_every_chat_it_reached_within_48_hours(
    local_bot: LocalBot, clock: Clock
) -> None:
    ann, bob = await people(local_bot, 2)
    made = announce(local_bot, "Soup on Fridy.", confirm=True)
    await catch_up(local_bot)
    for person in (ann, bob):
        person.look()
    await bob.tap("✅ Understood")
    clock.advance(hours=1)
    db = database(local_bot)
    bot = local_bot.application.bot
    fixed = announcements.correct(db, made.id, "en", "Soup on Friday.", clock())
    assert await broadcast.edit_everywhere(bot, stored(local_bot, made), fixed) == 2
    for person in (ann, bob):
        [edit] = person.look()
        assert edit.kind == "edit" and edit.text == f"{HEADING}\n\nSoup on Friday."
    assert ann.inline_labels == ["✅ Understood", "🏠 Menu"]
    assert bob.inline_labels == ["🏠 Menu"]  # he said so already
    clock.advance(hours=48)
    assert (
        announcements.correct(db, made.id, "en", "Soup on Friday at 6.", clock()) == []
    )  # Telegram no longer allows it
    assert await broadcast.edit_everywhere(bot, stored(local_bot, made), []) == 0


async def test_a_withdrawn_announcement_is_deleted_everywhere_and_what_was_not_sent_is_dropped(
    local_bot: LocalBot, clock: Clock
) -> None:
    ann, bob = await people(local_bot, 2)
    made = announce(local_bot, "Party on Saturday.")
    later = announce(local_bot, "Party reminder.", send_at=clock() + timedelta(days=1))
    await catch_up(local_bot)
    clock.advance(hours=2)
    db = database(local_bot)
    gone = announcements.withdraw(db, made.id, clock())
    counted: list[int] = []

    async def done(count: int) -> None:
        counted.append(count)

    assert await broadcast.delete_everywhere(local_bot.application.bot, gone, done) == 2 and counted == [2]
    for person in (ann, bob):
        assert [event.kind for event in person.look()][-1] == "delete"
        assert not any("Party on Saturday." in m.get("text", "") for m in person.chat.messages.values())
    assert announcements.withdraw(db, later.id, clock()) == []
    clock.advance(days=1)
    assert await catch_up(local_bot) == 0  # the one planned for later never goes
    assert stored(local_bot, later).total == 0


@pytest.mark.parametrize("change", ["withdrawn", "corrected"])
async def test_a_message_on_its_way_when_it_is_withdrawn_or_corrected_is_made_right_after_it_arrives(
    local_bot: LocalBot, change: str
) -> None:
    everyone = await people(local_bot, 3)
    made = announce(local_bot, "Meeting Monday.")
    held = local_bot.emulator.hold("sendMessage")
    sending = asyncio.create_task(send_outbox_now(local_bot.application))
    await held.arrived.wait()  # the first member's message is on its way
    now = runtime_of(local_bot.application).clock()
    if change == "withdrawn":
        assert announcements.withdraw(database(local_bot), made.id, now) == []  # nothing had arrived yet
    else:
        assert announcements.correct(database(local_bot), made.id, "en", "Meeting Tuesday.", now) == []
    held.released.set()
    await sending
    await catch_up(local_bot)
    shown = [
        [m.get("text") or "" for m in local_bot.emulator.chat_for(person.user).messages.values()] for person in everyone
    ]
    assert not any("Meeting Monday." in text for texts in shown for text in texts)  # nowhere the old words
    if change == "corrected":
        assert all(any("Meeting Tuesday." in text for text in texts) for texts in shown)
