"""🧾 Act for this member → 🗳️ Vote with their choice: an organiser casts the vote a member told them."""

from datetime import timedelta

from bot import i18n
from bot.context import runtime_of
from bot.exports import personal_data, personal_text
from bot.formatting import format_when
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import members, votes
from storage.audit import Acting
from storage.db import Database
from storage.members import Member
from storage.votes import VOTED_FOR, PlannedOption, Vote
from tests.conftest import Clock
from tests.journeys import catch_up, database, english, member_id, open_vote, signed_up, stored
from tests.test_acting import desk_member, organiser

STALE = "This button no longer works."
BUDGET = (PlannedOption("Benches", 400_00), PlannedOption("Playground", 800_00), PlannedOption("Flower boxes", 150_00))


async def to_their_votes(olga: Person, member: Member, how: str = "🧾 At the desk") -> None:
    """Olga opens the member's card, taps 🧾 Act for this member, says how they asked and taps 🗳️."""
    await olga.tap("📣 Organise")
    await olga.tap("👥 Members")
    await olga.tap("🔎 Find a member")
    await olga.send(str(member.member_no))
    await olga.tap(f"{member.first_name} · member {member.member_no:04d}")
    await olga.tap("🧾 Act for this member")
    await olga.tap(how)
    await olga.tap("🗳️ Vote with their choice")


async def open_ballot(olga: Person, member: Member, vote: Vote, how: str = "🧾 At the desk") -> None:
    await to_their_votes(olga, member, how)
    await olga.tap(next(label for label in olga.inline_labels if vote.title in label))


def counts(db: Database, vote: Vote) -> dict[str, int]:
    stored = votes.get(db, vote.id)
    assert stored is not None
    return {option.label: option.votes for option in stored.options}


def logged(db: Database, member: int) -> list[tuple]:
    """Every audit entry about the member, with every column it has."""
    return [tuple(row) for row in db.fetchall("SELECT * FROM audit_log WHERE target_id = ? ORDER BY id", (member,))]


def rows_naming(db: Database, member: int) -> dict[str, list[dict]]:
    """Every row in the database that names this member, by table."""
    found = {}
    tables = [row[0] for row in db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        columns = [row[1] for row in db.fetchall(f"PRAGMA table_info({table})")]
        naming = [c for c in columns if c.endswith(("member_id", "target_id", "giver_id", "holder_id", "cast_by"))]
        naming += ["id"] if table == "members" else []
        if naming:
            where = " OR ".join(f"{column} = :m" for column in naming)
            rows = db.fetchall(f"SELECT * FROM {table} WHERE {where}", {"m": member})
            if rows:
                found[table] = [dict(zip(columns, tuple(row), strict=True)) for row in rows]
    return found


async def test_a_desk_member_votes_for_or_against_and_it_counts(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    fatma = desk_member(local_bot, olga_id)
    vote = await open_vote(local_bot, "New benches")
    db = database(local_bot)

    await to_their_votes(olga, fatma, "📞 By phone")
    assert olga.last_text == "🗳️ On which vote does Fatma want to vote?"  # "✅ means ..." only when one has ✅
    assert olga.inline_labels == ["🗳️ New benches · 3 days left", "⬅️ Back", "🏠 Menu"]
    await olga.tap("🗳️ New benches · 3 days left")
    assert "Tap what Fatma chose." in olga.last_text
    assert olga.inline_labels == ["✅ For", "❌ Against", "⚪ Abstain", "⬅️ Back", "🏠 Menu"]  # her own ballot's
    await olga.tap("✅ For")
    await olga.tap("⬅️ Back")  # not what she said
    await olga.tap("❌ Against")
    assert olga.last_text == "🗳️ New benches\n\nFatma votes: ❌ Against. Is this what they said?"
    assert olga.inline_labels == ["✅ Yes", "⬅️ Back", "🏠 Menu"]
    assert counts(db, vote)["against"] == 0  # nothing counts before ✅ Yes
    await olga.tap("✅ Yes")
    assert olga.last_text == "✅ Fatma has voted on New benches: ❌ Against."
    assert olga.inline_labels == ["⬅️ Back", "🏠 Menu"]
    assert counts(db, vote) == {"for": 0, "against": 1, "abstain": 0}
    assert votes.get(db, vote.id).voted == 1
    assert [row[2:] for row in logged(db, fatma.id)][-1] == (olga_id, VOTED_FOR, fatma.id, "phone")
    assert db.fetchall("SELECT kind FROM outbox WHERE kind = ?", (VOTED_FOR,)) == []  # no chat to tell

    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("Name: Fatma")  # her card
    await olga.tap("🧾 Act for this member")
    await olga.tap("🧾 At the desk")
    await olga.tap("🗳️ Vote with their choice")
    assert olga.inline_labels[0] == "✅ New benches · 3 days left"  # marked: she voted

    runtime = runtime_of(local_bot.application)
    data = await personal_data(db, fatma, {}, runtime.clock())
    text = personal_text(i18n.translator("en"), data, "en", runtime.settings.timezone).decode("utf-8-sig")
    assert "voted with the help of an organiser (asked by phone)" in text


async def test_a_secret_vote_keeps_no_choice_next_to_her_name_and_still_counts_it(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    fatma = desk_member(local_bot, olga_id)
    bob = await english(local_bot, "Bob", 2)
    bob_id = await member_id(local_bot, bob)
    vote = await open_vote(local_bot, "Secret question", secret=True)
    db = database(local_bot)
    against = next(o.id for o in vote.options if o.label == "against")
    votes.cast(db, vote.id, bob_id, against, clock(), for_member_by=Acting(olga_id, "phone"))  # he has Telegram

    await open_ballot(olga, fatma, vote, "📄 On paper")
    assert "🔒 This vote is secret. Nobody can see in the bot what Fatma chose." in olga.last_text
    assert "nobody sees what you chose" not in olga.last_text  # that line speaks to a voter
    await olga.tap("✅ For")
    await olga.tap("✅ Yes")
    assert olga.last_text == (
        "✅ Fatma has voted on Secret question.\n🔒 This vote is secret. Nobody can see in the bot what Fatma chose."
    )
    [entry] = [row for row in logged(db, fatma.id) if row[3] == VOTED_FOR]
    assert entry[2:] == (olga_id, VOTED_FOR, fatma.id, "paper")  # during the vote: who, whom, how; no option
    assert len(entry) == 6

    await catch_up(local_bot)
    bob.look()
    assert bob.last_text.startswith("🗳️ Olga voted for you on Secret question, as you asked.")
    assert "Against" not in bob.last_text

    clock.now = vote.closes_at + timedelta(minutes=1)
    await catch_up(local_bot)
    assert counts(db, vote) == {"for": 1, "against": 1, "abstain": 0}  # both votes counted
    assert db.fetchone("SELECT count(*) FROM ballots")[0] == 0
    for member in (fatma.id, bob_id):
        after = votes.card(db, vote.id, member)
        assert after is not None and after.counted and after.choices == frozenset()
        naming = rows_naming(db, member)
        assert set(naming) <= {"members", "voters", "audit_log", "outbox", "user_data"}, set(naming)
        for rows in naming.values():
            for row in rows:
                assert not [column for column, value in row.items() if "option" in column and value is not None]
                assert not [value for value in row.values() if isinstance(value, str) and "option" in value]


async def test_a_budget_is_ticked_within_the_budget_and_sent_as_one_ballot(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    vote = await open_vote(local_bot, "Budget 2027", kind="budget", options=BUDGET, budget_cents=1000_00)
    db = database(local_bot)

    await open_ballot(olga, fatma, vote)
    assert "Tick the projects Fatma chose. Then tap ✅ Send." in olga.last_text
    assert olga.inline_labels[:3] == ["⬜ Benches · €400.00", "⬜ Playground · €800.00", "⬜ Flower boxes · €150.00"]
    assert "✅ Send" not in olga.inline_labels  # nothing ticked yet
    await olga.tap("⬜ Playground · €800.00")
    assert "Chosen: €800.00. Left: €200.00." in olga.last_text
    await olga.tap("⬜ Benches · €400.00")
    assert olga.toasts == ["That does not fit. There is €200.00 left. Take something off first."]
    assert "⬜ Benches · €400.00" in olga.inline_labels
    await olga.tap("⬜ Flower boxes · €150.00")
    assert db.fetchone("SELECT count(*) FROM ballots")[0] == 0  # the ticks are only in the buttons
    await olga.tap("✅ Send")
    assert olga.last_text.endswith(
        "Fatma votes: Playground · €800.00 and Flower boxes · €150.00. Is this what they said?"
    )
    await olga.tap("⬅️ Back")  # the ticks are still there
    assert olga.inline_labels[:4] == [
        "⬜ Benches · €400.00",
        "☑️ Playground · €800.00",
        "☑️ Flower boxes · €150.00",
        "✅ Send",
    ]
    await olga.tap("✅ Send")
    await olga.tap("✅ Yes")
    assert olga.last_text.startswith("✅ Fatma has voted on Budget 2027: Playground")
    assert counts(db, vote) == {"Benches": 0, "Playground": 1, "Flower boxes": 1}
    assert votes.card(db, vote.id, fatma.id).spent_cents() == 950_00

    result = olga.last_text
    await olga.press(f"act4v:yes:{fatma.id}:{vote.id}:7")  # all three, moments later: over the budget, and she voted
    assert olga.toasts == ["✅ Done"]  # a pop-up only: the result stays on the screen
    assert olga.last_message["text"] == result
    assert counts(db, vote) == {"Benches": 0, "Playground": 1, "Flower boxes": 1}


async def test_a_closed_vote_a_member_who_is_no_voter_and_a_second_cast_are_refused(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    fatma = desk_member(local_bot, olga_id)
    ann = await english(local_bot, "Ann", 3)
    ann_id = await member_id(local_bot, ann)
    vote = await open_vote(local_bot, "New benches")
    soon = await open_vote(local_bot, "Quick question", closes_in=timedelta(hours=1))
    late = desk_member(local_bot, olga_id, "Gül")  # added after the votes opened: no voter
    db = database(local_bot)
    against = next(o.id for o in vote.options if o.label == "against")

    await open_ballot(olga, fatma, vote)
    await olga.tap("✅ For")
    await olga.tap("✅ Yes")
    confirmed = olga.last_message
    await olga.press(f"act4v:yes:{fatma.id}:{vote.id}:1", confirmed["message_id"])  # a double tap
    assert olga.toasts == ["✅ Done"]  # a pop-up only: the result stays on the screen
    assert olga.last_message["text"] == "✅ Fatma has voted on New benches: ✅ For."
    untouched = next(m for m in olga.chat.messages.values() if m["from"].get("is_bot") and "edit_date" not in m)
    await olga.press(f"act4v:yes:{fatma.id}:{vote.id}:1", untouched["message_id"])  # both taps left at once
    assert olga.toasts == ["✅ Done"]  # the first one's vote is in the audit log: only a pop-up
    await olga.press(f"act4v:yes:{fatma.id}:{vote.id}:2")  # another choice: still her first vote
    assert counts(db, vote) == {"for": 1, "against": 0, "abstain": 0}
    assert [row[3] for row in logged(db, fatma.id)].count(VOTED_FOR) == 1

    ann_member = members.get(db, ann_id)
    assert ann_member is not None
    await open_ballot(olga, ann_member, vote)
    await olga.tap("✅ For")  # Olga asks "is this what Ann said?" ...
    votes.cast(db, vote.id, ann_id, against, clock())  # ... while Ann votes herself
    await olga.tap("✅ Yes")
    assert olga.last_text == "Ann has already voted on New benches. Nothing changed."
    assert votes.card(db, vote.id, ann_id).choices == {against}

    await olga.tap("⬅️ Back")  # to her open votes
    assert olga.inline_labels[:2] == ["🗳️ Quick question · 1 hour left", "✅ New benches · 3 days left"]
    shown = olga.last_message
    clock.advance(hours=2)
    await olga.tap_on(shown, next(label for label in olga.inline_labels if "Quick question" in label))
    assert olga.last_text == "This vote is closed. Nothing changed."
    await olga.press(f"act4v:yes:{ann_id}:{soon.id}:1")  # the same answer: the screen stays
    assert olga.last_message["text"] == "This vote is closed. Nothing changed."
    assert votes.get(db, soon.id).voted == 0

    await olga.tap("⬅️ Back")
    await olga.press(f"act4v:start:{late.id}")
    await olga.tap("🧾 At the desk")
    await olga.tap("🗳️ Vote with their choice")
    assert olga.last_text == "🗳️ There is no open vote that Gül can vote on."
    assert olga.inline_labels == ["⬅️ Back", "🏠 Menu"]
    await olga.press(f"act4v:yes:{late.id}:{vote.id}:1")  # forged: a refusal, as a pop-up on the screen she has
    assert olga.toasts == ["This button no longer works."]
    assert counts(db, vote) == {"for": 1, "against": 1, "abstain": 0}
    assert [row[3] for row in logged(db, late.id)].count(VOTED_FOR) == 0


async def test_forged_buttons_and_a_member_who_is_no_organiser_change_nothing(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    bob = await english(local_bot, "Bob", 2)
    vote = await open_vote(local_bot, "New benches")
    db = database(local_bot)
    await catch_up(local_bot)  # the news of the vote

    for data in (f"act4v:start:{fatma.id}", f"act4v:vote:{fatma.id}:{vote.id}:0", f"act4v:yes:{fatma.id}:{vote.id}:1"):
        await bob.press(data)
        assert bob.last_text == "Only organisers can do this."
    await open_ballot(olga, fatma, vote)
    for forged in (
        f"act4v:yes:{fatma.id}:{vote.id}:8",  # no fourth option
        f"act4v:yes:{fatma.id}:{vote.id}:3",  # two choices on a for/against vote
        f"act4v:yes:{fatma.id}:{vote.id}:0",  # none
        f"act4v:tick:{fatma.id}:{vote.id}:0:1",  # not a budget
        f"act4v:yes:{fatma.id}:999999:1",  # no such vote
        f"act4v:yes:999999:{vote.id}:1",  # no such member
        f"act4v:yes:{fatma.id}:{vote.id}:99999",  # not a mask we make
    ):
        await olga.press(forged)
        assert olga.toasts[-1] == STALE, forged
    assert votes.get(db, vote.id).voted == 0


async def test_a_member_with_telegram_is_told_in_their_language_and_can_change_it(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    bob = await signed_up(local_bot, "Bob", user_id=2)  # reads Dutch
    bob_member = await stored(local_bot, bob)
    assert bob_member is not None
    vote = await open_vote(local_bot, "Nieuwe bankjes")
    await catch_up(local_bot)
    settings = runtime_of(local_bot.application).settings
    nl = i18n.translator("nl")

    await open_ballot(olga, bob_member, vote, "📞 By phone")
    await olga.tap("✅ For")
    await olga.tap("✅ Yes")
    await catch_up(local_bot)
    bob.look()
    until = format_when(vote.closes_at, "nl", settings.timezone)
    assert bob.last_text == (
        nl("🗳️ {name} voted for you on {title}, as you asked.").format(name="Olga", title="Nieuwe bankjes")
        + "\n"
        + nl("You can change your vote until {when}.").format(when=until)
    )
    assert bob.inline_labels == ["🗳️ " + nl("Show the vote"), "🏠 " + nl("Menu")]
    await bob.tap("🗳️ " + nl("Show the vote"))
    against = "❌ " + nl("Against")
    await bob.tap(against)  # his own vote, as for any vote of his
    assert votes.card(database(local_bot), vote.id, bob_member.id).choices == {
        next(o.id for o in vote.options if o.label == "against")
    }


async def test_her_own_vote_at_the_desk_ends_the_proxy_she_gave_as_her_own_tap_would(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 3)
    ann_id = await member_id(local_bot, ann)
    bob = await english(local_bot, "Bob", 2)
    bob_member = await stored(local_bot, bob)
    assert bob_member is not None
    vote = await open_vote(local_bot, "New benches")
    db = database(local_bot)
    _, proxy = votes.give_proxy(db, vote.id, bob_member.id, ann_id, None, clock(), max_proxies=1)
    assert proxy is not None
    votes.answer_proxy(db, proxy.id, ann_id, True, clock(), max_proxies=1)

    await open_ballot(olga, bob_member, vote)
    await olga.tap("⚪ Abstain")
    await olga.tap("✅ Yes")
    assert olga.last_text == "✅ Bob has voted on New benches: ⚪ Abstain.\n🤝 Ann no longer votes for them."
    assert votes.proxy(db, proxy.id).status == "dropped"
    await catch_up(local_bot)
    ann.look()
    assert "Bob voted on: New benches. Your vote for them no longer counts." in ann.texts
