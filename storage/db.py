"""One SQLite connection for the whole bot, with numbered migrations.

The bot shares a single connection between all its coroutines. A lock makes
sure one coroutine's transaction never swallows another coroutine's
statements, and keeps transactions short.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import aiosqlite

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    """A migration file is misnamed or failed to apply."""


class Database:
    """The bot's connection; every statement goes through the lock."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the block as one write transaction: all of it or nothing."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.rollback()
                raise
            await self._conn.commit()

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        async with self._lock:
            async with self._conn.execute(sql, tuple(params)) as cursor:
                return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            async with self._conn.execute(sql, tuple(params)) as cursor:
                return list(await cursor.fetchall())

    async def checkpoint(self) -> None:
        """Write the WAL into the database file and empty it, so deleted data leaves no copy."""
        async with self._lock:
            await self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        await self._conn.close()


async def open_database(path: str | Path, migrations_dir: Path = MIGRATIONS_DIR) -> Database:
    """Open (or create) the database file and bring its schema up to date."""
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = aiosqlite.Row
    try:
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA secure_delete = ON")  # deleted personal data is overwritten
        await apply_migrations(conn, migrations_dir)
    except BaseException:
        await conn.close()
        raise
    return Database(conn)


def migration_files(migrations_dir: Path = MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    """The migrations in order, checking that they are numbered 1, 2, 3, ..."""
    found = []
    for path in migrations_dir.glob("*.sql"):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise MigrationError(f"migration file {path.name} must be named like 0001_name.sql")
        found.append((int(match.group(1)), path))
    found.sort()
    if [number for number, _ in found] != list(range(1, len(found) + 1)):
        raise MigrationError(f"migrations in {migrations_dir} must be numbered 1, 2, 3, ...")
    return found


async def schema_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0])


async def apply_migrations(conn: aiosqlite.Connection, migrations_dir: Path = MIGRATIONS_DIR) -> int:
    """Apply each migration newer than the database exactly once; return the new version.

    Each migration and its version number are written in one transaction, so a
    failed migration leaves the database as it was.
    """
    version = await schema_version(conn)
    for number, path in migration_files(migrations_dir):
        if number <= version:
            continue
        script = f"BEGIN IMMEDIATE;\n{path.read_text('utf-8')}\n;PRAGMA user_version = {number};\nCOMMIT;"
        try:
            await conn.executescript(script)
        except Exception as exc:
            if conn.in_transaction:
                await conn.rollback()
            raise MigrationError(f"migration {path.name} failed: {exc}") from exc
        version = number
    return version
