"""Half-finished conversations are kept in the database; a flush writes only what changed, at once."""

from bot.telegram_emulation.local_bot import LocalBot
from storage import conversation_state
from storage.db import count_calls
from tests.journeys import chose_language, database


async def test_a_flush_writes_what_changed_in_one_transaction_and_nothing_else(local_bot: LocalBot) -> None:
    people = []
    for user_id, name in ((1, "Ann"), (2, "Bob")):
        person = await chose_language(local_bot, name=name, user_id=user_id)
        await person.tap("📝 Lid worden")
        await person.send(name)  # an unfinished sign-up: the name waits in the conversation
        people.append(person)
    flush = count_calls()
    await local_bot.application.update_persistence()
    assert flush.calls == 1
    assert conversation_state.user_data_of(database(local_bot), 2)["reg"]["first_name"] == "Bob"

    for person in people:
        await person.press("old:button")  # both are seen again, but nothing of theirs changes
    flush = count_calls()
    await local_bot.application.update_persistence()
    assert flush.calls == 0
