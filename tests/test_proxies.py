"""🤝 Proxies as members use them: give your vote on one vote to someone, who says yes or no; take it back."""

from datetime import timedelta

import pytest

from bot.config import Settings
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.server import TelegramEmulator
from storage import votes
from storage.votes import Proxy, Vote
from tests.conftest import Clock, running_bot
from tests.journeys import catch_up, database, english, kept_apart, member_id, open_vote

TITLE = "New benches on the square"
QUESTION = "Who should vote for you? Type their name or member number."
NOT_FOR_YOU = "This request is not for you, or it no longer exists."


def option_id(vote: Vote, label: str) -> int:
    return next(o.id for o in vote.options if o.label == label)


async def given(local_bot: LocalBot, vote: Vote, person: Person) -> Proxy | None:
    """The live proxy this person gave on this vote, as stored."""
    card = votes.card(database(local_bot), vote.id, await member_id(local_bot, person))
    assert card is not None
    return card.given


async def proxy_id(local_bot: LocalBot, vote: Vote) -> int:
    """The newest proxy on this vote, whatever became of it."""
    row = database(local_bot).fetchone("SELECT max(id) FROM proxies WHERE vote_id = ?", (vote.id,))
    assert row is not None and row[0] is not None
    return int(row[0])


def labels_on(person: Person, message: dict) -> list[str]:
    """The buttons of one message as it is now (after edits)."""
    now = person.chat.messages[message["message_id"]]
    return [b["text"] for row in (now.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def a_vote(local_bot: LocalBot, *people: Person) -> Vote:
    """An open vote whose news everyone has read."""
    vote = await open_vote(local_bot, TITLE)
    await catch_up(local_bot)
    for person in people:
        person.look()
    return vote


async def asks(giver: Person, vote: Vote, search: str, name: str, choice: str = "🤔 They may choose") -> None:
    """The giver goes from the vote card through the steps to ✅ on the preview."""
    await giver.press(f"vote:card:{vote.id}")
    await giver.tap("🤝 Let someone vote for me")
    await giver.send(search)
    await giver.tap(next(label for label in giver.inline_labels if label.startswith(name + " · ")))
    await giver.tap(choice)
    await giver.tap(f"✅ Yes, ask {name}")


async def hears(local_bot: LocalBot, person: Person) -> str:
    """What the bot sent this person by itself since they last looked."""
    await catch_up(local_bot)
    person.look()
    return person.last_text


async def test_ann_gives_her_vote_to_bob_by_name_and_bob_says_yes(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    await english(local_bot, "Bobby", 3)
    vote = await a_vote(local_bot, ann, bob)

    await ann.press(f"vote:card:{vote.id}")
    await ann.tap("🤝 Let someone vote for me")
    assert QUESTION in ann.last_text
    assert TITLE in ann.last_text
    assert ann.inline_labels == ["⬅️ Back", "🏠 Menu"]
    await ann.send("BOB")
    assert ann.last_text.startswith("Found for “BOB”: 2")
    assert ann.inline_labels == ["Bob · member 0002", "Bobby · member 0003", "⬅️ Back", "🏠 Menu"]
    await ann.tap("Bob · member 0002")
    assert "What should Bob vote for you?" in ann.last_text
    assert ann.inline_labels == [
        "Vote ✅ For for me",
        "Vote ❌ Against for me",
        "Vote ⚪ Abstain for me",
        "🤔 They may choose",
        "⬅️ Back",
        "🏠 Menu",
    ]
    await ann.tap("🤔 They may choose")
    assert ann.last_text.startswith(
        f"🤝 You ask Bob (member 0002) to vote for you on: {TITLE}.\nThey choose themselves."
    )
    assert ann.inline_labels == ["✅ Yes, ask Bob", "✏️ Change", "✖️ Stop", "⬅️ Back", "🏠 Menu"]
    assert await given(local_bot, vote, ann) is None  # nothing is sent before ✅
    await catch_up(local_bot)
    assert bob.look() == []

    await ann.tap("✅ Yes, ask Bob")
    assert ann.last_text == "✅ We asked Bob. You hear it when Bob answers."
    assert ann.inline_labels == ["⬅️ Back", "🏠 Menu"]
    assert (await hears(local_bot, bob)).startswith(f"🤝 Ann asks you to vote for them on: {TITLE}")
    assert "They want you to vote" not in bob.last_text
    assert bob.inline_labels == ["✅ Yes", "❌ No", "🏠 Menu"]

    await bob.tap("✅ Yes")
    assert bob.last_text.startswith(f"🤝 Thank you! You vote for Ann on: {TITLE}.")
    assert bob.inline_labels == ["🗳️ Show the vote", "🏠 Menu"]
    assert await hears(local_bot, ann) == f"🤝 Bob will vote for you on: {TITLE}."
    proxy = await given(local_bot, vote, ann)
    assert proxy is not None and proxy.status == "accepted" and proxy.holder_name == "Bob"

    await bob.press(f"proxy:yes:{proxy.id}")  # a double tap: the message already says it
    assert bob.texts == []
    assert bob.last_message["text"].startswith("🤝 Thank you! You vote for Ann")
    await catch_up(local_bot)
    assert ann.look() == []
    await bob.press(f"proxy:no:{proxy.id}")  # an old ❌ after ✅
    assert bob.toasts == ["You already said yes."]
    assert (await given(local_bot, vote, ann)).status == "accepted"
    await bob.tap("🗳️ Show the vote")
    assert "🤝 Vote for Ann" in bob.inline_labels


async def test_by_member_number_with_a_fixed_choice_that_the_holder_sees(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    vote = await a_vote(local_bot, ann, bob)
    await ann.press(f"proxy:give:{vote.id}")
    await ann.send("member 0002")
    assert ann.inline_labels[0] == "Bob · member 0002"
    await ann.send("2")  # typing again on the list searches again
    assert ann.last_text.startswith("Found for “2”: 1")
    await ann.tap("Bob · member 0002")
    await ann.tap("Vote ❌ Against for me")
    assert "They vote: ❌ Against." in ann.last_text
    await ann.tap("⬅️ Back")  # one step back: the choice again
    assert "What should Bob vote for you?" in ann.last_text
    await ann.tap("Vote ❌ Against for me")
    await ann.tap("✅ Yes, ask Bob")

    request = await hears(local_bot, bob)
    assert "They want you to vote: ❌ Against." in request
    await bob.tap("✅ Yes")
    assert "They want you to vote: ❌ Against." in bob.last_text
    proxy = await given(local_bot, vote, ann)
    assert proxy is not None and proxy.option_id == option_id(vote, "against")


async def test_bob_says_no_and_ann_can_ask_someone_else(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    vote = await a_vote(local_bot, ann, bob)
    await asks(ann, vote, "bob", "Bob")
    await hears(local_bot, bob)
    await bob.tap("❌ No")
    assert bob.last_text == f"OK. You do not vote for Ann on: {TITLE}. Ann hears it."
    assert bob.inline_labels == ["🏠 Menu"]
    assert (await hears(local_bot, ann)).startswith(f"Bob does not want to vote for you on: {TITLE}.")
    await bob.press(f"proxy:no:{await proxy_id(local_bot, vote)}")  # a double tap
    assert bob.toasts == ["You already said no."]
    assert bob.texts == []
    await bob.press(f"proxy:yes:{await proxy_id(local_bot, vote)}")  # changing his mind on an old message
    assert bob.toasts == ["You already said no."]
    assert bob.last_message["text"] == f"OK. You do not vote for Ann on: {TITLE}. Ann hears it."
    await catch_up(local_bot)
    assert ann.look() == []
    assert await given(local_bot, vote, ann) is None
    await ann.press(f"proxy:give:{vote.id}")
    assert QUESTION in ann.last_text


async def test_ann_takes_it_back_before_it_is_used_and_bob_hears_it(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    vote = await a_vote(local_bot, ann, bob)
    await asks(ann, vote, "Bob", "Bob")
    await hears(local_bot, bob)
    await bob.tap("✅ Yes")
    await hears(local_bot, ann)

    await ann.press(f"vote:card:{vote.id}")
    await ann.tap("🤝 Take back my proxy")
    assert ann.last_text == f"Take back your request to Bob? Then Bob cannot vote for you on: {TITLE}."
    assert ann.inline_labels == ["✅ Yes, take it back", "↩️ No, keep it", "⬅️ Back", "🏠 Menu"]
    assert (await given(local_bot, vote, ann)) is not None  # asking changed nothing
    await ann.tap("✅ Yes, take it back")
    assert ann.last_text.startswith("↩️ Taken back. Bob no longer votes for you.")
    assert ann.inline_labels == ["⬅️ Back", "🏠 Menu"]
    assert await hears(local_bot, bob) == f"Ann no longer asks you to vote for them on: {TITLE}."
    assert await given(local_bot, vote, ann) is None

    await ann.press(f"proxy:undook:{await proxy_id(local_bot, vote)}")  # a double tap
    await catch_up(local_bot)
    assert bob.look() == []
    await ann.press(f"proxy:undo:{await proxy_id(local_bot, vote)}")  # an old button
    assert ann.last_text == "This request has already ended."
    await bob.press(f"vote:card:{vote.id}")
    assert "🤝 Vote for Ann" not in bob.inline_labels


async def test_a_request_taken_back_before_bob_answers_changes_nothing_when_he_taps(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    vote = await a_vote(local_bot, ann, bob)
    await asks(ann, vote, "Bob", "Bob")
    await hears(local_bot, bob)
    request = bob.last_message
    await ann.press(f"proxy:undo:{(await given(local_bot, vote, ann)).id}")
    await ann.tap("✅ Yes, take it back")
    await hears(local_bot, bob)
    await bob.tap_on(request, "✅ Yes")
    assert bob.last_text == f"Ann no longer asks you to vote for them on: {TITLE}."
    assert await given(local_bot, vote, ann) is None
    await catch_up(local_bot)
    assert ann.look() == []


async def test_a_proxy_that_was_used_cannot_be_taken_back_but_ann_can_vote_herself(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    vote = await a_vote(local_bot, ann, bob)
    await asks(ann, vote, "Bob", "Bob")
    await hears(local_bot, bob)
    await bob.tap("✅ Yes")
    await bob.press(f"vote:pickfor:{vote.id}:{await member_id(local_bot, ann)}:{option_id(vote, 'for')}")
    await hears(local_bot, ann)
    proxy = await given(local_bot, vote, ann)
    assert proxy is not None and proxy.status == "used"
    await ann.press(f"proxy:undo:{proxy.id}")
    assert ann.last_text == "Bob already voted for you. Vote yourself: then your own vote counts."
    await ann.press(f"proxy:undook:{proxy.id}")  # the message already says it: nothing new
    assert ann.texts == []
    assert (await given(local_bot, vote, ann)).status == "used"
    await ann.press(f"proxy:give:{vote.id}")  # her vote was cast for her already
    assert ann.last_text == "You already asked someone to vote for you. You can see it on the vote card."


async def test_no_chains_who_holds_a_proxy_cannot_give_and_who_gave_cannot_hold(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    cas = await english(local_bot, "Cas", 3)
    dan = await english(local_bot, "Dan", 4)
    vote = await a_vote(local_bot, ann, bob, cas, dan)
    await asks(cas, vote, "Ann", "Ann")  # Cas asks Ann first
    await hears(local_bot, ann)
    cas_request = ann.last_message
    await asks(ann, vote, "Bob", "Bob")  # then Ann gives her own vote to Bob
    await hears(local_bot, bob)
    await bob.tap("✅ Yes")

    await bob.press(f"proxy:give:{vote.id}")  # Bob holds Ann's vote
    assert bob.last_text == "You vote for someone else on this vote, so you cannot give your vote away."
    assert bob.inline_labels == ["⬅️ Back", "🏠 Menu"]

    await ann.tap_on(cas_request, "✅ Yes")  # Ann gave hers away: she cannot hold Cas's
    assert ann.last_text == "You let someone else vote for you on this vote. So you cannot vote for Cas."
    assert labels_on(ann, cas_request) == ["❌ Say no to Cas", "🏠 Menu"]
    assert (await given(local_bot, vote, cas)).status == "asked"
    await ann.tap_on(ann.chat.messages[cas_request["message_id"]], "❌ Say no to Cas")
    assert ann.last_text.startswith("OK. You do not vote for Cas")
    assert (await hears(local_bot, cas)).startswith("Ann does not want to vote for you")

    await dan.press(f"proxy:give:{vote.id}")  # nor can anyone else ask Ann now
    await dan.send("ann")
    await dan.tap("Ann · member 0001")
    assert dan.last_text == "Ann lets someone else vote for them. Choose another member."
    assert dan.inline_labels == ["👥 Choose another member", "⬅️ Back", "🏠 Menu"]
    await dan.tap("👥 Choose another member")
    assert QUESTION in dan.last_text


async def test_one_proxy_each_by_default(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    cas = await english(local_bot, "Cas", 3)
    dan = await english(local_bot, "Dan", 4)
    vote = await a_vote(local_bot, ann, bob, cas, dan)
    await asks(ann, vote, "Bob", "Bob")
    await asks(cas, vote, "Bob", "Bob")  # asked before Bob said yes to anyone: allowed
    await hears(local_bot, bob)
    ann_request, cas_request = [m for m in bob.chat.messages.values() if "asks you to vote" in (m.get("text") or "")]
    await bob.tap_on(ann_request, "✅ Yes")
    await bob.tap_on(cas_request, "✅ Yes")
    assert bob.last_text == "You already vote for someone else on this vote. You cannot vote for Cas too."
    assert (await given(local_bot, vote, cas)).status == "asked"

    await dan.press(f"proxy:give:{vote.id}")
    await dan.send("Bob")
    await dan.tap("Bob · member 0002")
    assert dan.last_text == "Bob already votes for someone else. Choose another member."
    await dan.press(f"proxy:send:{vote.id}:{await member_id(local_bot, bob)}:0")  # past the check: storage refuses
    assert dan.last_message["text"] == "Bob already votes for someone else. Choose another member."
    assert await given(local_bot, vote, dan) is None


@pytest.mark.settings(WIJKBOT_MAX_PROXIES="2")
async def test_two_proxies_each_when_the_cooperative_allows_it(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    cas = await english(local_bot, "Cas", 3)
    dan = await english(local_bot, "Dan", 4)
    vote = await a_vote(local_bot, ann, bob, cas, dan)
    for giver in (ann, cas):
        await asks(giver, vote, "Bob", "Bob")
        await hears(local_bot, bob)
        await bob.tap("✅ Yes")
    assert (await given(local_bot, vote, ann)).status == "accepted"
    assert (await given(local_bot, vote, cas)).status == "accepted"
    await bob.press(f"vote:card:{vote.id}")
    assert {"🤝 Vote for Ann", "🤝 Vote for Cas"} <= set(bob.inline_labels)
    await dan.press(f"proxy:give:{vote.id}")  # a third is too many
    await dan.send("Bob")
    await dan.tap("Bob · member 0002")
    assert dan.last_text == "Bob already votes for someone else. Choose another member."


async def test_forged_and_stale_buttons_are_answered_plainly_and_change_nothing(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    cas = await english(local_bot, "Cas", 3)
    vote = await a_vote(local_bot, ann, bob, cas)
    await asks(ann, vote, "Bob", "Bob")
    await hears(local_bot, bob)
    proxy = await given(local_bot, vote, ann)
    assert proxy is not None

    await bob.press("proxy:yes:99999")
    assert bob.toasts == [NOT_FOR_YOU]
    await cas.press(f"proxy:yes:{proxy.id}")  # someone else's request
    assert cas.toasts == [NOT_FOR_YOU]
    await cas.press(f"proxy:undo:{proxy.id}")
    assert cas.toasts == ["This is not your request, or it no longer exists."]
    await cas.press(f"proxy:undook:{proxy.id}")
    assert cas.toasts == ["This is not your request, or it no longer exists."]
    await bob.press(f"proxy:undook:{proxy.id}")  # Bob is asked, but it is Ann's to take back
    assert bob.toasts == ["This is not your request, or it no longer exists."]
    await bob.press(f"proxy:yes:{proxy.id}:1")  # data we never made
    assert bob.toasts == ["This button no longer works."]
    await ann.press(f"proxy:fix:{vote.id}:{await member_id(local_bot, cas)}:{option_id(vote, 'for') + 100}")
    assert ann.last_text == "This choice is not on this vote. Please choose again."
    await ann.press(f"proxy:send:{vote.id}:{await member_id(local_bot, ann)}:0")
    assert ann.last_text == "You cannot ask yourself. Choose another member."
    assert (await given(local_bot, vote, ann)).status == "asked"
    assert (await given(local_bot, vote, ann)).holder_id == await member_id(local_bot, bob)
    await catch_up(local_bot)
    assert ann.look() == []

    await ann.press(f"proxy:send:{vote.id}:{await member_id(local_bot, bob)}:0")  # ✅ tapped twice
    assert ann.last_text == "✅ We asked Bob. You hear it when Bob answers."
    await catch_up(local_bot)
    assert bob.look() == []  # asked once

    visitor = local_bot.person("Vera", user_id=5, language_code="en")
    await visitor.send("/start")
    await visitor.press(f"proxy:yes:{proxy.id}")
    assert visitor.toasts == ["This is for members. Tap 📝 Sign up to become a member."]
    assert (await given(local_bot, vote, ann)).status == "asked"


async def test_after_the_deadline_nothing_changes(local_bot: LocalBot, clock: Clock) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    cas = await english(local_bot, "Cas", 3)
    later = await open_vote(local_bot, "Later", opens_in=timedelta(days=1), closes_in=timedelta(days=2))
    await cas.press(f"proxy:give:{later.id}")
    assert cas.last_text == "This vote is not open yet."
    vote = await a_vote(local_bot, ann, bob, cas)
    await asks(ann, vote, "Bob", "Bob")
    await hears(local_bot, bob)
    request = bob.last_message
    proxy = await given(local_bot, vote, ann)
    assert proxy is not None
    await cas.press(f"proxy:give:{vote.id}")  # Cas starts, and types only after the deadline

    clock.now = vote.closes_at + timedelta(minutes=1)
    await catch_up(local_bot)
    ann.look()
    bob.look()
    await bob.tap_on(request, "✅ Yes")
    assert bob.last_text == "This vote is closed."
    assert labels_on(bob, request) == ["🏠 Menu"]
    await cas.send("Bob")
    assert cas.last_text == "This vote is closed."
    await cas.send("Bob")  # the flow is over
    assert cas.last_text.startswith("Sorry, I do not understand that.")
    bob_id = await member_id(local_bot, bob)
    for old in (f"proxy:undo:{proxy.id}", f"proxy:undook:{proxy.id}", f"proxy:give:{vote.id}"):
        await ann.press(f"vote:card:{vote.id}")
        await ann.press(old)
        assert ann.last_text == "This vote is closed.", old
    for step in ("found", "to", "fix", "send"):
        data = {"found": f"{vote.id}:0", "to": f"{vote.id}:{bob_id}"}.get(step, f"{vote.id}:{bob_id}:0")
        await ann.press(f"vote:card:{vote.id}")
        await ann.press(f"proxy:{step}:{data}")
        assert ann.last_text == "This vote is closed.", step
    stored_proxy = votes.proxy(database(local_bot), proxy.id)
    assert stored_proxy is not None and stored_proxy.status == "lapsed"
    await catch_up(local_bot)
    assert bob.look() == []


async def test_who_joined_after_the_vote_opened_can_neither_give_nor_hold(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    vote = await a_vote(local_bot, ann)
    dan = await english(local_bot, "Dan", 2)
    await dan.press(f"proxy:give:{vote.id}")
    assert dan.last_text == "You cannot vote on this: you were not a member yet when it opened."
    assert dan.inline_labels == ["⬅️ Back", "🏠 Menu"]

    await ann.press(f"proxy:give:{vote.id}")
    await ann.send("Dan")
    assert ann.last_text.startswith("Nobody found for “Dan”.\nOnly members who can vote on this are found.")
    await ann.send("member 2")
    assert ann.last_text.startswith("Nobody found for “member 2”.")
    dan_id = await member_id(local_bot, dan)
    await ann.press(f"proxy:to:{vote.id}:{dan_id}")
    assert ann.last_text == "Dan cannot vote on this vote. Choose another member."
    await ann.press(f"proxy:send:{vote.id}:{dan_id}:0")
    assert ann.last_message["text"] == "Dan cannot vote on this vote. Choose another member."
    assert await given(local_bot, vote, ann) is None


async def test_typing_odd_things_gets_a_plain_answer(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    await english(local_bot, "سارة", 2)
    await english(local_bot, "Zoë", 3)
    vote = await a_vote(local_bot, ann)
    await ann.press(f"proxy:give:{vote.id}")
    await ann.send("!!! ???")
    assert ann.last_text.startswith(f"🤝 {TITLE}\n\nType at least one letter or number.\n\n{QUESTION}")
    await ann.send("😀")
    assert "Type at least one letter or number." in ann.last_text
    await ann.send("x" * 65)
    assert "This is too long. Write it in at most 64 characters." in ann.last_text
    await ann.send("<b>Bob</b> & co")
    assert ann.last_text.startswith("Nobody found for “<b>Bob</b> & co”.")
    await ann.send("Ann")  # not yourself
    assert ann.last_text.startswith("Nobody found for “Ann”.")
    await ann.send("سارة")
    assert ann.inline_labels[0] == kept_apart("سارة") + " · member 0002"
    await ann.send("zoe")
    assert ann.inline_labels[0] == "Zoë · member 0003"


async def test_many_found_come_five_a_page(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    for letter in "ABCDEFG":
        await english(local_bot, f"Sam{letter}", 10 + ord(letter))
    vote = await a_vote(local_bot, ann)
    await ann.press(f"proxy:give:{vote.id}")
    await ann.send("sam")
    assert ann.last_text.startswith("Found for “sam”: 7")
    assert ann.inline_labels[5:] == ["▶️", "⬅️ Back", "🏠 Menu"]
    await ann.tap("▶️")
    assert ann.inline_labels == ["SamF · member 0007", "SamG · member 0008", "◀️", "⬅️ Back", "🏠 Menu"]
    await ann.tap("SamG · member 0008")
    await ann.tap("⬅️ Back")  # from the choice: the list again, where typing still works
    assert ann.inline_labels[0] == "SamA · member 0002"
    await ann.send("samb")
    assert ann.inline_labels == ["SamB · member 0003", "⬅️ Back", "🏠 Menu"]
    await ann.tap("⬅️ Back")  # from the list: the question
    assert QUESTION in ann.last_text


async def test_stop_and_menu_send_nothing(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    vote = await a_vote(local_bot, ann, bob)
    await ann.press(f"proxy:give:{vote.id}")
    await ann.send("Bob")
    await ann.tap("Bob · member 0002")
    await ann.tap("🤔 They may choose")
    await ann.tap("✏️ Change")  # another member, then
    assert QUESTION in ann.last_text
    await ann.send("Bob")
    await ann.tap("Bob · member 0002")
    await ann.tap("🤔 They may choose")
    await ann.tap("✖️ Stop")
    assert ann.last_text == "Stopped. Nothing was sent."
    assert ann.inline_labels == ["⬅️ Back", "🏠 Menu"]
    await ann.tap("⬅️ Back")
    assert ann.last_text.startswith(f"🗳️ {TITLE}")  # the vote card

    await ann.tap("🤝 Let someone vote for me")
    await ann.tap("⬅️ Back")  # to the card: the flow is over
    assert ann.last_text.startswith(f"🗳️ {TITLE}")
    await ann.send("Bob")
    assert "Found for" not in ann.last_text

    await ann.press(f"proxy:give:{vote.id}")
    await ann.tap("🏠 Menu")
    assert ann.last_text == "Stopped. Nothing was sent."
    await ann.send("Bob")  # the flow is over: this is not a search
    assert "Found for" not in ann.last_text
    assert await given(local_bot, vote, ann) is None
    await catch_up(local_bot)
    assert bob.look() == []


async def test_a_budget_has_no_fixed_choice(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    budget = (votes.PlannedOption("Benches", 400_00), votes.PlannedOption("Playground", 800_00))
    vote = await open_vote(local_bot, "Budget 2027", kind="budget", options=budget, budget_cents=1000_00)
    await ann.press(f"proxy:give:{vote.id}")
    await ann.send("Bob")
    await ann.tap("Bob · member 0002")
    assert "They choose themselves." in ann.last_text
    await ann.tap("⬅️ Back")  # straight back to who was found
    assert ann.last_text.startswith("Found for “Bob”: 1")
    await ann.press(f"proxy:fix:{vote.id}:{await member_id(local_bot, bob)}:{option_id(vote, 'Benches')}")
    assert ann.last_text == "This choice is not on this vote. Please choose again."


async def test_typing_a_name_survives_a_restart(settings: Settings, emulator: TelegramEmulator, clock: Clock) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = await english(local_bot, "Ann", 1)
        await english(local_bot, "Bob", 2)
        vote = await a_vote(local_bot, ann)
        await ann.press(f"proxy:give:{vote.id}")
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = local_bot.person("Ann", user_id=1)
        await ann.send("Bob")
        assert ann.inline_labels[0] == "Bob · member 0002"
