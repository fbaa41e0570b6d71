"""📣 Organise → 🤝 Help & services: open reports, requests nobody reacted to, the month in figures and as a file."""

from __future__ import annotations

import pytest

from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import hours, posts, reports, talks
from storage.posts import DELETED, HELPED, OFFER
from tests.conftest import Clock
from tests.journeys import database, last_file, member_id, signed_up
from tests.test_database_calls import MAX_CALLS_PER_TAP, count_each_update
from tests.test_help_news import published

pytestmark = pytest.mark.settings(ORGANISER_IDS="900")


async def organiser(local_bot: LocalBot) -> Person:
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    await olga.tap("📣 Organise")
    await olga.tap("🤝 Help & services")
    return olga


async def test_requests_without_a_reaction_for_a_week_oldest_first_with_who_asked(
    local_bot: LocalBot, clock: Clock
) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    eva = await signed_up(local_bot, "Eva", user_id=5, language="English")
    ben = await signed_up(local_bot, "Ben", user_id=2, language="English")
    db = database(local_bot)
    oldest = await published(local_bot, ann, "Who can mow my <lawn>?")
    clock.advance(hours=1)
    answered = await published(local_bot, eva, "Soup for a sick neighbour", category="cooking")
    talks.react(db, answered.id, await member_id(local_bot, ben), "I can cook on Tuesday.", clock.now)
    await published(local_bot, eva, "I walk dogs", side=OFFER)  # an offer waits for no reaction
    for number in range(5):
        clock.advance(minutes=10)
        await published(local_bot, (ann, eva)[number % 2], f"Shopping on Saturday {number + 1}", category="shopping")
    ended = await published(local_bot, eva, "A ladder for a day", category="odd_jobs")
    posts.end(db, ended.id, await member_id(local_bot, eva), DELETED, None, clock.now)
    clock.advance(days=6)
    await published(local_bot, ann, "Help with a form", category="language")  # not a week old yet

    clock.advance(days=1, hours=1)
    olga = await organiser(local_bot)
    assert olga.inline_labels[:3] == ["⚠️ Reports (0)", "⏳ Requests without a reaction", "📊 This month"]
    await olga.tap("⏳ Requests without a reaction")
    assert olga.last_text == "⏳ Requests without a reaction for 7 days: 6\nTap one to see who asked."
    assert olga.inline_labels == [
        "🌱 Who can mow my <lawn>? · Fri 27 Nov, 10:00",
        *(f"🛒 Shopping on Saturday {n} · Fri 27 Nov, 11:{n}0" for n in range(1, 5)),
        "▶️",
        "⬅️ Back",
        "🏠 Menu",
    ]
    await olga.tap("▶️")
    assert olga.inline_labels[0] == "🛒 Shopping on Saturday 5 · Fri 27 Nov, 11:50"
    await olga.tap("◀️")
    await olga.tap("🌱 Who can mow my <lawn>? · Fri 27 Nov, 10:00")
    assert olga.last_text == (
        "⏳ No reaction yet\n🌱 Garden · 🤝 Free neighbour help\nWho can mow my <lawn>?\n"
        "The grass is high. It takes an hour.\n\n👤 Ann asked on Friday 27 November, 10:00."
    )
    assert olga.inline_labels == ["💬 React", "⬅️ Back", "🏠 Menu"]  # she can step in herself
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("⏳ Requests without a reaction for 7 days: 6")

    talks.react(db, oldest.id, await member_id(local_bot, ben), "I have a mower.", clock.now)  # someone stepped in
    await olga.press(f"horg:post:{oldest.id}:0")
    assert olga.toasts == ["This request got a reaction or has ended."]
    assert olga.last_text.startswith("⏳ Requests without a reaction for 7 days: 5")


async def test_nobody_waiting_is_said_plainly(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    await olga.tap("⏳ Requests without a reaction")
    assert olga.last_text == "⏳ Every request of more than 7 days old got a reaction. Well done!"
    assert olga.inline_labels == ["⬅️ Back", "🏠 Menu"]
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("🤝 Help & services\nWhat do you want to see?")


async def test_the_month_in_figures_and_as_a_file(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    ben = await signed_up(local_bot, "Ben", user_id=2, language="English")
    db = database(local_bot)
    ann_id, ben_id = await member_id(local_bot, ann), await member_id(local_bot, ben)
    lawn = await published(local_bot, ann, "Who can mow my lawn?")
    await published(local_bot, ann, "Hedge trimming", side=OFFER)
    await published(local_bot, ben, "Soup for two", category="cooking", side=OFFER)
    talks.react(db, lawn.id, ben_id, "I have a mower.", clock.now)
    posts.end(db, lawn.id, ann_id, HELPED, ben_id, clock.now)
    hours.for_post(db, lawn.id, ann_id, 3, clock.now)  # 1½ hours

    olga = await organiser(local_bot)
    await olga.tap("📊 This month")
    assert olga.last_text == (
        "🤝 Help & services · November 2026\n"
        "New posts: 3\n"
        "🌱 Garden: 1 asked, 1 offered\n"
        "🍲 Cooking: 0 asked, 1 offered\n\n"
        "💬 Reactions: 1\n✅ Helped: 1\n⏱️ Hours exchanged: 1½"
    )
    assert olga.inline_labels == ["◀️", "▶️", "📄 As a file", "⬅️ Back", "🏠 Menu"]

    await olga.tap("📄 As a file")
    document, data = last_file(local_bot, olga)
    assert document["file_name"] == "help-202611.csv"
    rows = [line.split(";") for line in data.decode("utf-8-sig").splitlines()]
    assert rows[0] == ["Kind of help", "Requests", "Offers"]
    assert rows[1:12][1] == ["Garden", "1", "1"] and rows[1:12][7] == ["Cooking", "0", "1"]
    assert len(rows[1:12]) == 11 and rows[12] == [""]
    assert rows[13:] == [["New posts", "3"], ["Reactions", "1"], ["Helped", "1"], ["Hours exchanged", "1.5"]]
    assert olga.inline_labels == ["⬅️ Back", "🏠 Menu"]
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("🤝 Help & services · November 2026")

    await olga.tap("◀️")
    assert olga.last_text == (
        "🤝 Help & services · October 2026\nNew posts: 0\n\n💬 Reactions: 0\n✅ Helped: 0\n⏱️ Hours exchanged: 0"
    )
    clock.advance(days=5)  # December: the menu's 📊 This month is December now
    await olga.press("horg:month:now")
    assert olga.last_text.startswith("🤝 Help & services · December 2026\nNew posts: 0")


async def test_the_time_bank_is_one_tap_away(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    assert "⏱️ Hours (time bank)" in olga.inline_labels
    [data] = [
        button["callback_data"]
        for row in olga.last_message["reply_markup"]["inline_keyboard"]
        for button in row
        if button["text"] == "⏱️ Hours (time bank)"
    ]
    assert data == "hours:adm:0"


@pytest.mark.settings(ORGANISER_IDS="900", WIJKBOT_TIMEBANK="off")
async def test_without_the_time_bank_there_is_no_hours_button(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    assert olga.inline_labels == [
        "⚠️ Reports (0)",
        "⏳ Requests without a reaction",
        "📊 This month",
        "⬅️ Back",
        "🏠 Menu",
    ]
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("📣 Organise")


async def test_only_organisers_see_these_screens(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    lawn = await published(local_bot, ann)
    clock.advance(days=8)
    for data in (
        *("horg:menu", "horg:reports:0", "horg:quiet:0", f"horg:post:{lawn.id}:0", "horg:month:now"),
        *("horg:csv:202611", "report:lcard:1:0", "report:ldismiss:1:0"),
    ):
        await ann.press(data)
        assert ann.toasts == ["Only organisers can do this."]
        assert "Who can mow" not in ann.last_text and "Requests" not in ann.last_text
    assert not any(event.kind == "document" for event in ann.replies)


async def test_old_or_forged_organiser_buttons_are_answered_politely(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    for data in ("horg:post:99999:0", "horg:month:209913", "horg:quiet:x", "horg:reports:x", "report:lcard:99999:0"):
        await olga.press(data)
        assert olga.toasts in (["This button no longer works."], ["This request got a reaction or has ended."])
    await olga.press("horg:quiet:7")  # a page that is no longer there: the first page
    assert olga.last_message["text"].startswith("⏳ Every request")


# ----- open reports -----------------------------------------------------------------------------

AUTHORS = ("Ann", "Eva")  # a member puts up at most 5 posts a day


async def reported_posts(local_bot: LocalBot, clock: Clock, count: int) -> None:
    """Ann and Eva each put up posts in turn, "Cheap phones 1" and on, a minute apart; Ben reports each."""
    authors = [await signed_up(local_bot, name, user_id=1 + n, language="English") for n, name in enumerate(AUTHORS)]
    ben = await signed_up(local_bot, "Ben", user_id=3, language="English")
    ben_id = await member_id(local_bot, ben)
    for number in range(1, count + 1):
        post = await published(local_bot, authors[(number - 1) % 2], f"Cheap phones {number}")
        reports.report_post(database(local_bot), post.id, ben_id, clock.now)
        clock.advance(minutes=1)


def listed(number: int) -> str:
    """How report `number` reads in the list."""
    return f"📋 {AUTHORS[(number - 1) % 2]}: Cheap phones {number} · Fri 27 Nov, 10:0{number - 1}"


async def test_open_reports_are_listed_oldest_first_and_each_opens_its_card(local_bot: LocalBot, clock: Clock) -> None:
    await reported_posts(local_bot, clock, 6)
    olga = await organiser(local_bot)
    assert olga.inline_labels[0] == "⚠️ Reports (6)"
    reports.dismiss(database(local_bot), 1, await member_id(local_bot, olga), clock.now)  # on its card
    await olga.press("horg:menu")
    assert olga.inline_labels[0] == "⚠️ Reports (5)"

    await olga.tap("⚠️ Reports (5)")
    assert olga.last_text == "⚠️ Open reports: 5\nTap one to see it and decide."
    assert olga.inline_labels == [*(listed(n) for n in range(2, 7)), "⬅️ Back", "🏠 Menu"]
    await olga.tap(listed(3))
    card = "⚠️ A member reported a post by Ann:\n\nCheap phones 3\nThe grass is high. It takes an hour."
    assert olga.last_text == card
    assert olga.inline_labels == ["🙈 Hide post", "⏸️ Pause membership", "✔️ Nothing wrong", "⬅️ Back", "🏠 Menu"]
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("⚠️ Open reports: 5")

    await olga.tap(listed(3))
    await olga.tap("⏸️ Pause membership")
    assert olga.last_text == card + "\n\nPause the membership of Ann?"
    assert olga.inline_labels == ["✅ Yes", "↩️ No", "⬅️ Back", "🏠 Menu"]
    await olga.tap("⬅️ Back")
    assert olga.last_text == card
    await olga.tap("✔️ Nothing wrong")
    assert olga.toasts == ["Done."]
    assert olga.last_text == card + "\n\n✔️ Olga found nothing wrong."
    assert olga.inline_labels == ["⬅️ Back", "🏠 Menu"]
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("⚠️ Open reports: 4")
    assert olga.inline_labels == [*(listed(n) for n in (2, 4, 5, 6)), "⬅️ Back", "🏠 Menu"]
    await olga.tap("⬅️ Back")
    assert olga.inline_labels[0] == "⚠️ Reports (4)"


async def test_more_than_five_open_reports_take_pages(local_bot: LocalBot, clock: Clock) -> None:
    await reported_posts(local_bot, clock, 7)
    olga = await organiser(local_bot)
    counts = count_each_update(local_bot)
    used = {}
    await olga.press("horg:menu")
    used["menu"] = counts[-1].calls
    await olga.tap("⚠️ Reports (7)")
    used["list"] = counts[-1].calls
    assert olga.inline_labels == [*(listed(n) for n in range(1, 6)), "▶️", "⬅️ Back", "🏠 Menu"]
    await olga.tap("▶️")
    used["next page"] = counts[-1].calls
    assert olga.inline_labels == [listed(6), listed(7), "◀️", "⬅️ Back", "🏠 Menu"]
    await olga.tap(listed(7))
    used["card"] = counts[-1].calls
    await olga.tap("🙈 Hide post")
    used["hide"] = counts[-1].calls
    assert olga.last_text.endswith("\n\n🙈 Olga hid the post.")
    await olga.tap("⬅️ Back")  # the second page has one report left
    used["back"] = counts[-1].calls
    assert olga.inline_labels == [listed(6), "◀️", "⬅️ Back", "🏠 Menu"]
    await olga.tap(listed(6))
    await olga.tap("✔️ Nothing wrong")
    await olga.tap("⬅️ Back")  # the second page is empty now: the first page
    assert olga.last_text.startswith("⚠️ Open reports: 5")
    assert olga.inline_labels == [*(listed(n) for n in range(1, 6)), "⬅️ Back", "🏠 Menu"]
    assert max(used.values()) <= MAX_CALLS_PER_TAP, used


async def test_no_open_reports_is_said_plainly(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    await olga.tap("⚠️ Reports (0)")
    assert olga.last_text == "⚠️ There are no open reports. There is nothing to decide now."
    assert olga.inline_labels == ["⬅️ Back", "🏠 Menu"]
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("🤝 Help & services\nWhat do you want to see?")
