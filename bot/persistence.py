"""PTB persistence in our own database: a half-finished sign-up survives a restart.

Only user_data and conversation states are kept. PTB hands over every user it
saw every few seconds, changed or not; only what differs from what is stored
is written, all of it in one transaction (see WijkApplication in bot/app.py).
Chat data is never stored: what lives there (an organiser's search text) is
gone after a restart.

Forgetting someone (`forget_user`) must hold against a flush that runs at the
same moment. PTB copies the data at the start of a flush and hands it over in
tasks it gathers, so a deletion can fall between the copy and the handing
over, or between the handing over and the write. So the persistence drops
what it holds for that person, and refuses whatever the running flush still
hands over for them; and PTB's own copy in memory is dropped too, so the next
flush has nothing of theirs to hand over.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from telegram.ext import Application, BasePersistence, PersistenceInput

from bot.context import Runtime
from storage import conversation_state
from storage.conversation_state import ConversationKey, user_of
from storage.db import search_key

UPDATE_INTERVAL_SECONDS = 5
# chat_data: the text an organiser typed to find a member (handlers/organise.py). Memory only.
SEARCH_TEXT = "search"

Where = tuple[str, ConversationKey]  # (conversation name, key)


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class SqlitePersistence(BasePersistence[dict, dict, dict]):
    """Conversation states and user_data in the bot's SQLite file."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            update_interval=UPDATE_INTERVAL_SECONDS,
        )
        self.runtime = runtime
        self._stored_users: dict[int, str] = {}  # user id -> JSON as it is in the database
        self._stored_conversations: dict[Where, str] = {}  # (name, key) -> JSON state
        self._users: dict[int, str | None] = {}  # changes not yet written; None: remove
        self._conversations: dict[Where, str | None] = {}
        self._flush_lock = asyncio.Lock()
        self._flushing = False
        self._forgotten_in_flush: set[int] = set()  # forgotten while this flush runs: refuse what it hands over

    async def get_user_data(self) -> dict[int, dict]:
        self._stored_users = conversation_state.load_user_data(await self.runtime.open_database())
        return {user_id: json.loads(data) for user_id, data in self._stored_users.items()}

    async def get_conversations(self, name: str) -> dict[tuple, Any]:
        found = conversation_state.load_conversations(await self.runtime.open_database(), name)
        for key, state in found.items():
            self._stored_conversations[(name, key)] = _json(state)
        return found

    async def update_conversation(self, name: str, key: tuple, new_state: object | None) -> None:
        if self._forgotten_in_flush.intersection(key):
            return  # copied before they were forgotten
        where = (name, key)
        state = None if new_state is None else _json(new_state)
        if state != self._stored_conversations.get(where):
            self._conversations[where] = state

    async def update_user_data(self, user_id: int, data: dict) -> None:
        if user_id in self._forgotten_in_flush:
            return  # copied before they were forgotten
        stored = _json(data) if data else None
        if stored != self._stored_users.get(user_id):
            self._users[user_id] = stored

    async def drop_user_data(self, user_id: int) -> None:
        await self.update_user_data(user_id, {})

    def forget_user(self, telegram_id: int) -> None:
        """Storage deleted this person's rows: drop what waits to be written or is remembered about them,
        and refuse what the running flush still hands over for them."""
        self._users.pop(telegram_id, None)
        self._stored_users.pop(telegram_id, None)
        for held in (self._conversations, self._stored_conversations):
            for where in [where for where in held if telegram_id in where[1]]:
                del held[where]
        if self._flushing:
            self._forgotten_in_flush.add(telegram_id)

    @contextlib.asynccontextmanager
    async def flushing(self) -> AsyncIterator[None]:
        """Around one run of Application.update_persistence: one at a time; what changed is written at the end."""
        async with self._flush_lock:
            self._flushing = True
            try:
                yield
                self.write_changes()
            finally:
                self._flushing = False
                self._forgotten_in_flush.clear()

    def write_changes(self) -> None:
        """Write what changed since the last time, in one transaction."""
        if self.runtime.db is None:
            return
        users, conversations = self._users, self._conversations
        self._users, self._conversations = {}, {}
        unknown = conversation_state.save(self.runtime.db, users, conversations, self.runtime.clock())
        for user_id, data in users.items():
            if data is None or user_id in unknown:
                self._stored_users.pop(user_id, None)
            else:
                self._stored_users[user_id] = data
        for where, state in conversations.items():
            if state is None or user_of(where[1]) in unknown:
                self._stored_conversations.pop(where, None)
            else:
                self._stored_conversations[where] = state

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        """Nothing to do: only this process writes the data."""

    async def flush(self) -> None:
        """On shutdown: write what is left."""
        self.write_changes()

    # Chat data, bot data and callback data are not stored (see store_data above).

    async def get_chat_data(self) -> dict[int, dict]:
        return {}

    async def get_bot_data(self) -> dict:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        """Not stored."""

    async def update_bot_data(self, data: dict) -> None:
        """Not stored."""

    async def update_callback_data(self, data: Any) -> None:
        """Not stored."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Not stored."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        """Not stored."""

    async def refresh_bot_data(self, bot_data: dict) -> None:
        """Not stored."""


def forget_user(application: Application, telegram_id: int, first_name: str | None = None) -> None:
    """Storage just deleted a person's rows: forget them everywhere else the bot keeps something.

    Their user_data and conversations in PTB's memory, what the persistence
    holds or is being handed for them (see the module docstring), and, given
    their first name, every organiser's search text that would find them or
    names them. No await: it happens at once, right after the storage call.
    """
    application.drop_user_data(telegram_id)
    # PTB keeps each persistent conversation's states in this mapping and hands what changed to the
    # persistence from it; there is no public way to end someone's conversation from outside it.
    for states in application._conversation_handler_conversations.values():
        for key in [key for key in states if telegram_id in key]:
            states.pop(key, None)
    if isinstance(application.persistence, SqlitePersistence):
        application.persistence.forget_user(telegram_id)
    if first_name:
        forget_searches_for(application, first_name)


def forget_searches_for(application: Application, first_name: str) -> None:
    """Drop every chat's search text that would find this first name or contains it (compared as searches
    compare: storage.db.search_key)."""
    name = search_key(first_name)
    for data in application.chat_data.values():
        text = data.get(SEARCH_TEXT)
        if (
            isinstance(text, str)
            and search_key(text).strip()
            and (search_key(text) in name or name in search_key(text))
        ):
            del data[SEARCH_TEXT]
