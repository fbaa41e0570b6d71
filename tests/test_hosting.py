"""🙌 Take part → 💡 Propose an activity: a member hosts an activity, organisers publish, ask or decline."""

import asyncio
from datetime import UTC, datetime, timedelta

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import activities, hosting, members, rooms
from tests.conftest import Clock
from tests.journeys import catch_up, database, english, member_id
from tests.test_activity_planning import answer
from tests.test_rooms import a_room, asked

SATURDAY_14 = datetime(2026, 11, 28, 13, 0, tzinfo=UTC)  # Saturday 28 November, 14:00 in Amsterdam
KNITTING = ["Knitting club", "We knit together. Wool is there.", "28-11", "14:00", "16:00"]
REST = ["12", "🆓 Free", "⏭️ Nothing"]


async def organiser(local_bot: LocalBot) -> Person:
    return await english(local_bot, "Olga", 900)


async def proposing(person: Person) -> None:
    """🙌 Take part → 💡 Propose an activity → 💡 New proposal."""
    await person.send("/menu")
    await person.tap("🙌 Take part")
    await person.tap("💡 Propose an activity")
    await person.tap("💡 New proposal")


async def proposed(person: Person, place: str = "🚪 Small room") -> None:
    """A member's proposal, sent: Saturday 14:00–16:00 in the place."""
    await proposing(person)
    await answer(person, [*KNITTING, place, *REST])
    await person.tap("✅ Send to the organisers")
    assert person.last_text.startswith("✅ Sent: Knitting club.")


def the_proposal(local_bot: LocalBot) -> hosting.Proposal:
    [proposal] = hosting.waiting_page(database(local_bot), 0).items
    return proposal


def published(local_bot: LocalBot, clock: Clock) -> activities.Activity:
    [activity] = activities.upcoming(database(local_bot), clock(), 0).items
    return activity


async def test_a_member_proposes_an_organiser_publishes_members_come_and_the_host_ticks_who_came(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    room = a_room(local_bot, name="Small room", notice_hours=0)
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    await proposing(ann)
    await answer(ann, [*KNITTING, "🚪 Small room", *REST])
    assert "👤 Host: Ann" in ann.last_text and "📍 Small room" in ann.last_text
    assert ann.inline_labels[:3] == ["✅ Send to the organisers", "✏️ Change", "✖️ Stop"]
    assert "🔁 Repeat weekly" not in ann.inline_labels
    await ann.tap("✅ Send to the organisers")

    olga.look()
    assert olga.last_text.startswith("💡 Ann wants to host an activity:")
    await olga.tap("✅ Publish")
    assert olga.last_text.startswith("✅ Published: Knitting club.")
    activity = published(local_bot, clock)
    assert (activity.host_id, activity.room_id) == (await member_id(local_bot, ann), room.id)
    assert (activity.starts_at, activity.ends_at) in rooms.busy(
        database(local_bot), room.id, SATURDAY_14.date(), runtime_of(local_bot.application).settings.timezone
    )
    ann.look()
    assert ann.last_text.startswith("🎉 Your activity “Knitting club” is published. You are the host.")

    await piet.press(f"act:card:{activity.id}")
    assert "👤 Host: Ann" in piet.last_text
    await piet.tap("✅ I'm coming")

    await ann.tap("👤 Show")
    assert "✏️ Change" not in ann.inline_labels and "🚫 Cancel" not in ann.inline_labels  # organisers do that
    await ann.tap("👥 Who comes")
    assert "• Piet" in ann.last_text
    await ann.tap("⬅️ Back")
    assert "You are the host." in ann.last_text

    clock.advance(days=1, hours=4, minutes=30)  # Saturday 14:30: it has started
    await ann.press(f"host:act:{activity.id}")
    await ann.tap("✔️ Who was there")
    await ann.tap(next(label for label in ann.inline_labels if label.startswith("⬜ Piet")))
    assert any(label.startswith("☑️ Piet") for label in ann.inline_labels)
    assert activities.present_count(database(local_bot), activity.id) == 1


async def test_the_host_of_another_activity_is_refused_and_changes_nothing(local_bot: LocalBot, clock: Clock) -> None:
    await organiser(local_bot)
    ann, bert, piet = [await english(local_bot, name, n) for n, name in enumerate(("Ann", "Bert", "Piet"), 1)]
    await proposed(ann, "📍 Buurthuis")
    hosting.publish(database(local_bot), the_proposal(local_bot).id, organiser_id=1, now=clock())
    activity = published(local_bot, clock)
    await piet.press(f"act:card:{activity.id}")
    await piet.tap("✅ I'm coming")
    clock.advance(days=1, hours=5)

    piet_id = await member_id(local_bot, piet)
    for forged in (f"host:act:{activity.id}", f"org:who:{activity.id}", f"org:attend:{activity.id}:0"):
        await bert.press(forged)
        assert bert.toasts == ["This button no longer works."] and not any("Piet" in text for text in bert.texts)
    await bert.press(f"org:mark:{activity.id}:{piet_id}:0:1")
    assert activities.present_count(database(local_bot), activity.id) == 0


async def test_a_time_the_room_is_not_free_is_refused(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    room = a_room(local_bot, name="Small room", notice_hours=0, buffer_minutes=30)
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    booking = asked(local_bot, room, await member_id(local_bot, piet), SATURDAY_14 - timedelta(hours=3))
    rooms.confirm(database(local_bot), booking.id, await member_id(local_bot, olga), clock())  # 11:00-13:00

    await proposing(ann)
    await answer(ann, [*KNITTING[:3], "13:00", "15:00"])  # the cleaning after the booking lasts until 13:30
    assert "🚪 Small room" not in ann.inline_labels  # only rooms free then are offered
    await ann.press(f"plan:room:{room.id}")  # an old or forged button
    assert ann.last_text.startswith("This room is not free at that time.")

    await ann.tap("⬅️ Back")
    await ann.send("16:00")  # the end again
    await ann.tap("⬅️ Back")
    await ann.tap("⬅️ Back")
    await ann.send("14:00")  # a later start
    await ann.send("16:00")
    await answer(ann, ["🚪 Small room", *REST])
    await ann.tap("✏️ Change")
    await ann.tap("Start")
    await ann.send("12:30")
    assert ann.last_text.startswith("This room is not free at that time.")
    await ann.send("13:30")
    assert "13:30–16:00" in ann.last_text
    await ann.tap("✅ Send to the organisers")

    rooms.confirm(  # the room is booked at 16:30 before an organiser publishes
        database(local_bot),
        asked(local_bot, room, await member_id(local_bot, piet), SATURDAY_14 + timedelta(hours=2.5), 0.5).id,
        await member_id(local_bot, olga),
        clock(),
    )
    proposal = the_proposal(local_bot)
    hosting.ask(database(local_bot), proposal.id, "Can it end at 17:00?", organiser_id=1, now=clock())
    await catch_up(local_bot)
    ann.look()
    await ann.tap("✏️ Change and send again")
    await ann.tap("✏️ Change")
    await ann.tap("End")
    await ann.send("17:00")
    assert ann.last_text.startswith("This room is not free at that time.")


async def test_publishing_when_the_room_was_taken_meanwhile_publishes_nothing(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    room = a_room(local_bot, name="Small room", notice_hours=0)
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    await proposed(ann)
    booking = asked(local_bot, room, await member_id(local_bot, piet), SATURDAY_14)
    rooms.confirm(database(local_bot), booking.id, await member_id(local_bot, olga), clock())

    olga.look()
    await olga.tap("✅ Publish")
    assert olga.last_text.startswith("⚠️ The room is in use at that time. Nothing was published.")
    assert activities.upcoming(database(local_bot), clock(), 0).items == []
    assert "❌ Decline" in olga.inline_labels


async def test_an_organiser_asks_a_question_and_the_member_changes_and_sends_again(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    a_room(local_bot, name="Small room", notice_hours=0)
    ann = await english(local_bot, "Ann", 1)
    await proposed(ann)
    olga.look()
    first_card = olga.last_message  # the round before the question
    await olga.tap("❓ Ask a question")
    await olga.send("Can it start at 15:00? The room is cold before.")
    assert olga.last_text.startswith("This is the message Ann will get:")
    the_proposal_id = the_proposal(local_bot).id
    await olga.tap("✅ Yes, send")
    assert hosting.get(database(local_bot), the_proposal_id).status == hosting.ASKED

    ann.look()
    assert "Can it start at 15:00? The room is cold before." in ann.last_text
    await ann.tap("✏️ Change and send again")
    assert "👤 Host: Ann" in ann.last_text
    await ann.tap("✏️ Change")
    await ann.tap("Start")
    await ann.send("15:00")
    await ann.tap("✅ Send to the organisers")
    again = hosting.get(database(local_bot), the_proposal_id)
    assert again is not None and again.status == hosting.PENDING and again.answer is None
    assert again.plan.starts_at == SATURDAY_14 + timedelta(hours=1)

    olga.look()
    assert olga.last_text.startswith("💡 Ann wants to host an activity:") and "15:00" in olga.last_text
    await olga.tap_on(first_card, "✅ Publish")  # the card of the first version publishes nothing
    assert olga.last_text.startswith("The member changed it since. Please read it again.")
    assert hosting.get(database(local_bot), the_proposal_id).status == hosting.PENDING
    await ann.press(f"host:again:{the_proposal_id}")  # no question waits any more: nothing to change
    assert hosting.get(database(local_bot), the_proposal_id).status == hosting.PENDING


async def test_an_organiser_declines_with_a_reason_and_an_old_card_changes_nothing(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    await proposed(ann, "📍 Buurthuis")
    olga.look()
    card = olga.last_message
    await olga.tap("❌ Decline")
    await olga.tap("We already have an activity like this.")
    assert olga.last_text.startswith("This is the message Ann will get:")
    await olga.tap("✅ Yes, send")
    ann.look()
    assert ann.last_text == (
        "Your activity “Knitting club” is not published. The reason:\nWe already have an activity like this."
    )
    await ann.tap("📋 My proposals")
    assert "✖️ Not published: We already have an activity like this." in ann.last_text

    await olga.tap_on(card, "✅ Publish")
    assert "An organiser already answered this proposal. Nothing was changed." in olga.last_text
    assert activities.upcoming(database(local_bot), clock(), 0).items == []


async def test_two_organisers_deciding_at_once_one_decision_counts(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    bert = await english(local_bot, "Bert", 3)
    members.set_organiser(database(local_bot), await member_id(local_bot, bert), True, actor_id=1, now=clock())
    ann = await english(local_bot, "Ann", 1)
    await proposed(ann, "📍 Buurthuis")
    proposal = the_proposal(local_bot)
    await bert.press(f"hostorg:decline:{proposal.id}")
    await bert.send("Not this month, sorry.")

    await asyncio.gather(olga.press(f"hostorg:publish:{proposal.id}:{proposal.round}"), bert.tap("✅ Yes, send"))

    decided = hosting.get(database(local_bot), proposal.id)
    assert decided is not None
    published_now = activities.upcoming(database(local_bot), clock(), 0).items
    if decided.status == hosting.APPROVED:
        assert len(published_now) == 1 and "already answered" in bert.last_text
        assert "✅ Already published, with the member as host." in bert.last_text  # not "You are the host"
    else:
        assert decided.status == hosting.DECLINED and published_now == []
        assert "already answered" in olga.last_text

    await asyncio.gather(
        olga.press(f"hostorg:publish:{proposal.id}:{proposal.round}"),
        bert.press(f"hostorg:publish:{proposal.id}:{proposal.round}"),
    )
    assert len(activities.upcoming(database(local_bot), clock(), 0).items) == len(published_now)


async def test_a_deleted_host_is_a_member_and_their_open_proposals_are_withdrawn(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    ann, piet = await english(local_bot, "Ann", 1), await english(local_bot, "Piet", 2)
    await proposed(ann, "📍 Buurthuis")
    hosting.publish(database(local_bot), the_proposal(local_bot).id, organiser_id=1, now=clock())
    activity = published(local_bot, clock)
    await proposed(ann, "📍 Buurthuis")  # a second one, still waiting
    olga.look()
    card = olga.last_message

    ann_member = members.get(database(local_bot), await member_id(local_bot, ann))
    assert ann_member is not None
    members.delete_account(database(local_bot), ann_member, clock())

    await piet.press(f"act:card:{activity.id}")
    assert "👤 Host: a member" in piet.last_text and "Ann" not in piet.last_text
    assert hosting.waiting_page(database(local_bot), 0).items == []
    await olga.tap_on(card, "✅ Publish")
    assert olga.last_text.startswith("This proposal no longer exists.")
    assert len(activities.upcoming(database(local_bot), clock(), 0).items) == 1
    await catch_up(local_bot)  # organisers hear that nobody runs the activity now
    told = [event.text for event in olga.chat.events if "left the cooperative. Nobody runs it now." in event.text]
    assert len(told) == 1 and "Knitting club" in told[0]


async def test_a_proposal_sent_at_night_reaches_the_organisers_in_the_morning(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    clock.advance(hours=13)  # Friday 23:00
    await proposing(ann)
    await answer(ann, ["Knitting club", "We knit together.", "28-11", "14:00", "16:00", "📍 Buurthuis", *REST])
    await ann.tap("✅ Send to the organisers")
    olga.look()
    assert not any(text.startswith("💡 Ann wants") for text in olga.texts)
    clock.advance(hours=9)  # Saturday 08:00
    await catch_up(local_bot)
    olga.look()
    assert olga.last_text.startswith("💡 Ann wants to host an activity:")
