"""The desk: members without Telegram, added by an organiser, and one-time codes that join their
Telegram account to them later (issue 13).

A code is 8 characters from an alphabet without look-alikes (no 0/O, no 1/I), works 7 days and once.
Only a keyed hash of it is stored (HMAC-SHA256 with this database's own secret, like the fingerprints
in storage/members.py), so a copy of the database file holds no working code. Wrong tries count per
Telegram account for an hour, also as a keyed hash: 5 an hour against 32^8 codes makes guessing hopeless.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from storage import audit, calls, members
from storage.db import Database, rows_part, search_key
from storage.members import Member
from storage.paging import Page, limit_offset, page_of

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O and no 1/I: read aloud or copied from paper without doubt
CODE_LENGTH = 8
CODE_LIFE = timedelta(days=7)
TRIES_AN_HOUR = 5
TRY_WINDOW = timedelta(hours=1)
_SIGNED_UP = "('pending', 'active', 'suspended')"


class Refusal(enum.Enum):
    """Why a code did not join an account."""

    WRONG = "wrong"  # no such code (guessed, mistyped, or its member deleted their account)
    USED = "used"
    EXPIRED = "expired"
    TOO_MANY = "too_many"  # TRIES_AN_HOUR wrong tries in the last hour from this Telegram account
    ALREADY_MEMBER = "already_member"  # this Telegram account belongs to a member already


@dataclass(frozen=True)
class Joined:
    """The outcome of a code: the member the account now belongs to, or why not."""

    member: Member | None
    refusal: Refusal | None = None


@dataclass(frozen=True)
class Unlinked:
    """A member without Telegram, as 🔗 Link lists them."""

    id: int
    first_name: str
    member_no: int | None


@dataclass(frozen=True)
class CodeInfo:
    """That a member has a code, and its times (for "download my data": never the code)."""

    made_at: datetime
    expires_at: datetime
    used_at: datetime | None


class NotLinkable(ValueError):
    """A code was asked for someone who has Telegram already, or is no member (any more)."""


def consent_moment(signed_on: date) -> datetime:
    """The day the paper form was signed as a stored moment: midday UTC is that same day in every time
    zone from UTC-11 to UTC+11, so it reads as that day wherever the bot runs."""
    return datetime.combine(signed_on, time(12), UTC)


def add_member(
    db: Database,
    *,
    first_name: str,
    neighbourhood: str | None,
    interests: frozenset[str],
    language: str,
    phone: str | None = None,
    consent_on: date,
    organiser_id: int,
    now: datetime,
) -> Member:
    """A member who signed the paper form at the desk: active at once with the next member number (as
    storage/members.py gives them: one more than the highest, never reused), without Telegram."""
    with db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO members (first_name, neighbourhood, interests, language, status, created_at,"
            " consent_at, consent_version, phone, member_no) VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?,"
            " (SELECT COALESCE(MAX(member_no), 0) + 1 FROM members))",
            (
                first_name,
                neighbourhood,
                " ".join(sorted(interests)),
                language,
                now.isoformat(),
                consent_moment(consent_on).isoformat(),
                f"paper:{consent_on.isoformat()}",
                phone,
            ),
        )
        member_id = cursor.lastrowid
        audit.record(conn, organiser_id, "desk_add", member_id, now)
    added = members.get(db, member_id) if member_id is not None else None
    assert added is not None, "the member was added in the transaction above"
    return added


def _keyed(conn: sqlite3.Connection, kind: str, value: str) -> bytes:
    """Inside a transaction: HMAC-SHA256 of a code or a Telegram account (`kind` keeps them apart),
    keyed with this database's own secret."""
    key = conn.execute("SELECT value FROM secrets WHERE name = 'fingerprint'").fetchone()[0]
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).digest()


# Cyrillic letters that look like Latin ones, as a Ukrainian keyboard types a code read from paper.
_LOOK_ALIKES = str.maketrans("АВЕКМНОРСТХУ", "ABEKMHOPCTXY")


def normalised(code: str) -> str:
    """A code as typed, the way it is compared: capitals, without spaces or dashes ("abcd-2345"), and
    Cyrillic look-alikes as Latin letters (the handler reads Arabic digits as 0-9 first)."""
    return "".join(char for char in code.upper().translate(_LOOK_ALIKES) if char.isalnum())


def make_code(db: Database, member_id: int, organiser_id: int, now: datetime) -> str:
    """A new code for a member without Telegram; their old code stops working. NotLinkable for anyone else."""
    with db.transaction() as conn:
        row = conn.execute(
            f"SELECT 1 FROM members WHERE id = ? AND telegram_id IS NULL AND status IN {_SIGNED_UP}", (member_id,)
        ).fetchone()
        if row is None:
            raise NotLinkable(f"member {member_id} has Telegram or is no member")
        conn.execute("DELETE FROM join_codes WHERE member_id = ?", (member_id,))
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            try:
                conn.execute(
                    "INSERT INTO join_codes (member_id, hash, made_at, expires_at) VALUES (?, ?, ?, ?)",
                    (member_id, _keyed(conn, "code", code), now.isoformat(), (now + CODE_LIFE).isoformat()),
                )
            except sqlite3.IntegrityError:  # the same as another member's code: about one in a trillion
                continue
            break
        audit.record(conn, organiser_id, "join_code", member_id, now)
    return code


def join(db: Database, telegram_id: int, code: str, now: datetime) -> Joined:
    """Join this Telegram account to the member whose code it is: the same member, number, RSVPs, posts
    and votes, now with a chat. Every refusal but ALREADY_MEMBER and TOO_MANY counts as a wrong try."""
    with db.transaction() as conn:
        owner = conn.execute("SELECT status FROM members WHERE telegram_id = ?", (telegram_id,)).fetchone()
        if owner is not None and owner[0] != members.VISITOR:
            return Joined(None, Refusal.ALREADY_MEMBER)
        account = _keyed(conn, "account", str(telegram_id))
        conn.execute("DELETE FROM join_tries WHERE at <= ?", ((now - TRY_WINDOW).isoformat(),))
        tries = conn.execute("SELECT count(*) FROM join_tries WHERE account = ?", (account,)).fetchone()[0]
        if tries >= TRIES_AN_HOUR:
            return Joined(None, Refusal.TOO_MANY)
        row = conn.execute(
            f"SELECT c.member_id, c.expires_at, c.used_at, m.telegram_id, m.status IN {_SIGNED_UP} AS member"
            " FROM join_codes c JOIN members m ON m.id = c.member_id WHERE c.hash = ?",
            (_keyed(conn, "code", normalised(code)),),
        ).fetchone()
        if row is None or not row["member"]:
            refusal: Refusal | None = Refusal.WRONG
        elif row["used_at"] is not None or row["telegram_id"] is not None:
            refusal = Refusal.USED
        elif datetime.fromisoformat(row["expires_at"]) <= now:
            refusal = Refusal.EXPIRED
        else:
            refusal = None
        if refusal is not None:
            conn.execute("INSERT INTO join_tries (account, at) VALUES (?, ?)", (account, now.isoformat()))
            return Joined(None, refusal)
        # Someone who only chose a language here (a visitor) becomes the member: that row goes, and its
        # language wins over the one noted at the desk: it is what this person's own phone or own 🌐 choice
        # says they read.
        visitor = conn.execute(
            "DELETE FROM members WHERE telegram_id = ? AND status = 'visitor' RETURNING language", (telegram_id,)
        ).fetchone()
        conn.execute(
            "UPDATE members SET telegram_id = ?, language = coalesce(?, language) WHERE id = ?",
            (telegram_id, visitor[0] if visitor else None, row["member_id"]),
        )
        conn.execute("UPDATE join_codes SET used_at = ? WHERE member_id = ?", (now.isoformat(), row["member_id"]))
        audit.record(conn, None, "telegram_joined", row["member_id"], now)  # who and when, for the organisers
        calls.hand_back(conn, row["member_id"], now)  # what waited for a phone call now comes in the chat
    return Joined(members.get(db, row["member_id"]))


def working_code_until(db: Database, member_id: int, now: datetime) -> datetime | None:
    """When the member's code stops working, if they have one that works now (🔗 asks before replacing it)."""
    row = db.fetchone(
        "SELECT expires_at FROM join_codes WHERE member_id = ? AND used_at IS NULL AND expires_at > ?",
        (member_id, now.isoformat()),
    )
    return datetime.fromisoformat(row[0]) if row else None


async def without_telegram(
    db: Database, page: int, *, name: str | None = None, member_no: int | None = None
) -> Page[Unlinked]:
    """Members without Telegram found by first name or member number, by member number, one page with the
    total. A long read: a name is found by a scan (of the small index of members without Telegram)."""
    found = "instr(search_key(m.first_name), ?)" if member_no is None else "m.member_no = ?"
    rows = await db.read(
        "SELECT m.id, m.first_name, m.member_no, count(*) OVER () AS total FROM members m"
        f" WHERE m.telegram_id IS NULL AND m.status IN {_SIGNED_UP} AND {found}"
        " ORDER BY m.member_no IS NULL, m.member_no, m.id" + limit_offset(page),
        (search_key(name) if member_no is None else member_no,),
    )
    return page_of(rows, page, lambda row: Unlinked(row["id"], row["first_name"] or "", row["member_no"]), counted=True)


def _code_info(row: dict) -> CodeInfo:
    used = row["used_at"]
    made, expires = datetime.fromisoformat(row["made_at"]), datetime.fromisoformat(row["expires_at"])
    return CodeInfo(made, expires, datetime.fromisoformat(used) if used else None)


# The member's code, if they have one (for "download my data"): its times, never the code or its hash.
CODES = rows_part(
    "SELECT made_at, expires_at, used_at FROM join_codes WHERE member_id = :member",
    ("made_at", "expires_at", "used_at"),
    _code_info,
)
