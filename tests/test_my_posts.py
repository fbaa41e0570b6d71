"""📋 My posts: what became of each; ✅ Helped (thanking who helped), 🗑️ Delete and 🔁 Keep, each once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import posts
from tests.conftest import Clock
from tests.journeys import catch_up, database, posted, signed_up, stored

WAY_ON = ["⬅️ Back", "🏠 Menu"]
HOURS = ["½", "1", "1½", "2", "3", "4", "6", "8"]
CARD_BUTTONS = ["✅ Helped", "🗑️ Delete", *WAY_ON]


async def placed(
    local_bot: LocalBot, person: Person, title: str = "Help with my hedge", *, side: str = "request", kind: str = "free"
) -> posts.Post:
    """A post the person published, at the bot's time now."""
    return await posted(local_bot, person, title, "It is 10 metres long.", side=side, kind=kind)


async def reacts(local_bot: LocalBot, person: Person, post: posts.Post) -> None:
    """💬 React on the post, as storage/talks.py keeps it: a conversation, counted on the post."""
    member = await stored(local_bot, person)
    assert member is not None
    runtime = runtime_of(local_bot.application)
    with runtime.database.transaction() as conn:
        conn.execute(
            "INSERT INTO talks (post_id, author_id, responder_id, started_at) VALUES (?, ?, ?, ?)",
            (post.id, post.member_id, member.id, runtime.clock().isoformat()),
        )
        conn.execute("UPDATE posts SET reactions = reactions + 1 WHERE id = ?", (post.id,))


def stored_post(local_bot: LocalBot, post_id: int) -> posts.Post:
    post = posts.get(database(local_bot), post_id)
    assert post is not None
    return post


async def test_my_posts_show_what_became_of_each_and_delete_asks_once_more(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    await ann.press("mypost:list:0")
    assert ann.last_text == "📋 You have no posts yet."
    assert ann.inline_labels == ["🙋 I need help", "💪 I offer help", *WAY_ON]

    hedge = await placed(local_bot, ann)
    clock.advance(minutes=1)
    await placed(local_bot, ann, "Walk my dog <b>Rex</b>")
    await ann.tap("⬅️ Back")
    await ann.tap("📋 My posts")
    assert ann.last_text.splitlines() == [
        "📋 My posts",
        "",
        "Walk my dog <b>Rex</b>",  # as typed: escaped, shown bold
        "🙋 Asks for help · 🌱 Garden",  # a request or an offer, and its kind of help
        "🟢 Up until Sunday 27 December, 19:00",
        "",
        "Help with my hedge",
        "🙋 Asks for help · 🌱 Garden",
        "🟢 Up until Sunday 27 December, 19:00",
    ]
    await ann.tap("🌱 Help with my hedge")
    assert ann.last_text.splitlines()[-2:] == ["🟢 Up until Sunday 27 December, 19:00", "💬 0 reactions"]
    assert ann.inline_labels == CARD_BUTTONS  # 🔁 Keep only near the end

    await ann.tap("🗑️ Delete")
    assert ann.last_text == "Delete “Help with my hedge”? Nobody can see it or react to it any more."
    assert ann.inline_labels == ["🗑️ Yes, delete", *WAY_ON]
    await ann.tap("⬅️ Back")
    assert ann.inline_labels == CARD_BUTTONS
    await ann.tap("🗑️ Delete")
    asked = ann.last_message
    await ann.tap("🗑️ Yes, delete")
    assert ann.last_text == "🗑️ Your post is deleted."
    assert ann.inline_labels == ["📋 My posts", *WAY_ON]
    await ann.tap_on(asked, "🗑️ Yes, delete")  # a double tap: the answer stays as it was
    assert ann.texts == [] and ann.chat.messages[asked["message_id"]]["text"] == "🗑️ Your post is deleted."
    assert stored_post(local_bot, hedge.id).end_reason == "deleted"

    await ann.tap("📋 My posts")
    assert ann.last_text.splitlines()[-3:] == ["Help with my hedge", "🙋 Asks for help · 🌱 Garden", "🗑️ Deleted"]
    await ann.tap("🌱 Help with my hedge")
    assert ann.inline_labels == WAY_ON  # nothing more to do with it


async def test_nobody_ends_or_keeps_someone_elses_post_with_a_forged_button(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    eve = await signed_up(local_bot, "Eve", user_id=2, language="English")
    hedge = await placed(local_bot, ann)
    clock.advance(days=28)
    for data in (
        f"mypost:card:{hedge.id}:0",
        f"mypost:delete:{hedge.id}",
        f"mypost:deleteok:{hedge.id}",
        f"mypost:helped:{hedge.id}",
        f"mypost:helper:{hedge.id}:0",
        f"mypost:keep:{hedge.id}",
    ):
        await eve.press(data)
        assert eve.toasts == ["This button no longer works."], data
    after = stored_post(local_bot, hedge.id)
    assert after.ended_at is None and after.ends_at == hedge.ends_at


async def test_helped_thanks_the_member_who_helped_and_asks_the_hours(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    bob = await signed_up(local_bot, "Bob", user_id=2, language="English")
    cas = await signed_up(local_bot, "Cas", user_id=3, language="English")
    eve = await signed_up(local_bot, "Eve", user_id=4, language="English")
    hedge = await placed(local_bot, ann)
    await reacts(local_bot, bob, hedge)
    await reacts(local_bot, cas, hedge)
    await ann.press(f"mypost:card:{hedge.id}:0")
    assert ann.last_text.splitlines()[-1] == "💬 2 reactions"
    await ann.tap("✅ Helped")
    assert ann.last_text == "✅ Good to hear! Who helped you? We will thank them for you."
    assert ann.inline_labels == ["🙏 Bob", "🙏 Cas", "Someone else / I'd rather not say", *WAY_ON]
    asked = ann.last_message
    bob.look(), cas.look()

    eve_member = await stored(local_bot, eve)
    assert eve_member is not None
    await ann.press(f"mypost:helper:{hedge.id}:{eve_member.id}")  # Eve did not react
    assert ann.toasts == ["This button no longer works."]
    assert stored_post(local_bot, hedge.id).ended_at is None

    await ann.tap_on(asked, "🙏 Bob")
    assert ann.last_text.splitlines() == [
        "✅ Thank you! Your post has ended.",
        "We send them your thanks.",
        "",
        "⏱️ How many hours did it take?",
    ]
    assert ann.inline_labels == [*HOURS, "📋 My posts", *WAY_ON]
    back = [b["callback_data"] for row in ann.last_message["reply_markup"]["inline_keyboard"] for b in row]
    assert f"mypost:card:{hedge.id}:0" in back  # ⬅️ Back: one step, to the post
    bob.look(), cas.look()
    assert bob.last_text == "🙏 Ann says thank you for your help with “Help with my hedge”."
    assert bob.inline_labels == ["🏠 Menu"]
    assert cas.texts == []

    await ann.tap_on(asked, "🙏 Bob")  # a double tap: the hours are still asked, Bob is thanked once
    assert ann.texts == [] and ann.toasts == []  # the message stays as it is
    still = ann.chat.messages[asked["message_id"]]
    assert still["text"].endswith("⏱️ How many hours did it take?")
    await catch_up(local_bot)
    bob.look()
    assert bob.texts == []
    await ann.press(f"mypost:card:{hedge.id}:0")  # later: the card asks too, until the hours are given
    assert ann.last_text.endswith("⏱️ How many hours did it take?")
    await ann.tap("2")
    await ann.press(f"mypost:card:{hedge.id}:0")
    assert "How many hours" not in ann.last_text and "2" not in ann.inline_labels

    await ann.tap_on(asked, "🙏 Cas")  # a double tap, another name
    assert ann.last_text.startswith("This post has already ended.")
    cas.look()
    ended, bob_member = stored_post(local_bot, hedge.id), await stored(local_bot, bob)
    assert bob_member is not None and (ended.end_reason, ended.helper_id) == ("helped", bob_member.id)
    assert cas.texts == []


@pytest.mark.settings(WIJKBOT_TIMEBANK="off")
async def test_without_the_time_bank_or_a_named_helper_no_hours_are_asked(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    bob = await signed_up(local_bot, "Bob", user_id=2, language="English")
    hedge = await placed(local_bot, ann)
    dog = await placed(local_bot, ann, "Walk my dog")
    await reacts(local_bot, bob, hedge)
    await ann.press(f"mypost:helped:{hedge.id}")
    await ann.tap("🙏 Bob")
    assert ann.last_text == "✅ Thank you! Your post has ended.\nWe send them your thanks."
    assert ann.inline_labels == ["📋 My posts", *WAY_ON]
    await ann.press(f"mypost:helped:{dog.id}")
    assert ann.inline_labels == ["Someone else / I'd rather not say", *WAY_ON]
    await ann.tap("Someone else / I'd rather not say")
    assert ann.last_text == "✅ Thank you! Your post has ended."
    assert stored_post(local_bot, dog.id).helper_id is None


async def test_an_offer_that_helped_ends_after_asking_once_more(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    lift = await placed(local_bot, ann, "A lift to the market", side="offer")
    await ann.press(f"mypost:card:{lift.id}:0")
    await ann.tap("✅ Helped")
    assert ann.last_text == "Did your offer help someone? Then your post ends."
    assert ann.inline_labels == ["✅ Yes, end it", *WAY_ON]
    await ann.tap("✅ Yes, end it")
    assert ann.last_text == "✅ Thank you! Your post has ended."
    assert stored_post(local_bot, lift.id).end_reason == "helped"


async def test_three_days_before_the_end_the_author_can_keep_it_once(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    hedge = await placed(local_bot, ann)
    dog = await placed(local_bot, ann, "Walk my dog")
    await ann.press(f"mypost:keep:{hedge.id}")  # not yet near its end: nothing changes
    assert stored_post(local_bot, hedge.id).ends_at == hedge.ends_at
    await ann.press(f"mypost:deleteok:{dog.id}")

    clock.advance(days=27, hours=9)  # Thursday 24 December, 19:00: posts end in the evening, never at night
    await catch_up(local_bot)
    ann.look()
    assert ann.texts == [
        "⏳ Your post “Help with my hedge” ends on Sunday 27 December, 19:00.\nDo you want to keep it?"
    ]  # not about the deleted one
    assert ann.inline_labels == ["🔁 Keep it 30 more days", "📋 My posts", "🏠 Menu"]
    reminder = ann.last_message
    await ann.tap("🔁 Keep it 30 more days")
    assert ann.last_text.startswith("🔁 Your post stays up.\n\n🙋 Asks for help")
    assert "🟢 Up until Saturday 23 January, 19:00" in ann.last_text.splitlines()
    assert ann.inline_labels == CARD_BUTTONS
    await ann.tap_on(reminder, "🔁 Keep it 30 more days")  # a double tap
    assert stored_post(local_bot, hedge.id).ends_at == clock() + timedelta(days=30)  # 30 days from the tap

    clock.advance(days=27)
    await catch_up(local_bot)
    ann.look()
    assert ann.texts == [
        "⏳ Your post “Help with my hedge” ends on Saturday 23 January, 19:00.\nDo you want to keep it?"
    ]
    clock.advance(days=3)
    await catch_up(local_bot)
    assert stored_post(local_bot, hedge.id).end_reason == "expired"
    await ann.press(f"mypost:keep:{hedge.id}")
    assert ann.last_text.startswith("This post has already ended.")
    await ann.press("mypost:list:0")
    assert ann.last_text.splitlines()[-1] == "⏹️ Ended"
