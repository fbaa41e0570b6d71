"""🙋 Asking for help and 💪 offering it: step by step, previewed as others see it, then published."""

from __future__ import annotations

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import members, posts
from tests.journeys import database, signed_up, stored

WAY_ON = ["⬅️ Back", "🏠 Menu"]
CATEGORY_LABELS = [
    *("🔨 Odd jobs", "🌱 Garden", "🛒 Shopping", "🚗 Transport", "💻 Computer & phone", "📝 Language & forms"),
    *("🧸 Childcare", "🍲 Cooking", "🧵 Sewing & repairs", "☕ Company", "✨ Other"),
]
ASK_TITLE = "Give your post a short title. At most 80 characters."
ASK_BODY = "Describe it in a few sentences. At most 500 characters."
CONTACT = "Everyone can read your post. Please leave out phone numbers, e-mail and links.\nPeople react with 💬."
PREVIEW_BUTTONS = ["✅ Publish", "✏️ Change", "✖️ Stop", *WAY_ON]
ARABIC = "أحتاج مساعدة في الحديقة"  # I need help in the garden


async def zzp(local_bot: LocalBot, name: str = "Bob", user_id: int = 2) -> Person:
    """A member who signed up as a local freelancer with a business."""
    bob = await signed_up(local_bot, name, user_id=user_id, language="English")
    member = await stored(local_bot, bob)
    assert member is not None
    members.update_profile(
        database(local_bot), member.id, interests=frozenset({"services"}), business_name="Bob's Bikes"
    )
    return bob


def back_data(person: Person) -> str:
    """Where ⬅️ Back under the newest message leads."""
    rows = person.last_message["reply_markup"]["inline_keyboard"]
    return next(b["callback_data"] for row in rows for b in row if b["text"] == "⬅️ Back")


async def posts_of(local_bot: LocalBot, person: Person) -> list[posts.Post]:
    member = await stored(local_bot, person)
    assert member is not None
    return posts.of_author(database(local_bot), member.id, 0).items


async def asks_for_help(person: Person, title: str = "Help with my hedge", body: str = "It is 10 metres long.") -> None:
    """🙋 I need help, answered straight through to the preview."""
    await person.press("post:new:request")
    await person.tap("🌱 Garden")
    await person.tap("🤝 Free neighbour help")
    await person.send(title)
    await person.send(body)


async def test_a_member_asks_for_help_step_by_step_and_sees_the_card_before_it_goes_up(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    await ann.tap("🤝 Help & services")
    await ann.tap("🙋 I need help")
    assert ann.last_text == "🙋 What do you need help with?\nChoose a category."
    assert ann.inline_labels == [*CATEGORY_LABELS, *WAY_ON]
    assert len(ann.last_message["reply_markup"]["inline_keyboard"][0]) == 2  # two a row
    assert back_data(ann) == "hlp:menu"

    await ann.tap("🌱 Garden")
    assert ann.last_text == "What kind of help is it?"
    assert ann.inline_labels == ["🤝 Free neighbour help", "🔄 Swap", *WAY_ON]  # paid is for ZZP'ers
    await ann.tap("⬅️ Back")
    assert ann.last_text.startswith("🙋 What do you need help with?")
    await ann.tap("🛒 Shopping")
    await ann.tap("🔄 Swap")
    assert ann.last_text == ASK_TITLE

    await ann.send("   ")
    assert ann.last_text == "Please type a short title for your post.\n\n" + ASK_TITLE
    await ann.send("T" * 81)
    assert ann.last_text == "This is too long. Write it in at most 80 characters.\n\n" + ASK_TITLE
    await ann.send("Groceries\non Monday")
    assert ann.last_text.startswith("Please write it on one line")
    await ann.send("Groceries <b>for</b> me & my cat 🐈")
    assert ann.last_text == ASK_BODY
    await ann.send("B" * 501)
    assert ann.last_text == "This is too long. Write it in at most 500 characters.\n\n" + ASK_BODY
    await ann.send(f"I cook for you in return.\n{ARABIC}")
    assert ann.last_text.splitlines() == [
        "This is how others will see your post:",
        "",
        "🙋 Asks for help · 🛒 Shopping",
        "Groceries <b>for</b> me & my cat 🐈",  # shown as typed, not as bold
        "🔄 Swap",
        "👤 Ann",
        "",
        "I cook for you in return.",
        ARABIC,
        "",
        "📅 Posted on Friday 27 November, 10:00",
    ]
    assert ann.inline_labels == PREVIEW_BUTTONS
    assert await posts_of(local_bot, ann) == []  # nothing is up before ✅

    await ann.tap("✅ Publish")
    assert ann.last_text == "✅ Your post is up.\nIt is up for 30 days.\nYou get a message when someone reacts."
    assert ann.inline_labels == ["📋 My posts", *WAY_ON]
    [post] = await posts_of(local_bot, ann)
    assert (post.side, post.category, post.kind, post.title) == (
        "request",
        "shopping",
        "swap",
        "Groceries <b>for</b> me & my cat 🐈",
    )
    assert post.body == f"I cook for you in return.\n{ARABIC}"


async def test_a_zzper_offers_paid_help_with_a_price_and_the_business_name(local_bot: LocalBot) -> None:
    bob = await zzp(local_bot)
    await bob.press("post:new:offer")
    assert bob.last_text == "💪 What do you offer?\nChoose a category."
    await bob.tap("🔨 Odd jobs")
    assert bob.inline_labels == ["🤝 Free neighbour help", "🔄 Swap", "💶 Paid", *WAY_ON]
    await bob.tap("💶 Paid")
    await bob.send("Bicycle repairs")
    await bob.send("Flat tyre, brakes, lights.")
    assert bob.last_text == "How do you ask to be paid?"
    assert bob.inline_labels == ["Per hour", "Per job", *WAY_ON]
    await bob.tap("Per hour")
    assert bob.last_text.startswith("How much do you ask per hour?")
    await bob.send("lots")
    assert bob.last_text == (  # the example is the question's own
        "Please type the amount in euros, in numbers only.\n\n"
        "How much do you ask per hour? Type an amount in euros, like 25 or 22,50."
    )
    await bob.send("25")
    lines = bob.last_text.splitlines()
    assert lines[2:6] == ["💪 Offers help · 🔨 Odd jobs", "Bicycle repairs", "💶 €25.00 per hour", "🏢 Bob's Bikes"]

    await bob.tap("✏️ Change")
    assert bob.inline_labels == ["Category", "Kind", "Title", "Description", "Price", *WAY_ON]
    await bob.tap("Price")
    await bob.tap("Per job")
    await bob.send("40")
    assert "💶 €40.00 per job" in bob.last_text.splitlines()
    await bob.tap("✅ Publish")
    [post] = await posts_of(local_bot, bob)
    assert (post.kind, post.price_cents, post.price_unit, post.business_name) == ("paid", 4000, "job", "Bob's Bikes")


async def test_changing_a_post_to_paid_asks_the_price_and_to_free_drops_it(local_bot: LocalBot) -> None:
    bob = await zzp(local_bot)
    await asks_for_help(bob)
    await bob.tap("✏️ Change")
    await bob.tap("Kind")
    await bob.tap("💶 Paid")
    assert bob.last_text == "How do you ask to be paid?"
    await bob.tap("Per hour")
    await bob.send("12,50")
    assert "💶 €12.50 per hour" in bob.last_text.splitlines()
    await bob.tap("✏️ Change")
    await bob.tap("Kind")
    await bob.tap("🤝 Free neighbour help")
    assert bob.last_text.startswith("This is how others will see your post:")
    assert "👤 Bob" in bob.last_text.splitlines()
    await bob.tap("✏️ Change")
    assert "Price" not in bob.inline_labels
    await bob.tap("Title")
    await bob.send("Help with my garden hedge")
    assert "Help with my garden hedge" in bob.last_text.splitlines()
    await bob.tap("✅ Publish")
    [post] = await posts_of(local_bot, bob)
    assert (post.kind, post.price_cents, post.title) == ("free", None, "Help with my garden hedge")


async def test_contact_details_in_a_post_get_a_friendly_note_and_are_typed_again(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    await ann.press("post:new:request")
    await ann.tap("🌱 Garden")
    await ann.tap("🤝 Free neighbour help")
    await ann.send("Call me on 06-12345678")
    assert ann.last_text == CONTACT + "\n\n" + ASK_TITLE
    await ann.send("Help with my hedge")
    for contact in ("Mail me: ann@example.com", "See www.annstuin.nl", "Ring +31 6 1234 5678", "t.me/ann"):
        await ann.send(contact)
        assert ann.last_text == CONTACT + "\n\n" + ASK_BODY
    await ann.send("On 12-12-2026, 10:00 to 12:00. I have the tools.")
    assert ann.last_text.startswith("This is how others will see your post:")
    await ann.tap("✅ Publish")
    [post] = await posts_of(local_bot, ann)
    assert post.body == "On 12-12-2026, 10:00 to 12:00. I have the tools."


async def test_paid_is_refused_for_a_member_who_is_not_a_zzper_even_with_a_forged_button(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    await ann.press("post:new:offer")
    await ann.tap("🔨 Odd jobs")
    await ann.press("post:kind:paid")
    assert ann.last_text == (
        "Paid help is only for local freelancers with a business. Choose free help or a swap.\n\n"
        "What kind of help is it?"
    )
    assert "💶 Paid" not in ann.inline_labels
    await ann.tap("🔄 Swap")
    assert ann.last_text == ASK_TITLE


async def test_the_sixth_post_in_a_day_is_refused_politely(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    for number in range(5):
        await asks_for_help(ann, title=f"Help number {number}")
        await ann.tap("✅ Publish")
    await ann.press("post:new:offer")
    refused = "You placed 5 posts in the last 24 hours. That is the most. Please try again tomorrow."
    assert ann.last_text == refused
    assert ann.inline_labels == WAY_ON and back_data(ann) == "hlp:menu"
    assert len(await posts_of(local_bot, ann)) == 5


async def test_the_limit_also_holds_for_a_draft_started_before(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    await asks_for_help(ann, title="The sixth")  # started while 0 were up
    member = await stored(local_bot, ann)
    assert member is not None
    runtime = runtime_of(local_bot.application)
    for number in range(5):  # meanwhile, in another chat (or with older buttons)
        made = posts.publish(
            *(runtime.database, member.id, "offer", "garden", "free", f"P{number}", "x", None, None),
            *(runtime.clock(), 30),
            tz=runtime.settings.timezone,
        )
        assert made.post is not None
    await ann.tap("✅ Publish")
    assert ann.last_text.startswith("You placed 5 posts in the last 24 hours.")
    assert "The sixth" not in [p.title for p in await posts_of(local_bot, ann)]


async def test_a_double_tap_on_publish_makes_one_post(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    await asks_for_help(ann)
    preview = ann.last_message
    await ann.tap("✅ Publish")
    await ann.tap_on(preview, "✅ Publish")
    assert ann.toasts == ["This button no longer works."]
    assert ann.texts == []  # no "choose again from the menu" right under "published"
    assert len(await posts_of(local_bot, ann)) == 1


async def test_back_goes_one_step_back_and_stop_publishes_nothing(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    await asks_for_help(ann)
    await ann.tap("⬅️ Back")
    assert ann.last_text == ASK_BODY
    await ann.tap("⬅️ Back")
    assert ann.last_text == ASK_TITLE
    await ann.tap("⬅️ Back")
    assert ann.last_text == "What kind of help is it?"
    await ann.tap("⬅️ Back")
    assert ann.last_text.startswith("🙋 What do you need help with?")
    await ann.tap("🌱 Garden")
    await ann.tap("🤝 Free neighbour help")
    await ann.send("Help with my hedge")
    await ann.send("It is long.")
    await ann.tap("✖️ Stop")
    assert ann.last_text == "Stopped. Nothing was published."
    await ann.send("Some words")  # the flow is left: typing is not taken as an answer
    assert await posts_of(local_bot, ann) == []


async def test_forged_or_old_buttons_of_the_flow_publish_nothing(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    await ann.press("post:publish")  # no post being written
    assert ann.toasts == ["This button no longer works."]
    await asks_for_help(ann)
    await ann.press("post:edit:price")  # a free post has no price
    assert ann.toasts == ["This button no longer works."]
    await ann.press("post:back:amount")  # a step this post does not have
    assert ann.toasts == ["This button no longer works."]
    await ann.press("post:cat:garden")  # a step that is done: the preview waits for an answer
    assert ann.toasts == ["This button no longer works."]
    assert await posts_of(local_bot, ann) == []
    await ann.tap("✅ Publish")
    assert len(await posts_of(local_bot, ann)) == 1
