"""📣 Organise → 📢 Send a message, as an organiser uses it: write, choose who, add languages, see it as
members will, send now, later or urgently at night; then 📋 Past messages with their reports, ✏️ Correct,
🗑️ Withdraw and who did not confirm."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot import i18n
from bot.config import Settings
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.server import TelegramEmulator
from storage import announcements, members
from storage.announcements import Announcement
from tests.conftest import ORGANISER_TELEGRAM_ID, Clock, running_bot
from tests.journeys import catch_up, database, english, member_id, planned_activity, signed_up
from tests.test_database_calls import MAX_CALLS_PER_TAP, count_each_update

WAY_ON = ["⬅️ Back", "🏠 Menu"]
HEADING = "📢 Message from the organisers"
URGENT_HEADING = "🚨 Urgent message from the organisers"
DUTCH_HEADING = "📢 " + i18n.translator("nl")("Message from the organisers")
DUTCH_URGENT_HEADING = "🚨 " + i18n.translator("nl")("Urgent message from the organisers")
NIGHT = datetime(2026, 11, 27, 21, 30, tzinfo=UTC)  # Friday 22:30 in Amsterdam
PREVIEW_BUTTONS = [
    *("✅ Send", "🕗 Later", "🌐 Other languages", "⬜ Ask for ✅ Understood", "⬜ 🚨 Urgent"),
    *("✏️ Change the text", "✖️ Stop", *WAY_ON),
]
WHO_BUTTONS = [
    *("👥 Everyone", "🏘️ One neighbourhood", "💡 An interest", "🧰 ZZP'ers or organisers"),
    *("📅 People of an activity", "🌐 A language", *WAY_ON),
]


async def organiser(local_bot: LocalBot) -> Person:
    return await english(local_bot, "Olga", ORGANISER_TELEGRAM_ID)


async def writes(olga: Person, words: str = "The hall is closed on Monday.") -> None:
    """📣 Organise → 📢 Send a message, and the words typed."""
    await olga.tap("📣 Organise")
    await olga.tap("📢 Send a message")
    await olga.send(words)


def made(local_bot: LocalBot) -> list[Announcement]:
    """Every announcement stored, newest first."""
    return announcements.page(database(local_bot), 0).items


def got(person: Person) -> list[str]:
    """The announcements the person got (messages and photos from the organisers, with 🏠 Menu under them:
    not the organiser's preview), in order."""
    return [
        event.text
        for event in person.chat.events
        if event.kind in ("message", "photo")
        and event.text.startswith((HEADING, URGENT_HEADING, DUTCH_HEADING, DUTCH_URGENT_HEADING))
        and event.message.get("reply_markup")
    ]


def preview_lines(person: Person) -> list[str]:
    return person.last_text.splitlines()


async def background_work_done() -> None:
    """Edits and deletions after ✏️ / 🗑️ run as background tasks named announcement:<id>:<work>."""
    tasks = [task for task in asyncio.all_tasks() if task.get_name().startswith("announcement:")]
    await asyncio.gather(*tasks)


async def test_an_organiser_writes_to_everyone_sees_it_as_members_will_and_sends_it(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    cas = await signed_up(local_bot, "Cas", user_id=3)  # reads Dutch
    await olga.tap("📣 Organise")
    assert "📢 Send a message" in olga.inline_labels
    await olga.tap("📢 Send a message")
    assert (
        olga.last_text == "📢 Write your message. Type it, or send a photo with a few words. At most 4000 characters."
    )
    assert olga.inline_labels == ["📋 Past messages", *WAY_ON]
    await olga.send("   ")
    assert olga.last_text.startswith("Please type the words of your message.")
    await olga.send("T" * 4001)
    assert olga.last_text.startswith("This is too long. Write it in at most 4000 characters.")
    await olga.send("The hall is <b>closed</b> on Monday & Tuesday.")
    assert olga.last_text == "Who gets this message?"
    assert olga.inline_labels == WHO_BUTTONS

    await olga.tap("👥 Everyone")
    view, control = olga.texts[-2:]
    assert view == f"{HEADING}\n\nThe hall is <b>closed</b> on Monday & Tuesday."  # as typed, not bold
    assert control.splitlines() == [
        "👆 This is your message.",
        "👥 Who gets it: everyone.",
        "It goes to 3 members now.",
        "▶️ It goes out as soon as you tap ✅ Send.",
    ]
    assert olga.inline_labels == PREVIEW_BUTTONS
    assert made(local_bot) == []  # nothing is stored before ✅

    await olga.tap("✅ Send")
    [announcement] = made(local_bot)
    assert (announcement.total, announcement.sent) == (3, 3)
    assert got(ann) == [view] and got(olga) == [view]
    assert got(cas) == [f"{DUTCH_HEADING}\n\nThe hall is <b>closed</b> on Monday & Tuesday."]
    progress = local_bot.emulator.chat_for(olga.user).messages[announcement.progress_message_id]
    assert progress["text"].splitlines()[:2] == ["✅ Sending is finished.", "Delivered: 3"]


async def test_stop_sends_nothing_and_back_goes_one_step_back(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    await writes(olga)
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("📢 Write your message.")
    await olga.send("Soup on Friday.")
    await olga.tap("💡 An interest")
    assert olga.inline_labels == ["Join activities", "Help neighbours", "Offer services as a freelancer (ZZP)", *WAY_ON]
    await olga.tap("⬅️ Back")
    assert olga.inline_labels == WHO_BUTTONS
    await olga.tap("👥 Everyone")
    await olga.tap("⬅️ Back")
    assert olga.last_text == "Who gets this message?"
    await olga.tap("👥 Everyone")
    await olga.tap("✏️ Change the text")
    assert olga.inline_labels == WAY_ON  # back to the preview, or the menu
    await olga.send("Soup on Saturday.")
    assert got(olga) == []
    assert olga.texts[-2] == f"{HEADING}\n\nSoup on Saturday."  # shown again, as it is now
    await olga.tap("✖️ Stop")
    assert olga.last_text == "Stopped. Nothing was sent."
    assert made(local_bot) == []
    await catch_up(local_bot)
    assert got(olga) == []


@pytest.mark.settings(WIJKBOT_NEIGHBOURHOODS="Centrum,Noord")
@pytest.mark.parametrize(
    ("choices", "who", "reached"),
    [
        (("🏘️ One neighbourhood", "Noord"), "members in Noord", {"Ann"}),
        (("🏘️ One neighbourhood", "Other"), "members who chose “Other” as their neighbourhood", {"Olga"}),
        (("💡 An interest", "Help neighbours"), "members who chose “Help neighbours”", {"Bob"}),
        (("🧰 ZZP'ers or organisers", "ZZP'ers (local freelancers)"), "ZZP'ers (local freelancers)", {"Bob"}),
        (("🧰 ZZP'ers or organisers", "Organisers"), "Organisers", {"Olga"}),
        (("📅 People of an activity", None), "people coming to or waiting for “Samen koken”", {"Ann", "Bob"}),
        (("🌐 A language", "Nederlands"), "members who read Nederlands", {"Cas"}),
        (("🌐 A language", "English"), "members who read English", {"Olga", "Ann", "Bob"}),
    ],
)
async def test_each_audience_shows_its_count_and_reaches_only_its_members(
    local_bot: LocalBot, choices: tuple[str, str | None], who: str, reached: set[str]
) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=ORGANISER_TELEGRAM_ID, language="English")
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English", neighbourhood="Noord")
    bob = await signed_up(
        local_bot, "Bob", user_id=2, language="English", neighbourhood="Centrum", wants=("Help neighbours",)
    )
    cas = await signed_up(local_bot, "Cas", user_id=3, neighbourhood="Centrum")
    db = database(local_bot)
    members.update_profile(
        db, await member_id(local_bot, bob), interests=frozenset({"helping", "services"}), business_name="Bob's Bikes"
    )
    cooking = await planned_activity(local_bot, "Samen koken", capacity=1)
    await planned_activity(local_bot, "Later", starts_in=timedelta(days=5))
    await ann.press(f"act:yes:{cooking.id}")
    await bob.press(f"act:yes:{cooking.id}")  # on the waiting list

    await writes(olga, "Soup on Friday.")
    kind, value = choices
    await olga.tap(kind)
    await olga.tap(value or olga.inline_labels[0])
    lines = olga.last_text.splitlines()
    assert lines[1:3] == [
        f"👥 Who gets it: {who}.",
        f"It goes to {len(reached)} member{'s' * (len(reached) != 1)} now.",
    ]
    await olga.tap("✅ Send")
    people = {"Olga": olga, "Ann": ann, "Bob": bob, "Cas": cas}
    assert {name for name, person in people.items() if got(person)} == reached


async def test_the_activity_list_pages_and_a_forged_or_cancelled_activity_is_stale(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    for day in range(1, 8):
        await planned_activity(local_bot, f"Dag {day}", starts_in=timedelta(days=day))
    await writes(olga)
    await olga.tap("📅 People of an activity")
    assert olga.last_text == "Which activity? Everyone who comes or waits for it gets the message."
    assert len(olga.inline_labels) == 5 + 1 + 2  # 5 a page, ▶️, way on
    await olga.tap("▶️")
    assert olga.inline_labels[0].startswith("Dag 6")
    await olga.press("annc:act:999")
    assert olga.toasts == ["This button no longer works."]
    assert made(local_bot) == []


async def test_other_languages_show_in_the_preview_and_each_member_reads_their_own(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    cas = await signed_up(local_bot, "Cas", user_id=3)  # reads Dutch
    await writes(olga, "Soup on Friday.")
    await olga.tap("👥 Everyone")
    await olga.tap("🌐 Other languages")
    assert olga.inline_labels == [
        "➕ Nederlands",
        "➕ Türkçe",
        "➕ العربية",
        "➕ Polski",
        "➕ Українська",
        *WAY_ON,
    ]  # each but the original
    await olga.tap("➕ Nederlands")
    assert olga.last_text == "Type the message in Nederlands. At most 4000 characters."
    await olga.send("Soep op vrijdag.\nKom allemaal!")
    assert "🌐 Nederlands: Soep op vrijdag. Kom allemaal!" in preview_lines(olga)
    await olga.tap("🌐 Other languages")
    assert olga.inline_labels[:2] == ["✅ Nederlands", "➕ Türkçe"]
    await olga.tap("✅ Nederlands")
    assert olga.last_text.endswith("Now it reads:\n\nSoep op vrijdag.\nKom allemaal!")
    await olga.send("Soep op vrijdag.")
    assert "🌐 Nederlands: Soep op vrijdag." in preview_lines(olga)
    await olga.tap("✅ Send")
    assert got(ann) == [f"{HEADING}\n\nSoup on Friday."]
    assert got(cas) == [f"{DUTCH_HEADING}\n\nSoep op vrijdag."]
    [announcement] = made(local_bot)
    assert announcement.texts == {"en": "Soup on Friday.", "nl": "Soep op vrijdag."}
    assert announcement.original_language == "en"


async def test_a_photo_with_words_goes_out_as_a_photo(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    await olga.tap("📣 Organise")
    await olga.tap("📢 Send a message")
    await olga.send_photo()
    assert olga.last_text.startswith("🖼️ Your photo is kept. Type the words that go with it")
    assert olga.inline_labels == ["🗑️ Without the photo", *WAY_ON]
    await olga.send("W" * 951)
    assert olga.last_text.startswith("This is too long. Write it in at most 950 characters.")
    await olga.send("Our new garden.")
    await olga.tap("👥 Everyone")
    view = next(event for event in olga.replies if event.kind == "photo")
    assert view.text == f"{HEADING}\n\nOur new garden."
    await olga.tap("⬜ 🚨 Urgent")  # the heading of the photo's caption changes with it
    assert olga.chat.messages[view.message["message_id"]]["caption"].startswith(URGENT_HEADING)
    await olga.tap("✅ Send")
    [event] = [event for event in ann.chat.events if event.kind == "photo"]
    assert event.text == f"{URGENT_HEADING}\n\nOur new garden."
    assert event.message["photo"][-1]["file_id"] == made(local_bot)[0].photo


async def test_a_photo_with_its_caption_and_then_without_the_photo(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    await olga.tap("📣 Organise")
    await olga.tap("📢 Send a message")
    await olga.send_photo("Look at this.")
    assert olga.last_text == "Who gets this message?"
    await olga.tap("⬅️ Back")
    await olga.tap("🗑️ Without the photo")
    await olga.send("Only words now.")
    await olga.tap("👥 Everyone")
    await olga.tap("✅ Send")
    assert made(local_bot)[0].photo is None
    assert got(olga) == [f"{HEADING}\n\nOnly words now."]


async def test_later_picks_a_day_and_a_time_and_it_goes_out_then(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    await writes(olga)
    await olga.tap("👥 Everyone")
    await olga.tap("🕗 Later")
    assert olga.last_text == "On which day should it go out? Tap a day, or type it like 12-12."
    assert olga.inline_labels[:2] == ["Fri 27 Nov", "Sat 28 Nov"]
    await olga.tap("Fri 27 Nov")
    assert olga.inline_labels == [*(f"{hour:02d}:00" for hour in (8, 9, 10, 12, 14, 16, 18, 20)), *WAY_ON]
    await olga.tap("09:00")  # it is 10:00
    assert olga.last_text.startswith("That time has passed. Please choose a later time.")
    await olga.tap("⬅️ Back")
    await olga.send("28-11")
    await olga.send("14:30")
    assert "🕗 It goes out on Saturday 28 November, 14:30." in preview_lines(olga)
    assert "▶️ Now instead" in olga.inline_labels
    await olga.tap("✅ Send")
    assert "🕗 Planned. It goes out on Saturday 28 November, 14:30.\nThis message shows how it goes." in olga.texts
    await catch_up(local_bot)
    assert got(ann) == []
    olga.look()
    assert olga.texts == []  # "Planned" stays until it goes out
    clock.now = datetime(2026, 11, 28, 13, 30, tzinfo=UTC)
    await catch_up(local_bot)
    assert got(ann) == [f"{HEADING}\n\nThe hall is closed on Monday."]


async def test_at_night_it_waits_for_the_morning_unless_it_is_urgent(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    bob = await english(local_bot, "Bob", 2)
    members.update_profile(database(local_bot), await member_id(local_bot, bob), paused=True)
    clock.now = NIGHT
    await writes(olga, "The tap water is not safe. Boil it first.")
    await olga.tap("👥 Everyone")
    assert preview_lines(olga)[2:] == [
        "It goes to 2 members now.",  # Bob paused messages
        "🌙 That is at night. It goes out on Saturday 28 November, 08:00, unless you make it 🚨 Urgent.",
    ]
    await olga.tap("⬜ 🚨 Urgent")
    assert preview_lines(olga)[2:] == [
        "It goes to 3 members now.",  # urgent: Bob too
        "🚨 Urgent: also at night, and also for members who paused messages.",
        "▶️ It goes out as soon as you tap ✅ Send.",
    ]
    await olga.tap("✅ Send")
    assert got(ann) == got(bob) == [f"{URGENT_HEADING}\n\nThe tap water is not safe. Boil it first."]

    await writes(olga, "Bingo tomorrow.")
    await olga.tap("👥 Everyone")
    await olga.tap("✅ Send")
    assert "🕗 Planned. It goes out on Saturday 28 November, 08:00.\nThis message shows how it goes." in olga.texts
    await catch_up(local_bot)
    assert len(got(ann)) == 1
    clock.now = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
    await catch_up(local_bot)
    assert got(ann)[-1] == f"{HEADING}\n\nBingo tomorrow."
    assert len(got(bob)) == 1  # paused: only the urgent one
    held = made(local_bot)[0]  # the newest: held for the night
    assert held.send_at == clock.now  # it went out at 08:00: the 48 hours to correct it count from then
    await open_card(olga, "Sat 28 Nov, 08:00")
    assert olga.last_text.startswith("📢 Saturday 28 November, 08:00")


async def test_a_double_tap_on_send_sends_one_announcement(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    await writes(olga)
    await olga.tap("👥 Everyone")
    preview = olga.last_message
    await olga.tap_on(preview, "✅ Send")
    await olga.tap_on(preview, "✅ Send")
    assert olga.toasts == ["This button no longer works."]
    await catch_up(local_bot)
    assert len(made(local_bot)) == 1
    assert len(got(ann)) == 1


@pytest.mark.parametrize(
    "data",
    ["annc:new", "annc:past:0", "annc:card:1:0", "annc:fix:1", "annc:drop:1", "annc:dropok:1", "annc:unconf:1:0"],
)
async def test_only_organisers_can_use_these_buttons(local_bot: LocalBot, data: str) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    await writes(olga)
    await olga.tap("👥 Everyone")
    await olga.tap("✅ Send")
    await ann.press(data)
    assert ann.toasts == ["Only organisers can do this."]
    assert ann.last_text == "Only organisers can do this."
    [announcement] = made(local_bot)
    assert announcement.withdrawn_at is None


@pytest.mark.parametrize(
    "data",
    ["annc:card:99:0", "annc:fix:99", "annc:fixlang:99:en", "annc:drop:99", "annc:dropok:99", "annc:unconf:99:0"],
)
async def test_a_forged_or_gone_announcement_is_a_stale_button(local_bot: LocalBot, data: str) -> None:
    olga = await organiser(local_bot)
    await olga.press(data)
    assert olga.toasts == ["This button no longer works."]


@pytest.mark.parametrize("data", ["annc:send", "annc:ok:1", "annc:tr:nl", "annc:hood:0000beef", "annc:to:nobody"])
async def test_a_button_of_a_draft_that_is_gone_is_stale(local_bot: LocalBot, data: str) -> None:
    olga = await organiser(local_bot)
    await olga.press(data)
    assert olga.toasts == ["This button no longer works."]
    assert made(local_bot) == []


async def send_to_everyone(local_bot: LocalBot, olga: Person, words: str, *, confirm: bool = False) -> Announcement:
    await writes(olga, words)
    await olga.tap("👥 Everyone")
    if confirm:
        await olga.tap("⬜ Ask for ✅ Understood")
    await olga.tap("✅ Send")
    return made(local_bot)[0]


async def open_card(olga: Person, label_start: str = "Fri 27 Nov") -> None:
    await olga.tap("📣 Organise")
    await olga.tap("📢 Send a message")
    await olga.tap("📋 Past messages")
    label = next(label for label in olga.inline_labels if label.startswith(label_start))
    await olga.tap(label)


async def test_past_messages_newest_first_five_a_page_with_their_report(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    local_bot.emulator.block(ann.id)
    for n in range(6):
        await send_to_everyone(local_bot, olga, f"Message {n}")
        clock.advance(minutes=1)
    await olga.tap("📣 Organise")
    await olga.tap("📢 Send a message")
    await olga.tap("📋 Past messages")
    assert olga.last_text == "📋 Past messages. Tap one to see how it went."
    assert olga.inline_labels == [
        *(f"Fri 27 Nov, 10:0{n} · Message {n}" for n in (5, 4, 3, 2, 1)),
        "▶️",
        *WAY_ON,
    ]
    await olga.tap("Fri 27 Nov, 10:05 · Message 5")
    assert olga.last_text.splitlines() == [
        "📢 Friday 27 November, 10:05",
        "👥 Who gets it: everyone.",
        "",
        "Message 5",
        "",
        "✅ Sending is finished.",
        "Delivered: 1",
        "Not reachable (blocked the bot or left): 0",
        "Failed: 0",
    ]
    assert olga.inline_labels == ["✏️ Correct", "🗑️ Withdraw", *WAY_ON]
    await olga.tap("⬅️ Back")
    assert olga.inline_labels[0] == "Fri 27 Nov, 10:05 · Message 5"
    await olga.press("annc:past:99")  # an old ▶️ of a longer list: the first page
    assert olga.inline_labels[0] == "Fri 27 Nov, 10:05 · Message 5"


async def test_a_correction_is_edited_in_every_chat_in_that_language(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    cas = await signed_up(local_bot, "Cas", user_id=3)
    await writes(olga, "Soup on Fridya.")
    await olga.tap("👥 Everyone")
    await olga.tap("🌐 Other languages")
    await olga.tap("➕ Nederlands")
    await olga.send("Soep op vrijdag.")
    await olga.tap("✅ Send")
    clock.advance(hours=47)
    await open_card(olga)
    assert "🌐 Also in: Nederlands" in olga.last_text
    await olga.tap("✏️ Correct")
    assert olga.inline_labels == ["English", "Nederlands", *WAY_ON]
    await olga.tap("English")
    assert olga.last_text.endswith("Now it reads:\n\nSoup on Fridya.")
    await olga.send("Sopu")  # a slip: nothing goes out before ✅
    assert olga.last_text == "✏️ Change the message to this text, in every chat?\n\nSopu"
    assert olga.inline_labels == ["✅ Yes, change it", "✏️ Type it again", *WAY_ON]
    await olga.tap("✏️ Type it again")
    await olga.send("Soup on Friday.")
    assert [m["text"] for m in ann.chat.messages.values() if m.get("text", "").startswith(HEADING)] == [
        f"{HEADING}\n\nSoup on Fridya."
    ]
    await olga.tap("✅ Yes, change it")
    # Ann and Olga read English; the edits run in the background, after the answer
    assert olga.texts[0] == "✏️ Corrected. I am changing it in 2 chats now."
    await background_work_done()
    olga.look()
    assert "✏️ Changed in 2 of 2 chats." in [*olga.texts, olga.chat.events[-1].text]
    assert olga.inline_labels == WAY_ON
    [message] = [m for m in ann.chat.messages.values() if m.get("text", "").startswith(HEADING)]
    assert message["text"] == f"{HEADING}\n\nSoup on Friday."
    [message] = [m for m in cas.chat.messages.values() if m.get("text", "").startswith(DUTCH_HEADING)]
    assert message["text"] == f"{DUTCH_HEADING}\n\nSoep op vrijdag."  # the Dutch version was not touched
    assert "edit_date" not in message
    await olga.tap("⬅️ Back")
    assert "✏️ Corrected on Sunday 29 November, 09:00." in olga.last_text.splitlines()


async def test_after_48_hours_a_correction_is_refused_and_a_new_message_offered(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    await english(local_bot, "Ann", 1)
    await send_to_everyone(local_bot, olga, "Soup on Fridya.")
    clock.advance(hours=48)
    await open_card(olga)
    await olga.tap("✏️ Correct")
    assert olga.last_text == (
        "✏️ This message went out more than 48 hours ago. Telegram no longer lets me change it.\n"
        "You can send a new message instead."
    )
    assert olga.inline_labels == ["📢 Send a message", *WAY_ON]
    await olga.tap("📢 Send a message")
    assert olga.last_text.startswith("📢 Write your message.")
    await olga.press(f"annc:fixlang:{made(local_bot)[0].id}:en")  # an old button of the language choice
    await olga.send("Soup on Friday.")
    await olga.tap("✅ Yes, change it")  # after 48 hours storage edits nowhere
    assert olga.last_text == "✏️ Corrected. Members who get it from now on read the new text."


async def test_withdraw_asks_once_more_and_deletes_it_everywhere(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    await send_to_everyone(local_bot, olga, "Wrong date!")
    assert len(got(ann)) == 1
    await open_card(olga)
    await olga.tap("🗑️ Withdraw")
    assert olga.last_text == "🗑️ Withdraw this message? I delete it in every chat where Telegram still allows it."
    assert olga.inline_labels == ["✅ Yes, withdraw it", "↩️ No", *WAY_ON]
    await olga.tap("↩️ No")
    assert made(local_bot)[0].withdrawn_at is None
    await olga.tap("🗑️ Withdraw")
    question = olga.last_message
    await olga.tap_on(question, "✅ Yes, withdraw it")
    assert olga.toasts == ["Withdrawn. I am deleting it in 2 chats."]
    card = olga.texts[0]  # the deletions run in the background and may be done before the answer is read
    assert card.splitlines()[-4:] == [
        "🗑️ Withdrawn.",
        "Delivered: 2",
        "Not reachable (blocked the bot or left): 0",
        "Failed: 0",
    ]
    rows = olga.chat.messages[question["message_id"]]["reply_markup"]["inline_keyboard"]
    assert [button["text"] for row in rows for button in row] == WAY_ON  # nothing left to correct or withdraw
    await background_work_done()
    assert [m for m in ann.chat.messages.values() if m.get("text", "").startswith(HEADING)] == []
    olga.look()
    assert "🗑️ Deleted in 2 of 2 chats." in [*olga.texts, olga.chat.events[-1].text]
    await olga.tap_on(question, "✅ Yes, withdraw it")  # twice: nothing more happens
    assert olga.toasts == ["Withdrawn. I am deleting it in 0 chats."]


async def test_who_did_not_confirm_after_three_days(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 1)
    others = [await english(local_bot, f"Member {n}", 10 + n) for n in range(5)]
    await send_to_everyone(local_bot, olga, "Please read the new house rules.", confirm=True)
    await ann.tap("✅ Understood")
    clock.advance(days=2, hours=23)
    await open_card(olga)
    assert "✅ Understood: 1" in olga.last_text
    assert "👥 Who did not confirm" not in olga.inline_labels
    await olga.press(f"annc:unconf:{made(local_bot)[0].id}:0")
    assert olga.toasts == ["This button no longer works."]
    clock.advance(hours=1)
    await open_card(olga)
    await olga.tap("👥 Who did not confirm")
    numbers = [members.get_by_telegram_id(database(local_bot), p.id).member_no for p in (olga, *others)]
    assert olga.last_text.splitlines()[0] == "👥 Did not tap ✅ Understood: 6"
    assert olga.last_text.splitlines()[1] == f"• Olga · member {numbers[0]:04d}"
    assert len(olga.last_text.splitlines()) == 6
    await olga.tap("▶️")
    assert olga.last_text.splitlines()[1:] == [f"• Member 4 · member {numbers[-1]:04d}"]
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("📢 Friday 27 November, 10:00")


async def test_each_tap_of_the_flow_takes_at_most_five_database_calls(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    await english(local_bot, "Ann", 1)
    counts = count_each_update(local_bot)
    used = {}
    steps = {
        "organise": lambda: olga.tap("📣 Organise"),
        "new": lambda: olga.tap("📢 Send a message"),
        "words": lambda: olga.send("Hello all."),
        "who": lambda: olga.tap("👥 Everyone"),
        "urgent": lambda: olga.tap("⬜ 🚨 Urgent"),
        "send": lambda: olga.tap("✅ Send"),
        "past": lambda: olga.press("annc:past:0"),
        "card": lambda: olga.tap(olga.inline_labels[0]),
        "withdraw": lambda: olga.tap("🗑️ Withdraw"),
        "withdrawn": lambda: olga.tap("✅ Yes, withdraw it"),
    }
    for name, step in steps.items():
        await step()
        used[name] = counts[-1].calls
    await background_work_done()
    assert max(used.values()) <= MAX_CALLS_PER_TAP, used


async def test_a_draft_survives_a_restart_and_is_sent_after_it(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        olga = await organiser(local_bot)
        ann = await english(local_bot, "Ann", 1)
        await writes(olga, "Soup on Friday.")
        await olga.tap("👥 Everyone")
        await olga.tap("⬜ Ask for ✅ Understood")
    async with running_bot(settings, emulator, clock) as local_bot:
        olga, ann = local_bot.person("Olga", user_id=ORGANISER_TELEGRAM_ID), local_bot.person("Ann", user_id=1)
        await olga.tap("✅ Send")
        assert got(ann) == [f"{HEADING}\n\nSoup on Friday."]
        assert ann.inline_labels == ["✅ Understood", "🏠 Menu"]
