"""News about new posts: the categories a member follows, an alert when a request is published, the weekly digest.

Both kinds of news are outbox rows (bot/help_news.py words them when they go out):
- 'post_alert': for every follower of a request's category who turned alerts on. Publishing only
  marks the request (posts.alert_cursor = 0); the scheduler (send_alerts, every minute and after a
  restart) writes the alerts ALERT_BATCH followers per transaction, by member id, moving the cursor in
  the same transaction, so the member who publishes never waits for a big category and no
  transaction holds the loop long. At most ALERTS_A_DAY in any 24 hours: the key holds the member and the
  moment it was written ("post_alert:<member>:<utc time>:<post>"), so the alerts a member got lately
  are a range of the outbox's unique key index, counted in the same statement. A rolling 24 hours
  rather than a calendar day: the count needs no time zone, and three requests at 23:00 followed by
  three at 08:00 do not make six messages in one morning.
- 'post_digest': once a week, at the configured day and local time, one row per member who opted in
  and has something new (key "post_digest:<member>:<ISO week>"). The scheduler asks every minute;
  `digest_weeks` keeps each week's follower cursor, so planning goes DIGEST_BATCH followers a run,
  and a restart, or a bot that was down at that moment, plans each member once that week. A digest
  lists the posts of the 7 days before that moment.
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
_NO_MEMBER_AFTER = 2**63 - 1  # the largest member id SQLite can hold: a range "to the end"


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


# Alerts are written ALERT_BATCH followers a transaction (~3.5 ms on the loop at 100 000 members when none
# of them is capped, measured by benchmarks/help.py), at most ALERT_BATCHES_A_RUN a scheduler run (~55 ms):
# 1 000 followers a minute, so the biggest category at 100 000 members (~1 900 followers) is told within two
# minutes, and a backlog (the bot was down) waits for the next runs instead of holding the loop longer.
ALERT_BATCH = 100
ALERT_BATCHES_A_RUN = 10


def _alert_range(conn: sqlite3.Connection, post_id: int, after: int, upto: int, now: datetime) -> int:
    """Write the alerts of one request to its followers with a member id in (after, upto]; how many."""
    return conn.execute(
        "INSERT OR IGNORE INTO outbox (key, kind, member_id, post_id, payload, deliver_at, expires_at)"
        " SELECT printf('post_alert:%d:%s:%d', m.id, :at, p.id), 'post_alert', m.id, p.id, json_object('post', p.id),"
        " :now, p.ends_at"
        " FROM posts p CROSS JOIN follows f ON f.category = p.category"
        " AND f.member_id > :after AND f.member_id <= :upto"  # the index follows_category: this batch only
        " CROSS JOIN members m ON m.id = f.member_id"
        " WHERE p.id = :post AND p.side = 'request' AND p.ended_at IS NULL AND m.id IS NOT p.member_id"
        " AND m.help_alerts = 1 AND m.status = 'active' AND m.telegram_id IS NOT NULL"
        " AND (SELECT count(*) FROM outbox o WHERE o.key >= printf('post_alert:%d:%s', m.id, :since)"
        "      AND o.key < printf('post_alert:%d;', m.id)) < :most",  # ';' sorts right after ':'
        {
            "post": post_id,
            "after": after,
            "upto": upto,
            "now": now.isoformat(),
            "at": now.astimezone(UTC).strftime(_KEY_TIME),
            "since": (now - ALERT_WINDOW).astimezone(UTC).strftime(_KEY_TIME),
            "most": ALERTS_A_DAY,
        },
    ).rowcount


def send_alerts(db: Database, now: datetime, *, batch: int | None = None, batches: int | None = None) -> int:
    """Tell the members who asked to hear about new requests (the scheduler, every minute): the alerts that
    publishing a request left to write (posts.alert_cursor), ALERT_BATCH followers per transaction, oldest
    request first, until none is left or ALERT_BATCHES_A_RUN transactions ran. Returns how many were written.

    Only for a request that is still up (not ended, not past its end, its author active: else its cursor is
    cleared and it gets no more alerts); only active members with Telegram who follow its category and have
    alerts on, never its author, and nobody who got ALERTS_A_DAY alerts in the last 24 hours. The alert is of
    no use once the post ends, so it expires then (and the sender drops it if the post ended before). The
    cursor moves in the transaction that writes a batch, so each follower is considered once per request,
    also after a restart."""
    batch = batch or ALERT_BATCH
    written = 0
    for _ in range(batches or ALERT_BATCHES_A_RUN):
        with db.transaction() as conn:
            post = conn.execute(
                "SELECT p.id, p.category, p.alert_cursor,"
                " p.side = 'request' AND p.ended_at IS NULL AND p.ends_at > ? AND a.status IS 'active' AS up"
                " FROM posts p LEFT JOIN members a ON a.id = p.member_id"
                " WHERE p.alert_cursor IS NOT NULL ORDER BY p.id LIMIT 1",  # the partial index posts_alerting
                (now.isoformat(),),
            ).fetchone()
            if post is None:
                break
            cursor: int | None = None
            if post["up"]:
                # The batch's last follower, and whether any come after it (the index follows_category).
                ahead = conn.execute(
                    "SELECT member_id FROM follows WHERE category = ? AND member_id > ? ORDER BY member_id"
                    " LIMIT 2 OFFSET ?",
                    (post["category"], post["alert_cursor"], batch - 1),
                ).fetchall()
                upto = ahead[0][0] if ahead else _NO_MEMBER_AFTER
                written += _alert_range(conn, post["id"], post["alert_cursor"], upto, now)
                cursor = upto if len(ahead) == 2 else None
            conn.execute("UPDATE posts SET alert_cursor = ? WHERE id = ?", (cursor, post["id"]))
    return written


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


# New posts of a week in a category that follow f follows: still up, not the follower's own (and, checked
# with it, by an active member). Through the partial index posts_browse (side, category, created_at), so it
# costs a probe or two per follow, or the week's posts of that category, never every post of the week.
_NEWS_OF_FOLLOW = (
    "p.side IN ('request', 'offer') AND p.category = f.category AND p.created_at >= :since"
    " AND p.created_at < :until AND p.ended_at IS NULL AND p.member_id <> f.member_id"
)
_HAS_NEWS = (
    "EXISTS (SELECT 1 FROM posts p WHERE " + _NEWS_OF_FOLLOW + " AND EXISTS (SELECT 1 FROM members a"
    " WHERE a.id = p.member_id AND a.status = 'active'))"
)
DIGEST_BATCH = 500  # followers planned by one scheduler run: ~5 ms on the loop at 100 000 members (~20 runs)


def plan_digest(db: Database, now: datetime, tz: ZoneInfo, weekday: int, at: time, *, batch: int | None = None) -> int:
    """Once this week's digest moment has passed: a digest for every member who opted in and has something
    new, DIGEST_BATCH followers (by member id) a call, so each scheduler run holds the loop briefly until the
    week is done. The week's row in digest_weeks keeps the follower cursor, moved in the transaction that
    writes the batch: each member once a week, also after a restart. Returns how many were planned now."""
    moment = digest_moment(now, tz, weekday, at)
    if now < moment:
        return 0
    year, week, _ = moment.astimezone(tz).isocalendar()
    week_key = f"{year}-W{week:02d}"
    planned = db.fetchone("SELECT follower_cursor FROM digest_weeks WHERE week = ?", (week_key,))
    if planned is not None and planned[0] is None:  # done: the usual answer, every minute
        return 0
    batch = batch or DIGEST_BATCH
    window = {"since": (moment - timedelta(days=7)).isoformat(), "until": moment.isoformat()}
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO digest_weeks (week, planned_at, follower_cursor) VALUES (?, ?, 0)",
            (week_key, now.isoformat()),
        )
        after = conn.execute("SELECT follower_cursor FROM digest_weeks WHERE week = ?", (week_key,)).fetchone()[0]
        if after is None:
            return 0
        # The batch's last follower, and whether any come after it (the primary key of follows).
        ahead = conn.execute(
            "SELECT member_id FROM follows WHERE member_id > ? GROUP BY member_id ORDER BY member_id LIMIT 2 OFFSET ?",
            (after, batch - 1),
        ).fetchall()
        upto = ahead[0][0] if ahead else _NO_MEMBER_AFTER
        written = conn.execute(
            "INSERT OR IGNORE INTO outbox (key, kind, member_id, payload, deliver_at, expires_at)"
            " SELECT printf('post_digest:%d:%s', m.id, :week), 'post_digest', m.id, :payload, :now, :expires"
            " FROM (SELECT DISTINCT member_id FROM follows WHERE member_id > :after AND member_id <= :upto) AS fm"
            " CROSS JOIN members m ON m.id = fm.member_id"
            " WHERE m.help_digest = 1 AND m.status = 'active' AND m.telegram_id IS NOT NULL"
            " AND EXISTS (SELECT 1 FROM follows f WHERE f.member_id = m.id AND " + _HAS_NEWS + ")",
            {
                **window,
                "after": after,
                "upto": upto,
                "week": week_key,
                "payload": json.dumps(window),
                "now": now.isoformat(),
                "expires": (moment + timedelta(days=7)).isoformat(),  # the next digest says it all again
            },
        ).rowcount
        conn.execute(
            "UPDATE digest_weeks SET follower_cursor = ? WHERE week = ?",
            (upto if len(ahead) == 2 else None, week_key),
        )
        return written


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
        " FROM follows f CROSS JOIN posts p ON " + _NEWS_OF_FOLLOW + " CROSS JOIN members a ON a.id = p.member_id"
        " WHERE f.member_id = :member AND a.status = 'active' AND EXISTS (SELECT 1 FROM members r"
        " WHERE r.id = :member AND r.status = 'active' AND r.help_digest = 1)"
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
