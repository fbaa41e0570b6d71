"""🗳️ Votes as members use them: read, vote with one tap, change it, vote as a proxy, hear the result."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.config import Settings
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.server import TelegramEmulator
from storage import votes
from storage.votes import PlannedOption, Vote
from tests.conftest import Clock, running_bot
from tests.journeys import catch_up, database, english, open_vote, stored
from tests.test_my_details import downloaded, section

BUDGET = (
    PlannedOption("Benches", 400_00, "The council helps <b>us</b>."),
    PlannedOption("Playground", 800_00),
    PlannedOption("Flower boxes", 150_00),
)


def option_id(vote: Vote, label: str) -> int:
    return next(o.id for o in vote.options if o.label == label)


async def to_the_card(person: Person, vote: Vote) -> None:
    await person.tap("🗳️ Votes")
    await person.tap(next(label for label in person.inline_labels if vote.title[:20] in label))


async def test_a_member_hears_of_a_vote_votes_with_one_tap_changes_it_and_gets_the_result(
    local_bot: LocalBot, clock: Clock
) -> None:
    ann = await english(local_bot, "Ann", 1)
    olga = await english(local_bot, "Olga", 900)
    assert "🗳️ Votes" not in ann.keyboard  # no vote open: no button
    vote = await open_vote(local_bot, "New benches on the square")
    await catch_up(local_bot)
    ann.look()
    assert "🗳️ New vote: New benches on the square" in ann.last_text
    assert "3 days left, until Monday 30 November, 10:00" in ann.last_text
    assert "🗳️ Votes" in ann.keyboard

    await to_the_card(ann, vote)
    assert ann.inline_labels[:3] == ["✅ For", "❌ Against", "⚪ Abstain"]
    assert "Tap your choice." in ann.last_text
    await ann.tap("✅ For")
    assert ann.toasts == ["Your vote: ✅ For."]
    assert "Your vote: ✅ For. You can change this until Monday 30 November, 10:00." in ann.last_text
    assert ann.inline_labels[0] == "👉 ✅ For"
    await ann.tap("👉 ✅ For")  # a double tap
    assert ann.toasts == ["Your vote: ✅ For."]
    await ann.tap("❌ Against")
    assert "Your vote: ❌ Against." in ann.last_text
    card_before_close = ann.last_message

    clock.now = vote.closes_at + timedelta(minutes=1)
    await catch_up(local_bot)
    for person in (ann, olga):
        person.look()
        assert person.last_text.startswith("🗳️ New benches on the square\n\n📊 Result\nVoted: 1 of 2 (50%)")
        assert "❌ Not adopted." in person.last_text
        assert person.inline_labels == ["🗳️ Show the vote", "🏠 Menu"]
    await olga.tap("🏠 Menu")
    assert "🗳️ Votes" not in olga.keyboard  # nothing open any more
    await ann.tap_on(card_before_close, "✅ For")
    assert ann.toasts == ["This vote is closed."]
    assert "Closed on" in ann.last_text
    closed = votes.get(database(local_bot), vote.id)
    assert closed is not None and {o.label: o.votes for o in closed.options}["against"] == 1


async def test_someone_who_joined_after_the_vote_opened_sees_why_they_cannot_vote(local_bot: LocalBot) -> None:
    await english(local_bot, "Ann", 1)
    vote = await open_vote(local_bot)
    late = await english(local_bot, "Lateef", 2)
    await to_the_card(late, vote)
    assert "You cannot vote on this. Only members who were members when it opened" in late.last_text
    assert "✅ For" not in late.inline_labels
    await late.press(f"vote:pick:{vote.id}:{option_id(vote, 'for')}")
    assert late.toasts == ["You cannot vote on this vote."]
    assert votes.get(database(local_bot), vote.id).voted == 0


async def test_forged_and_stale_vote_buttons_change_nothing(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    vote = await open_vote(local_bot)
    other = await open_vote(local_bot, "Another vote", kind="choice", options=(PlannedOption("A"), PlannedOption("B")))
    await ann.press(f"vote:pick:{vote.id}:{option_id(other, 'A')}")  # an option of another vote
    assert ann.toasts == ["This button no longer works."]
    await ann.press("vote:card:99999")
    assert ann.toasts == ["This button no longer works."]
    await ann.press(f"vote:tick:{vote.id}:{option_id(vote, 'for')}")  # not a budget
    assert ann.toasts == ["This button no longer works."]
    await ann.press(f"vote:pick:{vote.id}:abc")
    assert ann.toasts == ["This button no longer works."]
    assert votes.get(database(local_bot), vote.id).voted == 0
    visitor = local_bot.person("Vera", user_id=3, language_code="en")
    await visitor.send("/start")
    await visitor.press(f"vote:pick:{vote.id}:{option_id(vote, 'for')}")
    assert votes.get(database(local_bot), vote.id).voted == 0


async def test_a_budget_is_ticked_within_the_limit_and_shows_what_is_left(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    vote = await open_vote(local_bot, "Neighbourhood budget 2027", kind="budget", options=BUDGET, budget_cents=1000_00)
    await catch_up(local_bot)  # the news of the vote brings 🗳️ Votes into the menu
    await to_the_card(ann, vote)
    assert "💶 Budget: €1,000.00. Choose projects up to that amount." in ann.last_text
    # the organisers' note on whether it can be done, shown as they wrote it
    assert "ℹ️ Benches: The council helps <b>us</b>." in ann.last_text
    await ann.tap("⬜ Playground · €800.00")
    assert "Chosen: €800.00. Left: €200.00." in ann.last_text
    await ann.tap("⬜ Benches · €400.00")
    assert ann.toasts == ["That does not fit. You have €200.00 left. Take something off first."]
    await ann.tap("⬜ Flower boxes · €150.00")
    assert "Your choice: Playground · €800.00 and Flower boxes · €150.00." in ann.last_text
    await ann.tap("☑️ Playground · €800.00")
    assert ann.toasts == ["Taken off."]
    assert "Left: €850.00." in ann.last_text


async def test_a_proxy_votes_for_the_giver_who_can_still_vote_herself(local_bot: LocalBot, clock: Clock) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    vote = await open_vote(local_bot, "New benches on the square")
    db = database(local_bot)
    ann_id, bob_id = (await stored(local_bot, ann)).id, (await stored(local_bot, bob)).id
    _, proxy = votes.give_proxy(db, vote.id, ann_id, bob_id, None, clock.now, max_proxies=1)
    assert proxy is not None
    votes.answer_proxy(db, proxy.id, bob_id, True, clock.now, max_proxies=1)
    await catch_up(local_bot)
    ann.look()

    await to_the_card(bob, vote)
    assert "🤝 You vote for Ann too." in bob.last_text
    await bob.tap("✅ For")  # his own vote
    await bob.tap("🤝 Vote for Ann")
    await bob.tap("❌ Against")
    assert "Your vote for Ann: ❌ Against." in bob.last_text
    await catch_up(local_bot)
    ann.look()
    assert ann.last_text.startswith("🤝 Bob voted for you on: New benches")
    assert "Against" not in ann.last_text  # the message never says what was chosen

    await to_the_card(ann, vote)
    assert "Your proxy voted for you: ❌ Against." in ann.last_text
    await ann.tap("✅ For")
    assert ann.toasts == ["Your vote: ✅ For. Your own vote counts now, not the vote of Bob."]
    await catch_up(local_bot)
    bob.look()
    assert bob.last_text.startswith("Ann voted on: New benches")
    counted = votes.get(db, vote.id)
    assert counted is not None and {o.label: o.votes for o in counted.options} == {"for": 2, "against": 0, "abstain": 0}


async def test_one_automatic_reminder_a_day_before_the_deadline_only_to_who_has_not_voted(
    local_bot: LocalBot, clock: Clock
) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    cas = await english(local_bot, "Cas", 3)
    await cas.tap("👤 My details")
    await cas.tap(next(label for label in cas.inline_labels if "ause" in label))  # pause messages
    vote = await open_vote(local_bot, "New benches on the square")
    await catch_up(local_bot)
    for person in (ann, bob, cas):
        person.look()
    await to_the_card(ann, vote)
    await ann.tap("✅ For")
    clock.now = vote.closes_at - timedelta(hours=24)
    await catch_up(local_bot)
    assert ann.look() == []
    bob.look()
    assert bob.last_text.startswith("⏰ You have not voted yet on: New benches")
    assert bob.inline_labels == ["🗳️ Vote now", "🏠 Menu"]
    cas.look()
    assert cas.last_text.startswith("⏰ You have not voted yet")  # paused: still the one reminder
    await bob.tap("🗳️ Vote now")
    assert bob.inline_labels[0] == "✅ For"


async def test_the_result_waits_for_the_morning_and_a_night_reminder_too(local_bot: LocalBot, clock: Clock) -> None:
    ann = await english(local_bot, "Ann", 1)
    # Friday 10:00 now; closes Saturday 22:00, so the reminder is due Friday 22:00: night.
    vote = await open_vote(local_bot, closes_in=timedelta(hours=36))
    await catch_up(local_bot)
    ann.look()
    clock.now = vote.closes_at - timedelta(hours=24)
    await catch_up(local_bot)
    assert ann.look() == []
    clock.now = clock.now.replace(hour=7, minute=0) + timedelta(days=1)  # 08:00 in Amsterdam
    await catch_up(local_bot)
    ann.look()
    assert ann.last_text.startswith("⏰ You have not voted yet")


async def test_members_voting_at_the_same_moment_are_all_counted(local_bot: LocalBot) -> None:
    people = [await english(local_bot, f"Lid{i}", 100 + i) for i in range(12)]
    vote = await open_vote(local_bot)
    choice = option_id(vote, "for")
    await asyncio.gather(*(p.press(f"vote:pick:{vote.id}:{choice}") for p in people))
    await asyncio.gather(*(p.press(f"vote:pick:{vote.id}:{choice}") for p in people))  # and all tap twice
    counted = votes.get(database(local_bot), vote.id)
    assert counted is not None and counted.voted == 12
    assert {o.label: o.votes for o in counted.options}["for"] == 12


async def test_a_vote_that_closed_while_the_bot_was_down_closes_once_and_sends_one_result(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = await english(local_bot, "Ann", 1)
        vote = await open_vote(local_bot, secret=True)
        await ann.press(f"vote:pick:{vote.id}:{option_id(vote, 'for')}")
        await catch_up(local_bot)
    clock.now = vote.closes_at + timedelta(hours=3)
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = local_bot.person("Ann", user_id=1)
        await catch_up(local_bot)
        await catch_up(local_bot)
        ann.look()
        results = [text for text in ann.texts if "📊 Result" in text]
        assert len(results) == 1
        assert "✅ Adopted." in results[0]
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = local_bot.person("Ann", user_id=1)
        await catch_up(local_bot)
        assert ann.look() == []
        await ann.press(f"vote:card:{vote.id}")
        assert "✅ Your vote counted." in ann.last_text
        assert "Your vote: " not in ann.last_text  # a secret vote no longer knows what it was


@pytest.mark.settings(WIJKBOT_QUORUM="50")
async def test_too_few_voters_decide_nothing(local_bot: LocalBot, clock: Clock) -> None:
    ann = await english(local_bot, "Ann", 1)
    for i in range(3):
        await english(local_bot, f"Lid{i}", 10 + i)
    vote = await open_vote(local_bot, quorum_percent=50)
    await ann.press(f"vote:pick:{vote.id}:{option_id(vote, 'for')}")
    clock.now = vote.closes_at
    await catch_up(local_bot)
    ann.look()
    assert "Quorum: 2 votes, not reached." in ann.last_text
    assert "Too few members voted (2 were needed). Nothing is decided." in ann.last_text


async def test_the_data_download_has_my_votes_but_never_a_secret_choice(local_bot: LocalBot, clock: Clock) -> None:
    ann = await english(local_bot, "Ann", 1)
    open_one = await open_vote(local_bot, "Open question")
    secret_one = await open_vote(local_bot, "Secret question", secret=True)
    await ann.press(f"vote:pick:{open_one.id}:{option_id(open_one, 'for')}")
    await ann.press(f"vote:pick:{secret_one.id}:{option_id(secret_one, 'against')}")
    await ann.tap("👤 My details")
    await ann.tap("📦 Download")
    _, text, data = downloaded(local_bot, ann)
    assert section(text, "Your votes") == [
        "• Monday 30 November, 10:00 · Open question · you voted: For",
        "• Monday 30 November, 10:00 · Secret question · you voted (secret: nobody can see what)",
    ]
    assert [(v["vote"], v["your_choice"]) for v in data["votes"]] == [
        ("Open question", ["for"]),
        ("Secret question", []),
    ]
