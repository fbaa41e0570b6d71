"""⏱️ The time bank as members and organisers use it: hours after ✅ Helped, giving hours, My hours, corrections."""

from __future__ import annotations

import pytest

from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import audit, hours
from storage.hours import Hours
from tests.journeys import catch_up, database, english, member_id
from tests.test_database_calls import MAX_CALLS_PER_TAP, count_each_update
from tests.test_hours_storage import ledger_total, post, talked

STALE = "This button no longer works."


async def helped(local_bot: LocalBot, author: Person, helper: Person, title: str = "Help with my garden") -> int:
    """A free request of `author` that ended with ✅ Helped by `helper`."""
    return post(
        database(local_bot), await member_id(local_bot, author), await member_id(local_bot, helper), title=title
    )


async def hears(local_bot: LocalBot, person: Person) -> str:
    """What the bot sent this person by itself since they last looked."""
    await catch_up(local_bot)
    person.look()
    return person.last_text


async def talk(local_bot: LocalBot, one: Person, other: Person) -> None:
    """`other` reacted to a post of `one` (💬)."""
    talked(database(local_bot), await member_id(local_bot, one), await member_id(local_bot, other))


async def gives(person: Person, label: str, hours_label: str, note: str | None = None) -> None:
    """From ⏱️ My hours through the steps of ➕ Give hours to the preview."""
    await person.press("hours:mine")
    await person.tap("➕ Give hours")
    await person.tap(label)
    await person.tap(hours_label)
    if note is None:
        await person.tap("⏭️ No note")
    else:
        await person.send(note)


async def test_after_helped_ann_gives_bert_hours_once_and_bert_hears_it(local_bot: LocalBot) -> None:
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    garden = await helped(local_bot, ann, bert)

    await ann.press(f"hours:post:{garden}:3")  # the 1½ under ✅ Helped (bot/hour_text.py post_hour_buttons)

    assert ann.last_text.splitlines() == ["✅ 1½ hours for Bert. Thank you!", "Bert gets a message."]
    assert "⏱️ My hours" in ann.inline_labels and "🏠 Menu" in ann.inline_labels
    assert await hears(local_bot, bert) == "🙏 Ann thanks you for 1½ hours of help: Help with my garden"
    assert "⏱️ My hours" in bert.inline_labels

    await ann.press(f"hours:post:{garden}:8")  # a second tap: nothing more moves
    assert ann.toasts == ["You already gave hours for this help."]  # the message still shows the 1½ hours
    assert hours.balance(database(local_bot), await member_id(local_bot, bert)) == Hours(given=3, received=0)
    assert await catch_up(local_bot) == 0


async def test_hours_for_someone_elses_post_or_a_forged_button_move_nothing(local_bot: LocalBot) -> None:
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    cas = await english(local_bot, "Cas", 3)
    garden = await helped(local_bot, ann, bert)

    await cas.press(f"hours:post:{garden}:4")
    assert cas.toasts == ["This is not your post, or it no longer exists."]
    await bert.press(f"hours:post:{garden}:4")  # the helper cannot pay himself
    assert bert.toasts == ["This is not your post, or it no longer exists."]
    await ann.press(f"hours:post:{garden}:17")  # more than the buttons offer
    assert ann.toasts == [STALE]
    await ann.press(f"hours:post:{garden + 1}:2")
    assert ann.toasts == ["This is not your post, or it no longer exists."]
    assert database(local_bot).fetchone("SELECT count(*) FROM hour_transfers")[0] == 0


async def test_my_details_show_my_hours_and_a_negative_balance_is_fine(local_bot: LocalBot) -> None:
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    await ann.tap("👤 My details")
    assert "⏱️ My hours" in ann.inline_labels and "balance" not in ann.last_text  # no hours moved yet
    await ann.press(f"hours:post:{await helped(local_bot, ann, bert)}:3")

    await ann.tap("👤 My details")

    assert "⏱️ You gave 0 hours of help. You got 1½ hours. Your balance: -1½ hours." in ann.last_text
    await ann.tap("⏱️ My hours")
    shown = ann.last_text
    assert "You gave 0 hours of help. You got 1½ hours. Your balance: -1½ hours." in shown
    assert "That is fine. You can always ask for help." in shown
    assert "➖ 1½ hours: Bert helped you\n📋 Help with my garden" in shown
    assert ann.inline_labels == ["➕ Give hours", "⬅️ Back", "🏠 Menu"]
    await ann.tap("⬅️ Back")
    assert ann.last_text.startswith("👤 My details")

    await bert.tap("👤 My details")
    await bert.tap("⏱️ My hours")
    assert "Your balance: +1½ hours." in bert.last_text
    assert "➕ 1½ hours: you helped Ann" in bert.last_text


async def test_ann_thanks_bert_whom_she_talked_with_with_hours_and_a_note(local_bot: LocalBot) -> None:
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    await talk(local_bot, bert, ann)

    await gives(ann, "🙏 Bert", "2", note="Helped me move on Sunday")

    assert ann.last_text.splitlines() == [
        "⏱️ You give 2 hours to Bert, to thank them for their help.",
        "💬 Helped me move on Sunday",
        "",
        "Bert gets a message.",
    ]
    assert ann.inline_labels == ["✅ Yes, give", "✏️ Change", "✖️ Stop", "⬅️ Back", "🏠 Menu"]
    await ann.tap("✅ Yes, give")
    assert ann.last_text == "✅ Thank you! You gave 2 hours to Bert."
    assert await hears(local_bot, bert) == "🙏 Ann thanks you for 2 hours of help.\n💬 Helped me move on Sunday"

    await ann.press("hours:send")  # a double tap on ✅
    assert ann.toasts == [STALE]
    assert hours.balance(database(local_bot), await member_id(local_bot, bert)) == Hours(given=4, received=0)


async def test_only_members_one_talked_with_are_offered_and_back_goes_one_step_back(local_bot: LocalBot) -> None:
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    cas = await english(local_bot, "Cas", 3)
    await ann.press("hours:mine")
    await ann.tap("➕ Give hours")
    assert "You have not talked with anyone yet." in ann.last_text
    assert ann.inline_labels == ["🔢 Someone else", "🏘️ The cooperative / a group effort", "⬅️ Back", "🏠 Menu"]

    await talk(local_bot, bert, ann)
    await ann.tap("⬅️ Back")
    await ann.tap("➕ Give hours")
    assert ann.inline_labels == [
        "🙏 Bert",
        "🔢 Someone else",
        "🏘️ The cooperative / a group effort",
        "⬅️ Back",
        "🏠 Menu",
    ]
    await ann.press(f"hours:to:{await member_id(local_bot, cas)}")  # forged: never names someone she did not meet
    assert ann.toasts == [STALE] and "Cas" not in str(ann.texts)
    await ann.tap("🙏 Bert")
    assert ann.last_text == "➕ How many hours did Bert help you?"
    assert ann.inline_labels[:8] == ["½", "1", "1½", "2", "3", "4", "6", "8"]
    await ann.tap("8")
    await ann.tap("⬅️ Back")
    assert ann.last_text == "➕ How many hours did Bert help you?"
    await ann.tap("1")
    await ann.send("x" * 81)
    assert ann.last_text.startswith("This is too long. Write it in at most 80 characters.")
    await ann.tap("⏭️ No note")
    assert ann.last_text.startswith("⏱️ You give 1 hour to Bert")
    await ann.tap("✖️ Stop")
    assert ann.last_text == "Stopped. Nothing was sent."
    assert database(local_bot).fetchone("SELECT count(*) FROM hour_transfers")[0] == 0


async def test_someone_met_outside_the_bot_is_found_by_their_number_and_first_name_together(
    local_bot: LocalBot,
) -> None:
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    await ann.press("hours:mine")
    await ann.tap("➕ Give hours")
    await ann.tap("🔢 Someone else")
    assert ann.last_text == "What is their member number? They find it under 👤 My details."
    await ann.send("Bert")
    assert ann.last_text.startswith("Please type the number only, like 42.")
    await ann.send("2")
    assert ann.last_text == "And their first name?"
    await ann.send("Karel")  # a wrong name: nobody's name is given away
    assert ann.last_text.startswith("We did not find a member with that number and name.")
    assert "Bert" not in ann.last_text
    await ann.send("member 2")
    await ann.send("  bert ")
    assert ann.last_text == "➕ How many hours did bert help you?"
    await ann.tap("1½")
    await ann.tap("⏭️ No note")
    await ann.tap("✅ Yes, give")
    assert ann.last_text == "✅ Thank you! You gave 1½ hours to Bert."
    assert hours.balance(database(local_bot), await member_id(local_bot, bert)) == Hours(given=3, received=0)

    await ann.press("hours:mine")
    await ann.tap("➕ Give hours")
    await ann.tap("🔢 Someone else")
    await ann.send("1")
    await ann.send("Ann")  # herself
    assert ann.last_text.startswith("We did not find a member with that number and name.")


async def test_hours_for_a_group_effort_go_to_the_cooperative(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)

    await gives(ann, "🏘️ The cooperative / a group effort", "½")
    assert ann.last_text == "⏱️ You give ½ hour to the cooperative, for a group effort."
    await ann.tap("✅ Yes, give")

    assert ann.last_text == "✅ Thank you! You gave ½ hour to the cooperative."
    db = database(local_bot)
    assert hours.balance(db, await member_id(local_bot, ann)) == Hours(given=0, received=1)
    cooperative = db.fetchone("SELECT given, received FROM hour_accounts WHERE id = 1")
    assert cooperative is not None and tuple(cooperative) == (1, 0)
    await ann.press("hours:mine")
    assert "➖ ½ hour: to the cooperative" in ann.last_text
    assert ledger_total(db) == 0


async def test_no_hours_to_oneself_and_menu_leaves_the_flow(local_bot: LocalBot) -> None:
    ann = await english(local_bot, "Ann", 1)
    await ann.press("hours:mine")
    await ann.tap("➕ Give hours")
    await ann.press("hours:amount:1:2")  # forged past the list: herself
    assert ann.toasts == [STALE]
    await ann.press("hours:give")
    await ann.tap("🏘️ The cooperative / a group effort")
    await ann.tap("3")
    await ann.send("menu")  # typing "menu" leaves instead of being the note
    assert "Stopped. Nothing was sent." in ann.texts
    assert database(local_bot).fetchone("SELECT count(*) FROM hour_transfers")[0] == 0


async def test_an_organiser_corrects_hours_which_is_logged_and_both_sides_hear_it(local_bot: LocalBot) -> None:
    olga = await english(local_bot, "Olga", 900)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    await ann.press(f"hours:post:{await helped(local_bot, ann, bert)}:4")
    await catch_up(local_bot)
    bert.look()

    await olga.press("hours:adm:0")
    assert "Ann → Bert: 2 hours" in olga.last_text and "📋 Help with my garden" in olga.last_text
    await olga.tap("✏️ Ann → Bert: 2 hours")
    assert "0 takes it back" in olga.last_text
    assert olga.inline_labels[:9] == ["0", "½", "1", "1½", "2", "3", "4", "6", "8"]
    await olga.tap("1½")

    assert olga.last_text.startswith("✅ Corrected. Both sides get a message.\n\nAnn → Bert: 1½ hours")
    assert "✏️ Corrected by an organiser." in olga.last_text
    assert await hears(local_bot, ann) == (
        "✏️ An organiser changed the hours for the help Bert gave you. Now: 1½ hours. Before: 2 hours."
    )
    assert await hears(local_bot, bert) == (
        "✏️ An organiser changed the hours for your help to Ann. Now: 1½ hours. Before: 2 hours."
    )
    db = database(local_bot)
    logged = [(e.actor_id, e.action) for e in (await db.read_parts(await member_id(local_bot, bert), audit.ABOUT))[0]]
    assert (await member_id(local_bot, olga), "correct_hours") in logged
    assert hours.balance(db, await member_id(local_bot, bert)) == Hours(given=3, received=0)

    await olga.tap("⬅️ Back")
    await olga.tap("✏️ Ann → Bert: 1½ hours")
    await olga.tap("1½")  # the same again
    assert olga.last_text.startswith("It already was this much. Nothing changed.")
    assert ledger_total(db) == 0


async def test_only_organisers_see_every_transfer(local_bot: LocalBot) -> None:
    await english(local_bot, "Olga", 900)
    ann = await english(local_bot, "Ann", 1)
    await ann.press("hours:adm:0")
    assert "Only organisers can do this." in ann.texts
    await ann.press("hours:set:1:0:0")
    assert "Only organisers can do this." in ann.texts


@pytest.mark.settings(WIJKBOT_TIMEBANK="off")
async def test_without_the_time_bank_nothing_of_it_shows_and_its_buttons_answer_kindly(local_bot: LocalBot) -> None:
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    garden = await helped(local_bot, ann, bert)

    await ann.tap("👤 My details")
    assert "hours" not in ann.last_text and "⏱️ My hours" not in ann.inline_labels
    for old_button in ("hours:mine", f"hours:post:{garden}:2", "hours:give"):
        await ann.press(old_button)
        assert ann.toasts == ["We do not use the time bank here."]
    assert database(local_bot).fetchone("SELECT count(*) FROM hour_transfers")[0] == 0


async def test_every_time_bank_tap_takes_at_most_five_database_calls(local_bot: LocalBot) -> None:
    olga = await english(local_bot, "Olga", 900)
    ann, bert = await english(local_bot, "Ann", 1), await english(local_bot, "Bert", 2)
    garden = await helped(local_bot, ann, bert)
    await talk(local_bot, bert, ann)
    counts = count_each_update(local_bot)

    taps = {
        "post hours": lambda: ann.press(f"hours:post:{garden}:2"),
        "details": lambda: ann.tap("👤 My details"),
        "my hours": lambda: ann.tap("⏱️ My hours"),
        "give": lambda: ann.tap("➕ Give hours"),
        "who": lambda: ann.tap("🙏 Bert"),
        "how many": lambda: ann.tap("1"),
        "note": lambda: ann.send("Soup"),
        "give it": lambda: ann.tap("✅ Yes, give"),
        "organisers' list": lambda: olga.press("hours:adm:0"),
        "correct": lambda: olga.tap("✏️ Ann → Bert: 1 hour"),
        "set": lambda: olga.tap("2"),
    }
    used = {}
    for name, tap in taps.items():
        await tap()
        used[name] = counts[-1].calls
    assert max(used.values()) <= MAX_CALLS_PER_TAP, used
