"""Common ways people arrive at a point in the bot, for tests to start from."""

from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage.db import Database


async def chose_language(local_bot: LocalBot, label: str = "Nederlands", *, name: str = "Ann", user_id: int = 1) -> Person:
    """Someone who sent /start and tapped a language."""
    person = local_bot.person(name, user_id=user_id, language_code="nl")
    await person.send("/start")
    await person.tap(label)
    return person


def database(local_bot: LocalBot) -> Database:
    """The running bot's database, to check what it stored."""
    return runtime_of(local_bot.application).db
