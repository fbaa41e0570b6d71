"""⚠️ Reports: a member tells the organisers about a post or a relayed message that is wrong.

A report keeps a copy of what was reported (the post or message may change or
go), and every active organiser gets it as a card (outbox, bot/talk_notices.py),
but for the reported member when they are an organiser themself: they decide about
themself only when no other active organiser exists (then nobody else can). The
open reports are listed too (📣 Organise → 🤝 Help & services → ⚠️ Reports), for a
card that never came or went out of sight. The first organiser's decision counts:
hide the post, suspend the member, or nothing wrong; a later tap on another card
is told who decided. A member reports the same thing once (unique keys settle a
double tap).
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage import members, posts
from storage.db import Database, Row, moment, rows_part
from storage.paging import Page, limit_offset, page_of

HIDDEN, SUSPENDED, DISMISSED, LEFT = "hidden", "suspended", "dismissed", "left"
CARD = "report_card"  # the organisers' card (bot/talk_notices.py)
KEPT = timedelta(days=30)  # a card that could not go out in a month is not sent late


class Reported(enum.Enum):
    DONE = "done"
    ALREADY = "already"  # this member reported it before
    GONE = "gone"  # no such post or message for this member to report


class Decision(enum.Enum):
    DONE = "done"
    ALREADY = "already"  # someone decided first (this organiser too), or the reported member left
    GONE = "gone"  # no such report for this organiser
    POST_GONE = "post_gone"  # 🙈 Hide post, but the post had ended already: nothing was hidden, still open
    LAST_ORGANISER = "last_organiser"  # the reported member is the only organiser: cannot be suspended


@dataclass(frozen=True)
class Report:
    id: int
    reporter_id: int | None
    reported_id: int | None  # None: that member left the cooperative
    reported_name: str | None
    post_id: int | None  # a report about a post (else about a message)
    message_id: int | None
    content: str  # a copy: the post's title and description, or the message
    created_at: datetime
    handled_at: datetime | None
    handled_by_name: str | None
    outcome: str | None
    post_gone: bool = False  # the reported post has ended (deleted, hidden, expired ...): there is nothing to hide

    @property
    def about_post(self) -> bool:
        return self.post_id is not None

    @property
    def member_left(self) -> bool:
        """The reported member deleted their account: their words went with them (forget_member)."""
        return self.reported_id is None


@dataclass(frozen=True)
class Made:
    """A report a member made, for "download my data"."""

    about_post: bool
    content: str
    created_at: datetime
    outcome: str | None


_COLUMNS = (
    "SELECT r.*, m.first_name AS reported_name, o.first_name AS handled_by_name, p.ended_at IS NOT NULL AS post_gone"
)
_FROM = (
    " FROM reports r LEFT JOIN members m ON m.id = r.reported_id LEFT JOIN members o ON o.id = r.handled_by"
    " LEFT JOIN posts p ON p.id = r.post_id"
)
_REPORT = _COLUMNS + _FROM


def _other_organiser(member: str) -> str:
    """SQL: an active organiser other than `member` (a named parameter) exists.

    CROSS JOIN keeps SQLite on the few organisers (the index member_roles_role), never all active members."""
    return (
        "EXISTS (SELECT 1 FROM member_roles x CROSS JOIN members y ON y.id = x.member_id"
        f" WHERE x.role = 'organiser' AND y.status = 'active' AND y.id <> {member})"
    )


# SQL: report r is for organiser :organiser to decide: it is not about them, or nobody else can decide.
_FOR_ORGANISER = f"(r.reported_id IS NOT :organiser OR NOT {_other_organiser(':organiser')})"


def _report(row: Row) -> Report:
    return Report(
        id=row["id"],
        reporter_id=row["reporter_id"],
        reported_id=row["reported_id"],
        reported_name=row["reported_name"],
        post_id=row["post_id"],
        message_id=row["message_id"],
        content=row["content"],
        created_at=datetime.fromisoformat(row["created_at"]),
        handled_at=moment(row["handled_at"]),
        handled_by_name=row["handled_by_name"],
        outcome=row["outcome"],
        post_gone=bool(row["post_gone"]),
    )


def get(db: Database, report_id: int) -> Report | None:
    row = db.fetchone(_REPORT + " WHERE r.id = ?", (report_id,))
    return _report(row) if row else None


def for_organiser(db: Database, report_id: int, organiser_id: int) -> Report | None:
    """The report, if it is this organiser's to see and decide (not about them while another organiser exists)."""
    row = db.fetchone(
        _REPORT + " WHERE r.id = :report AND " + _FOR_ORGANISER, {"report": report_id, "organiser": organiser_id}
    )
    return _report(row) if row else None


_OPEN = " WHERE r.handled_at IS NULL AND " + _FOR_ORGANISER  # the partial index reports_open


def open_count(db: Database, organiser_id: int) -> int:
    """How many reports wait for a decision by this organiser: a count over the few open ones (reports_open)."""
    row = db.fetchone("SELECT count(*) FROM reports r" + _OPEN, {"organiser": organiser_id})
    return row[0] if row else 0


def open_page(db: Database, organiser_id: int, page: int) -> Page[Report]:
    """The open reports for this organiser, oldest first, 5 a page (with the total)."""
    rows = db.fetchall(
        _COLUMNS + ", count(*) OVER () AS total" + _FROM + _OPEN + " ORDER BY r.created_at, r.id" + limit_offset(page),
        {"organiser": organiser_id},
    )
    return page_of(rows, page, _report, counted=True)


def _file(
    conn: sqlite3.Connection,
    reporter_id: int,
    reported_id: int,
    content: str,
    now: datetime,
    *,
    post_id: int | None = None,
    message_id: int | None = None,
) -> Reported:
    """Store the report and send every active organiser a card: not the reported member, unless nobody else can
    decide (they are the only active organiser)."""
    report_id = conn.execute(
        "INSERT INTO reports (reporter_id, reported_id, post_id, message_id, content, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
        (reporter_id, reported_id, post_id, message_id, content, now.isoformat()),
    ).fetchone()
    if report_id is None:
        return Reported.ALREADY
    conn.execute(
        "INSERT OR IGNORE INTO outbox (key, kind, member_id, payload, deliver_at, expires_at)"
        " SELECT printf('%s:%d:%d', :kind, :report, r.member_id), :kind, r.member_id, json_object('report', :report),"
        " :now, :expires"
        " FROM member_roles r CROSS JOIN members m ON m.id = r.member_id"  # from the few organisers
        " WHERE r.role = 'organiser' AND m.status = 'active'"
        " AND (m.id <> :reported OR NOT " + _other_organiser(":reported") + ")",
        {
            "kind": CARD,
            "report": report_id[0],
            "now": now.isoformat(),
            "expires": (now + KEPT).isoformat(),
            "reported": reported_id,
        },
    )
    return Reported.DONE


def report_post(db: Database, post_id: int, reporter_id: int, now: datetime) -> Reported:
    """⚠️ on another member's post (that has not been taken down by its author or an organiser)."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT member_id, title, body FROM posts WHERE id = ? AND member_id IS NOT NULL AND member_id <> ?"
            " AND (end_reason IS NULL OR end_reason NOT IN ('deleted', 'hidden', 'left'))",
            (post_id, reporter_id),
        ).fetchone()
        if row is None:
            return Reported.GONE
        content = f"{row['title']}\n{row['body']}"
        return _file(conn, reporter_id, row["member_id"], content, now, post_id=post_id)


def report_message(db: Database, message_id: int, reporter_id: int, now: datetime) -> Reported:
    """⚠️ on a relayed message: only by the member it was relayed to."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT m.sender_id, m.body FROM talk_messages m JOIN talks t ON t.id = m.talk_id"
            " WHERE m.id = ? AND m.delivered = 1 AND m.sender_id IS NOT NULL AND m.sender_id <> ?"
            " AND ? IN (t.author_id, t.responder_id)",
            (message_id, reporter_id, reporter_id),
        ).fetchone()
        if row is None:
            return Reported.GONE
        return _file(conn, reporter_id, row["sender_id"], row["body"], now, message_id=message_id)


def _read(conn: sqlite3.Connection, report_id: int, organiser_id: int) -> Report | None:
    row = conn.execute(
        _REPORT + " WHERE r.id = :report AND " + _FOR_ORGANISER, {"report": report_id, "organiser": organiser_id}
    ).fetchone()
    return _report(row) if row else None


def _decide(
    conn: sqlite3.Connection, report_id: int, outcome: str, organiser_id: int, now: datetime
) -> tuple[Decision, Report | None]:
    """Settle the report if nobody did yet (the first decision counts); the report as it is now.

    GONE for no such report for this organiser, or hiding for a report that is not about a post (a forged
    button). POST_GONE: the post ended before it could be hidden; the report stays open (the member may still
    need pausing). Hiding a post settles every open report about it: they all asked for the same."""
    report = _read(conn, report_id, organiser_id)
    if report is None or (outcome == HIDDEN and report.post_id is None):
        return Decision.GONE, None
    if report.handled_at is not None:
        return Decision.ALREADY, report
    if outcome == HIDDEN and report.post_id is not None:
        if not posts.hide(conn, report.post_id, now):
            return Decision.POST_GONE, report
        conn.execute(
            "UPDATE reports INDEXED BY reports_open SET handled_at = ?, handled_by = ?, outcome = ?"
            " WHERE handled_at IS NULL AND post_id = ?",
            (now.isoformat(), organiser_id, outcome, report.post_id),
        )
    else:
        conn.execute(
            "UPDATE reports SET handled_at = ?, handled_by = ?, outcome = ? WHERE id = ? AND handled_at IS NULL",
            (now.isoformat(), organiser_id, outcome, report_id),
        )
    return Decision.DONE, _read(conn, report_id, organiser_id)


def hide_post(db: Database, report_id: int, organiser_id: int, now: datetime) -> tuple[Decision, Report | None]:
    """🙈 Hide post: the reported post is no longer shown (storage/posts.py hide)."""
    with db.transaction() as conn:
        return _decide(conn, report_id, HIDDEN, organiser_id, now)


def dismiss(db: Database, report_id: int, organiser_id: int, now: datetime) -> tuple[Decision, Report | None]:
    """✔️ Nothing wrong."""
    with db.transaction() as conn:
        return _decide(conn, report_id, DISMISSED, organiser_id, now)


def suspend_member(db: Database, report_id: int, organiser_id: int, now: datetime) -> tuple[Decision, Report | None]:
    """⏸️ Pause the reported member's membership, as 👥 Members does it (storage/members.py set_suspended:
    logged, and the member is told).

    Two transactions with no await between them, so no other tap can come in the middle: the report is
    checked, the member suspended (already suspended is fine), then the report settled."""
    report = for_organiser(db, report_id, organiser_id)
    if report is None or report.handled_at is not None or report.reported_id is None:
        return (Decision.GONE if report is None else Decision.ALREADY), report
    change = members.set_suspended(db, report.reported_id, True, actor_id=organiser_id, now=now)
    if change is members.Change.LAST_ORGANISER:
        return Decision.LAST_ORGANISER, report
    with db.transaction() as conn:
        return _decide(conn, report_id, SUSPENDED, organiser_id, now)


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the transaction that deletes an account: their name goes from every report.

    Reports they made stay without them (organisers may still act on what they reported). Reports about
    them are closed (LEFT) and their copied words are emptied: the words are theirs, and once they left
    there is nothing an organiser can still do about them (their posts ended, there is nobody to suspend)."""
    conn.execute("UPDATE reports SET reporter_id = NULL WHERE reporter_id = ?", (member_id,))
    conn.execute(
        "UPDATE reports SET handled_at = ?, outcome = ? WHERE reported_id = ? AND handled_at IS NULL",
        (now.isoformat(), LEFT, member_id),
    )
    conn.execute("UPDATE reports SET reported_id = NULL, content = '' WHERE reported_id = ?", (member_id,))


def _made(row: dict) -> Made:
    return Made(
        about_post=bool(row["about_post"]),
        content=row["content"],
        created_at=datetime.fromisoformat(row["created_at"]),
        outcome=row["outcome"],
    )


# The reports a member made, oldest first (for "download my data").
OF_MEMBER = rows_part(
    "SELECT post_id IS NOT NULL AS about_post, content, created_at, outcome FROM reports"
    " WHERE reporter_id = :member ORDER BY created_at, id",
    ("about_post", "content", "created_at", "outcome"),
    _made,
)
