"""⏱️ With the time bank on, ticking a volunteer as came credits the shift's hours from the cooperative's
account: once per volunteer per shift, taken back by a correction when unticked (issue 14)."""

import asyncio
from datetime import timedelta

import pytest

from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import hours, members
from storage.hours import COOPERATIVE, Hours
from storage.members import Change
from tests.conftest import Clock
from tests.journeys import catch_up, database, english, member_id, signed_up
from tests.test_shifts import shift

THANKS = "🙏 Thank you for the shift Bar on Friday 27 November, 12:00–16:00. You get 4 hours in the time bank."
TAKEN_BACK = "✏️ An organiser took back the hours for the shift Bar on Friday 27 November, 12:00–16:00."


async def after_a_shift(local_bot: LocalBot, clock: Clock, *names: str) -> tuple[Person, int, list[Person]]:
    """Olga the organiser, and a 4-hour shift that took place with these members on it (Telegram ids 1, 2, …)."""
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    shift_id = shift(local_bot, starts_in=timedelta(hours=2), places=len(names))
    people = [await english(local_bot, name, number) for number, name in enumerate(names, start=1)]
    for person in people:
        await person.press(f"shift:take:{shift_id}")
    clock.advance(hours=7)
    await olga.press(f"shiftorg:card:{shift_id}")
    await olga.tap("✔️ Who came")
    return olga, shift_id, people


def moved(local_bot: LocalBot, shift_id: int) -> list[tuple[int, int | None]]:
    """(halves, corrects) of the shift's transfers, in order."""
    rows = database(local_bot).fetchall(
        "SELECT halves, corrects FROM hour_transfers WHERE shift_id = ? ORDER BY id", (shift_id,)
    )
    return [(row[0], row[1]) for row in rows]


async def told(local_bot: LocalBot, clock: Clock, person: Person) -> list[str]:
    """What the person heard about hours once the messages went out (they wait 10 minutes for a mis-tap)."""
    clock.advance(minutes=10)
    await catch_up(local_bot)
    return [event.text for event in person.look() if event.text.startswith(("🙏", "✏️"))]


async def test_a_tick_credits_the_shift_once_and_an_untick_takes_it_back(local_bot: LocalBot, clock: Clock) -> None:
    olga, shift_id, [ann] = await after_a_shift(local_bot, clock, "Ann")
    assert "Everyone you tick gets 4 hours in the time bank." in olga.last_text
    ann_id = await member_id(local_bot, ann)
    tick = f"shiftorg:mark:{shift_id}:{ann_id}:0:1"
    await olga.press(tick)
    await olga.press(tick)  # a double tap
    assert "✅ Ann (member 0002)" in olga.inline_labels
    db = database(local_bot)
    assert hours.balance(db, ann_id) == Hours(given=8, received=0)
    assert moved(local_bot, shift_id) == [(8, None)]
    assert await told(local_bot, clock, ann) == [THANKS]

    await olga.tap("✅ Ann (member 0002)")  # not there after all
    assert "⬜ Ann (member 0002)" in olga.inline_labels
    assert hours.balance(db, ann_id).balance == 0
    assert await told(local_bot, clock, ann) == [TAKEN_BACK + "\nIs this not right? Please ask an organiser."]

    await olga.tap("⬜ Ann (member 0002)")  # she was, after all
    assert hours.balance(db, ann_id).balance == 8
    [transfer] = hours.last_of_member(db, ann_id)
    assert (transfer.from_member_id, transfer.now, transfer.note) == (None, 8, "Bar")
    assert moved(local_bot, shift_id) == [(8, None), (-8, transfer.id), (8, transfer.id)]
    assert db.fetchone("SELECT received FROM hour_accounts WHERE id = ?", (COOPERATIVE,))[0] == 8
    assert db.fetchone("SELECT sum(given - received) FROM hour_accounts")[0] == 0
    assert db.fetchone("SELECT count(*) FROM audit_log WHERE action = 'correct_hours'")[0] == 2
    assert await told(local_bot, clock, ann) == [THANKS]
    await ann.tap("⏱️ My hours")
    assert "➕ 4 hours: from the cooperative\n💬 Bar" in ann.last_text


async def test_ticks_undone_before_the_message_went_out_send_one_message_or_none(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga, shift_id, [ann, bob] = await after_a_shift(local_bot, clock, "Ann", "Bob")
    for label in ("⬜ Ann (member 0002)", "✅ Ann (member 0002)", "⬜ Ann (member 0002)"):
        await olga.tap(label)
    for label in ("⬜ Bob (member 0003)", "✅ Bob (member 0003)"):
        await olga.tap(label)
    assert await told(local_bot, clock, ann) == [THANKS]
    assert await told(local_bot, clock, bob) == []
    db = database(local_bot)
    assert hours.balance(db, await member_id(local_bot, bob)).balance == 0
    assert hours.balance(db, await member_id(local_bot, ann)).balance == 8


async def test_two_organisers_ticking_at_the_same_moment_credit_once(local_bot: LocalBot, clock: Clock) -> None:
    olga, shift_id, [ann] = await after_a_shift(local_bot, clock, "Ann")
    oscar = await signed_up(local_bot, "Oscar", user_id=901, language="English")
    olga_id, oscar_id = await member_id(local_bot, olga), await member_id(local_bot, oscar)
    assert members.set_organiser(database(local_bot), oscar_id, True, actor_id=olga_id, now=clock()) == Change.DONE
    tick = f"shiftorg:mark:{shift_id}:{await member_id(local_bot, ann)}:0:1"
    await asyncio.gather(olga.press(tick), oscar.press(tick))
    assert moved(local_bot, shift_id) == [(8, None)]
    assert await told(local_bot, clock, ann) == [THANKS]


async def test_a_deleted_member_is_ticked_but_gets_no_hours(local_bot: LocalBot, clock: Clock) -> None:
    olga, shift_id, [ann, bob] = await after_a_shift(local_bot, clock, "Ann", "Bob")
    db = database(local_bot)
    await olga.tap("⬜ Bob (member 0003)")
    for person in (ann, bob):
        member = members.get(db, await member_id(local_bot, person))
        assert member is not None
        assert members.delete_account(db, member, clock()) == Change.DONE
    await olga.press(f"shiftorg:who:{shift_id}:0")
    await olga.tap("⬜ deleted account (member 0002)")  # Ann, who left before the tick
    assert db.fetchone("SELECT count(*) FROM shift_volunteers WHERE shift_id = ? AND attended = 1", (shift_id,))[0] == 2
    assert moved(local_bot, shift_id) == [(8, None)]  # Bob's hours stay on his anonymous row
    assert db.fetchone("SELECT note FROM hour_transfers WHERE shift_id = ?", (shift_id,))[0] is None
    await olga.tap("✅ deleted account (member 0003)")  # his hours can still be taken back
    assert db.fetchone("SELECT sum(halves) FROM hour_transfers WHERE shift_id = ?", (shift_id,))[0] == 0
    assert db.fetchone("SELECT sum(given - received) FROM hour_accounts")[0] == 0


@pytest.mark.settings(WIJKBOT_TIMEBANK="off")
async def test_with_the_time_bank_off_a_tick_moves_no_hours(local_bot: LocalBot, clock: Clock) -> None:
    olga, shift_id, [ann] = await after_a_shift(local_bot, clock, "Ann")
    assert "time bank" not in olga.last_text
    await olga.tap("⬜ Ann (member 0002)")
    assert "✅ Ann (member 0002)" in olga.inline_labels
    assert moved(local_bot, shift_id) == []
    assert await told(local_bot, clock, ann) == []


async def test_forged_ticks_change_nothing(local_bot: LocalBot, clock: Clock) -> None:
    olga, shift_id, [ann] = await after_a_shift(local_bot, clock, "Ann")
    bob = await english(local_bot, "Bob", 2)
    ann_id, bob_id = await member_id(local_bot, ann), await member_id(local_bot, bob)
    await ann.press(f"shiftorg:mark:{shift_id}:{ann_id}:0:1")  # not an organiser
    assert ann.toasts == ["Only organisers can do this."]
    await olga.press(f"shiftorg:mark:{shift_id}:{bob_id}:0:1")  # not on the shift
    assert olga.toasts == ["This button no longer works."]
    await olga.press(f"shiftorg:mark:{shift_id}:{ann_id}:0:2")  # neither tick nor untick
    assert olga.toasts == ["This button no longer works."]
    later = shift(local_bot, starts_in=timedelta(days=2))
    await ann.press(f"shift:take:{later}")
    await olga.press(f"shiftorg:mark:{later}:{ann_id}:0:1")  # it has not taken place
    assert olga.toasts == ["This button no longer works."]
    assert database(local_bot).fetchone("SELECT count(*) FROM hour_transfers")[0] == 0
