"""Posts in the database: who may publish, what browsing shows, ending and keeping once, forgetting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from storage import members, posts
from storage.db import Database, open_database
from storage.members import Member
from storage.posts import FREE, OFFER, PAID, REQUEST, Ended, Kept, Refusal

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
TZ = ZoneInfo("Europe/Amsterdam")
DAYS = 30


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "posts.db")
    yield database
    await database.close()


def member(db: Database, name: str, telegram_id: int, *, zzp: bool = False) -> Member:
    made = members.create(db, telegram_id=telegram_id, first_name=name, language="en", status="active", now=NOW)
    if zzp:
        made = members.update_profile(db, made.id, interests=frozenset({"services"}), business_name="Bob's Bikes")
    return made


def publish(
    db: Database,
    author: Member,
    *,
    side: str = REQUEST,
    category: str = "garden",
    kind: str = FREE,
    title: str = "Help with my hedge",
    now: datetime = NOW,
    price: tuple[int, str] | None = None,
) -> posts.Published:
    cents, unit = price or (None, None)
    return posts.publish(
        db, author.id, side, category, kind, title, "It is 10 metres long.", cents, unit, now, DAYS, tz=TZ
    )


def published(db: Database, author: Member, **kwargs: object) -> posts.Post:
    made = publish(db, author, **kwargs)  # type: ignore[arg-type]
    assert made.post is not None, made.refusal
    return made.post


def reacted(db: Database, post: posts.Post, responder: Member, at: datetime = NOW) -> None:
    """A conversation about the post, as 💬 React starts it (storage/talks.py writes these)."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO talks (post_id, author_id, responder_id, started_at) VALUES (?, ?, ?, ?)",
            (post.id, post.member_id, responder.id, at.isoformat()),
        )


def outbox_rows(db: Database, post_id: int) -> list[tuple[str, int, str, str | None]]:
    rows = db.fetchall(
        "SELECT kind, member_id, deliver_at, dropped_at FROM outbox WHERE post_id = ? ORDER BY id", (post_id,)
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def test_a_post_is_up_for_the_configured_days_with_a_daytime_reminder_before_it_ends(db: Database) -> None:
    ann = member(db, "Ann", 1)
    post = published(db, ann)
    assert (post.member_name, post.side, post.kind, post.title) == ("Ann", REQUEST, FREE, "Help with my hedge")
    ends = post.ends_at.astimezone(TZ)  # 30 days on, in the evening: never a deadline in the night
    assert (ends.date(), ends.hour, ends.minute) == ((NOW + timedelta(days=DAYS)).date(), 19, 0)
    assert post.ended_at is None and post.business_name is None
    assert posts.get(db, post.id) == post
    [(kind, member_id, deliver_at, dropped)] = outbox_rows(db, post.id)
    assert (kind, member_id, dropped) == ("post_keep", ann.id, None)
    assert datetime.fromisoformat(deliver_at) == post.ends_at - timedelta(days=3)  # 19:00 in Amsterdam: by day

    late = published(db, ann, now=NOW.replace(hour=22, minute=30))  # 23:30 in Amsterdam
    assert late.ends_at == post.ends_at  # the same evening, 30 days on
    assert posts.keep_reminder_at(NOW.replace(hour=4), TZ).astimezone(TZ).hour == 10  # a night end: by day


async def test_paid_is_only_for_a_zzper_and_shows_the_business(db: Database) -> None:
    ann, bob = member(db, "Ann", 1), member(db, "Bob", 2, zzp=True)
    assert publish(db, ann, side=OFFER, kind=PAID, price=(2500, "hour")) == posts.Published(None, Refusal.NOT_ZZP)
    post = published(db, bob, side=OFFER, kind=PAID, price=(2500, "hour"))
    assert (post.business_name, post.price_cents, post.price_unit) == ("Bob's Bikes", 2500, "hour")
    free = published(db, bob, side=OFFER, price=(2500, "hour"))  # a price on a free post is not kept
    assert (free.price_cents, free.price_unit, free.business_name) == (None, None, None)


async def test_the_sixth_post_in_a_day_is_refused_and_the_next_day_it_may(db: Database) -> None:
    ann = member(db, "Ann", 1)
    for hour in range(5):
        published(db, ann, now=NOW + timedelta(hours=hour))
    assert not posts.may_post(db, ann.id, NOW + timedelta(hours=5))
    assert publish(db, ann, now=NOW + timedelta(hours=5)).refusal is Refusal.TOO_MANY
    assert posts.may_post(db, ann.id, NOW + timedelta(hours=24, minutes=1))
    assert publish(db, ann, now=NOW + timedelta(hours=24, minutes=1)).post is not None


async def test_a_suspended_member_cannot_publish(db: Database) -> None:
    ann, olga = member(db, "Ann", 1), member(db, "Olga", 9)
    members.set_suspended(db, ann.id, True, actor_id=olga.id, now=NOW)
    assert publish(db, ann).refusal is Refusal.NOT_ACTIVE


async def test_browsing_shows_newest_first_five_a_page_never_own_ended_hidden_or_suspended(db: Database) -> None:
    ann, bob, cas, olga = member(db, "Ann", 1), member(db, "Bob", 2), member(db, "Cas", 3), member(db, "Olga", 9)
    bobs = [published(db, bob, title=f"Bob {i}", now=NOW + timedelta(minutes=i)) for i in range(4)]
    cas_post = published(db, cas, title="Cas", now=NOW + timedelta(minutes=10))
    later = NOW + timedelta(days=1, hours=1)
    bobs += [published(db, bob, title=f"Bob {i}", now=later + timedelta(minutes=i)) for i in range(4, 6)]
    published(db, ann, title="Mine")
    published(db, cas, title="Another category", category="shopping")
    published(db, cas, title="An offer", side=OFFER)

    first = posts.browse_page(db, REQUEST, "garden", ann.id, 0)
    assert [p.title for p in first.items] == ["Bob 5", "Bob 4", "Cas", "Bob 3", "Bob 2"] and first.has_next
    second = posts.browse_page(db, REQUEST, "garden", ann.id, 1)
    assert [p.title for p in second.items] == ["Bob 1", "Bob 0"] and not second.has_next

    assert posts.end(db, bobs[5].id, bob.id, posts.DELETED, None, later) is Ended.DONE
    with db.transaction() as conn:
        assert posts.hide(conn, bobs[4].id, later)
        assert not posts.hide(conn, bobs[4].id, later)  # already hidden
    members.set_suspended(db, cas.id, True, actor_id=olga.id, now=later)
    assert [p.title for p in posts.browse_page(db, REQUEST, "garden", ann.id, 0).items] == [
        *("Bob 3", "Bob 2", "Bob 1", "Bob 0"),
    ]
    hidden = posts.get(db, bobs[4].id)
    assert hidden is not None and hidden.end_reason == "hidden" and not hidden.live(later)
    suspended = posts.get(db, cas_post.id)
    assert suspended is not None and suspended.ended_at is None and not suspended.live(later)
    assert [p.title for p in posts.browse_page(db, REQUEST, "garden", bob.id, 0).items] == ["Mine"]


async def test_only_the_author_ends_a_post_once_and_the_helper_is_thanked(db: Database) -> None:
    ann, bob, cas = member(db, "Ann", 1), member(db, "Bob", 2), member(db, "Cas", 3)
    post = published(db, ann)
    reacted(db, post, bob)
    reacted(db, post, cas, NOW + timedelta(hours=1))
    assert posts.responders(db, post.id) == [posts.Responder(bob.id, "Bob"), posts.Responder(cas.id, "Cas")]

    assert posts.end(db, post.id, bob.id, posts.HELPED, None, NOW) is Ended.GONE  # not his post
    assert posts.end(db, post.id, ann.id, posts.HELPED, ann.id, NOW) is Ended.GONE  # Ann did not react
    assert posts.end(db, post.id, ann.id, posts.HELPED, cas.id, NOW) is Ended.DONE
    assert posts.end(db, post.id, ann.id, posts.HELPED, cas.id, NOW) is Ended.ALREADY  # a double tap
    assert posts.end(db, post.id, ann.id, posts.DELETED, None, NOW) is Ended.ALREADY
    ended = posts.get(db, post.id)
    assert ended is not None and (ended.end_reason, ended.helper_id, ended.ended_at) == ("helped", cas.id, NOW)
    keep_row, thanks_row = outbox_rows(db, post.id)
    assert keep_row[0] == "post_keep" and keep_row[3] is not None  # dropped: the post ended
    assert thanks_row[:2] == ("post_thanks", cas.id) and thanks_row[3] is None


async def test_keeping_moves_the_end_on_once_and_only_near_the_end(db: Database) -> None:
    ann, bob = member(db, "Ann", 1), member(db, "Bob", 2)
    post = published(db, ann)
    assert posts.keep(db, post.id, ann.id, NOW + timedelta(days=1), DAYS, tz=TZ) is Kept.NOT_YET
    near = post.ends_at - timedelta(days=2)
    assert posts.keep(db, post.id, bob.id, near, DAYS, tz=TZ) is Kept.GONE
    assert posts.keep(db, post.id, ann.id, near, DAYS, tz=TZ) is Kept.DONE
    assert posts.keep(db, post.id, ann.id, near, DAYS, tz=TZ) is Kept.NOT_YET  # a double tap
    kept = posts.get(db, post.id)
    assert kept is not None and kept.ends_at == near + timedelta(days=DAYS)
    assert [row[0] for row in outbox_rows(db, post.id)] == ["post_keep", "post_keep"]

    assert posts.end_due(db, kept.ends_at - timedelta(seconds=1)) == 0
    assert posts.end_due(db, kept.ends_at) == 1
    assert posts.end_due(db, kept.ends_at) == 0
    expired = posts.get(db, post.id)
    assert expired is not None and expired.end_reason == "expired"
    assert posts.keep(db, post.id, ann.id, kept.ends_at, DAYS, tz=TZ) is Kept.ENDED


async def test_end_due_works_in_batches(db: Database) -> None:
    ann = member(db, "Ann", 1)
    for minute in range(5):
        published(db, ann, now=NOW + timedelta(minutes=minute))
    later = NOW + timedelta(days=DAYS + 1)
    assert posts.end_due(db, later, limit=3) == 3
    assert posts.end_due(db, later, limit=3) == 2
    assert all(p.end_reason == "expired" for p in posts.of_author(db, ann.id, 0).items)


async def test_my_posts_show_the_live_ones_first_then_newest_first(db: Database) -> None:
    ann = member(db, "Ann", 1)
    published(db, ann, title="Old")
    ended = published(db, ann, title="Ended", now=NOW + timedelta(minutes=1))
    published(db, ann, title="New", now=NOW + timedelta(minutes=2))
    assert posts.end(db, ended.id, ann.id, posts.DELETED, None, NOW) is Ended.DONE
    assert [p.title for p in posts.of_author(db, ann.id, 0).items] == ["New", "Old", "Ended"]


async def test_a_member_who_leaves_takes_their_words_along_but_the_rows_stay(db: Database) -> None:
    ann, bob = member(db, "Ann", 1), member(db, "Bob", 2)
    live = published(db, ann, title="Help with my hedge")
    done = published(db, ann, title="Walk my dog")
    assert posts.end(db, done.id, ann.id, posts.DELETED, None, NOW) is Ended.DONE
    bobs = published(db, bob, title="Bob's")
    assert [p.title for p in (await db.read_parts(ann.id, posts.OF_MEMBER))[0]] == ["Help with my hedge", "Walk my dog"]

    with db.transaction() as conn:
        posts.forget_member(conn, ann.id, NOW + timedelta(hours=1))
    forgotten = [posts.get(db, live.id), posts.get(db, done.id)]
    assert [(p.member_id, p.title, p.body, p.end_reason) for p in forgotten if p] == [
        (None, "", "", "left"),
        (None, "", "", "deleted"),
    ]
    assert [row[3] is not None for row in outbox_rows(db, live.id)] == [True]  # its reminder is dropped
    assert (await db.read_parts(ann.id, posts.OF_MEMBER))[0] == []
    assert posts.get(db, bobs.id) == bobs
