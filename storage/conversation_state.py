"""Where PTB persistence keeps half-finished conversations and their answers."""

from __future__ import annotations

import json
from typing import Any

import aiosqlite

from storage.db import Database


async def load_conversations(db: Database, name: str) -> dict[tuple, Any]:
    rows = await db.fetchall("SELECT key, state FROM conversation_states WHERE name = ?", (name,))
    return {tuple(json.loads(row[0])): json.loads(row[1]) for row in rows}


async def save_conversations(db: Database, name: str, states: dict[tuple, Any]) -> None:
    """Write conversation states; None means the conversation ended."""
    async with db.transaction() as conn:
        for key, state in states.items():
            if state is None:
                await conn.execute("DELETE FROM conversation_states WHERE name = ? AND key = ?", (name, json.dumps(list(key))))
            else:
                await conn.execute(
                    "INSERT OR REPLACE INTO conversation_states (name, key, state) VALUES (?, ?, ?)",
                    (name, json.dumps(list(key)), json.dumps(state)),
                )


async def load_user_data(db: Database) -> dict[int, dict]:
    rows = await db.fetchall("SELECT user_id, data FROM user_data")
    return {row[0]: json.loads(row[1]) for row in rows}


async def save_user_data(db: Database, user_id: int, data: dict) -> None:
    """Keep a user's data; an empty dict leaves no row behind."""
    async with db.transaction() as conn:
        if data:
            await conn.execute(
                "INSERT OR REPLACE INTO user_data (user_id, data) VALUES (?, ?)", (user_id, json.dumps(data))
            )
        else:
            await conn.execute("DELETE FROM user_data WHERE user_id = ?", (user_id,))


async def user_data_of(db: Database, user_id: int) -> dict:
    row = await db.fetchone("SELECT data FROM user_data WHERE user_id = ?", (user_id,))
    return json.loads(row[0]) if row else {}


async def forget_user(conn: aiosqlite.Connection, telegram_id: int) -> None:
    """Inside a transaction: drop a user's data and every conversation they are in."""
    await conn.execute("DELETE FROM user_data WHERE user_id = ?", (telegram_id,))
    await conn.execute(
        "DELETE FROM conversation_states WHERE EXISTS (SELECT 1 FROM json_each(key) WHERE value = ?)", (telegram_id,)
    )
