"""🔎 Looking around: requests or offers, a category, newest first, 5 a page, never one's own or what is no
longer up."""

from __future__ import annotations

import pytest

from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import members, posts
from tests.conftest import Clock
from tests.journeys import database, posted, signed_up, stored
from tests.test_database_calls import MAX_CALLS_PER_TAP, count_each_update

WAY_ON = ["⬅️ Back", "🏠 Menu"]
GONE = "Sorry, this post is no longer up. It has ended, or its author took it away."


async def placed(
    local_bot: LocalBot, person: Person, title: str, *, side: str = "request", category: str = "garden"
) -> posts.Post:
    """A post the person published (as 🙋 or 💪 would, at the bot's time now)."""
    return await posted(local_bot, person, title, f"About {title}.", side=side, category=category)


def back_data(person: Person) -> str:
    rows = person.last_message["reply_markup"]["inline_keyboard"]
    return next(b["callback_data"] for row in rows for b in row if b["text"] == "⬅️ Back")


async def test_a_member_looks_around_newest_first_five_a_page_and_back_leads_up(
    local_bot: LocalBot, clock: Clock
) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    bob = await signed_up(local_bot, "Bob", user_id=2, language="English")
    cas = await signed_up(local_bot, "Cas", user_id=3, language="English")
    for number in range(4):
        await placed(local_bot, bob, f"Bob {number}")
        clock.advance(minutes=1)
    await placed(local_bot, cas, "Cas 0")
    clock.advance(minutes=1)
    await placed(local_bot, cas, "Cas 1")
    await placed(local_bot, ann, "Ann's own")
    await placed(local_bot, cas, "An offer", side="offer")
    await placed(local_bot, cas, "Shopping", category="shopping")

    await ann.tap("🤝 Help & services")
    await ann.tap("🔎 Look around")
    assert ann.last_text == "🔎 What do you want to see?"
    assert ann.inline_labels == ["🙋 Requests for help", "💪 Offers of help", *WAY_ON]
    await ann.tap("🙋 Requests for help")
    assert ann.last_text == "🙋 Requests for help\nChoose a category."
    assert len(ann.inline_labels) == 11 + 2
    await ann.tap("🌱 Garden")
    assert ann.last_text == "🙋 Requests for help · 🌱 Garden"
    assert ann.inline_labels == ["🌱 Cas 1", "🌱 Cas 0", "🌱 Bob 3", "🌱 Bob 2", "🌱 Bob 1", "▶️", *WAY_ON]
    await ann.tap("▶️")
    assert ann.inline_labels == ["🌱 Bob 0", "◀️", *WAY_ON]
    await ann.tap("🌱 Bob 0")
    assert ann.last_text.splitlines() == [
        "🙋 Asks for help · 🌱 Garden",
        "Bob 0",
        "🤝 Free neighbour help",
        "👤 Bob",
        "",
        "About Bob 0.",
        "",
        "📅 Posted on Friday 27 November, 10:00",
    ]
    assert ann.inline_labels == ["💬 React", "⚠️ Report", *WAY_ON]
    buttons = [b["callback_data"] for row in ann.last_message["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[:2] == [f"talk:start:{(await bob_post(local_bot, 'Bob 0')).id}", buttons[1]]
    assert buttons[1].startswith("report:post:")

    await ann.tap("⬅️ Back")
    assert ann.inline_labels == ["🌱 Bob 0", "◀️", *WAY_ON]  # the page it was on
    await ann.tap("⬅️ Back")
    assert ann.last_text == "🙋 Requests for help\nChoose a category."
    await ann.tap("⬅️ Back")
    assert ann.last_text == "🔎 What do you want to see?"
    assert back_data(ann) == "hlp:menu"

    await ann.press("browse:list:offer:garden:0")
    assert ann.inline_labels == ["🌱 An offer", *WAY_ON]
    await ann.press("browse:list:offer:cooking:0")
    assert ann.last_text.splitlines() == [
        "💪 Offers of help · 🍲 Cooking",
        "",
        "There is nothing here right now. Have a look later, or choose another category.",
    ]


async def bob_post(local_bot: LocalBot, title: str) -> posts.Post:
    db = database(local_bot)
    row = db.fetchone("SELECT id FROM posts WHERE title = ?", (title,))
    assert row is not None
    post = posts.get(db, row[0])
    assert post is not None
    return post


@pytest.mark.settings(ORGANISER_IDS="900")
async def test_ended_hidden_and_suspended_members_posts_are_never_shown(local_bot: LocalBot, clock: Clock) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    bob = await signed_up(local_bot, "Bob", user_id=2, language="English")
    cas = await signed_up(local_bot, "Cas", user_id=3, language="English")
    deleted = await placed(local_bot, bob, "Deleted")
    hidden = await placed(local_bot, bob, "Hidden")
    await placed(local_bot, cas, "From Cas")
    await placed(local_bot, bob, "Still up")
    await ann.press("browse:list:request:garden:0")
    assert ann.inline_labels == ["🌱 Still up", "🌱 From Cas", "🌱 Hidden", "🌱 Deleted", *WAY_ON]
    shown = ann.last_message

    db, now = database(local_bot), clock()
    bob_member, cas_member, olga_member = [await stored(local_bot, p) for p in (bob, cas, olga)]
    assert bob_member and cas_member and olga_member
    assert posts.end(db, deleted.id, bob_member.id, posts.DELETED, None, now) is posts.Ended.DONE
    with db.transaction() as conn:
        posts.hide(conn, hidden.id, now)
    members.set_suspended(db, cas_member.id, True, actor_id=olga_member.id, now=now)

    for title in ("🌱 Deleted", "🌱 Hidden", "🌱 From Cas"):  # the list as it was shown
        await ann.tap_on(shown, title)
        assert ann.toasts == ["No longer up"]
        assert ann.last_message["text"] == GONE
        assert back_data(ann) == "browse:list:request:garden:0"
    await ann.tap("⬅️ Back")
    assert ann.inline_labels == ["🌱 Still up", *WAY_ON]

    clock.advance(days=31)  # its time is up, even before the scheduled work ends it
    await ann.tap("🌱 Still up")
    assert ann.last_text == GONE


async def test_a_forged_or_old_page_is_answered_politely(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    bob = await signed_up(local_bot, "Bob", user_id=2, language="English")
    await placed(local_bot, bob, "Hedge")
    await ann.press("browse:list:request:garden:7")  # the list got shorter since
    assert ann.inline_labels == ["🌱 Hedge", *WAY_ON]
    await ann.press("browse:card:999:0")
    assert ann.toasts == ["This button no longer works."]
    await ann.press("browse:list:request:nothing:0")
    assert ann.toasts == ["This button no longer works."]


async def test_every_tap_of_asking_looking_and_my_posts_takes_at_most_five_database_calls(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    bob = await signed_up(local_bot, "Bob", user_id=2, language="English")
    cas = await signed_up(local_bot, "Cas", user_id=3, language="English")
    for number in range(6):
        await placed(local_bot, bob if number < 5 else cas, f"Post {number}")
    await placed(local_bot, ann, "Post 5")
    counts = count_each_update(local_bot)
    taps = {
        "ask": lambda: ann.press("post:new:request"),
        "category": lambda: ann.tap("🌱 Garden"),
        "kind": lambda: ann.tap("🤝 Free neighbour help"),
        "title": lambda: ann.send("Help with my hedge"),
        "description": lambda: ann.send("It is long."),
        "publish": lambda: ann.tap("✅ Publish"),
        "look around": lambda: ann.press("browse:side"),
        "side": lambda: ann.tap("🙋 Requests for help"),
        "list": lambda: ann.tap("🌱 Garden"),
        "another page": lambda: ann.press("browse:list:request:garden:1"),
        "first page": lambda: ann.tap("◀️"),
        "card": lambda: ann.tap("🌱 Post 4"),
        "my posts": lambda: ann.press("mypost:list:0"),
        "my card": lambda: ann.tap("🌱 Post 5"),
        "helped?": lambda: ann.tap("✅ Helped"),
        "helped": lambda: ann.tap("Someone else / I'd rather not say"),
    }
    used = {}
    for name, tap in taps.items():
        await tap()
        used[name] = counts[-1].calls
    assert max(used.values()) <= MAX_CALLS_PER_TAP, used
