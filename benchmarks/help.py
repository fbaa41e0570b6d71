"""Help and services at scale: how long publishing, browsing, the digest, ending posts, the organisers' lists
and a download take, and how long each holds the event loop, by number of members.

Storage only (storage/posts.py, help_news.py, help_stats.py and Database.read_parts on a real SQLite file in
a temporary folder, synchronous=FULL as the bot runs it). Raw SQL seeds, in one transaction: the active
members; 1 live post per 20 members over the 11 categories, made in the last 30 days, and a year of ended
posts before that (the same number a month), with their conversations, messages and hours; 1 member in 10
following 1-3 categories with alerts and the digest on; and the outbox as the bot leaves it: a keep reminder
per live post, the alerts of the last 30 days (at most 3 a member in any 24 hours, as send_alerts writes
them) and last week's digests.

Measured, each over --runs runs (median and worst, ms) with the longest single event-loop callback in it
(loop_stall_max_ms; for a function that runs on the loop that is the call itself):
- publish: a request at NOW (its followers' alerts as usual, some already had 3 today), a request 25 hours
  later (nobody had an alert in 24 hours: every follower of the category gets one, the worst case) and an
  offer (no alerts), one per category: what a member's ✅ Publish waits;
- send_alerts: after each request, the scheduler writing its alerts ALERT_BATCH followers a transaction:
  each transaction (…_send_alerts_batch), their sum per request (…_send_alerts_in_all), one scheduler run
  (ALERT_BATCHES_A_RUN transactions) and the check every minute when nothing is pending;
- browse: 🔎 requests of a category, page 0 and the last page;
- digest: plan_digest for this week, DIGEST_BATCH followers a call (one a scheduler run, on the loop) until
  the week is done: each call, and their sum per week; and the check every minute once it is done;
- end_due: every live post due at once (the bot was down a month), batch by batch;
- unanswered_page (page 0 and the last) and `await month_figures` for a month;
- `await read_parts` of a download (bot/exports.py personal_data's parts) for the members with the most posts.
The query plans of the alert and digest INSERT ... SELECT and of dropping a post's unsent messages (as traced
from a real call) show their indexes.

    python benchmarks/help.py [--members 1000 100000] [--runs 11]

Prints one JSON object per member count.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import random
import statistics
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot import help_export
from storage import activities, audit, help_news, help_stats, outbox, posts, proposals, votes
from storage.db import Database, open_database

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)  # a Monday, after the digest (Monday 09:00 in Amsterdam)
TZ = ZoneInfo("Europe/Amsterdam")
DIGEST_DAY, DIGEST_AT = 0, clock(9, 0)
POST_DAYS = 30
MEMBERS_A_POST = 20  # live posts: 1 per 20 members
HISTORY_MONTHS = 12  # ended posts before that: as many a month
FOLLOWING = 10  # 1 member in 10 follows 1-3 categories
FIRST_TELEGRAM_ID = 10_000
KEY_TIME = "%Y-%m-%dT%H:%M:%S"  # as storage/help_news.py writes it in alert keys
DOWNLOAD = (audit.ABOUT, activities.INVOLVEMENT, outbox.FOR_MEMBER, votes.INVOLVEMENT, proposals.OF_MEMBER)


class LoopWatch:
    """The longest single event-loop callback since `reset` (asyncio's Handle._run, this process only)."""

    def __init__(self) -> None:
        self.longest = 0.0

    def __enter__(self) -> LoopWatch:
        self._original = original = asyncio.events.Handle._run
        watch = self

        def timed(handle: asyncio.Handle) -> None:
            began = time.perf_counter()
            try:
                original(handle)
            finally:
                watch.longest = max(watch.longest, time.perf_counter() - began)

        asyncio.events.Handle._run = timed
        return self

    def __exit__(self, *_exc: object) -> None:
        asyncio.events.Handle._run = self._original


class Runs:
    """Times of one kind of call, each with the longest loop callback while it ran."""

    def __init__(self, watch: LoopWatch) -> None:
        self.watch = watch
        self.times: list[float] = []
        self.stalls: list[float] = []

    async def time(self, call: Callable[[], Any]) -> Any:
        await asyncio.sleep(0)  # a new callback begins here: the call's first one is measured whole
        self.watch.longest = 0.0
        began = time.perf_counter()
        result = call()
        if inspect.isawaitable(result):
            result = await result
        self.times.append(time.perf_counter() - began)
        await asyncio.sleep(0)  # ... and ends here
        self.stalls.append(self.watch.longest)
        return result

    def report(self, **extra: Any) -> dict:
        return {
            "median_ms": ms(statistics.median(self.times)),
            "max_ms": ms(max(self.times)),
            "loop_stall_max_ms": ms(max(self.stalls)),
            "runs": len(self.times),
            **extra,
        }


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3 if seconds < 0.01 else 1)


def moment(value: datetime) -> str:
    return value.isoformat()


def seed(db: Database, members: int, rng: random.Random) -> dict:
    """Everything in one transaction of raw SQL; returns how much of each there is."""
    now = moment(NOW)
    followers = sorted(rng.sample(range(1, members + 1), max(1, members // FOLLOWING)))
    follows = [(m, c) for m in followers for c in rng.sample(posts.CATEGORIES, rng.randint(1, 3))]
    by_category: dict[str, list[int]] = defaultdict(list)
    for member, category in follows:
        by_category[category].append(member)

    def reactions() -> int:
        return rng.choices((0, 1, 2, 3), (40, 35, 15, 10))[0]

    # Live posts (made in the last POST_DAYS days) and a year of ended ones before that: ids in order of making.
    live = members // MEMBERS_A_POST
    made = sorted(NOW - timedelta(seconds=rng.randrange(POST_DAYS * 86_400)) for _ in range(live))
    old = sorted(
        NOW - timedelta(days=POST_DAYS, seconds=rng.randrange(HISTORY_MONTHS * 30 * 86_400))
        for _ in range(live * HISTORY_MONTHS)
    )
    post_rows, talk_rows, message_rows, transfer_rows, outbox_rows = [], [], [], [], []
    accounts: dict[int, int] = {}
    alerted: dict[int, deque[datetime]] = defaultdict(deque)  # follower -> their alerts in the last 24 hours
    for post_id, created in enumerate([*old, *made], start=1):
        author = rng.randint(1, members)
        side, category = rng.choice(posts.SIDES), rng.choice(posts.CATEGORIES)
        ends = created + timedelta(days=POST_DAYS)
        responders = rng.sample(range(1, members + 1), reactions())
        responders = [r for r in responders if r != author]
        ended_at, reason, helper = None, None, None
        if created < NOW - timedelta(days=POST_DAYS):
            reason = rng.choices((posts.HELPED, posts.EXPIRED, posts.DELETED), (40, 45, 15))[0]
            if reason == posts.HELPED and not responders:
                reason = posts.EXPIRED
            ended_at = ends if reason == posts.EXPIRED else created + timedelta(hours=rng.randint(2, 24 * 20))
            helper = responders[0] if reason == posts.HELPED else None
        post_rows.append(
            (post_id, author, side, category, rng.choice((posts.FREE, posts.FREE, posts.SWAP)))
            + (f"{category} {post_id}", "Wie kan mij hiermee helpen? " * 4, moment(created), moment(ends))
            + (ended_at and moment(ended_at), reason, helper, len(responders))
        )
        for n, responder in enumerate(responders):
            talk_id = len(talk_rows) + 1
            started = created + timedelta(hours=n + 1)
            talk_rows.append((talk_id, post_id, author, responder, moment(started), ended_at and moment(ended_at)))
            for sender, minutes in ((responder, 0), (author, 30), (responder, 45)):
                message_rows.append((talk_id, sender, "Dat kan ik wel doen, wanneer past het?", started, minutes))
        if helper is not None and side == posts.REQUEST:
            for member in (author, helper):
                accounts.setdefault(member, len(accounts) + 2)  # account 1 is the cooperative's
            transfer_rows.append((accounts[author], accounts[helper], rng.randint(1, 6), post_id, moment(ended_at)))
        if ended_at is not None:
            continue
        keep_at = posts.keep_reminder_at(ends, TZ)
        outbox_rows.append(
            (f"{posts.KEEP_REMINDER}:{post_id}:{moment(ends)}", posts.KEEP_REMINDER, author, post_id)
            + (json.dumps({"post": post_id, "ends_at": moment(ends)}), moment(keep_at), moment(ends))
            + (moment(keep_at) if keep_at < NOW else None,)
        )
        if side != posts.REQUEST:
            continue
        for follower in by_category[category]:  # as alert_followers: at most 3 in any 24 hours
            recent = alerted[follower]
            while recent and recent[0] < created - help_news.ALERT_WINDOW:
                recent.popleft()
            if follower == author or len(recent) >= help_news.ALERTS_A_DAY:
                continue
            recent.append(created)
            key = f"post_alert:{follower}:{created.astimezone(UTC).strftime(KEY_TIME)}:{post_id}"
            outbox_rows.append(
                (key, "post_alert", follower, post_id, json.dumps({"post": post_id}), moment(created), moment(ends))
                + (moment(created + timedelta(seconds=2)),)
            )
    last_week = help_news.digest_moment(NOW - timedelta(days=7), TZ, DIGEST_DAY, DIGEST_AT)
    week, window = last_week.isocalendar(), {"since": moment(last_week - timedelta(days=7)), "until": moment(last_week)}
    outbox_rows += [
        (f"post_digest:{m}:{week[0]}-W{week[1]:02d}", "post_digest", m, None, json.dumps(window))
        + (moment(last_week), moment(last_week + timedelta(days=7)), moment(last_week + timedelta(seconds=5)))
        for m in followers
    ]
    with db.transaction() as conn:
        follower_set = set(followers)
        conn.executemany(
            "INSERT INTO members (id, telegram_id, first_name, language, status, created_at, member_no, consent_at,"
            " consent_version, help_alerts, help_digest) VALUES (?, ?, ?, 'nl', 'active', ?, ?, ?, '1', ?, ?)",
            (
                (m, FIRST_TELEGRAM_ID + m, f"Lid {m}", now, m, now, int(m in follower_set), int(m in follower_set))
                for m in range(1, members + 1)
            ),
        )
        conn.executemany("INSERT INTO follows (member_id, category) VALUES (?, ?)", follows)
        conn.executemany(
            "INSERT INTO posts (id, member_id, side, category, kind, title, body, created_at, ends_at, ended_at,"
            " end_reason, helper_id, reactions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            post_rows,
        )
        conn.executemany(
            "INSERT INTO talks (id, post_id, author_id, responder_id, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)",
            talk_rows,
        )
        conn.executemany(
            "INSERT INTO talk_messages (talk_id, sender_id, body, sent_at) VALUES (?, ?, ?, ?)",
            ((t, s, b, moment(at + timedelta(minutes=m))) for t, s, b, at, m in message_rows),
        )
        conn.executemany(
            "INSERT INTO hour_accounts (id, member_id) VALUES (?, ?)", ((a, m) for m, a in accounts.items())
        )
        conn.executemany(
            "INSERT INTO hour_transfers (from_account, to_account, halves, post_id, created_at) VALUES (?, ?, ?, ?, ?)",
            transfer_rows,
        )
        conn.executemany(
            "INSERT INTO outbox (key, kind, member_id, post_id, payload, deliver_at, expires_at, sent_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            outbox_rows,
        )
    return {
        "live_posts": live,
        "ended_posts": len(old),
        "followers": len(followers),
        "follows": len(follows),
        "talks": len(talk_rows),
        "talk_messages": len(message_rows),
        "hour_transfers": len(transfer_rows),
        "outbox_rows": len(outbox_rows),
        "alerts_in_outbox": sum(row[1] == "post_alert" for row in outbox_rows),
    }


def plan(db: Database, sql: str) -> list[str]:
    """EXPLAIN QUERY PLAN as indented lines."""
    depth: dict[int, int] = {0: -1}
    lines = []
    for row in db.fetchall("EXPLAIN QUERY PLAN " + sql):
        depth[row[0]] = depth.get(row[1], -1) + 1
        lines.append("  " * depth[row[0]] + row[3])
    return lines


def traced(db: Database, call: Callable[[], Any], starts: str) -> str | None:
    """The first statement beginning with `starts` that the call runs (with its values, as SQLite ran it)."""
    statements: list[str] = []
    with db.transaction() as conn:  # an empty transaction hands out the writer's connection
        conn.set_trace_callback(statements.append)
    try:
        call()
    finally:
        conn.set_trace_callback(None)
    return next((s for s in statements if s.startswith(starts)), None)


def publisher(db: Database, rng: random.Random, members: int, used: set[int], at: datetime) -> int:
    """A member who may post at `at` and did not publish in this benchmark yet."""
    while (member := rng.randint(1, members)) in used or not posts.may_post(db, member, at):
        pass
    used.add(member)
    return member


async def measure(members: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory(dir=".") as folder:
        return await measure_in(Path(folder), members, runs)


async def measure_in(folder: Path, members: int, runs: int) -> dict:
    rng = random.Random(members)
    db = await open_database(folder / "help.db")
    try:
        began = time.perf_counter()
        seeded = seed(db, members, rng)
        seed_seconds = round(time.perf_counter() - began, 1)
        with LoopWatch() as watch:
            report = {
                "members": members,
                "seed_seconds": seed_seconds,
                "seeded": seeded,
                **await measure_storage(db, members, runs, rng, watch),
            }
        report["seconds"] = round(time.perf_counter() - began, 1)
        return report
    finally:
        await db.close()


async def measure_storage(db: Database, members: int, runs: int, rng: random.Random, watch: LoopWatch) -> dict:
    categories = [posts.CATEGORIES[n % len(posts.CATEGORIES)] for n in range(runs)]
    result: dict[str, Any] = {}

    # 🔎 browse: requests of a category, page 0 and its last page.
    first, last, last_pages = Runs(watch), Runs(watch), []
    for category in categories:
        viewer = rng.randint(1, members)
        live = db.fetchone(
            "SELECT count(*) FROM posts WHERE side = 'request' AND category = ? AND ended_at IS NULL", (category,)
        )[0]
        last_pages.append(max(0, (live - 1) // 5))
        await first.time(lambda c=category, v=viewer: posts.browse_page(db, posts.REQUEST, c, v, 0))
        await last.time(lambda c=category, v=viewer, p=last_pages[-1]: posts.browse_page(db, posts.REQUEST, c, v, p))
    result["browse_page_0"] = first.report()
    result["browse_last_page"] = last.report(pages=f"{min(last_pages)}-{max(last_pages)}")

    # Organisers: requests nobody reacted to, and a month's figures (a long read in the reader's thread).
    first, last = Runs(watch), Runs(watch)
    page = await first.time(lambda: help_stats.unanswered_page(db, NOW, 0))
    for _ in range(runs - 1):
        await first.time(lambda: help_stats.unanswered_page(db, NOW, 0))
    final = max(0, ((page.total or 0) - 1) // 5)
    for _ in range(runs):
        await last.time(lambda: help_stats.unanswered_page(db, NOW, final))
    result["unanswered_page_0"] = first.report(unanswered=page.total)
    result["unanswered_last_page"] = last.report(page=final)
    figures = Runs(watch)
    for _ in range(runs):
        month = await figures.time(
            lambda: help_stats.month_figures(db, datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
        )
    result["month_figures"] = figures.report(posts_in_month=month.total)

    # "Download my data": every part in one read, for the members with the most posts and talks.
    downloads = Runs(watch)
    busiest = db.fetchall(
        "SELECT member_id FROM (SELECT member_id FROM posts UNION ALL SELECT responder_id FROM talks)"
        " GROUP BY member_id ORDER BY count(*) DESC LIMIT ?",
        (runs,),
    )
    for (member,) in busiest:
        data = await downloads.time(lambda m=member: db.read_parts(m, *DOWNLOAD, *help_export.PARTS))
    result["read_parts_download"] = downloads.report(
        posts_of_last=len(data[len(DOWNLOAD)]), talks_of_last=len(data[len(DOWNLOAD) + 1])
    )

    # 📰 the weekly digest: planned DIGEST_BATCH followers a scheduler run until the week is done; then it only looks.
    digest, weeks = Runs(watch), Runs(watch)
    week = help_news.digest_moment(NOW, TZ, DIGEST_DAY, DIGEST_AT).isocalendar()
    for _ in range(runs):
        with db.transaction() as conn:  # not measured: make this week unplanned again
            conn.execute("DELETE FROM digest_weeks")
            conn.execute("DELETE FROM outbox WHERE key LIKE ?", (f"post_digest:%:{week[0]}-W{week[1]:02d}",))
        written, calls, began = 0, 0, len(digest.times)
        while not db.fetchone("SELECT 1 FROM digest_weeks WHERE follower_cursor IS NULL"):
            written += await digest.time(lambda: help_news.plan_digest(db, NOW, TZ, DIGEST_DAY, DIGEST_AT))
            calls += 1
        weeks.times.append(sum(digest.times[began:]))
        weeks.stalls.append(max(digest.stalls[began:]))
    result["plan_digest_batch"] = digest.report(
        batch=help_news.DIGEST_BATCH, runs_a_week=calls, digests_written=written
    )
    result["plan_digest_week_in_all"] = weeks.report(note="the sum of a week's batches, one a scheduler run")
    checks = Runs(watch)
    for _ in range(runs):
        await checks.time(lambda: help_news.plan_digest(db, NOW, TZ, DIGEST_DAY, DIGEST_AT))
    result["plan_digest_planned_already"] = checks.report()

    # ✅ Publish: a request as usual, a request when no follower had an alert for 24 hours, an offer. After each
    # request, the scheduler's send_alerts writes its alerts, ALERT_BATCH followers a transaction (each timed).
    used: set[int] = set()
    for name, side, at in (
        ("publish_request", posts.REQUEST, NOW),
        ("publish_request_no_follower_capped", posts.REQUEST, NOW + timedelta(hours=25)),
        ("publish_offer", posts.OFFER, NOW + timedelta(hours=25)),
    ):
        published, batches, per_request, alerts, counts = Runs(watch), Runs(watch), Runs(watch), [], []
        for category in categories:
            author = publisher(db, rng, members, used, at)
            done = await published.time(
                lambda a=author, c=category, s=side, t=at: posts.publish(
                    db, a, s, c, posts.FREE, "Hulp gezocht", "Wie kan er helpen?", None, None, t, POST_DAYS, tz=TZ
                )
            )
            assert done.post is not None, done.refusal
            began, written = len(batches.times), 0
            while db.fetchone("SELECT 1 FROM posts WHERE alert_cursor IS NOT NULL"):
                written += await batches.time(lambda t=at: help_news.send_alerts(db, t, batches=1))
            if len(batches.times) > began:
                per_request.times.append(sum(batches.times[began:]))
                per_request.stalls.append(max(batches.stalls[began:]))
            alerts.append(written)
            counts.append(len(batches.times) - began)
        result[name] = published.report(alerts_median=statistics.median(alerts), alerts_max=max(alerts))
        if side == posts.REQUEST:
            result[f"{name}_send_alerts_batch"] = batches.report(batch=help_news.ALERT_BATCH)
            result[f"{name}_send_alerts_in_all"] = per_request.report(
                batches_median=statistics.median(counts), batches_max=max(counts)
            )
    # ... and as the scheduler calls it, ALERT_BATCHES_A_RUN batches a minute: what one run holds the loop, for a
    # request that none of its followers' 3 a day caps (a day after the last ones).
    scheduled, per_request_runs, at = Runs(watch), [], NOW + timedelta(hours=50)
    for category in categories:
        author = publisher(db, rng, members, used, at)
        done = posts.publish(
            db, author, posts.REQUEST, category, posts.FREE, "Hulp gezocht", "Wie?", None, None, at, POST_DAYS, tz=TZ
        )
        assert done.post is not None, done.refusal
        began = len(scheduled.times)
        while db.fetchone("SELECT 1 FROM posts WHERE alert_cursor IS NOT NULL"):
            await scheduled.time(lambda: help_news.send_alerts(db, at))
        per_request_runs.append(len(scheduled.times) - began)
    result["send_alerts_scheduler_run_no_follower_capped"] = scheduled.report(
        batches_a_run=help_news.ALERT_BATCHES_A_RUN, runs_a_request_max=max(per_request_runs)
    )
    idle = Runs(watch)
    for _ in range(runs):
        await idle.time(lambda: help_news.send_alerts(db, NOW))
    result["send_alerts_nothing_to_do"] = idle.report()

    # Ending: every live post due at once (the bot was down for a month), END_AT_ONCE a run.
    ending, ended, later = Runs(watch), 0, NOW + timedelta(days=POST_DAYS + 2)
    while batch := await ending.time(lambda: posts.end_due(db, later)):
        ended += batch
    ending.times.pop(), ending.stalls.pop()  # the last run found nothing
    result["end_due_batch"] = ending.report(posts_ended=ended, batch=posts.END_AT_ONCE)

    # The plans of the statements that fan out to followers and drop unsent messages, as SQLite ran them.
    at, category = NOW + timedelta(days=3), posts.CATEGORIES[0]
    author = publisher(db, rng, members, used, at)
    done = posts.publish(
        db, author, posts.REQUEST, category, posts.FREE, "Plan", "Plan", None, None, at, POST_DAYS, tz=TZ
    )
    assert done.post is not None, done.refusal
    post_id = done.post.id
    alert_sql = traced(
        db,
        lambda: help_news.send_alerts(db, at, batches=1),
        "INSERT OR IGNORE INTO outbox (key, kind, member_id, post_id",
    )
    drop_sql = traced(
        db,
        lambda: posts.end(db, post_id, author, posts.DELETED, None, at),
        "UPDATE outbox SET dropped_at",
    )
    with db.transaction() as conn:
        conn.execute("DELETE FROM digest_weeks")
    digest_sql = traced(
        db,
        lambda: help_news.plan_digest(db, NOW, TZ, DIGEST_DAY, DIGEST_AT),
        "INSERT OR IGNORE INTO outbox (key, kind, member_id, payload",
    )
    result["query_plans"] = {
        "send_alerts": plan(db, alert_sql) if alert_sql else None,
        "plan_digest": plan(db, digest_sql) if digest_sql else None,
        "drop_unsent": plan(db, drop_sql) if drop_sql else None,
    }
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=11, help="runs of each measurement (one category each)")
    args = parser.parse_args()
    for members in args.members:
        print(json.dumps(await measure(max(members, 100), max(args.runs, 1)), ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
