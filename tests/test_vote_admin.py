"""📣 Organise → 🗳️ Votes as organisers use them: turnout, 🔔 reminders, who voted what, the archive, files."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import members, proposals, votes
from storage.votes import PlannedOption, Vote
from tests.conftest import Clock
from tests.journeys import catch_up, database, last_file, member_id, open_vote, signed_up

WAY_ON = ["⬅️ Back", "🏠 Menu"]
BUDGET = (
    PlannedOption("Benches", 500_00),
    PlannedOption("Garden", 300_00),
    PlannedOption("Mural", 200_00),
)


async def cooperative(local_bot: LocalBot) -> tuple[Person, Person, Person, Person]:
    """Olga organises; Ann, Bob and Cem are members (numbers 0001 to 0004): four may vote."""
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    ann, bob, cem = [
        await signed_up(local_bot, name, user_id=user_id, language="English")
        for user_id, name in enumerate(("Ann", "Bob", "Cem"), start=1)
    ]
    return olga, ann, bob, cem


def option_id(vote: Vote, label: str) -> int:
    return next(o.id for o in vote.options if o.label == label)


async def votes_for(local_bot: LocalBot, clock: Clock, person: Person, vote: Vote, label: str) -> None:
    """The member votes (the member's own screens are tested in tests/test_voting.py)."""
    cast = votes.cast(
        database(local_bot), vote.id, await member_id(local_bot, person), option_id(vote, label), clock.now
    )
    assert cast.answer is votes.Answer.VOTED


async def ticks(local_bot: LocalBot, clock: Clock, person: Person, vote: Vote, label: str) -> None:
    cast = votes.tick(
        database(local_bot), vote.id, await member_id(local_bot, person), option_id(vote, label), clock.now
    )
    assert cast.answer is votes.Answer.VOTED


async def opened(local_bot: LocalBot, title: str, **rules: object) -> Vote:
    """A vote an organiser opened, and the news of it sent: the screens tapped next are the newest messages."""
    vote = await open_vote(local_bot, title, **rules)  # type: ignore[arg-type]
    await catch_up(local_bot)
    return vote


def labels_of(message: dict | None) -> list[str]:
    """The buttons of one message (the newest may be a message the bot sent by itself)."""
    markup = (message or {}).get("reply_markup", {})
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


async def to_votes(olga: Person) -> None:
    await olga.tap("📣 Organise")
    await olga.tap("🗳️ Votes and proposals")


async def to_the_card(olga: Person, vote: Vote, where: str = "🗂️ Running votes") -> None:
    await to_votes(olga)
    await olga.tap(where)
    await olga.tap(next(label for label in olga.inline_labels if vote.title in label))


def nudges(local_bot: LocalBot) -> int:
    row = database(local_bot).fetchone("SELECT count(*) FROM outbox WHERE kind = 'vote_nudge'")
    assert row is not None
    return int(row[0])


def reminded(person: Person) -> list[str]:
    """The reminders an organiser sent that reached this person since they last looked."""
    person.look()
    return [text for text in person.texts if text.startswith("⏰ You have not voted yet on:")]


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


async def test_the_votes_menu_and_running_votes_show_turnout_in_number_and_percentage(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga, ann, _bob, _cem = await cooperative(local_bot)
    vote = await opened(local_bot, "New benches", closes_in=timedelta(days=3))
    await opened(local_bot, "A bigger garden", opens_in=timedelta(days=1), closes_in=timedelta(days=5))
    await votes_for(local_bot, clock, ann, vote, "for")
    proposals.propose(
        database(local_bot), await member_id(local_bot, ann), "A swing", "For the kids.", "Fun", clock.now
    )
    await catch_up(local_bot)

    await to_votes(olga)
    assert olga.last_text == "🗳️ Votes and proposals\nWhat do you want to do?"
    assert olga.inline_labels == [
        "➕ New vote", "🗂️ Running votes", "💡 Proposals (1 waiting)", "📚 Archive", *WAY_ON,
    ]  # fmt: skip
    await olga.tap("🗂️ Running votes")
    assert olga.inline_labels == [
        "New benches · 25% · Mon 30 Nov, 10:00",
        "🕒 A bigger garden · 0% · Wed 2 Dec, 10:00",
        *WAY_ON,
    ]
    await olga.tap("New benches · 25% · Mon 30 Nov, 10:00")
    card = olga.last_text
    assert card.startswith("🗳️ New benches\nZullen we drie bankjes")
    assert "👁️ Open vote: organisers see what you chose." in card
    assert "⏰ 3 days left, until Monday 30 November, 10:00" in card
    assert "Voted: 1 of 4 (25%)" in card
    assert "Results are hidden until the close." in card
    assert "For: 1" not in card
    assert olga.inline_labels == ["🔔 Remind", "📄 As a file", *WAY_ON]  # who voted what would show the result

    await olga.tap("⬅️ Back")
    await olga.tap("🕒 A bigger garden · 0% · Wed 2 Dec, 10:00")
    assert "🕒 Opens on Saturday 28 November, 10:00." in olga.last_text
    assert "Voted:" not in olga.last_text
    assert olga.inline_labels == ["📄 As a file", *WAY_ON]  # nothing to remind of, nobody voted yet
    await olga.tap("⬅️ Back")
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("🗳️ Votes and proposals")
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("📣 Organise")


async def test_live_results_are_shown_while_the_vote_runs(local_bot: LocalBot, clock: Clock) -> None:
    olga, ann, bob, _cem = await cooperative(local_bot)
    vote = await opened(local_bot, "New benches", live_results=True, quorum_percent=50)
    await votes_for(local_bot, clock, ann, vote, "for")
    await votes_for(local_bot, clock, bob, vote, "against")
    await to_the_card(olga, vote)
    assert "📊 Results so far\nVoted: 2 of 4 (50%)\nQuorum: 2 votes, reached.\n✅ For: 1\n❌ Against: 1" in (
        olga.last_text
    )
    assert "hidden" not in olga.last_text


async def test_a_reminder_reaches_only_who_has_not_voted_with_the_line_escaped(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga, ann, bob, cem = await cooperative(local_bot)
    vote = await opened(local_bot, "New benches")
    await votes_for(local_bot, clock, ann, vote, "for")
    for person in (ann, bob, cem):
        person.look()

    await to_the_card(olga, vote)
    await olga.tap("🔔 Remind")
    assert olga.last_text == ("🔔 Add a personal line? Type it (at most 300 characters), or tap ⏭️ Without a line.")
    assert olga.inline_labels == ["⏭️ Without a line", *WAY_ON]
    await olga.send("Please vote, it counts! <b>x</b>")
    assert olga.last_text.splitlines() == [
        "Members will get this message:",
        "",
        "⏰ You have not voted yet on: New benches",
        "3 days left, until Monday 30 November, 10:00",
        "",
        "💬 Please vote, it counts! <b>x</b>",
        "",
        "It goes to 3 members who have not voted yet.",
    ]
    assert olga.inline_labels == ["✅ Send", "✏️ Change", "✖️ Stop", *WAY_ON]
    assert nudges(local_bot) == 0  # nothing goes out before ✅
    await olga.tap("✅ Send")
    done, reminder_to_olga = olga.replies[-2:]  # she may vote too, and has not
    assert done.text == "🔔 The reminder goes to 3 members."
    assert labels_of(done.message) == WAY_ON
    assert reminder_to_olga.text.startswith("⏰ You have not voted yet on: New benches")
    await catch_up(local_bot)

    assert reminded(ann) == []  # she voted
    for person in (bob, cem):
        [reminder] = reminded(person)
        assert reminder.endswith("💬 Please vote, it counts! <b>x</b>")  # shown as typed, not as bold
        assert person.inline_labels == ["🗳️ Vote now", "🏠 Menu"]

    await olga.press("vorg:save")  # a double tap on ✅ after the reminder went out
    assert olga.toasts == ["This button no longer works."]
    await catch_up(local_bot)
    assert nudges(local_bot) == 3
    assert reminded(bob) == []
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("🗳️ New benches")
    await olga.tap("🔔 Remind")  # again at once: members are not flooded
    assert olga.toasts == ["A reminder went out less than an hour ago. Please wait a little."]
    clock.advance(hours=1)
    await olga.tap("🔔 Remind")
    assert olga.last_text.startswith("🔔 Add a personal line?")


async def test_a_reminder_can_go_without_a_line_be_changed_or_stopped(local_bot: LocalBot, clock: Clock) -> None:
    olga, _ann, bob, _cem = await cooperative(local_bot)
    vote = await opened(local_bot, "New benches")
    await to_the_card(olga, vote)
    await olga.tap("🔔 Remind")
    await olga.tap("⏭️ Without a line")
    assert "💬" not in olga.last_text
    assert "It goes to 4 members who have not voted yet." in olga.last_text
    await olga.tap("✏️ Change")
    await olga.send("x" * 301)
    assert olga.last_text.startswith("This is too long. Write it in at most 300 characters.")
    await olga.send("صوّتوا من فضلكم 🗳️")
    assert "💬 صوّتوا من فضلكم 🗳️" in olga.last_text
    await olga.tap("⬅️ Back")  # one step back: the question again
    assert olga.last_text.startswith("🔔 Add a personal line?")
    await olga.send("Last day tomorrow")
    await olga.tap("✖️ Stop")
    assert olga.last_text == "Stopped. No reminder was sent."
    assert nudges(local_bot) == 0
    await olga.send("Hello")  # the flow is over: typing is not taken as a line
    assert nudges(local_bot) == 0
    assert reminded(bob) == []


async def test_no_reminder_for_a_closed_or_planned_vote(local_bot: LocalBot, clock: Clock) -> None:
    olga, _ann, bob, _cem = await cooperative(local_bot)
    vote = await opened(local_bot, "New benches", closes_in=timedelta(days=1))
    await to_the_card(olga, vote)
    open_card = olga.last_message
    await olga.tap("🔔 Remind")
    await olga.send("Last chance")
    clock.now = vote.closes_at + timedelta(minutes=1)  # closes while she looks at the preview
    await olga.tap("✅ Send")
    assert olga.last_text.startswith("This vote is closed. A reminder is no longer possible.")
    assert nudges(local_bot) == 0

    await catch_up(local_bot)
    await olga.tap_on(open_card, "🔔 Remind")  # the old card
    assert olga.toasts == ["This vote is closed. A reminder is no longer possible."]
    assert "📊 Result" in olga.last_text
    assert "🔔 Remind" not in labels_of(olga.replies[-1].message)

    planned = await opened(local_bot, "A bigger garden", opens_in=timedelta(days=1), closes_in=timedelta(days=4))
    await olga.press(f"vorg:remind:{planned.id}")
    assert olga.toasts == ["This vote is not open yet. You can send a reminder once it opens."]
    assert nudges(local_bot) == 0
    assert reminded(bob) == []


async def test_who_voted_what_in_an_open_vote_with_proxies_and_deleted_accounts(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga, ann, bob, cem = await cooperative(local_bot)
    vote = await opened(local_bot, "New benches", live_results=True)  # hidden results hide who voted what too
    db = database(local_bot)
    await votes_for(local_bot, clock, ann, vote, "for")
    await votes_for(local_bot, clock, bob, vote, "against")
    bob_id, cem_id = await member_id(local_bot, bob), await member_id(local_bot, cem)
    _answer, proxy = votes.give_proxy(db, vote.id, cem_id, bob_id, None, clock.now, max_proxies=2)
    assert proxy is not None
    votes.answer_proxy(db, proxy.id, bob_id, True, clock.now, max_proxies=2)
    votes.cast(db, vote.id, bob_id, option_id(vote, "abstain"), clock.now, for_member=cem_id)

    await to_the_card(olga, vote)
    await olga.tap("👥 Who voted what")
    assert olga.last_text.splitlines() == [
        "🗳️ New benches",
        "Voted: 3 of 4 (75%)",
        "",
        "member 0002 Ann: For",
        "member 0003 Bob: Against",
        "member 0004 Cem: Abstain — cast by Bob (proxy)",
    ]
    assert olga.inline_labels == WAY_ON

    await ann.tap("👤 My details")
    await ann.tap("🗑️ Delete my account")
    await ann.tap("🗑️ Yes, delete")
    await ann.tap("🗑️ Yes, delete everything")
    await olga.press(f"vorg:who:{vote.id}:0")
    assert olga.last_text.splitlines()[3:] == [
        "(account deleted): For",  # the vote still counts, without a name
        "member 0003 Bob: Against",
        "member 0004 Cem: Abstain — cast by Bob (proxy)",
    ]
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("🗳️ New benches")


async def test_who_voted_what_comes_in_pages_of_twenty(local_bot: LocalBot, clock: Clock) -> None:
    olga, *_people = await cooperative(local_bot)
    db = database(local_bot)
    desk = [  # members an organiser added at the desk: no Telegram, but they vote
        members.create(db, telegram_id=None, first_name=f"Desk {i}", language="en", status="active", now=clock.now)
        for i in range(18)
    ]
    vote = await opened(local_bot, "New benches", live_results=True)
    for member in desk:
        votes.cast(db, vote.id, member.id, option_id(vote, "for"), clock.now)
    for person in _people:
        await votes_for(local_bot, clock, person, vote, "against")
    await olga.press(f"vorg:who:{vote.id}:7")  # an old page that no longer exists: the first one
    first = olga.last_text.splitlines()[3:]
    assert len(first) == 20 and first[0] == "member 0002 Ann: Against"
    await olga.tap("▶️")
    assert olga.last_text.splitlines()[3:] == ["member 0022 Desk 17: For"]
    await olga.tap("◀️")
    assert olga.last_text.splitlines()[3:] == first
    assert olga.inline_labels == ["▶️", *WAY_ON]


async def test_who_voted_what_is_not_offered_for_a_secret_vote(local_bot: LocalBot, clock: Clock) -> None:
    olga, ann, bob, _cem = await cooperative(local_bot)
    vote = await opened(local_bot, "Chair of the board", secret=True)
    await votes_for(local_bot, clock, ann, vote, "for")
    await votes_for(local_bot, clock, bob, vote, "against")
    await to_the_card(olga, vote)
    assert "🔒 Secret vote: nobody can see who voted what." in olga.last_text
    assert "👥 Who voted what" not in olga.inline_labels
    await olga.press(f"vorg:who:{vote.id}:0")  # forged
    assert olga.toasts == ["Secret vote: nobody can see who voted what."]
    assert "Ann" not in olga.last_message["text"] and "Bob" not in olga.last_message["text"]


async def test_the_file_of_an_open_vote_names_who_voted_what(local_bot: LocalBot, clock: Clock) -> None:
    olga, ann, bob, _cem = await cooperative(local_bot)
    vote = await opened(local_bot, "=New benches", quorum_percent=50, live_results=True)
    await votes_for(local_bot, clock, ann, vote, "for")
    await votes_for(local_bot, clock, bob, vote, "against")
    await to_the_card(olga, vote)
    await olga.tap("📄 As a file")
    document, data = last_file(local_bot, olga)
    assert document["file_name"] == f"vote-{vote.id}.csv"
    rows = rows_of(data)
    assert rows[0] == ["Vote", "'=New benches"]  # not a formula
    assert ["For", "1"] in rows and ["Against", "1"] in rows  # results visible during this vote, as on the card
    assert ["Turnout", "50%"] in rows and ["Quorum needed", "2"] in rows and ["Quorum reached", "yes"] in rows
    assert rows[-3:] == [
        ["Number", "First name", "Choice", "Cast by (proxy)"],
        ["member 0002", "Ann", "For", ""],
        ["member 0003", "Bob", "Against", ""],
    ]
    assert olga.last_text == "Here is your file."
    assert olga.inline_labels == WAY_ON
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("🗳️ =New benches")

    clock.now = vote.closes_at + timedelta(minutes=1)
    await catch_up(local_bot)
    await olga.press(f"vorg:csv:{vote.id}")
    rows = rows_of(last_file(local_bot, olga)[1])
    assert ["Option", "Number of votes"] in rows and ["For", "1"] in rows and ["Against", "1"] in rows
    assert ["Outcome", "⚖️ It is a tie: as many votes for as against. Not adopted."] in rows


async def test_the_file_of_a_secret_vote_links_nobody_to_a_choice(local_bot: LocalBot, clock: Clock) -> None:
    olga, ann, bob, _cem = await cooperative(local_bot)
    vote = await opened(local_bot, "Chair of the board", secret=True, live_results=True)
    await votes_for(local_bot, clock, ann, vote, "for")
    await votes_for(local_bot, clock, bob, vote, "for")
    for moment in ("open", "closed"):
        if moment == "closed":
            clock.now = vote.closes_at + timedelta(minutes=1)
            await catch_up(local_bot)
        await olga.press(f"vorg:csv:{vote.id}")
        text = last_file(local_bot, olga)[1].decode("utf-8-sig")
        assert (["For", "2"] in rows_of(text.encode())) is (moment == "closed")  # a secret vote's counts wait
        for never in ("Ann", "Bob", "0002", "0003", "First name", "Cast by"):
            assert never not in text, moment


async def test_the_archive_shows_the_result_after_the_deadline(local_bot: LocalBot, clock: Clock) -> None:
    olga, ann, bob, _cem = await cooperative(local_bot)
    vote = await opened(local_bot, "New benches", closes_in=timedelta(days=1))
    await votes_for(local_bot, clock, ann, vote, "for")
    await votes_for(local_bot, clock, bob, vote, "for")
    await to_votes(olga)
    await olga.tap("📚 Archive")
    assert olga.last_text == "📚 No vote has closed yet."
    assert olga.inline_labels == WAY_ON

    clock.now = vote.closes_at + timedelta(minutes=1)
    await catch_up(local_bot)  # the result goes to everyone, Olga too
    await to_votes(olga)
    await olga.tap("📚 Archive")
    assert olga.last_text == "📚 Closed votes. Tap one to see the result."
    assert olga.inline_labels == ["New benches · Sat 28 Nov, 10:01", *WAY_ON]
    await olga.tap("New benches · Sat 28 Nov, 10:01")
    card = olga.last_text
    assert "🏁 Closed on Saturday 28 November, 10:01." in card
    assert "📊 Result\nVoted: 2 of 4 (50%)\n✅ For: 2\n❌ Against: 0\n⚪ Abstain: 0\n✅ Adopted." in card
    assert olga.inline_labels == ["👥 Who voted what", "📄 As a file", *WAY_ON]
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("📚 Closed votes")
    await olga.tap("⬅️ Back")
    await olga.tap("🗂️ Running votes")
    assert olga.last_text == "🗂️ No votes are running now."


async def test_what_became_of_a_funded_project_is_written_and_shown(local_bot: LocalBot, clock: Clock) -> None:
    olga, ann, bob, cem = await cooperative(local_bot)
    vote = await opened(
        local_bot, "Neighbourhood budget", kind="budget", options=BUDGET, budget_cents=600_00, secret=True
    )
    await ticks(local_bot, clock, ann, vote, "Benches")
    await ticks(local_bot, clock, bob, vote, "Benches")
    await ticks(local_bot, clock, cem, vote, "Garden")
    await to_the_card(olga, vote)
    assert not [label for label in olga.inline_labels if label.startswith("✍️")]  # not before the close
    await olga.press(f"vorg:outcome:{vote.id}:{option_id(vote, 'Benches')}")
    assert olga.toasts == ["This button no longer works."]

    clock.now = vote.closes_at + timedelta(minutes=1)
    await catch_up(local_bot)
    await to_the_card(olga, vote, "📚 Archive")
    assert "💶 Funded: Benches. Left over: €100.00." in olga.last_text
    assert olga.inline_labels[0] == "✍️ What became of Benches"  # only the funded project
    assert not [label for label in olga.inline_labels if "Garden" in label]
    await olga.tap("✍️ What became of Benches")
    assert olga.last_text == "✍️ What became of “Benches”? Type it in at most 300 characters."
    await olga.send("   ")
    assert olga.last_text.startswith("Please type a few words.\n\n✍️ What became of “Benches”?")
    await olga.send("Placed in <i>May</i> & painted green")
    assert olga.last_text.startswith("Members will see this on the vote's card:")
    assert "💶 Benches · €500.00: 2\n   ↳ Placed in <i>May</i> & painted green" in olga.last_text
    assert olga.inline_labels == ["✅ Save", "✏️ Change", "✖️ Stop", *WAY_ON]
    assert votes.get(database(local_bot), vote.id).options[0].outcome is None  # nothing saved before ✅
    await olga.tap("✅ Save")
    assert olga.toasts == ["Saved. Members see it on the vote's card."]
    assert "   ↳ Placed in <i>May</i> & painted green" in olga.last_text
    assert votes.get(database(local_bot), vote.id).options[0].outcome == "Placed in <i>May</i> & painted green"

    await olga.tap("✍️ What became of Benches")  # changing it later shows what it says now
    assert "Now it says: Placed in <i>May</i> & painted green" in olga.last_text
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("🗳️ Neighbourhood budget")
    await olga.press(f"vorg:outcome:{vote.id}:{option_id(vote, 'Garden')}")  # not funded
    assert olga.toasts == ["This button no longer works."]


async def test_members_who_are_not_organisers_are_refused(local_bot: LocalBot, clock: Clock) -> None:
    _olga, ann, _bob, _cem = await cooperative(local_bot)
    vote = await opened(local_bot, "New benches")
    for data in ("vorg:menu", f"vorg:card:{vote.id}", f"vorg:remind:{vote.id}", f"vorg:csv:{vote.id}"):
        await ann.press(data)
        assert ann.toasts == ["Only organisers can do this."]
        assert [event.kind for event in ann.replies if event.kind == "document"] == []
    assert nudges(local_bot) == 0


async def test_forged_and_stale_buttons_are_answered_politely(local_bot: LocalBot) -> None:
    olga, _ann, _bob, _cem = await cooperative(local_bot)
    for data in ("vorg:card:99999", "vorg:who:99999:0", "vorg:csv:99999", "vorg:remind:99999", "vorg:save"):
        await olga.press(data)
        assert olga.toasts == ["This button no longer works."], data
    await olga.press("vorg:card:abc")
    assert olga.toasts == ["This button no longer works."]
