"""The time bank: hours of help move from the member who was helped to the member who helped.

Every member gets an account the first time hours move for them; the
cooperative has account 1 (for group efforts, and it credits volunteer shifts).
A transfer counts in half hours. The database keeps each account's given and
received in the same statement (a trigger), so the sum over all accounts of
given - received is always 0. A balance may go negative: asking for help is
never refused for lack of hours. Paying for a room in hours is a payment, though:
it needs the hours (for_booking).

Nothing is ever changed or removed: an organiser corrects a transfer by adding
a correcting one (it names the transfer in `corrects`; its halves are the
difference, so they may be negative). Hours for a post are recorded once per
post, for a shift once per volunteer and for a room booking once; unique indexes
settle a double tap.
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage import audit, outbox, talks
from storage.db import Database, Row, rows_part, search_key
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

COOPERATIVE = 1  # the cooperative's own account (storage/migrations/0008_help.sql)
MAX_HALVES = 16  # 8 hours: the most one transfer gives
MAX_NOTE = 80
KEPT = timedelta(days=7)  # a message about hours not sent by then (the bot was down) is not sent late
FOR_HOURS = ("free", "swap")  # the kinds of request whose help is paid in hours (storage/posts.py)
CREDITED = ("active", "suspended")  # who can receive hours: a member with a number, not a deleted one


class Answer(enum.Enum):
    DONE = "done"
    ALREADY = "already"  # a double tap: the hours for this post were recorded before
    UNCHANGED = "unchanged"  # a correction to what the transfer already is
    GONE = "gone"  # no such post or transfer
    NOT_YOURS = "not yours"  # someone else's post
    NOT_FOR_HOURS = "not for hours"  # not a free or swap request that ended with ✅ Helped by a member
    SELF = "self"
    STRANGER = "stranger"  # neither talked with through 💬 nor named right (the member list is not public)
    NOT_A_MEMBER = "not a member"  # the one to credit left, or is not (yet) a member


@dataclass(frozen=True)
class Hours:
    """An account in half hours: help given (credited) and received (debited)."""

    given: int
    received: int

    @property
    def balance(self) -> int:
        return self.given - self.received


@dataclass(frozen=True)
class Transfer:
    """Hours that moved: `from` was helped and pays, `to` helped and is credited.

    A member id None is the cooperative's account; a name None is a member who left."""

    id: int
    from_member_id: int | None
    from_name: str | None
    to_member_id: int | None
    to_name: str | None
    halves: int  # as recorded (a correction: the difference, maybe negative)
    corrected: int  # the sum of the corrections made to it since
    post_id: int | None
    post_title: str | None
    corrects: int | None  # the transfer this one corrects
    note: str | None
    created_at: datetime

    @property
    def now(self) -> int:
        """The half hours it counts for now, corrections included."""
        return self.halves + self.corrected


_TRANSFER = (
    "SELECT t.id, t.halves, t.post_id, t.corrects, t.note, t.created_at, p.title AS post_title,"
    " fa.member_id AS from_member_id, fm.first_name AS from_name,"
    " ta.member_id AS to_member_id, tm.first_name AS to_name,"
    " (SELECT coalesce(sum(c.halves), 0) FROM hour_transfers c WHERE c.corrects = t.id) AS corrected"
    " FROM hour_transfers t"
    " JOIN hour_accounts fa ON fa.id = t.from_account LEFT JOIN members fm ON fm.id = fa.member_id"
    " JOIN hour_accounts ta ON ta.id = t.to_account LEFT JOIN members tm ON tm.id = ta.member_id"
    " LEFT JOIN posts p ON p.id = t.post_id"
)

# The transfers of one member's account (both indexes, by the account's id).
_ACCOUNT_OF = "(SELECT id FROM hour_accounts WHERE member_id = :member)"
_OF_MEMBER = f" WHERE (t.from_account = {_ACCOUNT_OF} OR t.to_account = {_ACCOUNT_OF})"


def _transfer(row: Row | dict) -> Transfer:
    return Transfer(
        id=row["id"],
        from_member_id=row["from_member_id"],
        from_name=row["from_name"],
        to_member_id=row["to_member_id"],
        to_name=row["to_name"],
        halves=row["halves"],
        corrected=row["corrected"],
        post_id=row["post_id"],
        post_title=row["post_title"],
        corrects=row["corrects"],
        note=row["note"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


def _check_halves(halves: int, low: int = 1) -> None:
    if not low <= halves <= MAX_HALVES:
        raise ValueError(f"{halves} half hours is not from {low} to {MAX_HALVES}")


def _account(conn: sqlite3.Connection, member_id: int | None) -> int:
    """Inside a transaction: the member's account, made the first time hours move (None: the cooperative)."""
    if member_id is None:
        return COOPERATIVE
    conn.execute("INSERT OR IGNORE INTO hour_accounts (member_id) VALUES (?)", (member_id,))
    return int(conn.execute("SELECT id FROM hour_accounts WHERE member_id = ?", (member_id,)).fetchone()[0])


def _can_receive(conn: sqlite3.Connection, member_id: int) -> bool:
    row = conn.execute("SELECT status FROM members WHERE id = ?", (member_id,)).fetchone()
    return row is not None and row["status"] in CREDITED


def _tell(conn: sqlite3.Connection, kind: str, member_id: int | None, key: str, payload: dict, now: datetime) -> None:
    """Inside a transaction: a message about hours to a member (not to the cooperative)."""
    if member_id is None:
        return
    message = Message(
        key=key,
        kind=kind,
        member_id=member_id,
        activity_id=None,
        deliver_at=now,
        expires_at=now + KEPT,
        payload=payload,
    )
    outbox.add(conn, [message])


def _move(
    conn: sqlite3.Connection,
    from_member_id: int | None,
    to_member_id: int | None,
    halves: int,
    now: datetime,
    *,
    by: int | None,
    post_id: int | None = None,
    shift_id: int | None = None,
    booking_id: int | None = None,
    corrects: int | None = None,
    note: str | None = None,
) -> int | None:
    """Inside a transaction: write one transfer; None when the post (or the volunteer's shift, or the booking)
    has its hours already (unique index)."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO hour_transfers"
        " (from_account, to_account, halves, post_id, shift_id, booking_id, corrects, note, created_at, created_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            _account(conn, from_member_id),
            _account(conn, to_member_id),
            halves,
            post_id,
            shift_id,
            booking_id,
            corrects,
            note,
            now.isoformat(),
            by,
        ),
    )
    return cursor.lastrowid if cursor.rowcount else None


def _received(conn: sqlite3.Connection, transfer_id: int, to_member_id: int | None, now: datetime) -> Transfer:
    """Inside a transaction: the helper hears of the hours (bot/hour_notices.py); the transfer as stored."""
    _tell(conn, "hours_received", to_member_id, f"hours_received:{transfer_id}", {"transfer": transfer_id}, now)
    return _transfer(conn.execute(_TRANSFER + " WHERE t.id = ?", (transfer_id,)).fetchone())


def for_post(db: Database, post_id: int, author_id: int, halves: int, now: datetime) -> tuple[Answer, Transfer | None]:
    """The author of a free or swap request that ended with ✅ Helped pays the helper: once per post.

    A second tap (or any tap after the first) answers ALREADY with the hours recorded then."""
    _check_halves(halves)
    with db.transaction() as conn:
        post = conn.execute(
            "SELECT member_id, side, kind, end_reason, helper_id FROM posts WHERE id = ?", (post_id,)
        ).fetchone()
        if post is None:
            return Answer.GONE, None
        if post["member_id"] != author_id:
            return Answer.NOT_YOURS, None
        helper_id = post["helper_id"]
        if (
            post["side"] != "request"
            or post["kind"] not in FOR_HOURS
            or post["end_reason"] != "helped"
            or helper_id is None
            or helper_id == author_id
        ):
            return Answer.NOT_FOR_HOURS, None
        if not _can_receive(conn, helper_id):
            return Answer.NOT_A_MEMBER, None
        transfer_id = _move(conn, author_id, helper_id, halves, now, by=author_id, post_id=post_id)
        if transfer_id is None:
            row = conn.execute(_TRANSFER + " WHERE t.post_id = ? AND t.corrects IS NULL", (post_id,)).fetchone()
            return Answer.ALREADY, _transfer(row)
        return Answer.DONE, _received(conn, transfer_id, helper_id, now)


def _settle(
    conn: sqlite3.Connection,
    from_member_id: int | None,
    to_member_id: int | None,
    halves: int,
    now: datetime,
    *,
    by: int | None,
    shift_id: int | None = None,
    booking_id: int | None = None,
    note: str | None = None,
    logged: bool = False,
) -> int | None:
    """Inside a transaction: from now on the transfer between a member and the cooperative for one thing (a
    volunteer's shift, a booking) counts `halves`. The first writes the transfer, every later change a
    correcting one (`logged`: in the audit log, as an organiser's correction is).

    Returns the id of the row written, or None when nothing moved: the same again (a double tap), or more than
    may move: hours to someone who left, or hours a member pays and does not have (no negative balance)."""
    member_id = from_member_id if to_member_id is None else to_member_id
    column, key = ("shift_id", shift_id) if shift_id is not None else ("booking_id", booking_id)
    side = "from_account" if to_member_id is None else "to_account"
    row = conn.execute(
        "SELECT t.id, t.halves + (SELECT coalesce(sum(c.halves), 0) FROM hour_transfers c WHERE c.corrects = t.id)"
        f" FROM hour_transfers t WHERE t.{column} = :key AND t.{side} = {_ACCOUNT_OF} AND t.corrects IS NULL",
        {"key": key, "member": member_id},
    ).fetchone()
    before = row[1] if row else 0
    more = halves - before
    if more == 0:
        return None
    if more > 0 and to_member_id is not None and not _can_receive(conn, to_member_id):
        return None
    if more > 0 and from_member_id is not None and halves_of(conn, from_member_id) < more:
        return None
    corrects, note = (None, note) if row is None else (row[0], None)
    if corrects is not None and logged:
        audit.record(conn, by, "correct_hours", member_id, now)
    return _move(
        conn,
        from_member_id,
        to_member_id,
        more,
        now,
        by=by,
        shift_id=shift_id,
        booking_id=booking_id,
        corrects=corrects,
        note=note,
    )


def halves_of(conn: sqlite3.Connection, member_id: int) -> int:
    """Inside a transaction: a member's balance in half hours (what they can pay)."""
    row = conn.execute("SELECT given - received FROM hour_accounts WHERE member_id = ?", (member_id,)).fetchone()
    return int(row[0]) if row else 0


def for_shift(
    conn: sqlite3.Connection, shift_id: int, member_id: int, halves: int, now: datetime, *, by: int, note: str
) -> int | None:
    """Inside the transaction that ticks or unticks a volunteer as came (storage/shifts.py): from the
    cooperative's account the shift counts `halves` for them, once per volunteer per shift (0: unticked).

    Every change after the first tick is logged as an organiser's correction is. Nobody who left is credited,
    but hours can always be taken back. Returns the id of the row written, or None when nothing moved."""
    return _settle(conn, None, member_id, halves, now, by=by, shift_id=shift_id, note=note, logged=True)


def for_booking(
    conn: sqlite3.Connection,
    booking_id: int,
    member_id: int,
    halves: int,
    now: datetime,
    *,
    by: int | None,
    note: str | None = None,
) -> int | None:
    """Inside the transaction that asks for a room, or frees it (storage/rooms.py): the member pays `halves` of
    the booking to the cooperative, once per booking; 0 gives them back (declined, cancelled, left out).

    A payment: never more than the member has (checked here, in the transaction, so two requests cannot spend
    the same hours). Returns the id of the row written, or None when nothing moved."""
    return _settle(conn, member_id, None, halves, now, by=by, booking_id=booking_id, note=note)


def named(db: Database, member_no: int, first_name: str) -> int | None:
    """The active member with this number, if the first name is theirs too (case and accents aside).

    Someone who knows both knows who it is; guessing numbers tells nobody a name."""
    row = db.fetchone("SELECT id, first_name FROM members WHERE member_no = ? AND status = 'active'", (member_no,))
    return row["id"] if row and search_key(row["first_name"]) == search_key(first_name) else None


def give(
    db: Database,
    from_member_id: int,
    to_member_id: int | None,
    halves: int,
    note: str | None,
    now: datetime,
    *,
    first_name: str | None = None,
) -> tuple[Answer, Transfer | None]:
    """Hours given without a post ("Ann helped me on Sunday"); to None: the cooperative (a group effort).

    Only to a member one talked with through 💬, or whose `first_name` one typed with their number."""
    _check_halves(halves)
    if note is not None and len(note) > MAX_NOTE:
        raise ValueError(f"a note is at most {MAX_NOTE} characters")
    if to_member_id == from_member_id:
        return Answer.SELF, None
    with db.transaction() as conn:
        if to_member_id is not None and not _can_receive(conn, to_member_id):
            return Answer.NOT_A_MEMBER, None
        if to_member_id is not None and not talks.talked(conn, from_member_id, to_member_id):
            row = conn.execute("SELECT first_name FROM members WHERE id = ?", (to_member_id,)).fetchone()
            if first_name is None or search_key(row["first_name"]) != search_key(first_name):
                return Answer.STRANGER, None
        transfer_id = _move(conn, from_member_id, to_member_id, halves, now, by=from_member_id, note=note)
        assert transfer_id is not None  # only a post's hours can be there already
        return Answer.DONE, _received(conn, transfer_id, to_member_id, now)


def balance(db: Database, member_id: int) -> Hours:
    """What a member gave and received, in half hours (0 and 0 before hours first moved)."""
    row = db.fetchone("SELECT given, received FROM hour_accounts WHERE member_id = ?", (member_id,))
    return Hours(row["given"], row["received"]) if row else Hours(0, 0)


def get(db: Database, transfer_id: int) -> Transfer | None:
    row = db.fetchone(_TRANSFER + " WHERE t.id = ?", (transfer_id,))
    return _transfer(row) if row else None


def last_of_member(db: Database, member_id: int, limit: int = 5) -> list[Transfer]:
    """A member's newest transfers (corrections counted in, not listed): for ⏱️ My hours."""
    rows = db.fetchall(
        _TRANSFER + _OF_MEMBER + " AND t.corrects IS NULL ORDER BY t.created_at DESC, t.id DESC LIMIT :limit",
        {"member": member_id, "limit": limit},
    )
    return [_transfer(row) for row in rows]


def recent(db: Database, page: int) -> Page[Transfer]:
    """Every transfer (corrections counted in, not listed), newest first, one page: for organisers."""
    rows = db.fetchall(
        _TRANSFER + " WHERE t.corrects IS NULL ORDER BY t.created_at DESC, t.id DESC" + limit_offset(page)
    )
    return page_of(rows, page, _transfer)


def correct(
    db: Database, transfer_id: int, organiser_id: int, new_halves: int, now: datetime
) -> tuple[Answer, Transfer | None]:
    """An organiser sets what a transfer counts for (0 takes it back): a correcting transfer of the
    difference, an entry in the audit log for each member concerned, and both sides are told.

    Returns the corrected transfer as it is now; the same number again (a double tap) is UNCHANGED."""
    _check_halves(new_halves, low=0)
    with db.transaction() as conn:
        row = conn.execute(_TRANSFER + " WHERE t.id = ? AND t.corrects IS NULL", (transfer_id,)).fetchone()
        if row is None:
            return Answer.GONE, None
        before = _transfer(row)
        if before.now == new_halves:
            return Answer.UNCHANGED, before
        correction_id = _move(
            conn,
            before.from_member_id,
            before.to_member_id,
            new_halves - before.now,
            now,
            by=organiser_id,
            post_id=before.post_id,
            corrects=transfer_id,
        )
        payload = {"transfer": transfer_id, "before": before.now, "after": new_halves}
        for member_id in dict.fromkeys((before.from_member_id, before.to_member_id)):
            if member_id is not None:
                audit.record(conn, organiser_id, "correct_hours", member_id, now)
                _tell(conn, "hours_corrected", member_id, f"hours_corrected:{correction_id}:{member_id}", payload, now)
        return Answer.DONE, _transfer(conn.execute(_TRANSFER + " WHERE t.id = ?", (transfer_id,)).fetchone())


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the transaction that deletes an account: the transfers stay on the anonymous member row, so
    every balance and total stays right; the notes on them go, as a note may name the member."""
    conn.execute(
        "UPDATE hour_transfers AS t SET note = NULL" + _OF_MEMBER + " AND t.note IS NOT NULL", {"member": member_id}
    )


# Every transfer of a member's account, corrections as their own rows, oldest first (for "download my data").
OF_MEMBER = rows_part(
    _TRANSFER + _OF_MEMBER + " ORDER BY t.created_at, t.id",
    (
        *("id", "halves", "post_id", "corrects", "note", "created_at", "post_title"),
        *("from_member_id", "from_name", "to_member_id", "to_name", "corrected"),
    ),
    _transfer,
)
