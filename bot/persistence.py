"""PTB persistence in our own database: a half-finished sign-up survives a restart.

Only user_data and conversation states are kept; PTB writes them every few
seconds and when the bot stops.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.context import Runtime
from storage import conversation_state

UPDATE_INTERVAL_SECONDS = 5


class SqlitePersistence(BasePersistence[dict, dict, dict]):
    """Conversation states and user_data in the bot's SQLite file."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            update_interval=UPDATE_INTERVAL_SECONDS,
        )
        self.runtime = runtime

    async def get_user_data(self) -> dict[int, dict]:
        return await conversation_state.load_user_data(await self.runtime.open_database())

    async def get_conversations(self, name: str) -> dict[tuple, Any]:
        return await conversation_state.load_conversations(await self.runtime.open_database(), name)

    async def update_conversation(self, name: str, key: tuple, new_state: object | None) -> None:
        await conversation_state.save_conversations(await self.runtime.open_database(), name, {key: new_state})

    async def update_user_data(self, user_id: int, data: dict) -> None:
        await conversation_state.save_user_data(await self.runtime.open_database(), user_id, data)

    async def drop_user_data(self, user_id: int) -> None:
        await conversation_state.save_user_data(await self.runtime.open_database(), user_id, {})

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        """Nothing to do: only this process writes the data."""

    async def flush(self) -> None:
        """Nothing to do: every update is written at once."""

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
