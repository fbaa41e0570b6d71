"""When something breaks inside the bot, the member hears what to do, and it is logged."""

import logging
import sqlite3

import pytest

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot
from tests.journeys import chose_language


async def test_a_broken_database_gets_one_friendly_answer_and_a_log(
    local_bot: LocalBot, caplog: pytest.LogCaptureFixture
) -> None:
    ann = await chose_language(local_bot)
    with sqlite3.connect(runtime_of(local_bot.application).settings.db_path) as conn:
        conn.execute("DROP TABLE member_roles")  # every member lookup fails from now on

    with caplog.at_level(logging.ERROR):
        await ann.send("/start")
    assert ann.texts == ["Sorry, er ging bij ons iets mis. Probeer het zo nog een keer, of tik op een knop hieronder."]
    assert ann.keyboard == ["📝 Lid worden", "🌐 Taal", "❓ Hulp"]
    logged = [r for r in caplog.records if r.message.startswith("error while handling update")]
    assert len(logged) == 1
    assert '"text": "/start"' in logged[0].message and logged[0].exc_info is not None


async def test_a_failing_button_is_answered_too(local_bot: LocalBot, caplog: pytest.LogCaptureFixture) -> None:
    ann = await chose_language(local_bot)
    await ann.tap("🌐 Taal")
    with sqlite3.connect(runtime_of(local_bot.application).settings.db_path) as conn:
        conn.execute("DROP TABLE member_roles")
    with caplog.at_level(logging.ERROR):
        await ann.tap("English")
    assert ann.texts[-1].startswith("Sorry, er ging bij ons iets mis.")
    assert local_bot.emulator.unanswered_queries == []  # the tap was answered, no spinning button
