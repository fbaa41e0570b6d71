"""💬 Conversations about a post: relayed both ways, never showing a Telegram account unless shared; ending,
blocking, and buttons that no longer work."""

from __future__ import annotations

import json
from collections.abc import Awaitable

import pytest

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import posts, talks
from storage.posts import Post
from tests.conftest import Clock
from tests.journeys import catch_up, database, posted, signed_up, stored
from tests.test_database_calls import MAX_CALLS_PER_TAP, count_each_update

# Telegram ids long enough that no other number in a message can look like them by chance.
ANN_ID, BOB_ID, CARL_ID = 731_234_567, 845_678_123, 962_345_781
SECRETS = {ANN_ID: ("731234567", "ann_at_home", "+31612345678"), BOB_ID: ("845678123", "bob_fixes", "+31687654321")}
RELAYED = ["↩️ Reply", "📱 Share my contact", "✋ End conversation", "🚫 Block", "⚠️ Report", "🏠 Menu"]


async def member(local_bot: LocalBot, name: str, user_id: int) -> Person:
    """A member who reads English; Ann and Bob have a Telegram username (and a phone number the bot never gets)."""
    person = local_bot.person(name, user_id=user_id, language_code="en")
    if user_id in SECRETS:
        person.user["username"] = SECRETS[user_id][1]
    return await signed_up(local_bot, name, user_id=user_id, language="English")


async def published(local_bot: LocalBot, author: Person, title: str = "Fix my bike") -> Post:
    """A request for help, put up by `author`."""
    return await posted(local_bot, author, title, "The back wheel is flat.", category="odd_jobs")


async def reacts(person: Person, post: Post, words: str) -> None:
    await person.press(f"talk:start:{post.id}")
    await person.send(words)


def the_talk(local_bot: LocalBot, post: Post) -> talks.Talk:
    row = database(local_bot).fetchone("SELECT id FROM talks WHERE post_id = ?", (post.id,))
    assert row is not None
    talk = talks.get(database(local_bot), row[0])
    assert talk is not None
    return talk


def received(local_bot: LocalBot, person: Person) -> list[dict]:
    """Everything the bot sent or changed in this person's chat: texts as sent (HTML), buttons, entities."""
    return [params for _method, params in local_bot.emulator.calls if params.get("chat_id") == person.id]


async def test_a_conversation_goes_both_ways_without_showing_anyones_telegram_account(local_bot: LocalBot) -> None:
    ann = await member(local_bot, "Ann", ANN_ID)
    bob = await member(local_bot, "Bob", BOB_ID)
    post = await published(local_bot, ann)

    await bob.press(f"talk:start:{post.id}")
    assert bob.last_text == (
        "💬 Write your message to Ann about “Fix my bike”.\nOnly Ann gets it. At most 1000 characters."
    )
    assert bob.inline_labels == ["⬅️ Back", "🏠 Menu"]
    assert bob.last_message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"browse:card:{post.id}:0"
    await bob.send("x" * 1001)
    assert bob.last_text.startswith("This is too long. Write it in at most 1000 characters.")
    await bob.send("I can help on <b>Saturday</b> & bring a pump.")
    assert bob.last_text == "✅ Sent to Ann. You get their answer here."

    ann.look()
    assert ann.texts == ["💬 Bob reacts to your post “Fix my bike”:\nI can help on <b>Saturday</b> & bring a pump."]
    assert ann.inline_labels == RELAYED
    await ann.tap("↩️ Reply")
    assert ann.last_text == (
        "↩️ Write your answer to Bob about “Fix my bike”.\nOnly Bob gets it. At most 1000 characters."
    )
    await ann.send("Great! Is 10:00 good?")
    assert ann.last_text == "✅ Sent to Bob. You get their answer here."
    bob.look()
    assert bob.texts == ["↩️ Ann answers about “Fix my bike”:\nGreat! Is 10:00 good?"]
    await bob.tap("↩️ Reply")
    await bob.send("Yes, see you then.")
    assert bob.inline_labels[0] == "✍️ Write more"  # a second message is one tap away
    await bob.tap("✍️ Write more")
    await bob.send("I will bring gloves.")
    ann.look()
    assert ann.texts == [
        "↩️ Bob answers about “Fix my bike”:\nYes, see you then.",
        "↩️ Bob answers about “Fix my bike”:\nI will bring gloves.",
    ]

    await reacts(bob, post, "I also have a spare tube.")  # a second 💬 React goes on in the same talk
    ann.look()
    assert ann.texts == ["💬 Bob reacts to your post “Fix my bike”:\nI also have a spare tube."]
    assert posts.get(database(local_bot), post.id).reactions == 1
    assert database(local_bot).fetchone("SELECT count(*) FROM talks")[0] == 1

    for person, other in ((ann, BOB_ID), (bob, ANN_ID)):
        seen = json.dumps(received(local_bot, person), ensure_ascii=False)
        assert "Bob" in seen and "Ann" in seen  # the check looks at the right messages
        for secret in SECRETS[other]:
            assert secret not in seen, (person.user["first_name"], secret)


async def test_sharing_a_contact_sends_a_link_to_the_other_side_after_asking(local_bot: LocalBot) -> None:
    ann = await member(local_bot, "Ann", ANN_ID)
    bob = await member(local_bot, "Bob", BOB_ID)
    post = await published(local_bot, ann)
    await reacts(bob, post, "I can help.")
    ann.look()
    relayed = ann.last_message

    await ann.tap("📱 Share my contact")
    assert (
        ann.last_text == "Share your contact with Bob?\nBob gets a link to your Telegram account and can write to you."
    )
    assert ann.inline_labels == ["📱 Yes, share", "↩️ No", "⬅️ Back", "🏠 Menu"]
    assert ann.chat.messages[relayed["message_id"]]["text"] == relayed["text"]  # the message stays readable
    await ann.tap("↩️ No")
    assert ann.last_text == "💬 Conversation with Bob about “Fix my bike”."
    assert str(ANN_ID) not in json.dumps(received(local_bot, bob))

    await ann.tap_on(relayed, "📱 Share my contact")
    await ann.tap("📱 Yes, share")
    assert ann.last_text == "📱 Done. Bob gets a link to your Telegram account."
    bob.look()
    assert bob.texts == [
        "📱 Ann shared their contact with you, about “Fix my bike”.\nTap here to write to them in Telegram: Ann"
    ]
    sent = received(local_bot, bob)[-1]
    assert f'<a href="tg://user?id={ANN_ID}">Ann</a>' in sent["text"]
    assert str(BOB_ID) not in json.dumps(received(local_bot, ann))  # Bob did not share his


async def test_either_side_ends_the_conversation_and_the_other_is_told(local_bot: LocalBot, clock: Clock) -> None:
    ann = await member(local_bot, "Ann", ANN_ID)
    bob = await member(local_bot, "Bob", BOB_ID)
    post = await published(local_bot, ann)
    await reacts(bob, post, "I can help.")
    ann.look()
    relayed = ann.last_message

    clock.advance(hours=12)  # 22:00 in Amsterdam: what Bob writes now waits for the morning
    await bob.press(f"talk:reply:{the_talk(local_bot, post).id}")
    await bob.send("Or on Sunday?")
    assert bob.last_text == "✅ Sent. Nobody gets messages at night, so Ann gets it on Saturday 28 November, 08:00."
    ann.look()
    assert ann.texts == []

    await ann.tap_on(relayed, "✋ End conversation")
    assert ann.last_text == "End the conversation with Bob about “Fix my bike”?"
    await ann.tap("✋ Yes, end it")
    assert ann.last_text == "✋ The conversation has ended. Bob is told."
    await ann.tap_on(ann.last_message, "⬅️ Back")
    assert ann.last_text == "💬 Conversation with Bob about “Fix my bike”.\nThis conversation has ended."
    assert ann.inline_labels == ["⬅️ Back", "🏠 Menu"]

    clock.advance(hours=10)
    await catch_up(local_bot)
    bob.look()
    assert bob.texts == ["✋ Ann ended the conversation about “Fix my bike”."]
    ann.look()  # written before the end, so it is still delivered, but there is nothing to answer to
    assert ann.texts == ["↩️ Bob answers about “Fix my bike”:\nOr on Sunday?\n\nThis conversation has ended."]
    assert ann.inline_labels == ["⚠️ Report", "🏠 Menu"]

    await bob.tap("🏠 Menu")
    await bob.press(f"talk:reply:{the_talk(local_bot, post).id}")
    assert bob.last_text == "This conversation has ended. Nothing was sent."
    await ann.tap_on(relayed, "✋ End conversation")
    assert ann.last_text == "This conversation has ended. Nothing was sent."

    await reacts(bob, post, "Sorry, I still want to help.")  # reacting again starts it again
    ann.look()
    assert ann.texts == ["💬 Bob reacts to your post “Fix my bike”:\nSorry, I still want to help."]
    assert ann.inline_labels == RELAYED


async def test_a_blocked_member_is_told_only_that_it_could_not_be_delivered(local_bot: LocalBot) -> None:
    ann = await member(local_bot, "Ann", ANN_ID)
    bob = await member(local_bot, "Bob", BOB_ID)
    post = await published(local_bot, ann)
    await reacts(bob, post, "I can help.")
    ann.look()

    await ann.tap("🚫 Block")
    assert ann.last_text == (
        "Block Bob? You will not get their messages any more.\nBob is only told that the conversation has ended."
    )
    question = ann.last_message
    await ann.tap("🚫 Yes, block")
    assert ann.last_text == "🚫 You blocked Bob. Bob is told that the conversation has ended."
    await ann.tap_on(question, "🚫 Yes, block")  # a double tap: the answer stays as it was
    assert ann.texts == [] and ann.toasts == []
    assert ann.chat.messages[question["message_id"]]["text"].startswith("🚫 You blocked Bob.")
    bob.look()
    assert bob.texts == ["✋ Ann ended the conversation about “Fix my bike”."]
    assert "block" not in json.dumps(received(local_bot, bob)).lower()

    await reacts(bob, post, "Why did you stop?")
    assert bob.last_text == "Sorry, your message could not be delivered. Look for other help under 🔎 Look around."
    other = await published(local_bot, ann, "Walk my dog")
    await reacts(bob, other, "I love dogs.")
    assert bob.last_text == "Sorry, your message could not be delivered. Look for other help under 🔎 Look around."
    ann.look()
    assert ann.texts == []
    db = database(local_bot)
    kept = db.fetchall("SELECT body, delivered FROM talk_messages ORDER BY id")
    assert [tuple(row) for row in kept] == [("I can help.", 1), ("Why did you stop?", 0), ("I love dogs.", 0)]
    assert posts.get(db, other.id).reactions == 0

    await ann.press(f"talk:start:{(await published(local_bot, bob, 'Paint a fence')).id}")
    assert ann.last_text == "You blocked this member. You cannot send them messages."


async def test_forged_stale_and_own_buttons_change_nothing(local_bot: LocalBot) -> None:
    ann = await member(local_bot, "Ann", ANN_ID)
    bob = await member(local_bot, "Bob", BOB_ID)
    carl = await member(local_bot, "Carl", CARL_ID)
    post = await published(local_bot, ann)
    await reacts(bob, post, "I can help.")
    talk = the_talk(local_bot, post)

    await ann.press(f"talk:start:{post.id}")
    assert ann.last_text == "This is your own post."
    for action in ("reply", "show", "end", "endok", "block", "blockok", "share", "shareok"):
        await carl.press(f"talk:{action}:{talk.id}")
        assert carl.toasts == ["This button no longer works."], action
    await carl.press("talk:reply:99999")
    assert carl.toasts == ["This button no longer works."]
    await carl.send("Hello?")  # not writing anything: no message goes anywhere
    assert the_talk(local_bot, post).ended_at is None
    assert database(local_bot).fetchone("SELECT count(*) FROM talk_messages")[0] == 1
    assert database(local_bot).fetchone("SELECT count(*) FROM blocks")[0] == 0

    await bob.press(f"talk:reply:{talk.id}")  # Bob starts writing, and meanwhile Ann removes her post
    me = await stored(local_bot, ann)
    assert me is not None
    runtime = runtime_of(local_bot.application)
    assert posts.end(runtime.database, post.id, me.id, "deleted", None, runtime.clock()) is posts.Ended.DONE
    await bob.send("Still need help?")
    assert bob.last_text == "This post is no longer up. Nothing was sent."
    await bob.press(f"talk:start:{post.id}")
    assert bob.last_text == "This post is no longer up. Nothing was sent."
    await bob.press(f"talk:reply:{talk.id}")
    assert bob.last_text == "This post is no longer up. Nothing was sent."
    ann.look()
    assert ann.texts == []


async def test_when_a_member_leaves_their_conversations_end_and_the_other_side_is_told(local_bot: LocalBot) -> None:
    ann = await member(local_bot, "Ann", ANN_ID)
    bob = await member(local_bot, "Bob", BOB_ID)
    post = await published(local_bot, ann)
    await reacts(bob, post, "I can help.")
    ann.look()
    relayed = ann.last_message
    db = database(local_bot)
    runtime = runtime_of(local_bot.application)
    leaving = await stored(local_bot, bob)
    assert leaving is not None
    with db.transaction() as conn:
        talks.forget_member(conn, leaving.id, runtime.clock())
    await catch_up(local_bot)

    ann.look()
    assert ann.texts == [
        "The member you talked with about “Fix my bike” left the cooperative. This conversation has ended."
    ]
    await ann.tap_on(relayed, "↩️ Reply")
    assert ann.last_text == "This conversation has ended. Nothing was sent."
    assert db.fetchone("SELECT count(*) FROM talk_messages")[0] == 0


@pytest.mark.settings(ORGANISER_IDS="900")
async def test_every_tap_in_a_conversation_and_a_report_takes_at_most_five_database_calls(local_bot: LocalBot) -> None:
    olga = await member(local_bot, "Olga", 900)
    ann = await member(local_bot, "Ann", ANN_ID)
    bob = await member(local_bot, "Bob", BOB_ID)
    post = await published(local_bot, ann)
    counts = count_each_update(local_bot)
    used = {}

    async def counted(name: str, tap: Awaitable[None]) -> None:
        await tap
        used[name] = counts[-1].calls

    await counted("react", bob.press(f"talk:start:{post.id}"))
    await counted("message", bob.send("I can help."))
    ann.look()
    await counted("reply", ann.tap("↩️ Reply"))
    await counted("answer", ann.send("Thanks!"))
    bob.look()
    await counted("share?", bob.tap("📱 Share my contact"))
    await counted("share", bob.tap("📱 Yes, share"))
    await counted("conversation", bob.tap("⬅️ Back"))
    await counted("block?", bob.press(f"talk:block:{the_talk(local_bot, post).id}"))
    await counted("block", bob.tap("🚫 Yes, block"))
    await counted("report?", bob.press(f"report:post:{post.id}"))
    await counted("report", bob.tap("✅ Yes, report"))
    olga.look()
    await counted("pause?", olga.tap("⏸️ Pause membership"))
    await counted("pause", olga.tap("✅ Yes"))
    assert olga.last_text.endswith("⏸️ Olga paused the membership of this member.")
    assert max(used.values()) <= MAX_CALLS_PER_TAP, used


async def test_the_author_finds_each_conversation_again_under_conversations(local_bot: LocalBot) -> None:
    ann = await member(local_bot, "Ann", ANN_ID)
    bob = await member(local_bot, "Bob", BOB_ID)
    carl = await member(local_bot, "Carl", CARL_ID)
    dora = await member(local_bot, "Dora", 4)
    await reacts(ann, await published(local_bot, dora, "Paint a fence"), "I have a brush.")  # her oldest
    post = await published(local_bot, ann)
    await reacts(bob, post, "I can help.")
    await reacts(carl, post, "Me too.")
    await ann.tap("🏠 Menu")  # the relayed messages scroll away

    await ann.press(f"mypost:card:{post.id}:0")
    await ann.tap("💬 Conversations")  # those about this post, ⬅️ Back to its card
    assert ann.last_text == "💬 Your conversations. Tap one to answer."
    assert ann.inline_labels == ["💬 Carl · Fix my bike", "💬 Bob · Fix my bike", "⬅️ Back", "🏠 Menu"]
    await ann.tap("⬅️ Back")
    assert ann.last_text.startswith("🙋 Asks for help · 🔨 Odd jobs\nFix my bike")
    await ann.press("talk:list:0")  # from 🤝: all of hers
    assert ann.inline_labels == [
        "💬 Carl · Fix my bike",
        "💬 Bob · Fix my bike",
        "💬 Dora · Paint a fence",
        "⬅️ Back",
        "🏠 Menu",
    ]
    await ann.tap("💬 Bob · Fix my bike")
    assert ann.last_text == "💬 Conversation with Bob about “Fix my bike”."
    await ann.tap("↩️ Reply")
    await ann.send("Great, Saturday at ten?")
    assert ann.last_text == "✅ Sent to Bob. You get their answer here."
    bob.look()
    assert bob.texts == ["↩️ Ann answers about “Fix my bike”:\nGreat, Saturday at ten?"]

    await bob.press("talk:list:0")  # the other side finds it too
    assert bob.inline_labels == ["💬 Ann · Fix my bike", "⬅️ Back", "🏠 Menu"]
    await ann.press(f"mypost:deleteok:{post.id}")  # its conversations end: the open one comes first
    await ann.press("talk:list:0")
    assert ann.inline_labels[:3] == ["💬 Dora · Paint a fence", "⏹️ Carl · Fix my bike", "⏹️ Bob · Fix my bike"]
    stranger = await member(local_bot, "Eve", 5)
    await stranger.press("talk:list:0")
    assert stranger.last_text == "💬 You have no conversations yet."
