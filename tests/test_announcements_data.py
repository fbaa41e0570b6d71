"""Announcements in "download my data" and "delete my account": what a member got is in their files, and
after deleting, where it went (their Telegram chat) is forgotten while the counts stay right."""

import json

from bot.telegram_emulation.local_bot import LocalBot
from storage import announcements
from tests.journeys import announce, catch_up, database, signed_up
from tests.test_forgetting import TELEGRAM_ID, assert_no_trace

TEXT = "The Zanzibar garden party moves to Sunday."


async def announced(local_bot: LocalBot, *, confirm: bool = True) -> announcements.Announcement:
    """An announcement to everyone, written by the organiser 900 and sent."""
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    olga_id = database(local_bot).fetchone("SELECT id FROM members WHERE telegram_id = ?", (olga.id,))[0]
    made = announce(local_bot, {"en": TEXT}, organiser_id=olga_id, confirm=confirm)
    await catch_up(local_bot)
    return made


async def test_the_download_shows_the_announcements_one_got_and_understood(local_bot: LocalBot) -> None:
    wilma = await signed_up(local_bot, "Wilma", user_id=TELEGRAM_ID, language="English")
    await announced(local_bot)
    wilma.look()
    assert TEXT in wilma.texts[-1]
    await wilma.tap("✅ Understood")
    await wilma.tap("👤 My details")
    await wilma.tap("📦 Download")
    files = {
        event.message["document"]["file_name"].rsplit(".", 1)[1]: local_bot.emulator.documents[
            event.message["document"]["file_id"]
        ]
        for event in wilma.replies
        if event.kind == "document"
    }
    text = files["txt"].decode("utf-8-sig")
    assert "Announcements you got" in text and TEXT in text and "you tapped Understood" in text
    [got] = json.loads(files["json"])["announcements"]
    assert (got["text"], got["status"], got["understood_at"] is not None) == (TEXT, "sent", True)


async def test_after_deleting_the_chat_it_went_to_is_forgotten_and_the_counts_stay(local_bot: LocalBot) -> None:
    wilma = await signed_up(local_bot, "Wilma", user_id=TELEGRAM_ID, language="English")
    made = await announced(local_bot)
    await wilma.tap("👤 My details")
    await wilma.tap("🗑️ Delete my account")
    await wilma.tap("🗑️ Yes, delete")
    await wilma.tap("🗑️ Yes, delete everything")
    assert_no_trace(local_bot, "Wilma")  # neither her name nor her Telegram id (the chat it went to)
    after = announcements.get(database(local_bot), made.id)
    assert after is not None and (after.total, after.sent) == (2, 2)  # Olga and Wilma
