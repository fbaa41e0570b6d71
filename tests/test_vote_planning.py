"""📣 Organise → 🗳️ Votes → ➕ New vote: step by step, checked, previewed as members see it, then opened."""

from datetime import UTC, datetime

import pytest

from bot.config import Settings
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.server import TelegramEmulator
from storage import proposals, votes
from storage.votes import Vote
from tests.conftest import Clock, running_bot
from tests.journeys import catch_up, database, signed_up, stored

FOR_AGAINST = [
    "✅ For / against",
    "New benches on the square",
    "Shall we put three benches on the square?\nThey cost 1200 euros.",
    "▶️ Now",
    "Fri 4 Dec",
    "20:00",
    "25%",
    "Two thirds",
    "🔒 Secret",
    "🙈 Hidden until the close",
]
STOPPED = "Stopped. No vote was opened."
NEW_VOTE = "🗳️ New vote: {title}"


async def organiser_and_members(local_bot: LocalBot) -> tuple[Person, Person, Person]:
    """Olga organises; Ann and Bob are members, so all three may vote."""
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    bob = await signed_up(local_bot, "Bob", user_id=2, language="English")
    return olga, ann, bob


async def answer(person: Person, answers: list[str]) -> None:
    """Tap what is a button on the screen, type the rest."""
    for said in answers:
        if said in person.inline_labels:
            await person.tap(said)
        else:
            await person.send(said)


async def planned(olga: Person, answers: list[str]) -> None:
    await olga.press("vplan:new")
    await answer(olga, answers)


def stored_votes(local_bot: LocalBot) -> list[Vote | None]:
    """Every vote not closed, with its options."""
    db = database(local_bot)
    return [votes.get(db, vote.id) for vote in votes.running_page(db, 0).items]


def told(person: Person, start: str) -> bool:
    """Did the person get a message that starts like this (since their last action)?"""
    person.look()
    return any(said.startswith(start) for said in person.texts)


async def test_a_for_against_vote_is_previewed_and_opened_now(local_bot: LocalBot) -> None:
    olga, ann, bob = await organiser_and_members(local_bot)
    await olga.press("vplan:new")
    assert olga.inline_labels == [
        "✅ For / against",
        "🔢 One choice",
        "💶 Neighbourhood budget",
        "⬅️ Back",
        "🏠 Menu",
        "❓ Explain",
    ]
    await answer(olga, FOR_AGAINST[:4])
    assert olga.last_text.startswith("On which day does the vote close?")
    assert olga.inline_labels[:8] == [
        "Sat 28 Nov",
        "Sun 29 Nov",
        "Mon 30 Nov",
        "Tue 1 Dec",
        "Wed 2 Dec",
        "Thu 3 Dec",
        "Fri 4 Dec",
        "📆 Another day",
    ]
    await answer(olga, FOR_AGAINST[4:6])
    assert olga.inline_labels == ["⭐ No quorum (usual)", "10%", "25%", "50%", "⬅️ Back", "🏠 Menu", "❓ Explain"]
    await answer(olga, FOR_AGAINST[6:])
    assert olga.last_text.splitlines() == [
        "This is how members will see it:",
        "",
        "🗳️ New benches on the square",
        "7 days left, until Friday 4 December, 20:00",
        "",
        "Shall we put three benches on the square?",
        "They cost 1200 euros.",
        "",
        "🔒 Secret vote: nobody sees what you chose.",
        "Adopted with two thirds of the votes for and against.",
        "At least 25% of the members must vote.",
        "",
        "• ✅ For",
        "• ❌ Against",
        "• ⚪ Abstain",
        "",
        "▶️ Opens: now, when you tap ✅.",
        "⏹️ Closes: Friday 4 December, 20:00",
        "📏 Quorum: 25% of the voters.",
        "👥 Who may vote: all members who are active when it opens: 3 now.",
        "",
        "⚠️ Once the vote is open, nothing can be changed.",
        "A secret vote cannot become open later.",
        "Hidden results cannot be shown before the close.",
    ]
    assert olga.inline_labels == ["✅ Open it", "✏️ Change", "✖️ Stop", "⬅️ Back", "🏠 Menu", "❓ Explain"]
    assert stored_votes(local_bot) == []
    preview = olga.last_message

    await olga.tap("✅ Open it")
    assert olga.texts[0] == "✅ The vote is open: New benches on the square\n3 members can vote and get a message."
    confirmation = olga.chat.messages[preview["message_id"]]  # her own notice came after it
    assert [b["callback_data"] for b in confirmation["reply_markup"]["inline_keyboard"][-1]] == [
        "vorg:menu",
        "nav:menu",
    ]
    await catch_up(local_bot)
    for member in (ann, bob):
        assert told(member, NEW_VOTE.format(title="New benches on the square"))
    [vote] = stored_votes(local_bot)
    assert (vote.kind, vote.secret, vote.live_results, vote.quorum_percent, vote.majority) == (
        "for_against",
        True,
        False,
        25,
        "two_thirds",
    )
    assert [option.label for option in vote.options] == ["for", "against", "abstain"]
    assert vote.opened_at is not None and vote.eligible == 3
    assert vote.closes_at == datetime(2026, 12, 4, 19, 0, tzinfo=UTC)
    assert vote.created_by == (await stored(local_bot, olga)).id

    await olga.tap_on(preview, "✅ Open it")  # a double tap on the old preview
    assert olga.toasts == ["This button no longer works."]
    assert len(stored_votes(local_bot)) == 1


async def test_one_choice_checks_its_options_and_opens_at_its_time(local_bot: LocalBot, clock: Clock) -> None:
    olga, ann, _ = await organiser_and_members(local_bot)
    await planned(olga, ["🔢 One choice", "Where shall the summer trip go?", "Choose one. The bus is paid."])
    assert olga.last_text.startswith("Type an option, one at a time.")
    await olga.send("Park")
    assert olga.inline_labels == [
        "↩️ Remove the last one",
        "⬅️ Back",
        "🏠 Menu",
        "❓ Explain",
    ]  # no ✔️ Done with one option
    await olga.press("vplan:done")  # forged: one option is not enough
    assert olga.last_text.startswith("Please add at least 2 options.\n\n🔢 Options so far:\n1. Park\n\n")
    await olga.send("  park ")
    assert olga.last_text.startswith("“park” is already on the list. Please type another one.")
    await olga.send("z" * 61)
    assert olga.last_text.startswith("This is too long. Write it in at most 60 characters.")
    await answer(olga, ["Zoo <Emmen>", "البحر 🏖️", "Museum", "Cinema", "Library"])
    assert "✔️ Done" in olga.inline_labels
    await olga.send("Pool")
    assert olga.last_text.startswith("There can be at most 6 options. Tap ✔️ Done, or remove the last one.")
    await olga.tap("↩️ Remove the last one")
    assert "5. Cinema" in olga.last_text and "Library" not in olga.last_text
    await olga.tap("✔️ Done")
    assert olga.last_text.startswith("When does the vote open?")

    await answer(olga, ["Mon 30 Nov", "09:00"])
    assert olga.inline_labels[0] == "Tue 1 Dec"  # the deadline comes after the opening day
    await answer(olga, ["Fri 4 Dec", "20:00", "30%", "👁️ Open (organisers see who voted what)"])
    await olga.tap("📊 Visible during the vote")
    assert "• Zoo <Emmen>" in olga.last_text and "• البحر 🏖️" in olga.last_text
    assert "▶️ Opens: Monday 30 November, 09:00" in olga.last_text
    assert "👁️ Open vote: organisers see what you chose." in olga.last_text
    assert "A secret vote cannot become open later." not in olga.last_text
    await olga.tap("✅ Open it")
    assert olga.last_text == (
        "✅ Planned: Where shall the summer trip go?\n"
        "It opens Monday 30 November, 09:00. Then every active member gets a message."
    )
    await catch_up(local_bot)
    assert not told(ann, "🗳️ New vote")

    clock.now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam
    await catch_up(local_bot)
    assert told(ann, NEW_VOTE.format(title="Where shall the summer trip go?"))
    [vote] = stored_votes(local_bot)
    assert [option.label for option in vote.options] == ["Park", "Zoo <Emmen>", "البحر 🏖️", "Museum", "Cinema"]
    assert (vote.kind, vote.secret, vote.live_results, vote.quorum_percent) == ("choice", False, True, 30)
    assert vote.opened_at == clock.now


async def test_a_neighbourhood_budget_with_a_project_from_a_proposal(local_bot: LocalBot) -> None:
    olga, ann, _ = await organiser_and_members(local_bot)
    db = database(local_bot)
    clock = local_bot.application.bot_data["wijkbot"].clock
    idea = proposals.propose(
        db, (await stored(local_bot, ann)).id, "Book swap cupboard", "A cupboard in the hall.", "We read.", clock()
    )
    await catch_up(local_bot)  # the proposal's card goes to Olga
    await planned(olga, ["💶 Neighbourhood budget", "Budget 2027", "What shall we do with the money?"])
    await olga.send("lots")
    assert olga.last_text.startswith("Please type an amount in euros, like 5000 or 2.500,00.")
    await olga.send("0")
    assert olga.last_text.startswith("The amount must be more than 0.")
    await olga.send("2.500,00")
    assert olga.last_text == (
        "💶 Budget: €2,500.00\n\nType the name of a project, or tap ➕ From a proposal. At most 12 projects."
    )
    await olga.send("Planters")
    assert olga.last_text == "How much does “Planters” cost? Type an amount like 750 or 1.250,00."
    await olga.send("3000")
    assert olga.last_text.startswith("One project cannot cost more than the whole budget of €2,500.00.")
    await answer(olga, ["750", "Volunteers water them."])
    assert olga.last_text.startswith("💶 Budget: €2,500.00\nProjects so far:\n1. Planters · €750.00\n")

    await olga.tap("➕ From a proposal")
    assert olga.last_text == "💡 Which proposal becomes a project?"
    assert olga.inline_labels == ["Book swap cupboard", "⬅️ Back", "🏠 Menu", "❓ Explain"]
    await olga.tap("Book swap cupboard")
    assert olga.last_text.startswith("How much does “Book swap cupboard” cost?")
    await answer(olga, ["1.250", "⏭️ No note"])
    assert "2. Book swap cupboard · €1,250.00" in olga.last_text
    await olga.tap("➕ From a proposal")
    await olga.tap("Book swap cupboard")  # once is enough
    assert olga.last_text.startswith("“Book swap cupboard” is already on the list.")
    await olga.tap("✔️ Done")
    await answer(olga, ["▶️ Now", "Fri 4 Dec", "12:00", "⭐ No quorum (usual)", "🔒 Secret"])
    await olga.tap("🙈 Hidden until the close")
    preview = olga.last_text
    assert "💶 Budget: €2,500.00. Choose projects up to that amount." in preview
    assert "• Planters · €750.00\n   ℹ️ Volunteers water them.\n• Book swap cupboard · €1,250.00" in preview
    await olga.tap("✅ Open it")
    assert olga.texts[0].endswith("Whoever made the proposal gets a message.")

    [vote] = stored_votes(local_bot)
    assert (vote.kind, vote.budget_cents, vote.proposal_id) == ("budget", 250000, None)
    assert [(o.label, o.amount_cents, o.note, o.proposal_id) for o in vote.options] == [
        ("Planters", 75000, "Volunteers water them.", None),
        ("Book swap cupboard", 125000, None, idea.id),
    ]
    assert proposals.get(db, idea.id).status == "voting"
    await catch_up(local_bot)
    assert told(ann, "🗳️ Good news: your proposal “Book swap cupboard” is put to a vote.")


async def test_a_deadline_at_night_is_refused(local_bot: LocalBot) -> None:
    olga, _, _ = await organiser_and_members(local_bot)
    await planned(olga, FOR_AGAINST[:5])
    for night in ("22:00", "7:30", "21:01"):
        await olga.send(night)
        assert olga.last_text.startswith("A vote cannot end at night. Please choose a time from 08:00 to 21:00.")
    await olga.send("21:00")
    assert olga.last_text.startswith("How many members must vote")


async def test_a_deadline_before_the_opening_is_refused(local_bot: LocalBot) -> None:
    olga, _, _ = await organiser_and_members(local_bot)
    await planned(olga, [*FOR_AGAINST[:3], "Mon 30 Nov", "10:00", "📆 Another day"])
    await olga.send("28-11")
    assert olga.last_text.startswith("The vote cannot close before it opens. Please choose a later day.")
    await olga.send("30-11")
    await olga.send("10:30")
    assert olga.last_text.startswith("The vote must be open for at least an hour. Please choose a later time.")
    await answer(olga, ["11:00", *FOR_AGAINST[6:]])
    assert "⏹️ Closes: Monday 30 November, 11:00" in olga.last_text


async def test_a_deadline_that_passed_on_the_preview_is_asked_again(local_bot: LocalBot, clock: Clock) -> None:
    olga, _, _ = await organiser_and_members(local_bot)
    await planned(olga, [*FOR_AGAINST[:4], "📆 Another day", "27-11", "11:30", *FOR_AGAINST[6:]])
    assert "⏹️ Closes: Friday 27 November, 11:30" in olga.last_text
    clock.advance(hours=2)
    await olga.tap("✅ Open it")
    assert olga.last_text.startswith("That deadline has passed. Please choose a new day and time.\n\nOn which day")
    assert stored_votes(local_bot) == []
    await answer(olga, ["Sat 28 Nov", "20:00"])  # straight back to the preview
    await olga.tap("✅ Open it")
    [vote] = stored_votes(local_bot)
    assert vote.closes_at == datetime(2026, 11, 28, 19, 0, tzinfo=UTC)


async def test_back_goes_one_step_and_change_comes_back_to_the_preview(local_bot: LocalBot) -> None:
    olga, _, _ = await organiser_and_members(local_bot)
    await planned(olga, FOR_AGAINST[:2])
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("What is the title of the vote?")
    await answer(olga, FOR_AGAINST[1:4])
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("When does the vote open?")  # opening now: no time was asked
    await answer(olga, FOR_AGAINST[3:])
    await olga.tap("⬅️ Back")  # from the preview to the last question
    assert olga.last_text == "When can members see the results?"
    await olga.tap("📊 Visible during the vote")  # counts that move would show who chose what
    assert olga.last_text.startswith("A secret vote shows its results only at the close. Tap 🙈.")
    await olga.tap("🙈 Hidden until the close")
    assert "Hidden results cannot be shown before the close." in olga.last_text

    await olga.tap("✏️ Change")
    assert olga.inline_labels == [
        *("Kind", "Title", "Text", "Opens", "Deadline", "Quorum", "Majority", "Secret or open", "Results"),
        *("⬅️ Back", "🏠 Menu", "❓ Explain"),
    ]
    await olga.tap("Title")
    await olga.send("Benches <and> tables")
    assert "🗳️ Benches <and> tables" in olga.last_text

    await olga.tap("✏️ Change")
    await olga.tap("Kind")
    await olga.tap("🔢 One choice")  # another kind: its options are asked, then the preview
    assert olga.last_text.startswith("Type an option, one at a time.")
    await answer(olga, ["Benches", "Tables", "✔️ Done"])
    assert "• Benches\n• Tables" in olga.last_text and "Adopted with" not in olga.last_text

    await olga.tap("✏️ Change")
    await olga.tap("Opens")
    await answer(olga, ["Thu 3 Dec"])
    await olga.tap("⬅️ Back")  # from the time to the day
    assert olga.last_text.startswith("When does the vote open?")
    await answer(olga, ["📆 Another day", "5-12", "14:00"])  # after the deadline: the deadline is asked again
    assert olga.last_text.startswith("The vote must be open for at least an hour. Please choose a later deadline.")
    await answer(olga, ["Mon 7 Dec", "20:00"])
    assert "▶️ Opens: Saturday 5 December, 14:00\n⏹️ Closes: Monday 7 December, 20:00" in olga.last_text

    await olga.press("vplan:edit:majority")  # forged: a one-choice vote has no majority
    assert olga.toasts == ["This button no longer works."]
    await olga.tap("✅ Open it")
    [vote] = stored_votes(local_bot)
    assert (vote.title, vote.kind, vote.live_results) == (
        "Benches <and> tables",
        "choice",
        False,
    )  # secret: results wait for the close
    assert vote.opened_at is None


async def test_a_lower_budget_than_a_project_is_refused(local_bot: LocalBot) -> None:
    olga, _, _ = await organiser_and_members(local_bot)
    await planned(olga, ["💶 Neighbourhood budget", "Budget", "Choose.", "5000", "Planters", "1000", "⏭️ No note"])
    await answer(olga, ["Bench", "4.000", "⏭️ No note", "✔️ Done", *FOR_AGAINST[3:7], *FOR_AGAINST[8:]])
    await olga.tap("✏️ Change")
    await olga.tap("Budget")
    await olga.send("3000")
    assert olga.last_text.startswith("A project on the list costs more than that. Please type a larger budget.")
    await olga.send("€ 4500")
    assert "💶 Budget: €4,500.00. Choose projects up to that amount." in olga.last_text


@pytest.mark.parametrize("leave", ["✖️ Stop", "🏠 Menu", "/menu"])
async def test_stop_and_menu_open_nothing(local_bot: LocalBot, leave: str) -> None:
    olga, ann, _ = await organiser_and_members(local_bot)
    await planned(olga, FOR_AGAINST)
    preview = olga.last_message
    await answer(olga, [leave])
    assert olga.texts[-1] == STOPPED
    await olga.tap_on(preview, "✅ Open it")
    assert olga.toasts == ["This button no longer works."]
    await catch_up(local_bot)
    assert stored_votes(local_bot) == []
    assert not told(ann, "🗳️ New vote")


async def test_the_menu_halfway_leaves_the_planning(local_bot: LocalBot) -> None:
    olga, _, _ = await organiser_and_members(local_bot)
    await planned(olga, FOR_AGAINST[:3])
    await olga.tap("🏠 Menu")
    assert olga.texts[-1] == STOPPED
    await olga.send("Shall we?")  # not taken as an answer any more
    assert olga.last_text == "Sorry, I do not understand that. Tap a button below."


@pytest.mark.parametrize(
    ("step", "typed", "error"),
    [
        (0, "for", "Please tap one of the buttons."),
        (1, "x" * 81, "This is too long. Write it in at most 80 characters."),
        (1, "   ", "Please type a title for the vote."),
        (2, "b" * 2001, "This is too long. Write it in at most 2000 characters."),
        (6, "101", "Please type a percentage from 0 to 100, like 25."),
        (6, "a lot", "Please type a percentage from 0 to 100, like 25."),
    ],
)
async def test_wrong_answers_get_a_clear_answer_and_the_step_again(
    local_bot: LocalBot, step: int, typed: str, error: str
) -> None:
    olga, _, _ = await organiser_and_members(local_bot)
    await planned(olga, FOR_AGAINST[:step])
    question = olga.last_text
    await olga.send(typed)
    assert olga.last_text == f"{error}\n\n{question}"
    await answer(olga, FOR_AGAINST[step:])
    assert olga.last_text.startswith("This is how members will see it:")


async def test_a_typed_quorum_and_a_long_text_on_the_card(local_bot: LocalBot) -> None:
    olga, _, _ = await organiser_and_members(local_bot)
    long_text = "Word " * 399 + "end."
    await planned(olga, [*FOR_AGAINST[:2], long_text, *FOR_AGAINST[3:6], "0 %", *FOR_AGAINST[7:]])
    assert "📏 No quorum." in olga.last_text
    assert "Word Word…" in olga.last_text and "end." not in olga.last_text  # the card shows the start
    await olga.tap("✅ Open it")
    [vote] = stored_votes(local_bot)
    assert (vote.body, vote.quorum_percent) == (long_text, 0)


@pytest.mark.parametrize("data", ["vplan:new", "vplan:prop:1"])
async def test_members_cannot_plan_votes(local_bot: LocalBot, data: str) -> None:
    _, ann, _ = await organiser_and_members(local_bot)
    await ann.press(data)
    assert ann.toasts == ["Only organisers can do this."]


@pytest.mark.parametrize("data", ["vplan:open", "vplan:kind:choice", "vplan:quorum:101", "vplan:edit:title"])
async def test_buttons_outside_the_planning_no_longer_work(local_bot: LocalBot, data: str) -> None:
    olga, _, _ = await organiser_and_members(local_bot)
    await olga.press(data)
    assert olga.toasts == ["This button no longer works."]
    assert stored_votes(local_bot) == []


async def test_an_old_button_of_another_step_does_not_skip_steps(local_bot: LocalBot) -> None:
    olga, _, _ = await organiser_and_members(local_bot)
    await planned(olga, FOR_AGAINST[:6])
    await olga.press("vplan:secret:open")  # forged: a later step's answer while the quorum is asked
    assert olga.toasts == ["This button no longer works."]
    await answer(olga, FOR_AGAINST[6:])
    assert olga.last_text.startswith("This is how members will see it:")


async def proposed(local_bot: LocalBot, ann: Person) -> proposals.Proposal:
    """Ann's proposal, sent to the organisers."""
    runtime = local_bot.application.bot_data["wijkbot"]
    member = await stored(local_bot, ann)
    idea = proposals.propose(
        database(local_bot),
        member.id,
        "A book swap cupboard",
        "Put a cupboard in the hall.",
        "We read.",
        runtime.clock(),
    )
    await catch_up(local_bot)
    return idea


async def test_a_proposal_is_put_to_a_vote_and_its_member_told(local_bot: LocalBot) -> None:
    olga, ann, _ = await organiser_and_members(local_bot)
    idea = await proposed(local_bot, ann)
    assert told(olga, "💡 Proposal from Ann")
    await olga.tap("🗳️ Put to a vote")
    assert olga.last_text.startswith(
        "🗳️ Put to a vote: A book swap cupboard\n"
        "The title and text come from the proposal. You can change them later.\n\n"
        "When does the vote open?"
    )
    await answer(olga, FOR_AGAINST[3:])
    assert "🗳️ A book swap cupboard" in olga.last_text and "Put a cupboard in the hall." in olga.last_text
    await olga.tap("✅ Open it")
    [vote] = stored_votes(local_bot)
    assert (vote.proposal_id, vote.kind, vote.title) == (idea.id, "for_against", "A book swap cupboard")
    assert proposals.get(database(local_bot), idea.id).status == "voting"
    await catch_up(local_bot)
    assert told(ann, "🗳️ Good news: your proposal “A book swap cupboard” is put to a vote.")

    await olga.press(f"vplan:prop:{idea.id}")  # the card again: it was decided
    assert olga.toasts == ["An organiser already decided on this proposal."]


async def test_a_proposal_decided_meanwhile_is_not_put_to_a_vote(local_bot: LocalBot) -> None:
    olga, ann, _ = await organiser_and_members(local_bot)
    idea = await proposed(local_bot, ann)
    await olga.tap("🗳️ Put to a vote")
    await answer(olga, FOR_AGAINST[3:])
    organiser = await stored(local_bot, olga)
    runtime = local_bot.application.bot_data["wijkbot"]
    proposals.decline(database(local_bot), idea.id, "Not now.", organiser_id=organiser.id, now=runtime.clock())
    await olga.tap("✅ Open it")
    assert olga.last_text == "An organiser already decided on this proposal. No vote was opened."
    assert olga.inline_labels == ["⬅️ Back", "🏠 Menu"]
    assert stored_votes(local_bot) == []


async def test_organisers_find_it_under_organise_and_votes(local_bot: LocalBot) -> None:
    olga, _, _ = await organiser_and_members(local_bot)
    await olga.tap("📣 Organise")
    await olga.tap("🗳️ Votes and proposals")
    await olga.tap("➕ New vote")
    assert olga.last_text.startswith("🗳️ New vote. What kind of vote is it?")
    await answer(olga, FOR_AGAINST)
    preview = olga.last_message["message_id"]
    await olga.tap("✅ Open it")
    await olga.tap_on(olga.chat.messages[preview], "⬅️ Back")  # the confirmation, above her own notice
    votes_menu = olga.chat.messages[preview]["reply_markup"]["inline_keyboard"]
    assert "➕ New vote" in [b["text"] for row in votes_menu for b in row]


async def test_a_half_planned_budget_survives_a_restart(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        olga, _, _ = await organiser_and_members(local_bot)
        await planned(olga, ["💶 Neighbourhood budget", "Budget", "Choose.", "5000", "Planters", "1000"])
    async with running_bot(settings, emulator, clock) as local_bot:
        olga = local_bot.person("Olga", user_id=900)
        await olga.send("Cheap and easy.")
        assert olga.last_text.startswith("💶 Budget: €5,000.00\nProjects so far:\n1. Planters · €1,000.00")
        await answer(olga, ["Bench", "800", "⏭️ No note", "✔️ Done", *FOR_AGAINST[3:7], *FOR_AGAINST[8:]])
        await olga.tap("✅ Open it")
        [vote] = stored_votes(local_bot)
        assert [(o.label, o.amount_cents, o.note) for o in vote.options] == [
            ("Planters", 100000, "Cheap and easy."),
            ("Bench", 80000, None),
        ]
