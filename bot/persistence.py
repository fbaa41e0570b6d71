"""PTB persistence in our own database: a half-finished sign-up survives a restart.

Only user_data and conversation states are kept. PTB hands over every user it
saw every few seconds, changed or not; only what differs from what is stored
is written, all of it in one transaction (see WijkApplication in bot/app.py).
"""

from __future__ import annotations

import json
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.context import Runtime
from storage import conversation_state

UPDATE_INTERVAL_SECONDS = 5


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
        self._stored_conversations: dict[tuple[str, str], str] = {}  # (name, key) -> JSON state
        self._users: dict[int, str | None] = {}  # changes not yet written; None: remove
        self._conversations: dict[tuple[str, str], str | None] = {}

    async def get_user_data(self) -> dict[int, dict]:
        self._stored_users = conversation_state.load_user_data(await self.runtime.open_database())
        return {user_id: json.loads(data) for user_id, data in self._stored_users.items()}

    async def get_conversations(self, name: str) -> dict[tuple, Any]:
        found = conversation_state.load_conversations(await self.runtime.open_database(), name)
        for key, state in found.items():
            self._stored_conversations[(name, json.dumps(list(key)))] = _json(state)
        return found

    async def update_conversation(self, name: str, key: tuple, new_state: object | None) -> None:
        where = (name, json.dumps(list(key)))
        state = None if new_state is None else _json(new_state)
        if state != self._stored_conversations.get(where):
            self._conversations[where] = state

    async def update_user_data(self, user_id: int, data: dict) -> None:
        stored = _json(data) if data else None
        if stored != self._stored_users.get(user_id):
            self._users[user_id] = stored

    async def drop_user_data(self, user_id: int) -> None:
        await self.update_user_data(user_id, {})

    def write_changes(self) -> None:
        """Write what changed since the last time, in one transaction."""
        if self.runtime.db is None:
            return
        users, conversations = self._users, self._conversations
        self._users, self._conversations = {}, {}
        conversation_state.save(self.runtime.db, users, conversations)
        for user_id, data in users.items():
            if data is None:
                self._stored_users.pop(user_id, None)
            else:
                self._stored_users[user_id] = data
        for where, state in conversations.items():
            if state is None:
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
