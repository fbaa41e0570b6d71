"""Members: who they are, their status, roles and profile, and the rules around them.

Statuses: 'visitor' (chose a language, not signed up), 'pending' (waits for an
organiser), 'active', 'suspended', and 'deleted' (an anonymous row that keeps
member numbers and counts right).

A deleted account that was paused, or whose organiser role was taken away,
leaves a fingerprint: a keyed hash of its Telegram id (see migration 0005),
so signing up again from that account cannot undo what organisers decided.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage import (
    announcements,
    audit,
    campaign_cards,
    campaign_needs,
    campaigns,
    conversation_state,
    help_news,
    hosting,
    hours,
    outbox,
    posts,
    proposals,
    reports,
    rooms,
    shares,
    shifts,
    talks,
    votes,
)
from storage.audit import Acting
from storage.db import Database, Row, moment, search_key
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

# Re-exported: the roles and interests are members' (storage/roles.py says why they live apart).
from storage.roles import ACTIVITIES as ACTIVITIES
from storage.roles import HELPING as HELPING
from storage.roles import INTERESTS as INTERESTS
from storage.roles import ORGANISER as ORGANISER
from storage.roles import SERVICES as SERVICES

VISITOR, PENDING, ACTIVE, SUSPENDED, DELETED = "visitor", "pending", "active", "suspended", "deleted"
# An unfinished sign-up (a visitor) without activity this long is removed.
UNFINISHED_SIGN_UP_KEPT = timedelta(days=7)
STALE_VISITORS_AT_ONCE = 200


@dataclass(frozen=True)
class Member:
    id: int
    telegram_id: int | None
    first_name: str | None
    language: str
    status: str
    roles: frozenset[str]
    created_at: datetime
    member_no: int | None = None
    neighbourhood: str | None = None
    interests: frozenset[str] = frozenset()
    business_name: str | None = None
    business_line: str | None = None
    kvk: str | None = None
    paused: bool = False
    consent_at: datetime | None = None
    consent_version: str | None = None
    unreachable_since: datetime | None = None  # Telegram said they blocked the bot
    phone: str | None = None  # given at the desk, for the call list; organisers only (storage/calls.py)
    voting: bool = False  # a vote is open, or a proposal of theirs waits: 🗳️ Votes is in their menu

    @property
    def is_organiser(self) -> bool:
        return ORGANISER in self.roles

    @property
    def signed_up(self) -> bool:
        """Gave consent: pending, active or suspended."""
        return self.status in (PENDING, ACTIVE, SUSPENDED)


@dataclass(frozen=True)
class Profile:
    """The answers of a sign-up."""

    first_name: str
    neighbourhood: str | None
    interests: frozenset[str]
    business_name: str | None = None
    business_line: str | None = None
    kvk: str | None = None


class Change(enum.Enum):
    """The outcome of an organiser's action on a member."""

    DONE = "done"
    ALREADY = "already"  # nothing to change: someone else was first, or it was so already
    LAST_ORGANISER = "last_organiser"
    NOT_FOUND = "not_found"


_COLUMNS = "m.*, (SELECT group_concat(role, ' ') FROM member_roles r WHERE r.member_id = m.id) AS roles"
# 🗳️ Votes is in their menu while a vote is open or a proposal of theirs waits (UX.md: a button appears
# when it has a use). A vote past its deadline counts until the minute job closes it.
_VOTING = (
    "(EXISTS (SELECT 1 FROM votes WHERE opened_at IS NOT NULL AND closed_at IS NULL)"
    " OR EXISTS (SELECT 1 FROM proposals p WHERE p.member_id = m.id AND p.status = 'pending')) AS voting"
)
_SELECT = f"SELECT {_COLUMNS}, {_VOTING} FROM members m"
_SELECT_COUNTED = f"SELECT {_COLUMNS}, {_VOTING}, count(*) OVER () AS total FROM members m"
NOTICE_LIFE = timedelta(days=7)  # a message about a membership that could not go out in a week is no use
APPROVAL_CARD_LIFE = timedelta(days=30)
_NEXT_MEMBER_NO = "(SELECT COALESCE(MAX(member_no), 0) + 1 FROM members)"


def _member(row: Row) -> Member:
    return Member(
        id=row["id"],
        telegram_id=row["telegram_id"],
        first_name=row["first_name"],
        language=row["language"],
        status=row["status"],
        roles=frozenset((row["roles"] or "").split()),
        created_at=datetime.fromisoformat(row["created_at"]),
        member_no=row["member_no"],
        neighbourhood=row["neighbourhood"],
        interests=frozenset(row["interests"].split()),
        business_name=row["business_name"],
        business_line=row["business_line"],
        kvk=row["kvk"],
        paused=bool(row["paused"]),
        consent_at=moment(row["consent_at"]),
        consent_version=row["consent_version"],
        unreachable_since=moment(row["unreachable_since"]),
        phone=row["phone"],
        voting=bool(row["voting"]),
    )


def _get(conn: sqlite3.Connection, where: str, value: object) -> Member:
    """Inside a transaction: the member as stored now (they must exist)."""
    return _member(conn.execute(f"{_SELECT} WHERE {where}", (value,)).fetchone())


def get_by_telegram_id(db: Database, telegram_id: int) -> Member | None:
    row = db.fetchone(_SELECT + " WHERE m.telegram_id = ?", (telegram_id,))
    return _member(row) if row else None


def get(db: Database, member_id: int) -> Member | None:
    row = db.fetchone(_SELECT + " WHERE m.id = ?", (member_id,))
    return _member(row) if row else None


def get_by_member_no(db: Database, member_no: int) -> Member | None:
    row = db.fetchone(_SELECT + " WHERE m.member_no = ? AND m.status != 'deleted'", (member_no,))
    return _member(row) if row else None


def count(db: Database) -> int:
    row = db.fetchone("SELECT count(*) FROM members")
    return int(row[0]) if row else 0


async def counts_by_status(db: Database) -> dict[str, int]:
    """How many members have each status: a long read at 100 000 members."""
    rows = await db.read("SELECT status, count(*) FROM members GROUP BY status")
    return {status: 0 for status in (PENDING, ACTIVE, SUSPENDED)} | {row[0]: row[1] for row in rows}


def pending_page(db: Database, page: int) -> Page[Member]:
    """People waiting for approval, oldest first (the order they asked in), one page, with the total."""
    rows = db.fetchall(_SELECT_COUNTED + " WHERE m.status = 'pending' ORDER BY m.id" + limit_offset(page))
    return page_of(rows, page, _member, counted=True)


async def signed_up(db: Database) -> list[Member]:
    """Everyone who gave consent and was not deleted, by member number: a long read."""
    rows = await db.read(
        _SELECT
        + " WHERE m.status IN ('pending', 'active', 'suspended') ORDER BY m.member_no IS NULL, m.member_no, m.id"
    )
    return [_member(row) for row in rows]


async def find_by_name(db: Database, text: str, page: int) -> Page[Member]:
    """Signed-up members whose first name contains `text`, by member number, one page: a long read (a scan)."""
    rows = await db.read(
        _SELECT_COUNTED + " WHERE m.status IN ('pending', 'active', 'suspended')"
        " AND instr(search_key(m.first_name), ?) ORDER BY m.member_no IS NULL, m.member_no, m.id" + limit_offset(page),
        (search_key(text),),
    )
    return page_of(rows, page, _member, counted=True)


def create(
    db: Database,
    *,
    telegram_id: int | None,
    first_name: str | None,
    language: str,
    status: str,
    now: datetime,
    roles: frozenset[str] = frozenset(),
) -> Member:
    """Add a member with their roles in one transaction; an active one gets a member number."""
    with db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO members (telegram_id, first_name, language, status, created_at, member_no)"
            f" VALUES (?, ?, ?, ?, ?, CASE WHEN ? = 'active' THEN {_NEXT_MEMBER_NO} END)",
            (telegram_id, first_name, language, status, now.isoformat(), status),
        )
        member_id = cursor.lastrowid
        conn.executemany(
            "INSERT INTO member_roles (member_id, role) VALUES (?, ?)", [(member_id, role) for role in sorted(roles)]
        )
        return _get(conn, "m.id = ?", member_id)


def choose_language(db: Database, telegram_id: int, language: str, now: datetime, *, organiser: bool) -> Member:
    """Store someone's language. Someone new becomes a visitor, and an organiser if configured so."""
    with db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO members (telegram_id, language, status, created_at) VALUES (?, ?, 'visitor', ?)"
            " ON CONFLICT (telegram_id) DO UPDATE SET language = excluded.language RETURNING id, status",
            (telegram_id, language, now.isoformat()),
        )
        member_id, status = cursor.fetchone()
        if organiser and status == VISITOR and not _fingerprint_says(conn, telegram_id, "organiser_removed"):
            conn.execute("INSERT OR IGNORE INTO member_roles VALUES (?, 'organiser')", (member_id,))
        return _get(conn, "m.id = ?", member_id)


def forget_visitor(db: Database, telegram_id: int) -> None:
    """Someone who did not want to sign up: keep nothing about them, also not in the WAL."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM members WHERE telegram_id = ? AND status = 'visitor'", (telegram_id,))
        conversation_state.forget_user(conn, telegram_id)
    db.checkpoint()


def forget_stale_visitors(db: Database, now: datetime, limit: int = STALE_VISITORS_AT_ONCE) -> list[int]:
    """Remove unfinished sign-ups without activity for UNFINISHED_SIGN_UP_KEPT; return their Telegram ids.

    Activity: choosing the language (created_at) and every answer or step the
    persistence wrote (updated_at). Oldest first, at most `limit` at a time,
    each found through an index; the repeating job comes back for the rest.
    """
    cutoff = (now - UNFINISHED_SIGN_UP_KEPT).isoformat()
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT m.id, m.telegram_id FROM members m INDEXED BY members_visitors"
            " WHERE m.status = 'visitor' AND m.created_at < :cutoff"
            " AND NOT EXISTS (SELECT 1 FROM user_data u WHERE u.user_id = m.telegram_id AND u.updated_at >= :cutoff)"
            " AND NOT EXISTS (SELECT 1 FROM conversation_states c"
            " WHERE c.user_id = m.telegram_id AND c.updated_at >= :cutoff)"
            " ORDER BY m.created_at LIMIT :limit",
            {"cutoff": cutoff, "limit": limit},
        ).fetchall()
        for member_id, telegram_id in rows:
            conn.execute("DELETE FROM members WHERE id = ? AND status = 'visitor'", (member_id,))
            if telegram_id is not None:
                conversation_state.forget_user(conn, telegram_id)
    if rows:
        db.checkpoint()
    return [telegram_id for _, telegram_id in rows if telegram_id is not None]


def sign_up(
    db: Database, telegram_id: int, profile: Profile, *, approved: bool, consent_version: str, now: datetime
) -> Member | None:
    """A visitor agreed: store the answers with the consent. None if they were no visitor (a double tap)."""
    with db.transaction() as conn:
        # A Telegram account whose membership was paused before it was deleted waits for an organiser.
        status = ACTIVE if approved and not _fingerprint_says(conn, telegram_id, "suspended") else PENDING
        cursor = conn.execute(
            "UPDATE members SET first_name = ?, neighbourhood = ?, interests = ?, business_name = ?,"
            " business_line = ?, kvk = ?, consent_at = ?, consent_version = ?, status = ?,"
            f" member_no = CASE WHEN ? = 'active' THEN {_NEXT_MEMBER_NO} END"
            " WHERE telegram_id = ? AND status = 'visitor'",
            (
                profile.first_name,
                profile.neighbourhood,
                " ".join(sorted(profile.interests)),
                profile.business_name,
                profile.business_line,
                profile.kvk,
                now.isoformat(),
                consent_version,
                status,
                status,
                telegram_id,
            ),
        )
        if cursor.rowcount != 1:
            return None
        member = _get(conn, "m.telegram_id = ?", telegram_id)
        if member.status == PENDING:  # every active organiser gets a card (sent by the outbox)
            conn.execute(
                "INSERT OR IGNORE INTO outbox (key, kind, member_id, payload, deliver_at, expires_at)"
                " SELECT printf('approval_card:%d:%d', ?, m.id), 'approval_card', m.id, json_object('applicant', ?),"
                " ?, ? FROM members m JOIN member_roles r ON r.member_id = m.id"
                " WHERE r.role = 'organiser' AND m.status = 'active' AND m.telegram_id IS NOT NULL",
                (member.id, member.id, now.isoformat(), (now + APPROVAL_CARD_LIFE).isoformat()),
            )
        return member


def decide(db: Database, member_id: int, *, admit: bool, actor_id: int, now: datetime) -> tuple[Change, Member | None]:
    """An organiser admits or refuses a pending member; the first decision counts.

    Admitted: active with a member number. Refused: everything about them is
    removed, since they gave consent only to become a member (the caller
    should also forget them in memory: bot.persistence.forget_user). Returns the
    member as they are now (or were, when refused).
    """
    with db.transaction() as conn:
        row = conn.execute(_SELECT + " WHERE m.id = ?", (member_id,)).fetchone()
        if row is None:
            return Change.NOT_FOUND, None
        member = _member(row)
        if admit:
            cursor = conn.execute(
                f"UPDATE members SET status = 'active', member_no = {_NEXT_MEMBER_NO}"
                " WHERE id = ? AND status = 'pending'",
                (member_id,),
            )
        else:
            cursor = conn.execute("DELETE FROM members WHERE id = ? AND status = 'pending'", (member_id,))
        if cursor.rowcount != 1:
            return Change.ALREADY, member
        if not admit and member.telegram_id is not None:
            conversation_state.forget_user(conn, member.telegram_id)
        if admit:
            _tell(conn, member_id, "admitted", now)
        elif member.telegram_id is not None:  # no member row any more: the chat and language go with the message
            payload = {"chat_id": member.telegram_id, "language": member.language}
            outbox.add(
                conn,
                [
                    Message(
                        f"refused:{member_id}:{now.isoformat()}", "refused", None, None, now, now + NOTICE_LIFE, payload
                    )
                ],
            )
        audit.record(conn, actor_id, "admit" if admit else "refuse", member_id, now)
        decided = _get(conn, "m.id = ?", member_id) if admit else member
    if not admit:
        db.checkpoint()  # what they answered leaves no copy in the WAL either
    return Change.DONE, decided


_OTHER_ORGANISERS = (
    "SELECT count(*) FROM members m JOIN member_roles r ON r.member_id = m.id"
    " WHERE r.role = 'organiser' AND m.status = 'active' AND m.id != ?"
)


def _other_active_organisers(conn: sqlite3.Connection, member_id: int) -> int:
    """Inside a transaction: active organisers besides this member."""
    return int(conn.execute(_OTHER_ORGANISERS, (member_id,)).fetchone()[0])


def other_organisers(db: Database, member_id: int) -> int:
    """How many active organisers there are besides this member."""
    row = db.fetchone(_OTHER_ORGANISERS, (member_id,))
    return int(row[0]) if row else 0


def set_organiser(db: Database, member_id: int, organiser: bool, *, actor_id: int, now: datetime) -> Change:
    """Make someone organiser or take it away; never from the last organiser."""
    with db.transaction() as conn:
        if not organiser and _other_active_organisers(conn, member_id) == 0:
            return Change.LAST_ORGANISER
        if organiser:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO member_roles (member_id, role)"
                " SELECT id, 'organiser' FROM members WHERE id = ? AND status = 'active'",
                (member_id,),
            )
        else:
            cursor = conn.execute("DELETE FROM member_roles WHERE member_id = ? AND role = 'organiser'", (member_id,))
        if cursor.rowcount != 1:
            return Change.ALREADY
        audit.record(conn, actor_id, "make_organiser" if organiser else "remove_organiser", member_id, now)
        _tell(conn, member_id, "made_organiser" if organiser else "no_longer_organiser", now)
    return Change.DONE


def set_suspended(db: Database, member_id: int, suspended: bool, *, actor_id: int, now: datetime) -> Change:
    """Suspend or reinstate a member; the last organiser cannot be suspended."""
    old, new = (ACTIVE, SUSPENDED) if suspended else (SUSPENDED, ACTIVE)
    with db.transaction() as conn:
        if suspended and _other_active_organisers(conn, member_id) == 0:
            cursor = conn.execute("SELECT 1 FROM member_roles WHERE member_id = ? AND role = 'organiser'", (member_id,))
            if cursor.fetchone():
                return Change.LAST_ORGANISER
        cursor = conn.execute("UPDATE members SET status = ? WHERE id = ? AND status = ?", (new, member_id, old))
        if cursor.rowcount != 1:
            return Change.ALREADY
        audit.record(conn, actor_id, "suspend" if suspended else "reinstate", member_id, now)
        _tell(conn, member_id, "membership_paused" if suspended else "membership_active", now)
    return Change.DONE


def _tell(conn: sqlite3.Connection, member_id: int, kind: str, now: datetime) -> None:
    """Inside a transaction: the member hears what an organiser changed (bot/notices.py has the words)."""
    outbox.add(conn, [Message(f"{kind}:{member_id}:{now.isoformat()}", kind, member_id, None, now, now + NOTICE_LIFE)])


_EDITABLE = {"first_name", "neighbourhood", "interests", "business_name", "business_line", "kvk", "paused", "language"}


def update_profile(db: Database, member_id: int, **changes: str | bool | frozenset[str] | None) -> Member:
    """Change the member's own details (name, neighbourhood, interests, business, pause, language)."""
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    values = {k: " ".join(sorted(v)) if isinstance(v, frozenset) else v for k, v in changes.items()}
    assignments = ", ".join(f"{name} = ?" for name in values)
    with db.transaction() as conn:
        conn.execute(f"UPDATE members SET {assignments} WHERE id = ?", (*values.values(), member_id))
        return _get(conn, "m.id = ?", member_id)


SHOWN_FOR, PHONE_CHANGED = "details_shown", "phone_changed"  # audit actions of an organiser acting for them


def shown_for(db: Database, member_id: int, acting: Acting, now: datetime) -> None:
    """An organiser showed a member their details (read out at the desk or on the phone): logged."""
    with db.transaction() as conn:
        audit.record(conn, acting.organiser_id, SHOWN_FOR, member_id, now, reason=acting.reason)


def set_phone(db: Database, member_id: int, phone: str | None, acting: Acting, now: datetime) -> None:
    """The phone number an organiser calls (storage/calls.py), changed at the member's request: logged."""
    with db.transaction() as conn:
        conn.execute("UPDATE members SET phone = ? WHERE id = ? AND status = 'active'", (phone, member_id))
        audit.record(conn, acting.organiser_id, PHONE_CHANGED, member_id, now, reason=acting.reason)


def delete_account(db: Database, member: Member, now: datetime, *, organiser_by_setting: bool = False) -> Change:
    """Remove everything that identifies a member; an anonymous row keeps their number and counts.

    Their sign-ups, messages and waiting proposals go; a vote they cast still counts, and proxies
    they gave or hold lapse (the other side is told). Attendance stays, tied to the anonymous
    row, so reports to funders keep adding up. Afterwards the database file
    holds no copy of the removed data (secure_delete and an emptied WAL). The
    last organiser cannot leave without a successor. Free places for upcoming
    activities first (activities.withdraw_everywhere), so they are offered on.

    A paused member, or one whose organiser role (given by ORGANISER_IDS:
    `organiser_by_setting`) was taken away, leaves a fingerprint of their
    Telegram account (see the module docstring).
    """
    with db.transaction() as conn:
        if member.is_organiser and _other_active_organisers(conn, member.id) == 0:
            return Change.LAST_ORGANISER
        if member.telegram_id is not None:
            _keep_fingerprint(conn, _get(conn, "m.id = ?", member.id), organiser_by_setting=organiser_by_setting)
        conn.execute(
            "UPDATE members SET telegram_id = NULL, first_name = NULL, neighbourhood = NULL, interests = '',"
            " business_name = NULL, business_line = NULL, kvk = NULL, paused = 0, consent_at = NULL,"
            " consent_version = NULL, unreachable_since = NULL, phone = NULL, help_alerts = 0, help_digest = 0,"
            " status = 'deleted',"
            " deleted_at = ? WHERE id = ?",
            (now.isoformat(), member.id),
        )
        votes.lapse_proxies_of(conn, member.id, now)
        proposals.forget_member(conn, member.id)
        # Help and services: conversations end (the other side is told), posts end without their words,
        # reports lose the name, hour transfers stay on this anonymous row so the totals stay right.
        for part in (talks, posts, reports, hours, help_news, announcements):
            part.forget_member(conn, member.id, now)
        shifts.forget_member(conn, member.id, now)  # places to come freed; past hours stay on this row
        rooms.forget_member(conn, member.id, now)  # coming bookings freed; past ones stay on this row (income)
        hosting.forget_member(conn, member.id, now)  # open proposals withdrawn; hosted activities stay
        shares.forget_member(conn, member.id, now)  # requests that wait lapse; shares and payments stay (the law)
        campaigns.forget_member(conn, member.id, now)  # unpaid pledges lapse; pledges stay on this row (the law)
        campaign_needs.forget_member(conn, member.id, now)  # pledged help and things withdrawn
        campaign_cards.forget_member(conn, member.id, now)  # their campaign cards are no longer edited
        for table in ("member_roles", "approval_cards", "rsvps", "outbox", "join_codes"):
            conn.execute(f"DELETE FROM {table} WHERE member_id = ?", (member.id,))
        if member.telegram_id is not None:
            conversation_state.forget_user(conn, member.telegram_id)
        audit.record(conn, member.id, "delete_account", member.id, now)
    db.checkpoint()
    return Change.DONE


def _fingerprint(conn: sqlite3.Connection, telegram_id: int) -> bytes:
    """Inside a transaction: HMAC-SHA256 of a Telegram id, keyed with this database's own secret."""
    key = conn.execute("SELECT value FROM secrets WHERE name = 'fingerprint'").fetchone()[0]
    return hmac.new(key, str(telegram_id).encode(), hashlib.sha256).digest()


def _fingerprint_says(conn: sqlite3.Connection, telegram_id: int, flag: str) -> bool:
    """Inside a transaction: did a deleted account of this Telegram id leave this flag?"""
    assert flag in ("suspended", "organiser_removed")
    row = conn.execute(f"SELECT {flag} FROM fingerprints WHERE hash = ?", (_fingerprint(conn, telegram_id),)).fetchone()
    return bool(row and row[0])


def _keep_fingerprint(conn: sqlite3.Connection, member: Member, *, organiser_by_setting: bool) -> None:
    """Inside a transaction, before deleting: keep, renew or drop the fingerprint of this member's account.

    Flags from an earlier deletion of the same account stay, except that
    holding the organiser role again ends "organiser_removed".
    """
    assert member.telegram_id is not None
    fingerprint = _fingerprint(conn, member.telegram_id)
    old = conn.execute(
        "SELECT suspended, organiser_removed FROM fingerprints WHERE hash = ?", (fingerprint,)
    ).fetchone()
    suspended = member.status == SUSPENDED or bool(old and old[0])
    removed_now = organiser_by_setting and (
        conn.execute(
            "SELECT 1 FROM audit_log WHERE target_id = ? AND action = 'remove_organiser' LIMIT 1", (member.id,)
        ).fetchone()
        is not None
    )
    organiser_removed = not member.is_organiser and (removed_now or bool(old and old[1]))
    if suspended or organiser_removed:
        conn.execute(
            "INSERT OR REPLACE INTO fingerprints (hash, suspended, organiser_removed) VALUES (?, ?, ?)",
            (fingerprint, int(suspended), int(organiser_removed)),
        )
    elif old:
        conn.execute("DELETE FROM fingerprints WHERE hash = ?", (fingerprint,))


def add_approval_card(db: Database, member_id: int, chat_id: int, message_id: int) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO approval_cards (member_id, chat_id, message_id) VALUES (?, ?, ?)",
            (member_id, chat_id, message_id),
        )


def set_reachable(db: Database, telegram_id: int, reachable: bool, now: datetime) -> None:
    """Telegram said a member blocked the bot (not reachable), or they are back (they wrote, or a message
    got through). Writes only when it changes."""
    with db.transaction() as conn:
        if reachable:
            conn.execute(
                "UPDATE members SET unreachable_since = NULL WHERE telegram_id = ? AND unreachable_since IS NOT NULL",
                (telegram_id,),
            )
        else:
            conn.execute(
                "UPDATE members SET unreachable_since = ? WHERE telegram_id = ? AND unreachable_since IS NULL",
                (now.isoformat(), telegram_id),
            )


def was_decided(db: Database, member_id: int) -> bool:
    """Did an organiser ever admit or refuse this sign-up (the audit log keeps it, without names)?"""
    return (
        db.fetchone("SELECT 1 FROM audit_log WHERE target_id = ? AND action IN ('admit', 'refuse')", (member_id,))
        is not None
    )


def approval_cards(db: Database, member_id: int) -> list[tuple[int, int]]:
    """(chat id, message id) of every organiser's card about this member."""
    rows = db.fetchall("SELECT chat_id, message_id FROM approval_cards WHERE member_id = ?", (member_id,))
    return [(row[0], row[1]) for row in rows]


def approval_cards_with_language(db: Database, member_id: int) -> list[tuple[int, int, str | None]]:
    """(chat id, message id, the organiser's language if they are still known) of every card about this member."""
    rows = db.fetchall(
        "SELECT c.chat_id, c.message_id, m.language FROM approval_cards c"
        " LEFT JOIN members m ON m.telegram_id = c.chat_id WHERE c.member_id = ?",
        (member_id,),
    )
    return [(row[0], row[1], row[2]) for row in rows]


def forget_approval_cards(db: Database, member_id: int) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM approval_cards WHERE member_id = ?", (member_id,))
