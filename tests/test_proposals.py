"""💡 Proposals: a member writes one step by step, every organiser gets it, the first answer counts."""

import pytest

from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import proposals
from tests.conftest import Clock
from tests.journeys import catch_up, database, kept_apart, signed_up, stored

pytestmark = pytest.mark.settings(ORGANISER_IDS="900,901")

WAY_ON = ["⬅️ Back", "🏠 Menu"]
ASK_TITLE = "💡 What is your proposal? Give it a short title. At most 80 characters."
ASK_TEXT = "What should happen? Describe your proposal. At most 1000 characters."
ASK_WHY = "Why is it good for the neighbourhood? At most 500 characters."
PREVIEW_BUTTONS = ["✅ Yes, send", "✏️ Change", "✖️ Stop", *WAY_ON]
CARD_BUTTONS = ["🗳️ Put to a vote", "❓ Ask a question", "✖️ Decline"]
ARABIC = "مكان للجلوس لكبار السن"  # a place to sit for older people


async def people(local_bot: LocalBot) -> tuple[Person, Person, Person]:
    """Two organisers and a member, all reading English."""
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    omar = await signed_up(local_bot, "Omar", user_id=901, language="English")
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    return olga, omar, ann


async def proposes(ann: Person, title: str = "Benches on the square") -> None:
    """💡 Make a proposal, answered straight through and sent."""
    await ann.press("prop:new")
    for answer in (title, "Three benches near the playground.", "People want to sit in the sun."):
        await ann.send(answer)
    await ann.tap("✅ Yes, send")


def back_data(person: Person) -> str:
    """Where ⬅️ Back under the newest message leads."""
    rows = person.last_message["reply_markup"]["inline_keyboard"]
    return next(b["callback_data"] for row in rows for b in row if b["text"] == "⬅️ Back")


def stored_proposals(local_bot: LocalBot) -> list[proposals.Proposal]:
    return proposals.waiting_page(database(local_bot), 0).items


async def test_a_member_writes_a_proposal_step_by_step_and_every_organiser_gets_it(local_bot: LocalBot) -> None:
    olga, omar, ann = await people(local_bot)
    await ann.press("prop:new")
    assert ann.last_text == ASK_TITLE
    assert ann.inline_labels == WAY_ON
    assert back_data(ann) == "vote:menu"  # the first step goes back to 🗳️ Votes

    await ann.send("   ")
    assert ann.last_text == "Please type a short title for your proposal.\n\n" + ASK_TITLE
    await ann.send("B" * 81)
    assert ann.last_text == "This is too long. Write it in at most 80 characters.\n\n" + ASK_TITLE
    await ann.send("Benches\non the square")
    assert ann.last_text.startswith("Please write it on one line")
    await ann.send("Benches <b>x</b> & more")
    assert ann.last_text == ASK_TEXT
    await ann.tap("⬅️ Back")
    assert ann.last_text == ASK_TITLE
    await ann.send("Benches <b>x</b> & more")

    await ann.send("Three benches.\nNear the playground.")
    assert ann.last_text == ASK_WHY
    await ann.send("W" * 501)
    assert ann.last_text == "This is too long. Write it in at most 500 characters.\n\n" + ASK_WHY
    await ann.send(ARABIC)
    assert ann.last_text.splitlines() == [
        "This is what the organisers will read:",
        "",
        "💡 Proposal from Ann",
        "Benches <b>x</b> & more",  # shown as typed, not as bold
        "Three benches.",
        "Near the playground.",
        "",
        f"Why: {kept_apart(ARABIC)}",
    ]
    assert ann.inline_labels == PREVIEW_BUTTONS
    await ann.tap("⬅️ Back")
    assert ann.last_text == ASK_WHY
    await ann.send(ARABIC)

    await ann.tap("✏️ Change")
    assert ann.last_text == "What do you want to change?"
    assert ann.inline_labels == ["Title", "Text", "Why", *WAY_ON]
    await ann.tap("⬅️ Back")
    assert ann.inline_labels == PREVIEW_BUTTONS
    await ann.tap("✏️ Change")
    await ann.tap("Text")
    assert ann.last_text == ASK_TEXT
    await ann.send(" \n ")  # only spaces: asked again, nothing lost
    assert ann.last_text.startswith("Please write a few words about your proposal.")
    await ann.send("Four benches, one in the shade.")
    assert "Four benches, one in the shade." in ann.last_text.splitlines()  # straight back to the preview
    assert ann.inline_labels == PREVIEW_BUTTONS
    assert stored_proposals(local_bot) == []  # nothing is sent before ✅
    preview = ann.last_message

    await ann.tap("✅ Yes, send")
    assert ann.toasts == ["✅"]
    assert ann.last_text == (
        "✅ Sent: Benches <b>x</b> & more.\nThe organisers get your proposal. You will hear from them here."
    )
    assert ann.inline_labels == ["📋 My proposals", *WAY_ON]
    await ann.tap_on(preview, "✅ Yes, send")  # a double tap sends nothing more
    assert ann.toasts == ["This button no longer works."]
    [sent] = stored_proposals(local_bot)
    assert (sent.title, sent.body, sent.reason) == (
        "Benches <b>x</b> & more",
        "Four benches, one in the shade.",
        ARABIC,
    )

    await catch_up(local_bot)
    for organiser in (olga, omar):
        organiser.look()
        assert organiser.last_text.splitlines()[:3] == [
            "💡 Proposal from Ann",
            "Benches <b>x</b> & more",
            "Four benches, one in the shade.",
        ]
        assert organiser.inline_labels == [*CARD_BUTTONS, "🏠 Menu"]


async def test_one_organiser_asks_a_question_and_the_other_card_says_it_was_answered(local_bot: LocalBot) -> None:
    olga, omar, ann = await people(local_bot)
    await proposes(ann)
    await catch_up(local_bot)
    omar.look()
    omars_card = omar.last_message

    olga.look()
    await olga.tap("❓ Ask a question")
    question = (
        "❓ What do you want to ask Ann about “Benches on the square”? Type your question. At most 500 characters."
    )
    assert olga.last_text == question
    assert olga.inline_labels == WAY_ON
    await olga.tap("⬅️ Back")  # back to the card: nothing sent
    assert olga.last_text.startswith("💡 Proposal from Ann")
    assert olga.inline_labels == [*CARD_BUTTONS, *WAY_ON]
    await olga.tap("❓ Ask a question")
    await olga.send(" ")
    assert olga.last_text == "Please type your question.\n\n" + question
    await olga.send("Q" * 501)
    assert olga.last_text.startswith("This is too long. Write it in at most 500 characters.")
    await olga.send("How much do they cost?")
    assert olga.last_text == (
        "This is the message Ann will get:\n\n"
        "❓ An organiser has a question about your proposal “Benches on the square”:\n"
        "How much do they cost?\n\nTap 💡 to make a new proposal with your answer."
    )
    assert olga.inline_labels == PREVIEW_BUTTONS
    await olga.tap("✏️ Change")
    assert olga.last_text == question
    await olga.send("How much do they cost? Who pays <i>them</i>?")
    assert ann.chat.events[-1].text.startswith("✅ Sent")  # Ann heard nothing yet
    preview = olga.last_message
    await olga.tap("✅ Yes, send")
    assert olga.last_text == "✅ Sent. The member gets your message."
    assert olga.inline_labels == WAY_ON
    await olga.tap_on(preview, "✅ Yes, send")  # a double tap sends nothing more
    assert olga.toasts == ["This button no longer works."]

    await catch_up(local_bot)
    ann.look()
    assert ann.texts == [
        "❓ An organiser has a question about your proposal “Benches on the square”:\n"
        "How much do they cost? Who pays <i>them</i>?\n\nTap 💡 to make a new proposal with your answer."
    ]

    await omar.tap_on(omars_card, "❓ Ask a question")
    assert omar.last_text.splitlines()[-3:] == [
        "An organiser already answered this proposal. Nothing was changed.",
        "",
        "❓ An organiser asked a question: How much do they cost? Who pays <i>them</i>?",
    ]
    assert omar.inline_labels == WAY_ON
    await omar.tap_on(omars_card, "✖️ Decline")  # the card already says so: nothing changes
    assert omar.texts == []
    assert "Nothing was changed." in omar.chat.messages[omars_card["message_id"]]["text"]
    [decided] = proposals.of_member(database(local_bot), (await stored(local_bot, ann)).id, 0).items
    assert (decided.status, decided.answer) == ("asked", "How much do they cost? Who pays <i>them</i>?")

    await ann.press("prop:mine:0")
    assert ann.last_text == (
        "📋 My proposals\n\n💡 Benches on the square\nFriday 27 November, 10:00\n"
        "❓ An organiser asked a question: How much do they cost? Who pays <i>them</i>?"
    )
    assert ann.inline_labels == ["💡 Make a proposal", *WAY_ON]
    assert back_data(ann) == "vote:menu"


async def test_two_organisers_decline_at_once_and_only_the_first_counts(local_bot: LocalBot) -> None:
    olga, omar, ann = await people(local_bot)
    await proposes(ann, "A bigger garden")
    await catch_up(local_bot)
    for organiser in (olga, omar):
        organiser.look()
        await organiser.tap("✖️ Decline")
        assert organiser.last_text.startswith("✖️ Why is “A bigger garden” not put to a vote? Type the reason for Ann.")
        await organiser.send(f"There is no room. ({organiser.user['first_name']})")
        assert organiser.last_text == (
            "This is the message Ann will get:\n\n"
            "Your proposal “A bigger garden” is not put to a vote. The reason:\n"
            f"There is no room. ({organiser.user['first_name']})"
        )
    await olga.tap("✅ Yes, send")
    await olga.tap("⬅️ Back")
    assert olga.last_text == "💡 No proposals are waiting."
    await omar.tap("✅ Yes, send")
    assert "An organiser already answered this proposal. Nothing was changed." in omar.last_text
    assert omar.last_text.endswith("✖️ Not put to a vote: There is no room. (Olga)")

    await catch_up(local_bot)
    ann.look()
    assert ann.texts == ["Your proposal “A bigger garden” is not put to a vote. The reason:\nThere is no room. (Olga)"]
    await ann.press("prop:mine:0")
    assert ann.last_text.endswith("✖️ Not put to a vote: There is no room. (Olga)")


async def test_votes_is_in_the_menu_while_a_proposal_waits(local_bot: LocalBot) -> None:
    olga, _omar, ann = await people(local_bot)
    assert "🗳️ Votes" not in ann.keyboard
    await proposes(ann)
    await ann.tap("🏠 Menu")
    assert ann.keyboard == [
        "📅 Activities",
        "🤝 Help & services",
        "🗳️ Votes",
        "🙌 Take part",
        "👤 My details",
        "❓ Help",
    ]

    olga.look()
    await olga.tap("✖️ Decline")
    await olga.send("Not now.")
    await olga.tap("✅ Yes, send")
    await ann.send("/menu")
    assert "🗳️ Votes" not in ann.keyboard  # decided, and no vote is open


async def test_stopping_or_leaving_sends_nothing(local_bot: LocalBot) -> None:
    olga, _omar, ann = await people(local_bot)
    await ann.press("prop:new")
    await ann.send("Benches")
    await ann.tap("🏠 Menu")
    assert ann.last_text == "Stopped. Nothing was sent."
    await ann.send("More text")  # the flow is over: typing is not taken as an answer
    assert ann.last_text == "Sorry, I do not understand that. Tap a button below."

    await ann.press("prop:new")
    await ann.tap("⬅️ Back")  # to 🗳️ Votes (handlers/voting.py): the flow ends there too
    assert "💡 Make a proposal" in ann.inline_labels
    await ann.send("Benches")
    assert ann.last_text == "Sorry, I do not understand that. Tap a button below."

    await ann.press("prop:new")
    assert ann.last_text == ASK_TITLE  # a fresh start
    for answer in ("Benches", "Three benches.", "To sit."):
        await ann.send(answer)
    await ann.tap("✖️ Stop")
    assert ann.last_text == "Stopped. Nothing was sent."
    assert stored_proposals(local_bot) == []

    await proposes(ann)
    olga.look()
    await olga.tap("❓ Ask a question")
    await olga.send("Where exactly?")
    await olga.tap("✖️ Stop")
    assert olga.last_text == "Stopped. Nothing was sent."
    assert [p.status for p in stored_proposals(local_bot)] == ["pending"]


async def test_only_organisers_may_answer_and_forged_buttons_are_answered_politely(local_bot: LocalBot) -> None:
    olga, omar, ann = await people(local_bot)
    await proposes(ann)
    [proposal] = stored_proposals(local_bot)

    for action in ("ask", "decline", "card"):
        await ann.press(f"review:{action}:{proposal.id}")
        assert ann.toasts == ["Only organisers can do this."]
    await ann.press("review:list:0")
    assert ann.toasts == ["Only organisers can do this."]
    visitor = local_bot.person("Vic", user_id=5, language_code="en")
    await visitor.send("/start")
    await visitor.press(f"review:ask:{proposal.id}")
    assert visitor.toasts == ["This is for members. Tap 📝 Sign up to become a member."]
    await visitor.press("prop:new")
    assert visitor.toasts == ["This is for members. Tap 📝 Sign up to become a member."]

    olga.look()
    await olga.press("review:ask:99999")
    assert olga.last_text == "This proposal no longer exists."
    assert olga.inline_labels == WAY_ON
    omar.look()
    await omar.press("review:card:99999")
    assert omar.last_text == "This proposal no longer exists."
    await olga.press(f"review:send:{proposal.id}")  # ✅ of an answer never written
    assert olga.toasts == ["This button no longer works."]
    await olga.press("review:ask:abc")
    assert olga.toasts == ["This button no longer works."]
    assert [p.status for p in stored_proposals(local_bot)] == ["pending"]


async def test_organisers_page_through_waiting_proposals_oldest_first(local_bot: LocalBot, clock: Clock) -> None:
    olga, _omar, ann = await people(local_bot)
    member_id = (await stored(local_bot, ann)).id
    for number in range(1, 7):
        proposals.propose(database(local_bot), member_id, f"Idea {number}", "Text.", "Why.", clock())
        clock.advance(minutes=1)
    await catch_up(local_bot)  # six cards
    olga.look()

    await olga.press("review:list:0")
    assert olga.last_text == "💡 Proposals that wait for an answer. Tap one to read it."
    assert olga.inline_labels == [f"💡 Idea {n} · Ann" for n in range(1, 6)] + ["▶️", *WAY_ON]
    assert back_data(olga) == "vorg:menu"
    await olga.tap("▶️")
    assert olga.inline_labels == ["💡 Idea 6 · Ann", "◀️", *WAY_ON]
    await olga.tap("💡 Idea 6 · Ann")
    assert olga.last_text.startswith("💡 Proposal from Ann\nIdea 6")
    assert olga.inline_labels == [*CARD_BUTTONS, *WAY_ON]
    await olga.tap("⬅️ Back")
    assert olga.inline_labels[0] == "💡 Idea 1 · Ann"

    await ann.press("prop:mine:0")
    assert [line for line in ann.last_text.splitlines() if line.startswith("💡")] == [
        f"💡 Idea {n}" for n in range(6, 1, -1)
    ]
    assert ann.inline_labels == ["▶️", "💡 Make a proposal", *WAY_ON]
    await ann.tap("▶️")
    assert "💡 Idea 1" in ann.last_text
    assert ann.last_text.count("⏳ Waiting for the organisers.") == 1
    await ann.press("prop:mine:9")  # an old ▶️: the first page
    assert "💡 Idea 6" in ann.last_text


async def test_a_member_without_proposals_is_told_so(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    await ann.press("prop:mine:0")
    assert ann.last_text == "📋 You have not made a proposal yet."
    await ann.tap("💡 Make a proposal")
    assert ann.last_text == ASK_TITLE
