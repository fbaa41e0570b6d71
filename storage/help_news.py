"""News about new posts: the categories a member follows, an alert when a request is published, the weekly digest.

Both kinds of news are outbox rows (bot/help_news.py words them when they go out):
- 'post_alert': written in the transaction that publishes a request, for every follower of its
  category who turned alerts on, in one statement. At most ALERTS_A_DAY in any 24 hours: the key
  holds the member and the moment it was written ("post_alert:<member>:<utc time>:<post>"), so the
  alerts a member got lately are a range of the outbox's unique key index, counted in the same
  statement. A rolling 24 hours rather than a calendar day: the count needs no time zone, and
  three requests at 23:00 followed by three at 08:00 do not make six messages in one morning.
- 'post_digest': once a week, at the configured day and local time, one row per member who opted in
  and has something new (key "post_digest:<member>:<ISO week>"). The scheduler asks every minute;
  `digest_weeks` remembers the weeks already planned, so a restart, or a bot that was down at that
  moment, plans each week once. A digest lists the posts of the 7 days before that moment.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.db import Database, Part, Row

ALERTS_A_DAY = 3
ALERT_WINDOW = timedelta(hours=24)
DIGEST_LINES = 10  # more would not fit on a phone screen; the digest says how many more there are
_KEY_TIME = "%Y-%m-%dT%H:%M:%S"  # fixed width, so keys sort by time


@dataclass(frozen=True)
class Following:
    """What a member wants to hear about new posts."""

    categories: frozenset[str]
    alerts: bool  # 🔔 a message at once when someone asks for help in one of the categories
    digest: bool  # 📰 the weekly digest


_FOLLOWING = (
    "SELECT m.help_alerts, m.help_digest, (SELECT group_concat(category, ' ') FROM follows WHERE member_id = m.id)"
    " FROM members m WHERE m.id = ?"
)


def _following(row: Row | None) -> Following:
    if row is None:
        return Following(frozenset(), False, False)
    return Following(frozenset((row[2] or "").split()), bool(row[0]), bool(row[1]))


def following(db: Database, member_id: int) -> Following:
    """What the member chose now (🔔 News about new posts)."""
    return _following(db.fetchone(_FOLLOWING, (member_id,)))


def follow(db: Database, member_id: int, category: str, on: bool) -> Following:
    """Follow a category or stop; the button says which, so a double tap changes nothing."""
    with db.transaction() as conn:
        if on:
            conn.execute("INSERT OR IGNORE INTO follows (member_id, category) VALUES (?, ?)", (member_id, category))
        else:
            conn.execute("DELETE FROM follows WHERE member_id = ? AND category = ?", (member_id, category))
        return _following(conn.execute(_FOLLOWING, (member_id,)).fetchone())


def set_news(db: Database, member_id: int, *, alerts: bool | None = None, digest: bool | None = None) -> Following:
    """Turn 🔔 alerts and/or 📰 the digest on or off."""
    with db.transaction() as conn:
        if alerts is not None:
            conn.execute("UPDATE members SET help_alerts = ? WHERE id = ?", (int(alerts), member_id))
        if digest is not None:
            conn.execute("UPDATE members SET help_digest = ? WHERE id = ?", (int(digest), member_id))
        return _following(conn.execute(_FOLLOWING, (member_id,)).fetchone())


def alert_followers(conn: sqlite3.Connection, post_id: int, now: datetime) -> None:
    """Inside the transaction that publishes a post: tell the members who asked to hear about it.

    Only for a request; only active members with Telegram who follow its category and turned alerts on,
    never its author, and nobody who got ALERTS_A_DAY alerts in the last 24 hours. The alert is of no
    use once the post ends, so it expires then (and the sender drops it if the post ended before)."""
    conn.execute(
        "INSERT OR IGNORE INTO outbox (key, kind, member_id, post_id, payload, deliver_at, expires_at)"
        " SELECT printf('post_alert:%d:%s:%d', m.id, :at, p.id), 'post_alert', m.id, p.id, json_object('post', p.id),"
        " :now, p.ends_at"
        " FROM posts p CROSS JOIN follows f ON f.category = p.category CROSS JOIN members m ON m.id = f.member_id"
        " WHERE p.id = :post AND p.side = 'request' AND p.ended_at IS NULL AND m.id IS NOT p.member_id"
        " AND m.help_alerts = 1 AND m.status = 'active' AND m.telegram_id IS NOT NULL"
        " AND (SELECT count(*) FROM outbox o WHERE o.key >= printf('post_alert:%d:%s', m.id, :since)"
        "      AND o.key < printf('post_alert:%d;', m.id)) < :most",  # ';' sorts right after ':'
        {
            "post": post_id,
            "now": now.isoformat(),
            "at": now.astimezone(UTC).strftime(_KEY_TIME),
            "since": (now - ALERT_WINDOW).astimezone(UTC).strftime(_KEY_TIME),
            "most": ALERTS_A_DAY,
        },
    )


@dataclass(frozen=True)
class Alert:
    """A new request, as an alert shows it."""

    post_id: int
    category: str
    kind: str
    title: str
    body: str
    price_cents: int | None
    price_unit: str | None


def alert_to_send(db: Database, member_id: int, post_id: int, now: datetime) -> Alert | None:
    """The request an alert is about, if the alert still holds now: the request is still up (its author
    still active), and the member is active, follows its category and still wants alerts."""
    row = db.fetchone(
        "SELECT p.id, p.category, p.kind, p.title, p.body, p.price_cents, p.price_unit"
        " FROM posts p JOIN members a ON a.id = p.member_id"
        " JOIN follows f ON f.category = p.category AND f.member_id = :member JOIN members r ON r.id = f.member_id"
        " WHERE p.id = :post AND p.ended_at IS NULL AND p.ends_at > :now AND a.status = 'active'"
        " AND r.status = 'active' AND r.help_alerts = 1",
        {"member": member_id, "post": post_id, "now": now.isoformat()},
    )
    return Alert(*row) if row else None


def digest_moment(now: datetime, tz: ZoneInfo, weekday: int, at: time) -> datetime:
    """This week's digest moment in UTC: `weekday` (0 = Monday) at local time `at`, in the ISO week of `now`."""
    today = now.astimezone(tz).date()
    day = today + timedelta(days=weekday - today.weekday())
    return datetime.combine(day, at, tz).astimezone(UTC)


# New posts of a week that a follower hears about: still up, by an active member, not their own.
# (Here and above, CROSS JOIN keeps SQLite to this order: from the few posts to their followers,
# never through all members.)
_NEW_POSTS = (
    " FROM posts p CROSS JOIN members a ON a.id = p.member_id CROSS JOIN follows f ON f.category = p.category"
    " WHERE p.created_at >= :since AND p.created_at < :until AND p.ended_at IS NULL AND a.status = 'active'"
    " AND p.member_id <> f.member_id"
)


def plan_digest(db: Database, now: datetime, tz: ZoneInfo, weekday: int, at: time) -> int:
    """Once this week's digest moment has passed: a digest for every member who opted in and has
    something new, in one statement; each week once. Returns how many were planned."""
    moment = digest_moment(now, tz, weekday, at)
    if now < moment:
        return 0
    year, week, _ = moment.astimezone(tz).isocalendar()
    week_key = f"{year}-W{week:02d}"
    if db.fetchone("SELECT 1 FROM digest_weeks WHERE week = ?", (week_key,)):  # the usual answer, every minute
        return 0
    window = {"since": (moment - timedelta(days=7)).isoformat(), "until": moment.isoformat()}
    with db.transaction() as conn:
        planned = conn.execute(
            "INSERT OR IGNORE INTO digest_weeks (week, planned_at) VALUES (?, ?)", (week_key, now.isoformat())
        )
        if not planned.rowcount:
            return 0
        written = conn.execute(
            "INSERT OR IGNORE INTO outbox (key, kind, member_id, payload, deliver_at, expires_at)"
            " SELECT printf('post_digest:%d:%s', m.id, :week), 'post_digest', m.id, :payload, :now, :expires"
            " FROM (SELECT DISTINCT f.member_id"
            + _NEW_POSTS
            + ") AS news CROSS JOIN members m ON m.id = news.member_id"
            " WHERE m.help_digest = 1 AND m.status = 'active' AND m.telegram_id IS NOT NULL",
            {
                **window,
                "week": week_key,
                "payload": json.dumps(window),
                "now": now.isoformat(),
                "expires": (moment + timedelta(days=7)).isoformat(),  # the next digest says it all again
            },
        )
        return written.rowcount


@dataclass(frozen=True)
class DigestLine:
    category: str
    side: str
    title: str


@dataclass(frozen=True)
class Digest:
    lines: list[DigestLine]  # newest first, at most DIGEST_LINES
    total: int  # how many new posts there are in all


def digest_to_send(db: Database, member_id: int, since: datetime, until: datetime) -> Digest | None:
    """The new posts of a digest as they are now; None when none are left or the member no longer wants it."""
    rows = db.fetchall(
        "SELECT p.category, p.side, p.title, count(*) OVER () AS total"
        + _NEW_POSTS
        + " AND f.member_id = :member AND EXISTS (SELECT 1 FROM members r WHERE r.id = :member"
        " AND r.status = 'active' AND r.help_digest = 1)"
        " ORDER BY p.created_at DESC, p.id DESC LIMIT :most",
        {"member": member_id, "since": since.isoformat(), "until": until.isoformat(), "most": DIGEST_LINES},
    )
    if not rows:
        return None
    return Digest([DigestLine(row["category"], row["side"], row["title"]) for row in rows], rows[0]["total"])


def forget_member(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the transaction that deletes an account: the categories they followed go.

    (delete_account turns help_alerts and help_digest off, and deletes their outbox rows.)"""
    conn.execute("DELETE FROM follows WHERE member_id = ?", (member_id,))


# What a member asked to hear about (for "download my data"): one JSON value.
OF_MEMBER = Part(
    "SELECT json_object('categories', json((SELECT json_group_array(category) FROM follows WHERE member_id = m.id)),"
    " 'alerts', m.help_alerts, 'digest', m.help_digest) FROM members m WHERE m.id = :member",
    lambda kept: Following(frozenset(kept["categories"]), bool(kept["alerts"]), bool(kept["digest"])),
)
