"""Where PTB persistence keeps half-finished conversations and their answers (as JSON)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from storage.db import Database


def load_conversations(db: Database, name: str) -> dict[tuple, Any]:
    rows = db.fetchall("SELECT key, state FROM conversation_states WHERE name = ?", (name,))
    return {tuple(json.loads(row[0])): json.loads(row[1]) for row in rows}


def load_user_data(db: Database) -> dict[int, str]:
    """Every user's data, as the JSON text it was stored as."""
    return {row[0]: row[1] for row in db.fetchall("SELECT user_id, data FROM user_data")}


def save(db: Database, users: dict[int, str | None], conversations: dict[tuple[str, str], str | None]) -> None:
    """Write changed user data and conversation states (JSON; None removes the row), in one transaction."""
    if not users and not conversations:
        return
    with db.transaction() as conn:
        conn.executemany("DELETE FROM user_data WHERE user_id = ?", [(u,) for u, data in users.items() if data is None])
        conn.executemany(
            "INSERT OR REPLACE INTO user_data (user_id, data) VALUES (?, ?)",
            [(u, data) for u, data in users.items() if data is not None],
        )
        conn.executemany(
            "DELETE FROM conversation_states WHERE name = ? AND key = ?",
            [name_key for name_key, state in conversations.items() if state is None],
        )
        conn.executemany(
            "INSERT OR REPLACE INTO conversation_states (name, key, state) VALUES (?, ?, ?)",
            [(*name_key, state) for name_key, state in conversations.items() if state is not None],
        )


def user_data_of(db: Database, user_id: int) -> dict:
    row = db.fetchone("SELECT data FROM user_data WHERE user_id = ?", (user_id,))
    return json.loads(row[0]) if row else {}


def forget_user(conn: sqlite3.Connection, telegram_id: int) -> None:
    """Inside a transaction: drop a user's data and every conversation they are in."""
    conn.execute("DELETE FROM user_data WHERE user_id = ?", (telegram_id,))
    conn.execute(
        "DELETE FROM conversation_states WHERE EXISTS (SELECT 1 FROM json_each(key) WHERE value = ?)", (telegram_id,)
    )
