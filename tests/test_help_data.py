"""Help and services in "download my data" and in "delete my account": a member who posted, talked,
reported, was helped and follows categories finds all of it in their files, and after deleting leaves
none of their words or name in the database file, while the other side's hours stay right."""

import json

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import hours
from tests.journeys import catch_up, database, signed_up, stored
from tests.test_forgetting import TELEGRAM_ID, assert_no_trace

NAME = "Wilhelmina"
TITLE = "Quetzal hedge trimming"
DESCRIPTION = "My Zanzibar hedge is taller than the shed."
MESSAGE = "Could you come on Xylophone Saturday?"


async def asks_for_help(person: Person) -> None:
    """🙋 A free request in 🌱 Garden, published."""
    await person.tap("🤝 Help & services")
    await person.tap("🙋 I need help")
    await person.tap("🌱 Garden")
    await person.tap("🤝 Free neighbour help")
    await person.send(TITLE)
    await person.send(DESCRIPTION)
    await person.tap("✅ Publish")


async def a_member_who_used_everything(local_bot: LocalBot) -> tuple[Person, Person]:
    """Wilhelmina asks for help; Bert reacts, she answers, reports his message, says he helped (2 hours)
    and follows 🌱 Garden."""
    wilhelmina = await signed_up(local_bot, NAME, user_id=TELEGRAM_ID, language="English")
    bert = await signed_up(local_bot, "Bert", user_id=2, language="English")
    await asks_for_help(wilhelmina)
    post_id = database(local_bot).fetchone("SELECT id FROM posts WHERE title = ?", (TITLE,))[0]
    await bert.press(f"talk:start:{post_id}")
    await bert.send("I have a ladder.")
    await catch_up(local_bot)
    await wilhelmina.tap("↩️ Reply")
    await wilhelmina.send(MESSAGE)
    await catch_up(local_bot)
    first = database(local_bot).fetchone("SELECT min(id) FROM talk_messages")[0]
    await wilhelmina.press(f"report:msg:{first}")
    await wilhelmina.tap("✅ Yes, report")
    await wilhelmina.press(f"mypost:helped:{post_id}")
    await wilhelmina.tap("🙏 Bert")
    await wilhelmina.tap("2")
    await wilhelmina.press("follow:cat:garden:1")
    return wilhelmina, bert


async def test_the_download_holds_posts_conversations_reports_hours_and_news(local_bot: LocalBot) -> None:
    wilhelmina, _bert = await a_member_who_used_everything(local_bot)
    await wilhelmina.tap("👤 My details")
    await wilhelmina.tap("📦 Download")
    files = {
        document["file_name"].rsplit(".", 1)[1]: local_bot.emulator.documents[document["file_id"]]
        for document in (event.message["document"] for event in wilhelmina.replies if event.kind == "document")
    }
    text = files["txt"].decode("utf-8-sig")
    assert f"{TITLE} · helped" in text
    assert DESCRIPTION in text
    assert f"you: {MESSAGE}" in text
    assert "the other member: I have a ladder." in text
    assert "Your reports" in text
    assert "you were helped: 2 hours" in text
    assert "Categories you follow: 🌱 Garden" in text
    assert "Bert" not in text  # the other side's name is their data

    helping = json.loads(files["json"])["help_and_services"]
    assert [(p["title"], p["end_reason"], p["reactions"]) for p in helping["posts"]] == [(TITLE, "helped", 1)]
    [talk] = helping["conversations"]
    assert [(m["by_me"], m["text"]) for m in talk["messages"]] == [(False, "I have a ladder."), (True, MESSAGE)]
    assert [r["content"] for r in helping["reports_made"]] == ["I have a ladder."]
    assert [(t["half_hours"], t["i_helped"]) for t in helping["hour_transfers"]] == [(4, False)]
    assert helping["news_about_posts"] == {"categories": ["garden"], "message_at_once": False, "weekly_digest": False}


async def test_after_deleting_the_words_and_name_are_gone_and_the_hours_still_add_up(local_bot: LocalBot) -> None:
    wilhelmina, bert = await a_member_who_used_everything(local_bot)
    bert_id = (await stored(local_bot, bert)).id
    await wilhelmina.tap("👤 My details")
    await wilhelmina.tap("🗑️ Delete my account")
    await wilhelmina.tap("🗑️ Yes, delete")
    await wilhelmina.tap("🗑️ Yes, delete everything")
    await catch_up(local_bot)

    assert bert.chat.events[-1].text == "A member you talked with left the cooperative. This conversation has ended."
    assert_no_trace(local_bot, NAME, TITLE, DESCRIPTION, MESSAGE)
    assert hours.balance(database(local_bot), bert_id).balance == 4  # his 2 hours stay his
    total = database(local_bot).fetchone("SELECT sum(given - received) FROM hour_accounts")[0]
    assert total == 0
    assert database(local_bot).fetchone("SELECT count(*) FROM follows")[0] == 0


async def test_a_correction_of_ones_hours_is_in_the_download_in_words(local_bot: LocalBot) -> None:
    wilhelmina, _bert = await a_member_who_used_everything(local_bot)
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    db = database(local_bot)
    [transfer] = hours.recent(db, 0).items
    hours.correct(db, transfer.id, (await stored(local_bot, olga)).id, 2, runtime_of(local_bot.application).clock())
    await wilhelmina.tap("👤 My details")
    await wilhelmina.tap("📦 Download")
    [text] = [
        local_bot.emulator.documents[event.message["document"]["file_id"]].decode("utf-8-sig")
        for event in wilhelmina.replies
        if event.kind == "document" and event.message["document"]["file_name"].endswith(".txt")
    ]
    assert "an organiser corrected it by -1 hour" in text
    assert "hours corrected" in text  # what organisers did about her, in words
