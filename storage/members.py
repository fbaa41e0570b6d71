"""Members: who they are, their language, status and roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database

ORGANISER = "organiser"
STATUSES = ("visitor", "pending", "active", "suspended")


@dataclass(frozen=True)
class Member:
    id: int
    telegram_id: int | None
    first_name: str | None
    language: str
    status: str
    roles: frozenset[str]
    created_at: datetime

    @property
    def is_organiser(self) -> bool:
        return ORGANISER in self.roles


_SELECT = """
    SELECT m.id, m.telegram_id, m.first_name, m.language, m.status, m.created_at,
           (SELECT group_concat(role, ' ') FROM member_roles r WHERE r.member_id = m.id) AS roles
    FROM members m
"""


def _member(row) -> Member:
    return Member(
        id=row["id"],
        telegram_id=row["telegram_id"],
        first_name=row["first_name"],
        language=row["language"],
        status=row["status"],
        roles=frozenset((row["roles"] or "").split()),
        created_at=datetime.fromisoformat(row["created_at"]),
    )


async def get_by_telegram_id(db: Database, telegram_id: int) -> Member | None:
    row = await db.fetchone(_SELECT + " WHERE m.telegram_id = ?", (telegram_id,))
    return _member(row) if row else None


async def get(db: Database, member_id: int) -> Member | None:
    row = await db.fetchone(_SELECT + " WHERE m.id = ?", (member_id,))
    return _member(row) if row else None


async def count(db: Database) -> int:
    row = await db.fetchone("SELECT count(*) FROM members")
    return int(row[0])


async def create(
    db: Database,
    *,
    telegram_id: int | None,
    first_name: str | None,
    language: str,
    status: str,
    now: datetime,
    roles: frozenset[str] = frozenset(),
) -> Member:
    """Add a member with their roles in one transaction."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO members (telegram_id, first_name, language, status, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (telegram_id, first_name, language, status, now.isoformat()),
        )
        member_id = cursor.lastrowid
        await conn.executemany(
            "INSERT INTO member_roles (member_id, role) VALUES (?, ?)",
            [(member_id, role) for role in sorted(roles)],
        )
    member = await get(db, member_id)
    assert member is not None
    return member


async def choose_language(db: Database, telegram_id: int, language: str, now: datetime) -> Member:
    """Store someone's language; someone we do not know yet becomes a visitor."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO members (telegram_id, language, status, created_at)"
            " VALUES (?, ?, 'visitor', ?)"
            " ON CONFLICT (telegram_id) DO UPDATE SET language = excluded.language",
            (telegram_id, language, now.isoformat()),
        )
    member = await get_by_telegram_id(db, telegram_id)
    assert member is not None
    return member
