"""Help and service posts: a member asks for help (a request) or offers it (an offer), in one category.

A post ends by itself after WIJKBOT_POST_DAYS, when its author says ✅ Helped or
deletes it, when an organiser hides it, or when its author leaves. An ended post
stays (without its words once the author left) so the monthly figures add up.

Every rule is settled in the transaction that acts: the author is still active,
paid posts come from a ZZP'er, at most POSTS_A_DAY new posts a day, and a post
ends or is kept only by its author while it is up (a conditional UPDATE, so a
double tap changes nothing the second time).
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage import audit, outbox
from storage.audit import Acting
from storage.db import Database, Row, moment, rows_part
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of

REQUEST, OFFER = "request", "offer"
SIDES = (REQUEST, OFFER)
FREE, SWAP, PAID = "free", "swap", "paid"
KINDS = (FREE, SWAP, PAID)  # paid: for ZZP'ers only
HOUR, JOB = "hour", "job"
PRICE_UNITS = (HOUR, JOB)
CATEGORIES = (
    *("odd_jobs", "garden", "shopping", "transport", "computer", "language"),
    *("childcare", "cooking", "sewing", "company", "other"),
)
HELPED, DELETED, EXPIRED, HIDDEN, LEFT = "helped", "deleted", "expired", "hidden", "left"
POSTS_A_DAY = 5  # new posts per member in 24 hours
KEEP_WINDOW = timedelta(days=3)  # 🔁 Keep is offered (and the reminder sent) this long before the end
REMIND_FROM, REMIND_UNTIL = time(10, 0), time(19, 0)  # the keep reminder comes by day, in local time
ENDS_AT = time(19, 0)  # a post ends in the evening, local time: its last day is a whole day, never a night
THANKS_KEPT = timedelta(days=7)  # a thank-you not sent by then (the bot was down) is not sent late
END_AT_ONCE = 200  # posts ended by one run of end_due, so it never holds the event loop long
KEEP_REMINDER, THANKS, HIDDEN_NOTICE = "post_keep", "post_thanks", "post_hidden"
POSTED_FOR = "help_asked_by_organiser"  # audit action and outbox kind: a request put online for a member (issue 13)
CLOSED_FOR = "post_closed_by_organiser"  # audit action: a member's post ended at their request (issue 13)


@dataclass(frozen=True)
class Post:
    id: int
    member_id: int | None  # None: the author deleted their account
    member_name: str | None
    business_name: str | None  # the author's business, shown on a paid post
    side: str
    category: str
    kind: str
    title: str
    body: str
    price_cents: int | None
    price_unit: str | None
    created_at: datetime
    ends_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    helper_id: int | None
    reactions: int
    author_active: bool = True  # the author's membership is active (not suspended, not gone)
    hours_given: bool = False  # the author gave hours for the help it got (storage/hours.py)
    via_desk: bool = False  # the author has no Telegram: an organiser passes messages on (issue 13)

    def live(self, now: datetime) -> bool:
        """Up for others to see: not ended, not past its end, from an active member."""
        return self.ended_at is None and self.ends_at > now and self.author_active


class Refusal(enum.Enum):
    NOT_ACTIVE = "not_active"
    NOT_ZZP = "not_zzp"  # paid posts are for ZZP'ers only
    TOO_MANY = "too_many"  # POSTS_A_DAY in the last 24 hours


@dataclass(frozen=True)
class Published:
    post: Post | None
    refusal: Refusal | None = None


class Ended(enum.Enum):
    DONE = "done"
    ALREADY = "already"  # it ended before (a double tap, or it expired)
    GONE = "gone"  # no such post of this member (a forged or old button)


class Kept(enum.Enum):
    DONE = "done"
    NOT_YET = "not_yet"  # it does not end within KEEP_WINDOW (kept already: a double tap)
    ENDED = "ended"
    GONE = "gone"


@dataclass(frozen=True)
class Responder:
    """A member who reacted to a post (💬), for "who helped?"."""

    member_id: int
    first_name: str


POST_COLUMNS = (
    *("id", "member_id", "side", "category", "kind", "title", "body", "price_cents", "price_unit", "created_at"),
    *("ends_at", "ended_at", "end_reason", "helper_id", "reactions"),
)
_POST = (
    "SELECT p.*, m.first_name AS member_name, CASE WHEN p.kind = 'paid' THEN m.business_name END AS business_name,"
    " COALESCE(m.status = 'active', 0) AS author_active,"
    " EXISTS (SELECT 1 FROM hour_transfers t WHERE t.post_id = p.id AND t.corrects IS NULL) AS hours_given,"
    " (m.id IS NOT NULL AND m.telegram_id IS NULL) AS via_desk"
    " FROM posts p LEFT JOIN members m ON m.id = p.member_id"
)


def _post(row: Row | dict) -> Post:
    return Post(
        id=row["id"],
        member_id=row["member_id"],
        member_name=row["member_name"],
        business_name=row["business_name"],
        side=row["side"],
        category=row["category"],
        kind=row["kind"],
        title=row["title"],
        body=row["body"],
        price_cents=row["price_cents"],
        price_unit=row["price_unit"],
        created_at=datetime.fromisoformat(row["created_at"]),
        ends_at=datetime.fromisoformat(row["ends_at"]),
        ended_at=moment(row["ended_at"]),
        end_reason=row["end_reason"],
        helper_id=row["helper_id"],
        reactions=row["reactions"],
        author_active=bool(row["author_active"]),
        hours_given=bool(row["hours_given"]),
        via_desk=bool(row["via_desk"]),
    )


def get(db: Database, post_id: int) -> Post | None:
    row = db.fetchone(_POST + " WHERE p.id = ?", (post_id,))
    return _post(row) if row else None


def ends_after(now: datetime, days: int, tz: ZoneInfo) -> datetime:
    """When a post put up (or kept) now ends: `days` later at ENDS_AT local time, so the last moment to
    keep it is never in the night (UX.md)."""
    return datetime.combine(now.astimezone(tz).date() + timedelta(days=days), ENDS_AT, tz).astimezone(UTC)


def keep_reminder_at(ends_at: datetime, tz: ZoneInfo) -> datetime:
    """When "keep it?" goes out: KEEP_WINDOW before the end, moved later to a daytime moment (never at night).

    Moving it later keeps it inside the window, so 🔁 Keep works when it arrives."""
    local = (ends_at - KEEP_WINDOW).astimezone(tz)
    if local.time() < REMIND_FROM:
        local = datetime.combine(local.date(), REMIND_FROM, tz)
    elif local.time() > REMIND_UNTIL:
        local = datetime.combine(local.date() + timedelta(days=1), REMIND_FROM, tz)
    return local.astimezone(UTC)


def _remind(conn: sqlite3.Connection, post_id: int, member_id: int, ends_at: datetime, tz: ZoneInfo) -> None:
    """The "keep it?" message for this end; keyed by the end, so a new end gets a new one."""
    outbox.add(
        conn,
        [
            Message(
                key=f"{KEEP_REMINDER}:{post_id}:{ends_at.isoformat()}",
                kind=KEEP_REMINDER,
                member_id=member_id,
                activity_id=None,
                deliver_at=keep_reminder_at(ends_at, tz),
                expires_at=ends_at,
                payload={"post": post_id, "ends_at": ends_at.isoformat()},
                post_id=post_id,
            )
        ],
    )


_POSTED_TODAY = "SELECT count(*) FROM posts WHERE member_id = ? AND created_at > ?"  # the index posts_member


def _a_day_before(now: datetime) -> str:
    return (now - timedelta(days=1)).isoformat()


def may_post(db: Database, member_id: int, now: datetime) -> bool:
    """Fewer than POSTS_A_DAY posts in the last 24 hours: asked before the first step, settled by publish()."""
    row = db.fetchone(_POSTED_TODAY, (member_id, _a_day_before(now)))
    return row is not None and row[0] < POSTS_A_DAY


def publish(
    db: Database,
    member_id: int,
    side: str,
    category: str,
    kind: str,
    title: str,
    body: str,
    price_cents: int | None,
    price_unit: str | None,
    now: datetime,
    post_days: int,
    *,
    tz: ZoneInfo,
    for_member_by: Acting | None = None,
) -> Published:
    """Put a post up for `post_days`, with its "keep it?" reminder; members who follow its category
    hear about a request (marked here, written in batches by help_news.send_alerts on the scheduler, so
    ✅ Publish never waits for them). Refused (not an exception) for who may not post this now.

    An organiser who puts it up for the member (`for_member_by`) goes by the same rules; the post is the
    member's, and what the organiser did is logged."""
    if side not in SIDES or category not in CATEGORIES or kind not in KINDS:
        raise ValueError(f"not a post: {side}/{category}/{kind}")
    with db.transaction() as conn:
        author = conn.execute(
            "SELECT status, interests, business_name FROM members WHERE id = ?", (member_id,)
        ).fetchone()
        if author is None or author["status"] != "active":
            return Published(None, Refusal.NOT_ACTIVE)
        if kind == PAID and not ("services" in author["interests"].split() and author["business_name"]):
            return Published(None, Refusal.NOT_ZZP)
        if conn.execute(_POSTED_TODAY, (member_id, _a_day_before(now))).fetchone()[0] >= POSTS_A_DAY:
            return Published(None, Refusal.TOO_MANY)
        ends_at = ends_after(now, post_days, tz)
        paid = kind == PAID
        post_id = conn.execute(
            "INSERT INTO posts (member_id, side, category, kind, title, body, price_cents, price_unit, created_at,"
            " ends_at, alert_cursor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *(member_id, side, category, kind, title, body),
                *((price_cents, price_unit) if paid else (None, None)),
                *(now.isoformat(), ends_at.isoformat()),
                0 if side == REQUEST else None,  # its followers' alerts: help_news.send_alerts writes them soon
            ),
        ).lastrowid
        assert post_id is not None
        _remind(conn, post_id, member_id, ends_at, tz)
        if for_member_by is not None:
            _posted_for(conn, for_member_by, post_id, member_id, now, ends_at)
        return Published(_post(conn.execute(_POST + " WHERE p.id = ?", (post_id,)).fetchone()))


def _posted_for(
    conn: sqlite3.Connection, by: Acting, post_id: int, member_id: int, now: datetime, ends_at: datetime
) -> None:
    """Inside publish's transaction: the audit entry with how the member asked, and their message when they
    have Telegram (bot/acting_help_notices.py words it; without a chat there is nobody to tell)."""
    audit.record(conn, by.organiser_id, POSTED_FOR, member_id, now, reason=by.reason)
    if conn.execute("SELECT 1 FROM members WHERE id = ? AND telegram_id IS NOT NULL", (member_id,)).fetchone():
        message = Message(
            key=f"{POSTED_FOR}:{post_id}",
            kind=POSTED_FOR,
            member_id=member_id,
            activity_id=None,
            deliver_at=now,
            expires_at=ends_at,
            payload={"post": post_id, "by": by.organiser_id},
            post_id=post_id,
        )
        outbox.add(conn, [message])


def browse_page(db: Database, side: str, category: str, viewer_id: int, page: int) -> Page[Post]:
    """Live posts of one side and category, newest first, 5 a page: never the viewer's own, never from a
    member who is not active. The partial index posts_browse holds only posts that are up."""
    rows = db.fetchall(
        _POST + " WHERE p.side = ? AND p.category = ? AND p.ended_at IS NULL AND p.member_id <> ?"
        " AND m.status = 'active' ORDER BY p.created_at DESC, p.id DESC" + limit_offset(page),
        (side, category, viewer_id),
    )
    return page_of(rows, page, _post)


def of_author(db: Database, member_id: int, page: int) -> Page[Post]:
    """A member's own posts: the ones that are up first, then newest first."""
    rows = db.fetchall(
        _POST
        + " WHERE p.member_id = ? ORDER BY p.ended_at IS NULL DESC, p.created_at DESC, p.id DESC"
        + limit_offset(page),
        (member_id,),
    )
    return page_of(rows, page, _post)


def up_of_author(db: Database, member_id: int, now: datetime, page: int) -> Page[Post]:
    """A member's posts that are up, newest first, 5 a page (an organiser closes one for them)."""
    rows = db.fetchall(
        _POST
        + " WHERE p.member_id = ? AND p.ended_at IS NULL AND p.ends_at > ? ORDER BY p.created_at DESC, p.id DESC"
        + limit_offset(page),
        (member_id, now.isoformat()),
    )
    return page_of(rows, page, _post)


def _drop_unsent(conn: sqlite3.Connection, post_ids: str, params: tuple, now: datetime) -> None:
    """Messages about ended posts that were not sent yet no longer apply (conversations keep theirs)."""
    conn.execute(
        f"UPDATE outbox SET dropped_at = ? WHERE post_id IN ({post_ids}) AND talk_id IS NULL"
        " AND sent_at IS NULL AND dropped_at IS NULL",
        (now.isoformat(), *params),
    )


def _why_not(conn: sqlite3.Connection, post_id: int, member_id: int) -> Row | None:
    """The post, if it is this member's (after a conditional UPDATE changed nothing)."""
    return conn.execute(
        "SELECT ended_at, ends_at FROM posts WHERE id = ? AND member_id = ?", (post_id, member_id)
    ).fetchone()


def end(
    db: Database,
    post_id: int,
    member_id: int,
    reason: str,
    helper_id: int | None,
    now: datetime,
    for_member_by: Acting | None = None,
) -> Ended:
    """✅ Helped (reason HELPED, with the responder who helped or None) or 🗑️ Delete (DELETED), by the author,
    while it is up. The helper, who must have reacted to it, gets a thank-you.

    An organiser may end it for the author who asked them (`for_member_by`, an active member): logged."""
    if reason not in (HELPED, DELETED) or (helper_id is not None and reason != HELPED):
        raise ValueError(f"an author cannot end a post as {reason!r} with helper {helper_id}")
    with db.transaction() as conn:
        if (
            for_member_by is not None
            and not conn.execute("SELECT 1 FROM members WHERE id = ? AND status = 'active'", (member_id,)).fetchone()
        ):
            return Ended.GONE
        if (
            helper_id is not None
            and not conn.execute(
                "SELECT 1 FROM talks WHERE post_id = ? AND responder_id = ?", (post_id, helper_id)
            ).fetchone()
        ):
            return Ended.GONE  # a forged helper: only someone who reacted can be thanked
        changed = conn.execute(
            "UPDATE posts SET ended_at = ?, end_reason = ?, helper_id = ? WHERE id = ? AND member_id = ?"
            " AND ended_at IS NULL",
            (now.isoformat(), reason, helper_id, post_id, member_id),
        ).rowcount
        if not changed:
            return Ended.ALREADY if _why_not(conn, post_id, member_id) else Ended.GONE
        _drop_unsent(conn, "?", (post_id,), now)
        if for_member_by is not None:
            audit.record(conn, for_member_by.organiser_id, CLOSED_FOR, member_id, now, reason=for_member_by.reason)
        if helper_id is not None:
            outbox.add(
                conn,
                [
                    Message(
                        key=f"{THANKS}:{post_id}",
                        kind=THANKS,
                        member_id=helper_id,
                        activity_id=None,
                        deliver_at=now,
                        expires_at=now + THANKS_KEPT,
                        payload={"post": post_id},
                        post_id=post_id,
                    )
                ],
            )
        return Ended.DONE


def keep(db: Database, post_id: int, member_id: int, now: datetime, post_days: int, *, tz: ZoneInfo) -> Kept:
    """🔁 Keep: a post that ends within KEEP_WINDOW is up for `post_days` more from now, with a new reminder.

    A second tap finds it far from its end and changes nothing."""
    ends_at = ends_after(now, post_days, tz)
    with db.transaction() as conn:
        changed = conn.execute(
            "UPDATE posts SET ends_at = ? WHERE id = ? AND member_id = ? AND ended_at IS NULL AND ends_at > ?"
            " AND ends_at <= ?",
            (ends_at.isoformat(), post_id, member_id, now.isoformat(), (now + KEEP_WINDOW).isoformat()),
        ).rowcount
        if changed:
            _remind(conn, post_id, member_id, ends_at, tz)
            return Kept.DONE
        row = _why_not(conn, post_id, member_id)
        if row is None:
            return Kept.GONE
        if row["ended_at"] is not None or datetime.fromisoformat(row["ends_at"]) <= now:
            return Kept.ENDED
        return Kept.NOT_YET


def end_due(db: Database, now: datetime, limit: int = END_AT_ONCE) -> int:
    """Posts past their end end now (reason EXPIRED): a batch at a time, oldest end first. Returns how many."""
    with db.transaction() as conn:
        ended = [
            row[0]
            for row in conn.execute(
                "UPDATE posts SET ended_at = ?, end_reason = 'expired' WHERE id IN (SELECT id FROM posts"
                " WHERE ended_at IS NULL AND ends_at <= ? ORDER BY ends_at LIMIT ?) RETURNING id",
                (now.isoformat(), now.isoformat(), limit),
            )
        ]
        if ended:
            _drop_unsent(conn, ", ".join("?" for _ in ended), tuple(ended), now)
        return len(ended)


def hide(conn: sqlite3.Connection, post_id: int, now: datetime) -> bool:
    """Inside an organiser's transaction (a report): the post is no longer shown, and its author is told.
    False: it had ended already."""
    hidden = conn.execute(
        "UPDATE posts SET ended_at = ?, end_reason = 'hidden' WHERE id = ? AND ended_at IS NULL RETURNING member_id",
        (now.isoformat(), post_id),
    ).fetchone()
    if hidden is None:
        return False
    _drop_unsent(conn, "?", (post_id,), now)
    if hidden["member_id"] is not None:
        outbox.add(
            conn,
            [
                Message(
                    key=f"{HIDDEN_NOTICE}:{post_id}",
                    kind=HIDDEN_NOTICE,
                    member_id=hidden["member_id"],
                    activity_id=None,
                    deliver_at=now,
                    expires_at=now + THANKS_KEPT,
                    payload={"post": post_id},
                    post_id=post_id,
                )
            ],
        )
    return True


def responders(db: Database, post_id: int) -> list[Responder]:
    """The members who reacted to a post (one conversation each), first reaction first; not who left."""
    rows = db.fetchall(
        "SELECT m.id, m.first_name FROM talks t JOIN members m ON m.id = t.responder_id"
        " WHERE t.post_id = ? AND m.first_name IS NOT NULL ORDER BY t.started_at, t.id",
        (post_id,),
    )
    return [Responder(row[0], row[1]) for row in rows]


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the transaction that deletes an account: their posts that are up end (LEFT), the words of all
    their posts go, and the rows stay without their name so the monthly figures keep adding up."""
    ended = [
        row[0]
        for row in conn.execute(
            "UPDATE posts SET ended_at = ?, end_reason = 'left' WHERE member_id = ? AND ended_at IS NULL RETURNING id",
            (now.isoformat(), member_id),
        )
    ]
    if ended:
        _drop_unsent(conn, ", ".join("?" for _ in ended), tuple(ended), now)
    conn.execute("UPDATE posts SET title = '', body = '', member_id = NULL WHERE member_id = ?", (member_id,))


# Every post a member wrote, oldest first (for "download my data").
OF_MEMBER = rows_part(
    _POST + " WHERE p.member_id = :member ORDER BY p.created_at, p.id",
    (*POST_COLUMNS, "member_name", "business_name", "author_active", "hours_given", "via_desk"),
    _post,
)
