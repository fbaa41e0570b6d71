"""👥 A member's card → 🧾 Act for this member → 🤝 Ask for help for them: a help request put online for a
member, as their own post, and 🔒 closed for them later."""

from __future__ import annotations

import json

from bot import i18n
from bot.context import runtime_of
from bot.exports import personal_data, personal_text
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import members, posts, talks
from storage.members import Member
from storage.posts import CLOSED_FOR, POSTED_FOR
from tests.journeys import catch_up, database, english, member_id, signed_up
from tests.test_acting import STALE, desk_member, logged, organiser, planned_for

WAY_ON = ["⬅️ Back", "🏠 Menu"]
CATEGORIES = [
    *("🔨 Odd jobs", "🌱 Garden", "🛒 Shopping", "🚗 Transport", "💻 Computer & phone", "📝 Language & forms"),
    *("🧸 Childcare", "🍲 Cooking", "🧵 Sewing & repairs", "☕ Company", "✨ Other"),
]
ASK_BODY = "Describe it in a few sentences. At most 500 characters."
DESK_LINE = "📞 No Telegram: an organiser passes your message on."
ARABIC = "أحتاج مساعدة في الحديقة"  # I need help in the garden


def ask_title(name: str) -> str:
    return f"Type a short title for what {name} needs. At most 80 characters."


async def asking_for(olga: Person, member: Member, how: str = "🧾 At the desk") -> None:
    """From the member's 🧾 Act for this member: how they asked, then 🤝 Ask for help for them."""
    await olga.press(f"act4:start:{member.id}")
    await olga.tap(how)
    await olga.tap("🤝 Ask for help for them")


async def put_online(olga: Person, member: Member, title: str, body: str, how: str = "🧾 At the desk") -> None:
    """The whole flow straight through to ✅ Put online."""
    await asking_for(olga, member, how)
    await olga.tap("🌱 Garden")
    await olga.send(title)
    await olga.send(body)
    await olga.tap("✅ Put online")


def posts_of(local_bot: LocalBot, member: Member) -> list[posts.Post]:
    return posts.of_author(database(local_bot), member.id, 0).items


async def test_a_desk_member_s_request_is_online_theirs_and_found_by_a_neighbour(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    fatma = desk_member(local_bot, olga_id)
    ann = await english(local_bot, "Ann", 3)

    await asking_for(olga, fatma, "📞 By phone")
    assert olga.last_text == "🤝 What does Fatma need help with?\nChoose a category."
    assert olga.inline_labels == [*CATEGORIES, *WAY_ON]  # nothing of hers is up: nothing to close
    await olga.tap("⬅️ Back")
    assert olga.last_text.endswith("What do you want to do for them?")
    await olga.tap("🤝 Ask for help for them")
    await olga.tap("🌱 Garden")
    assert olga.last_text == ask_title("Fatma")
    await olga.send("Help with my hedge")
    assert olga.last_text == ASK_BODY
    await olga.tap("⬅️ Back")
    assert olga.last_text == ask_title("Fatma")
    await olga.send("Help with my hedge")
    await olga.send("It is 10 metres long.\nTuesday is best.")
    assert olga.last_text.splitlines() == [
        "This is how others will see the post of Fatma:",
        "",
        "🙋 Asks for help · 🌱 Garden",
        "Help with my hedge",
        "🤝 Free neighbour help",
        "👤 Fatma",
        DESK_LINE,
        "",
        "It is 10 metres long.",
        "Tuesday is best.",
        "",
        "📅 Posted on Friday 27 November, 10:00",
    ]
    assert olga.inline_labels == ["✅ Put online", "✏️ Change", "✖️ Stop", *WAY_ON]
    await olga.tap("✅ Put online")
    assert olga.last_text == "✅ The request of Fatma is online.\nIt is up for 30 days."
    assert olga.inline_labels == WAY_ON
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("Name: Fatma\n")  # her card

    [post] = posts_of(local_bot, fatma)
    assert (post.member_id, post.title, post.body, post.via_desk) == (
        fatma.id,
        "Help with my hedge",
        "It is 10 metres long.\nTuesday is best.",
        True,
    )
    assert logged(local_bot, fatma.id)[-1] == (olga_id, POSTED_FOR, "phone")
    assert POSTED_FOR not in planned_for(local_bot, fatma.id)  # no chat: nobody to tell

    await ann.tap("🤝 Help & services")
    await ann.tap("🔎 Look around")
    await ann.tap("🙋 Requests for help")
    await ann.tap("🌱 Garden")
    await ann.tap("🌱 Help with my hedge")
    assert "👤 Fatma\n" + DESK_LINE in ann.last_text
    runtime = runtime_of(local_bot.application)
    reacted = talks.react(
        database(local_bot), post.id, await member_id(local_bot, ann), "I can do it.", runtime.clock()
    )
    assert reacted.outcome is talks.Outcome.SENT
    assert planned_for(local_bot, fatma.id)[-1] == talks.MESSAGE  # for the organisers to pass on (📞)

    db = database(local_bot)
    data = await personal_data(db, fatma, {}, runtime.clock())
    text = personal_text(i18n.translator("en"), data, "en", runtime.settings.timezone).decode("utf-8-sig")
    assert "help request put online by an organiser (asked by phone)" in text
    assert "Help with my hedge" in text  # her post, in her data
    kept = json.loads(data.as_json())
    assert POSTED_FOR in [entry["action"] for entry in kept["organiser_actions"]]


async def test_a_member_with_telegram_is_told_in_their_own_language(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    bob = await signed_up(local_bot, "Bob", user_id=2)  # reads Dutch
    bob_member = members.get(database(local_bot), await member_id(local_bot, bob))
    assert bob_member is not None

    await asking_for(olga, bob_member)
    await olga.tap("🛒 Shopping")
    await olga.send("Groceries on Monday")
    await olga.send("I cannot carry heavy bags.")
    assert DESK_LINE not in olga.last_text  # he has Telegram: neighbours reach him as anyone
    await olga.tap("✅ Put online")
    assert olga.last_text == "✅ The request of Bob is online.\nIt is up for 30 days.\nBob gets a message about it."
    await catch_up(local_bot)
    bob.look()
    nl = i18n.translator("nl")
    assert bob.chat.events[-1].text == (
        nl("🤝 {name} put your help request online: {title}.").format(name="Olga", title="Groceries on Monday")
        + "\n"
        + nl("You get a message when someone reacts.")
    )
    assert bob.inline_labels == ["📋 " + nl("Show"), "🏠 Menu"]
    await bob.tap("📋 " + nl("Show"))
    assert "Groceries on Monday" in bob.last_text  # his own post, with what he can do with it
    assert "🗑️ " + nl("Delete") in bob.inline_labels


async def test_typed_answers_are_checked_like_a_member_s_own(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    await asking_for(olga, fatma)
    await olga.tap("🌱 Garden")
    await olga.send("   ")
    assert olga.last_text == "Please type a short title for your post.\n\n" + ask_title("Fatma")
    await olga.send("T" * 81)
    assert olga.last_text == "This is too long. Write it in at most 80 characters.\n\n" + ask_title("Fatma")
    await olga.send("Call me on 06 12345678")
    assert olga.last_text.startswith("Everyone can read your post. Please leave out phone numbers")
    await olga.send("<b>Hedge</b> & garden")
    assert olga.last_text == ASK_BODY
    await olga.send("B" * 501)
    assert olga.last_text == "This is too long. Write it in at most 500 characters.\n\n" + ASK_BODY
    await olga.send(ARABIC)
    assert "<b>Hedge</b> & garden" in olga.last_text  # escaped: shown as typed
    assert ARABIC in olga.last_text

    await olga.tap("✏️ Change")
    assert olga.inline_labels == ["Category", "Title", "Description", "⬅️ Back", "🏠 Menu"]
    await olga.tap("Category")
    await olga.tap("🛒 Shopping")
    assert "🙋 Asks for help · 🛒 Shopping" in olga.last_text  # back on the preview
    await olga.tap("✅ Put online")
    [post] = posts_of(local_bot, fatma)
    assert (post.category, post.title, post.body) == ("shopping", "<b>Hedge</b> & garden", ARABIC)

    await asking_for(olga, fatma)
    await olga.tap("🌱 Garden")
    await olga.send("Something else")
    await olga.send("More words.")
    await olga.tap("✖️ Stop")
    assert olga.last_text == "Stopped. Nothing was put online."
    assert olga.inline_labels == WAY_ON
    assert len(posts_of(local_bot, fatma)) == 1


async def test_stale_forged_and_double_taps_change_nothing_twice(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    fatma = desk_member(local_bot, olga_id)
    gul = desk_member(local_bot, olga_id, "Gül")
    runtime = runtime_of(local_bot.application)
    db = database(local_bot)

    await asking_for(olga, fatma)
    await olga.press(f"act4h:cat:{gul.id}:garden")  # a button of another member's draft
    assert STALE in olga.toasts
    await olga.press(f"act4h:cat:{fatma.id}:gardening")  # not a button we make
    assert STALE in olga.toasts
    await olga.tap("🌱 Garden")
    await olga.send("Help with my hedge")
    await olga.send("It is long.")
    shown = olga.last_message
    await olga.tap("✅ Put online")
    await olga.tap_on(shown, "✅ Put online")  # a double tap
    assert STALE in olga.toasts
    assert len(posts_of(local_bot, fatma)) == 1
    assert [action for _, action, _ in logged(local_bot, fatma.id)].count(POSTED_FOR) == 1

    await olga.press(f"act4h:start:{gul.id}")  # how Gül asked was never said: asked first
    assert olga.last_text == "🧾 How did Gül ask?"

    await asking_for(olga, fatma)
    await olga.tap("🌱 Garden")
    await olga.send("Walk my dog")
    await olga.send("Every morning.")
    members.set_suspended(db, fatma.id, True, actor_id=olga_id, now=runtime.clock())
    await olga.tap("✅ Put online")  # paused meanwhile
    assert STALE in olga.toasts
    assert [p.title for p in posts_of(local_bot, fatma)] == ["Help with my hedge"]

    for number in range(posts.POSTS_A_DAY):  # five went up for Gül today: the limit of a member's own posts
        posts.publish(
            *(db, gul.id, "request", "garden", "free", f"Job {number}", "Words.", None, None),
            *(runtime.clock(), runtime.settings.post_days),
            tz=runtime.settings.timezone,
        )
    await asking_for(olga, gul)
    assert olga.last_text == "Gül placed 5 posts in the last 24 hours. That is the most. Please try again tomorrow."
    assert olga.inline_labels == WAY_ON


async def test_an_organiser_closes_one_of_their_posts_once(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    fatma = desk_member(local_bot, olga_id)
    await put_online(olga, fatma, "Help with my hedge", "It is long.")
    [post] = posts_of(local_bot, fatma)

    await asking_for(olga, fatma, "📄 On paper")
    assert olga.inline_labels[-3:] == ["🔒 Close one of their posts", *WAY_ON]
    await olga.tap("🔒 Close one of their posts")
    assert olga.last_text == "🔒 Close which post of Fatma?"
    assert olga.inline_labels == ["🌱 Help with my hedge", *WAY_ON]
    await olga.tap("🌱 Help with my hedge")
    assert olga.last_text == "Close “Help with my hedge”? Neighbours can then no longer see it."
    shown = olga.last_message
    await olga.tap("✅ Yes")
    assert olga.last_text == "🔒 “Help with my hedge” is closed. Neighbours can no longer see it."
    await olga.tap_on(shown, "✅ Yes")  # a double tap: a pop-up, and the result stays on the screen
    assert olga.toasts == ["✅ Done"]
    assert olga.last_message["text"] == "🔒 “Help with my hedge” is closed. Neighbours can no longer see it."
    ended = posts.get(database(local_bot), post.id)
    assert ended is not None and ended.end_reason == posts.DELETED
    assert logged(local_bot, fatma.id)[-1] == (olga_id, CLOSED_FOR, "paper")
    assert [action for _, action, _ in logged(local_bot, fatma.id)].count(CLOSED_FOR) == 1

    await olga.press(f"act4h:close:{fatma.id}:999999")  # a post that does not exist
    assert STALE in olga.toasts


async def test_a_member_who_is_no_organiser_cannot_ask_for_others(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    await put_online(olga, fatma, "Help with my hedge", "It is long.")
    [post] = posts_of(local_bot, fatma)
    bob = await english(local_bot, "Bob", 2)
    for data in (f"act4h:start:{fatma.id}", f"act4h:mine:{fatma.id}:0", f"act4h:closeok:{fatma.id}:{post.id}"):
        await bob.press(data)
        assert bob.last_text == "Only organisers can do this."
    still = posts.get(database(local_bot), post.id)
    assert still is not None and still.ended_at is None
