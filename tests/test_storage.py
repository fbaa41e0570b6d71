"""The database file: pragmas, migrations exactly once, transactions, members."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest

from storage import activities, members
from storage.db import MIGRATIONS_DIR, MigrationError, migration_files, open_database

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


async def test_the_database_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "w.db")
    try:
        assert (db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (db.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert (db.fetchone("PRAGMA busy_timeout"))[0] == 5000
    finally:
        await db.close()


async def test_migrations_are_applied_once_and_a_second_start_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    db = await open_database(path)
    latest = len(migration_files())
    assert (db.fetchone("PRAGMA user_version"))[0] == latest
    members.create(db, telegram_id=5, first_name="Ann", language="nl", status="active", now=NOW)
    await db.close()

    db = await open_database(path)  # the same migrations again
    try:
        assert (db.fetchone("PRAGMA user_version"))[0] == latest
        assert [m.first_name for m in [members.get_by_telegram_id(db, 5)]] == ["Ann"]
    finally:
        await db.close()


async def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_first.sql").write_text("CREATE TABLE a (x INTEGER);")
    (migrations / "0002_broken.sql").write_text("CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);")
    with pytest.raises(MigrationError, match="0002_broken.sql"):
        await open_database(tmp_path / "w.db", migrations)
    async with aiosqlite.connect(tmp_path / "w.db") as conn:
        assert (await (await conn.execute("PRAGMA user_version")).fetchone())[0] == 1
        tables = {row[0] for row in await (await conn.execute("SELECT name FROM sqlite_master")).fetchall()}
    assert tables == {"a"}


def test_migrations_must_be_numbered_without_gaps(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("")
    (tmp_path / "0003_c.sql").write_text("")
    with pytest.raises(MigrationError, match="numbered"):
        migration_files(tmp_path)
    assert migration_files(MIGRATIONS_DIR)[0][0] == 1


async def test_a_transaction_is_all_or_nothing(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "w.db")
    try:
        with pytest.raises(sqlite3.IntegrityError), db.transaction() as conn:
            conn.execute(
                "INSERT INTO members (telegram_id, language, status, created_at) VALUES (1, 'nl', 'visitor', 'x')"
            )
            conn.execute("INSERT INTO member_roles (member_id, role) VALUES (999, 'organiser')")
        assert members.count(db) == 0
    finally:
        await db.close()


async def test_members_keep_their_roles_and_language(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "w.db")
    try:
        olga = members.create(
            db,
            telegram_id=7,
            first_name="Olga",
            language="nl",
            status="active",
            now=NOW,
            roles=frozenset({members.ORGANISER}),
        )
        assert olga.is_organiser and olga.created_at == NOW and olga.member_no == 1
        desk = members.create(db, telegram_id=None, first_name="Piet", language="nl", status="active", now=NOW)
        assert desk.telegram_id is None and not desk.is_organiser  # added at the desk, no Telegram

        changed = members.choose_language(db, 7, "en", NOW, organiser=False)
        assert (changed.id, changed.language, changed.is_organiser) == (olga.id, "en", True)
        visitor = members.choose_language(db, 8, "nl", NOW, organiser=False)
        assert (visitor.status, visitor.first_name, visitor.is_organiser) == ("visitor", None, False)
        configured = members.choose_language(db, 9, "nl", NOW, organiser=True)
        assert configured.is_organiser
        assert members.count(db) == 4
    finally:
        await db.close()


async def test_upgrading_keeps_counts_and_plans_the_reminders_of_people_already_coming(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    older = tmp_path / "older"
    older.mkdir()
    for _, migration in migration_files()[:3]:  # a database from before migration 0004
        (older / migration.name).write_text(migration.read_text("utf-8"))
    await (await open_database(path, older)).close()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO members (id, telegram_id, language, status, created_at) VALUES"
            " (1, 11, 'nl', 'active', '2026-11-01T10:00:00+00:00'),"
            " (2, 12, 'nl', 'active', '2026-11-01T10:00:00+00:00')"
        )
        conn.execute(
            "INSERT INTO activities (id, title, description, starts_at, ends_at, place, capacity, created_at)"
            " VALUES (1, 'Koken', '', '2099-01-02T15:00:00+00:00', '2099-01-02T17:00:00+00:00', 'Buurthuis', 1,"
            " '2026-11-01T10:00:00+00:00')"
        )
        conn.execute(
            "INSERT INTO rsvps VALUES (1, 1, 'going', 1, NULL, '2026-11-02T10:00:00+00:00'),"
            " (1, 2, 'waiting', 2, NULL, '2026-11-02T11:00:00+00:00')"
        )
        conn.execute(
            "INSERT INTO notifications (key, kind, member_id, activity_id, deliver_at, sent_at) VALUES"
            " ('reminder_day:1:1:2099-01-02T15:00:00+00:00', 'reminder_day', 1, 1,"
            " '2099-01-01T15:00:00+00:00', '2099-01-01T15:00:01+00:00')"
        )
    conn.close()

    db = await open_database(path)
    try:
        activity = activities.get(db, 1)
        assert (activity.going, activity.waiting, activity.places_left) == (1, 1, 0)
        planned = db.fetchall("SELECT key, deliver_at, expires_at, sent_at FROM outbox ORDER BY key")
        assert [tuple(row) for row in planned] == [
            (
                "reminder_2h:1:1:2099-01-02T15:00:00+00:00",
                "2099-01-02T13:00:00+00:00",
                "2099-01-02T15:00:00+00:00",
                None,
            ),
            (
                "reminder_day:1:1:2099-01-02T15:00:00+00:00",
                "2099-01-01T15:00:00+00:00",
                "2099-01-02T15:00:00+00:00",
                "2099-01-01T15:00:01+00:00",
            ),  # sent before the upgrade: not planned again
        ]
    finally:
        await db.close()
