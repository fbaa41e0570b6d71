"""The data file: a writer on the event loop, a reader in a thread, and numbered migrations.

The rule (measured, see the README's benchmarks): a member's tap must not
wait on the database. A short, indexed SQLite statement takes ~10-50 µs,
while a hop to aiosqlite's thread and back costs ~250 µs, and one shared
connection behind an asyncio lock turned 4 ms of work into 350 ms of queueing.
So:

- Everything a tap needs runs as plain, synchronous sqlite3 on the event loop.
  A storage function is one `with db.transaction()` (or one read) and never
  awaits, so no other coroutine can run in the middle of it and no lock is
  needed. Keep these statements short and indexed: at 100 000 members they
  must still take well under a millisecond.
- Long reads (exports, CSV files, month overviews, searches over all members)
  go through `await db.read(...)`: a read-only aiosqlite connection in its own
  thread, which sees the last committed state (WAL) and never blocks the loop.
  "Download my data" reads every domain's part of a member in one statement
  (`read_parts`): each module gives its part as a JSON value.

`synchronous=FULL` stays: a member who saw ✅ keeps their place after a power
cut. A commit then waits for the disk (~0.2 ms measured here), once per tap.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

import aiosqlite

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

Row = sqlite3.Row
Params = Sequence[Any] | Mapping[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Part(Generic[T]):
    """One domain's part of a member's data, for "download my data": a SELECT that gives the whole part
    as one JSON value (the member is the named parameter :member), and what to make of that value."""

    sql: str
    make: Callable[[Any], T]


def moment(value: str | None) -> datetime | None:
    """A stored time (ISO 8601, UTC), or None for an empty column."""
    return datetime.fromisoformat(value) if value else None


def rows_part(select: str, columns: Sequence[str], make: Callable[[Any], T]) -> Part[list[T]]:
    """A part that is a list of rows: `select` (ordered, using :member) gives `columns`, and each row,
    read as a mapping of those columns, becomes make(row)."""
    pairs = ", ".join(f"'{column}', {column}" for column in columns)
    return Part(
        f"SELECT json_group_array(json_object({pairs})) FROM ({select})", lambda rows: [make(row) for row in rows]
    )


class MigrationError(RuntimeError):
    """A migration file is misnamed or failed to apply."""


@dataclass
class CallCount:
    """How many times this task went to the database (transactions and reads)."""

    calls: int = 0


_call_count: ContextVar[CallCount | None] = ContextVar("wijkbot_db_calls", default=None)


def count_calls() -> CallCount:
    """Count database calls from here to the end of the current task (benchmarks and tests)."""
    count = CallCount()
    _call_count.set(count)
    return count


def _counted() -> None:
    count = _call_count.get()
    if count is not None:
        count.calls += 1


class Database:
    """The bot's data file: write and short reads on the loop, long reads in a thread."""

    def __init__(self, conn: sqlite3.Connection, reader: aiosqlite.Connection) -> None:
        self._conn = conn
        self._reader = reader

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block as one write transaction: all of it or nothing. Never await inside."""
        _counted()
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        """One short, indexed read on the event loop."""
        _counted()
        row: Row | None = self._conn.execute(sql, params).fetchone()
        return row

    def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """A short, indexed, bounded read (a page, a handful of rows) on the event loop."""
        _counted()
        return self._conn.execute(sql, params).fetchall()

    async def read(self, sql: str, params: Params = ()) -> list[Row]:
        """A long read (a whole list, an export) in the reader's thread; the loop goes on meanwhile."""
        _counted()
        return list(await self._reader.execute_fetchall(sql, params))

    async def read_parts(self, member_id: int, *parts: Part[Any]) -> list[Any]:
        """Every part of a member's data in one statement: one trip to the reader, one moment of the data."""
        columns = ", ".join(f"({part.sql})" for part in parts)
        row = (await self.read(f"SELECT {columns}", {"member": member_id}))[0]
        return [part.make(json.loads(value)) for part, value in zip(parts, row, strict=True)]

    def checkpoint(self) -> None:
        """Write the WAL into the database file and empty it, so deleted data leaves no copy."""
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        await self._reader.close()
        self._conn.close()


def _configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")  # see the module docstring
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA secure_delete = ON")  # deleted personal data is overwritten


def search_key(text: str | None) -> str:
    """A name as a search compares it: case, accents and the form of the letters do not matter.

    "Özlem", "ozlem" and "OZLEM" are alike, and so are "İbrahim" and "ibrahim". Also an SQL function
    on the reader: SQLite's own lower() and LIKE only know A-Z."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


async def open_database(path: str | Path, migrations_dir: Path = MIGRATIONS_DIR) -> Database:
    """Open (or create) the database file, bring its schema up to date, and open the reader."""
    conn = sqlite3.connect(str(path), isolation_level=None)  # we say BEGIN and COMMIT ourselves
    try:
        _configure(conn)
        apply_migrations(conn, migrations_dir)
        reader = await aiosqlite.connect(str(path), isolation_level=None)
    except BaseException:
        conn.close()
        raise
    reader.row_factory = sqlite3.Row
    await reader.create_function("search_key", 1, search_key, deterministic=True)
    await reader.execute("PRAGMA query_only = ON")
    await reader.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return Database(conn, reader)


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


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def apply_migrations(conn: sqlite3.Connection, migrations_dir: Path = MIGRATIONS_DIR) -> int:
    """Apply each migration newer than the database exactly once; return the new version.

    Each migration and its version number are written in one transaction, so a
    failed migration leaves the database as it was.
    """
    version = schema_version(conn)
    for number, path in migration_files(migrations_dir):
        if number <= version:
            continue
        script = f"BEGIN IMMEDIATE;\n{path.read_text('utf-8')}\n;PRAGMA user_version = {number};\nCOMMIT;"
        try:
            conn.executescript(script)
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise MigrationError(f"migration {path.name} failed: {exc}") from exc
        version = number
    return version
