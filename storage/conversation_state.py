"""Where PTB persistence keeps half-finished conversations and their answers (as JSON).

Only people the database knows (a row in members with their Telegram id: a
visitor or a member) have data kept here. A write for anyone else is dropped
in the same transaction: whoever was deleted, refused or forgotten in the
meantime never comes back through a late write.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from storage.db import Database

# A conversation's key as PTB makes it: (chat id, user id) for our conversations.
ConversationKey = tuple[Any, ...]


def key_text(key: ConversationKey) -> str:
    return json.dumps(list(key))


def user_of(key: ConversationKey) -> int | None:
    """The Telegram user of a conversation key: its last part."""
    return key[-1] if key and isinstance(key[-1], int) else None


def load_conversations(db: Database, name: str) -> dict[tuple, Any]:
    rows = db.fetchall("SELECT key, state FROM conversation_states WHERE name = ?", (name,))
    return {tuple(json.loads(row[0])): json.loads(row[1]) for row in rows}


def load_user_data(db: Database) -> dict[int, str]:
    """Every user's data, as the JSON text it was stored as."""
    return {row[0]: row[1] for row in db.fetchall("SELECT user_id, data FROM user_data")}


def save(
    db: Database,
    users: dict[int, str | None],
    conversations: dict[tuple[str, ConversationKey], str | None],
    now: datetime,
) -> set[int]:
    """Write changed user data and conversation states (JSON; None removes the row), in one transaction.

    Returns the Telegram ids whose data was not written because the database
    no longer knows them (see the module docstring).
    """
    if not users and not conversations:
        return set()
    at = now.isoformat()
    with db.transaction() as conn:
        writing = {u for u, data in users.items() if data is not None}
        for (_, key), state in conversations.items():
            user = user_of(key)
            if state is not None and user is not None:
                writing.add(user)
        known = _known(conn, writing)
        conn.executemany("DELETE FROM user_data WHERE user_id = ?", [(u,) for u, data in users.items() if data is None])
        conn.executemany(
            "INSERT OR REPLACE INTO user_data (user_id, data, updated_at) VALUES (?, ?, ?)",
            [(u, data, at) for u, data in users.items() if data is not None and u in known],
        )
        conn.executemany(
            "DELETE FROM conversation_states WHERE name = ? AND key = ?",
            [(name, key_text(key)) for (name, key), state in conversations.items() if state is None],
        )
        conn.executemany(
            "INSERT OR REPLACE INTO conversation_states (name, key, state, user_id, updated_at) VALUES (?, ?, ?, ?, ?)",
            [
                (name, key_text(key), state, user_of(key), at)
                for (name, key), state in conversations.items()
                if state is not None and user_of(key) in known
            ],
        )
    return writing - known


def _known(conn: sqlite3.Connection, telegram_ids: set[int]) -> set[int]:
    """Inside a transaction: which of these Telegram ids the database knows (one indexed lookup each)."""
    if not telegram_ids:
        return set()
    rows = conn.execute(
        "SELECT m.telegram_id FROM json_each(?) j JOIN members m ON m.telegram_id = j.value",
        (json.dumps(sorted(telegram_ids)),),
    ).fetchall()
    return {row[0] for row in rows}


def user_data_of(db: Database, user_id: int) -> dict:
    row = db.fetchone("SELECT data FROM user_data WHERE user_id = ?", (user_id,))
    return json.loads(row[0]) if row else {}


def forget_user(conn: sqlite3.Connection, telegram_id: int) -> None:
    """Inside a transaction: drop a user's data and every conversation they are in."""
    conn.execute("DELETE FROM user_data WHERE user_id = ?", (telegram_id,))
    conn.execute("DELETE FROM conversation_states WHERE user_id = ?", (telegram_id,))
