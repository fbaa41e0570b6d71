"""❓ Help → 📌 Announcements and ✅ Understood: a member finds the current announcements again and says they
read one, once; buttons for announcements they did not get no longer work."""

from __future__ import annotations

from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import announcements
from storage.announcements import Announcement, Audience
from tests.journeys import announce, catch_up, database, english, member_id, signed_up
from tests.test_database_calls import MAX_CALLS_PER_TAP, count_each_update

STALE = "This button no longer works."


async def open_board(person: Person) -> None:
    await person.tap("❓ Help")
    await person.tap("📌 Announcements")


def confirmed(local_bot: LocalBot, made: Announcement) -> int:
    found = announcements.get(database(local_bot), made.id)
    assert found is not None
    return found.confirmed


async def test_the_board_shows_the_current_announcements_in_the_members_language(local_bot: LocalBot, clock) -> None:
    ann = await english(local_bot, "Ann", 1)
    await open_board(ann)
    assert ann.last_text == "📌 There are no announcements for you now."
    assert ann.inline_labels == ["⬅️ Back", "🏠 Menu"]  # back to ❓ Help
    announce(local_bot, {"nl": "Oud bericht."})
    clock.advance(days=15)  # that one expired meanwhile
    announce(local_bot, {"nl": "Koffie om tien uur.", "en": "Coffee at ten."})
    withdrawn = announce(local_bot, {"en": "Wrong date."})
    await catch_up(local_bot)
    announcements.withdraw(database(local_bot), withdrawn.id, clock())
    await open_board(ann)
    assert ann.last_text == "📌 Announcements from the organisers. Tap one to read it."
    assert ann.inline_labels == ["Sat 12 Dec, 10:00 · Coffee at ten.", "⬅️ Back", "🏠 Menu"]
    await ann.tap("Sat 12 Dec, 10:00 · Coffee at ten.")
    assert ann.last_text == "📢 Message from the organisers\n\nCoffee at ten.\n\nSent on Saturday 12 December, 10:00."
    assert ann.inline_labels == ["⬅️ Back", "🏠 Menu"]
    await ann.tap("⬅️ Back")
    assert ann.inline_labels == ["Sat 12 Dec, 10:00 · Coffee at ten.", "⬅️ Back", "🏠 Menu"]
    await ann.tap("⬅️ Back")
    assert ann.last_text.startswith("📅 Activities: see what is on and sign up.")  # ❓ Help: every menu button
    assert "\n🙌 Take part: volunteering, rooms, shares, crowdfunding.\n" in ann.last_text
    assert ann.inline_labels[-1] == "🏠 Menu"
    await ann.press(f"board:show:{withdrawn.id}")  # a forged or old button
    assert ann.toasts == [STALE]


async def test_the_board_shows_the_last_five(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    for n in range(7):
        announce(local_bot, {"en": f"News {n}."})
    await catch_up(local_bot)
    await open_board(ann)
    assert [label.split(" · ")[1] for label in ann.inline_labels[:-2]] == [f"News {n}." for n in (6, 5, 4, 3, 2)]


async def test_understood_is_recorded_once_and_the_button_goes(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    bob = await signed_up(local_bot, "Bob", user_id=2)
    made = announce(local_bot, {"en": "Please read the new house rules."}, confirm=True)
    await catch_up(local_bot)
    message = dict(ann.last_message)
    assert ann.inline_labels == ["✅ Understood", "🏠 Menu"]
    counts = count_each_update(local_bot)
    await ann.tap("✅ Understood")
    assert counts[-1].calls <= MAX_CALLS_PER_TAP
    assert ann.toasts == ["Thank you! The organisers can see that you read it."]
    assert ann.inline_labels == ["🏠 Menu"]
    await ann.tap_on(message, "✅ Understood")  # a double tap: the old button, once more
    assert ann.toasts == ["Thank you! The organisers can see that you read it."]
    assert confirmed(local_bot, made) == 1
    not_sent = announce(local_bot, {"en": "Only for Dutch readers."}, confirm=True, audience=Audience("language", "nl"))
    await catch_up(local_bot)
    await ann.press(f"board:ok:{not_sent.id}")  # she did not get that one
    assert ann.toasts == [STALE]
    assert confirmed(local_bot, not_sent) == 0
    page = announcements.unconfirmed(database(local_bot), made.id, 0)
    assert [(m.member_id, m.first_name) for m in page.items] == [(await member_id(local_bot, bob), "Bob")]
    await bob.tap("👤 Mijn gegevens")
    details = dict(bob.last_message)
    await bob.press(f"board:ok:{made.id}")  # forged onto another message: recorded, that message keeps its buttons
    assert confirmed(local_bot, made) == 2
    assert bob.chat.messages[details["message_id"]]["reply_markup"] == details["reply_markup"]


async def test_the_menu_under_an_announcement_leaves_understood_in_place(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    made = announce(local_bot, {"en": "Please read the new house rules."}, confirm=True)
    await catch_up(local_bot)
    message = ann.last_message
    await ann.tap("🏠 Menu")
    assert ann.last_text == "What do you want to do? Tap a button."
    assert ann.chat.messages[message["message_id"]]["reply_markup"]["inline_keyboard"] == [
        [{"text": "✅ Understood", "callback_data": f"board:ok:{made.id}"}]
    ]
    await ann.tap("✅ Understood")  # still one tap away
    assert confirmed(local_bot, made) == 1


async def test_understood_can_be_tapped_on_the_board_too(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    made = announce(local_bot, {"en": "Bring your own cup."}, confirm=True)
    await catch_up(local_bot)
    await open_board(ann)
    await ann.tap(ann.inline_labels[0])
    assert ann.inline_labels == ["✅ Understood", "⬅️ Back", "🏠 Menu"]
    counts = count_each_update(local_bot)
    await ann.tap("✅ Understood")
    assert counts[-1].calls <= MAX_CALLS_PER_TAP
    assert ann.last_text.endswith("✅ You said you understood it.")
    assert ann.inline_labels == ["⬅️ Back", "🏠 Menu"]
    assert confirmed(local_bot, made) == 1


async def test_visitors_get_no_board_button(local_bot: LocalBot) -> None:
    visitor = local_bot.person("Vera", user_id=7, language_code="en")
    await visitor.send("/start")  # English, her phone's language
    await visitor.tap("❓ Help")
    assert "📌 Announcements" not in visitor.inline_labels
    await visitor.press("board:list")
    assert any("This is for members." in text for text in visitor.texts + visitor.toasts)
