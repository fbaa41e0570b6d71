"""🔔 News about new posts as members get it: an alert when someone asks for help, the weekly digest."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.telegram_emulation.local_bot import LocalBot, Person
from bot.telegram_emulation.server import TelegramEmulator
from storage import help_news, members, outbox, posts
from storage.db import Database, open_database
from storage.members import Member
from storage.posts import DELETED, FREE, OFFER, REQUEST, Post
from tests.conftest import Clock, running_bot
from tests.journeys import catch_up, database, member_id, posted, signed_up

LOOKING = ("🤝 Help & services", "🔔 News about new posts")
# Monday 30 November 2026, 09:00 in Amsterdam: the first digest after the tests start.
MONDAY_NINE = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


async def follower(
    local_bot: LocalBot,
    name: str,
    user_id: int,
    *categories: str,
    alerts: bool = True,
    digest: bool = False,
    language: str = "English",
) -> Person:
    """A member who ticked these kinds of help (labels like "🌱 Garden") under 🔔 News about new posts."""
    person = await signed_up(local_bot, name, user_id=user_id, language=language)
    await person.tap("🤝 Hulp & diensten" if language == "Nederlands" else LOOKING[0])
    await person.press("follow:menu")
    for category in categories:
        await person.tap("⬜ " + category)
    if alerts:
        await person.press("follow:alerts:1")
    if digest:
        await person.press("follow:digest:1")
    return person


async def published(
    local_bot: LocalBot,
    author: Person,
    title: str = "Who can mow my lawn?",
    *,
    category: str = "garden",
    side: str = REQUEST,
    body: str = "The grass is high. It takes an hour.",
) -> Post:
    """A free post the author published now (storage.posts.publish: as ✅ Publish does)."""
    return await posted(local_bot, author, title, body, side=side, category=category)


def alerted(local_bot: LocalBot) -> list[int | None]:
    """Who got an alert (member ids), in the order they went out."""
    return [member_id for _, member_id in outbox.sent(database(local_bot), "post_alert")]


# ----- alerts --------------------------------------------------------------------------------------


async def test_a_request_alerts_only_followers_who_asked_for_it_and_never_its_author(local_bot: LocalBot) -> None:
    ann = await follower(local_bot, "Ann", 1, "🌱 Garden")
    ben = await follower(local_bot, "Ben", 2, "🌱 Garden", "🍲 Cooking")
    cas = await follower(local_bot, "Cas", 3, "🌱 Garden", alerts=False, digest=True)
    dan = await follower(local_bot, "Dan", 4, "🍲 Cooking")
    await catch_up(local_bot)
    for person in (ann, ben, cas, dan):
        person.look()

    await published(local_bot, ann, "Who can mow my <lawn>?")
    await catch_up(local_bot)
    ben.look()
    assert ben.last_text == (
        "🔔 Someone asks for help: 🌱 Garden\nWho can mow my <lawn>?\n"
        "The grass is high. It takes an hour.\n🤝 Free neighbour help"
    )
    assert ben.inline_labels == ["🔎 Show", "🔔 Change my news", "🏠 Menu"]
    assert [ann.look(), cas.look(), dan.look()] == [[], [], []]  # the author, alerts off, another category

    await published(local_bot, ann, "I can mow your lawn", side=OFFER)  # an offer: no alert
    await catch_up(local_bot)
    assert ben.look() == []
    assert alerted(local_bot) == [await member_id(local_bot, ben)]

    await ben.tap("🔔 Change my news")  # the way to stop them
    assert "✅ 🔔 A message at once" in ben.inline_labels


async def test_show_on_an_alert_opens_the_post(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    ben = await follower(local_bot, "Ben", 2, "🌱 Garden")
    post = await published(local_bot, ann)
    await catch_up(local_bot)
    ben.look()
    assert ben.last_message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"browse:card:{post.id}:0"


async def test_at_most_three_alerts_in_a_day(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    eva = await signed_up(local_bot, "Eva", user_id=5, language="English")
    ben = await follower(local_bot, "Ben", 2, "🌱 Garden", "🛒 Shopping")
    for number, author in enumerate((ann, eva, ann, eva), start=1):
        await published(local_bot, author, f"Request {number}", category="shopping" if number == 3 else "garden")
        await catch_up(local_bot)  # the scheduler writes the alerts within the minute
        clock.advance(hours=1)
    ben.look()
    assert [text.splitlines()[1] for text in ben.texts] == ["Request 1", "Request 2", "Request 3"]

    clock.now = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)  # 24 hours after the first one
    await published(local_bot, eva, "Request 5")
    await catch_up(local_bot)
    assert ben.look()[0].text.splitlines()[1] == "Request 5"
    clock.advance(minutes=10)  # still 3 in the last 24 hours (2, 3 and 5)
    await published(local_bot, ann, "Request 6")
    await catch_up(local_bot)
    assert ben.look() == []


async def test_a_request_at_night_alerts_at_eight_unless_it_ended_or_alerts_were_turned_off(
    local_bot: LocalBot, clock: Clock
) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    ben = await follower(local_bot, "Ben", 2, "🌱 Garden")
    cas = await follower(local_bot, "Cas", 3, "🌱 Garden")
    dan = await follower(local_bot, "Dan", 4, "🔨 Odd jobs")
    for person in (ben, cas, dan):
        person.look()
    clock.now = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)  # 23:00 in Amsterdam
    await published(local_bot, ann, "Who can mow my lawn?")
    gone = await published(local_bot, ann, "Who can fix my door?", category="odd_jobs")
    await catch_up(local_bot)
    assert [ben.look(), cas.look(), dan.look()] == [[], [], []]  # quiet hours

    posts.end(database(local_bot), gone.id, await member_id(local_bot, ann), DELETED, None, clock.now)
    await cas.press("follow:alerts:0")  # Cas changed her mind in the night
    clock.now = datetime(2026, 11, 28, 6, 59, tzinfo=UTC)
    await catch_up(local_bot)
    assert ben.look() == []
    clock.now = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)  # 08:00
    await catch_up(local_bot)
    assert ben.look()[0].text.startswith("🔔 Someone asks for help: 🌱 Garden")
    assert cas.look() == [] and dan.look() == []
    assert alerted(local_bot) == [await member_id(local_bot, ben)]


async def test_a_member_who_paused_messages_gets_no_alert(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    ben = await follower(local_bot, "Ben", 2, "🌱 Garden")
    await ben.tap("👤 My details")
    await ben.tap("🔕 Pause messages")
    await published(local_bot, ann)
    await catch_up(local_bot)
    assert alerted(local_bot) == []


async def test_alerts_are_written_by_the_scheduler_batch_by_batch_once_each(
    local_bot: LocalBot, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(help_news, "ALERT_BATCH", 2)  # 5 followers: 3 batches in one scheduler run
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    people = [await follower(local_bot, name, 10 + n, "🌱 Garden") for n, name in enumerate("BCDEF")]
    for person in people:
        person.look()
    gone = await published(local_bot, ann, "Who can prune my roses?")
    posts.end(database(local_bot), gone.id, await member_id(local_bot, ann), DELETED, None, clock.now)
    await published(local_bot, ann, "Who can mow my lawn?")
    assert database(local_bot).fetchone("SELECT count(*) FROM outbox WHERE kind = 'post_alert'")[0] == 0

    await catch_up(local_bot)  # the scheduler, within the minute
    assert [[m.text.splitlines()[1] for m in person.look()] for person in people] == [["Who can mow my lawn?"]] * 5
    await catch_up(local_bot)
    assert [person.look() for person in people] == [[]] * 5
    assert set(alerted(local_bot)) == {await member_id(local_bot, person) for person in people}
    assert len(alerted(local_bot)) == 5  # each once


# ----- the weekly digest ----------------------------------------------------------------------------


async def test_the_digest_comes_on_monday_at_nine_once_in_each_members_language(
    settings: Settings, emulator: TelegramEmulator, clock: Clock
) -> None:
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
        cas = await follower(local_bot, "Cas", 3, "🌱 Garden", "🍲 Cooking", alerts=False, digest=True)
        dirk = await follower(local_bot, "Dirk", 4, "🌱 Tuin", alerts=False, digest=True, language="Nederlands")
        await published(local_bot, ann, "Who can mow my lawn?")
        clock.advance(hours=1)
        await published(local_bot, ann, "Soup for two", category="cooking", side=OFFER)
        await published(local_bot, ann, "Help me with my phone", category="computer")
        await published(local_bot, cas, "My own hedge", category="garden")  # her own post is not news to her
        clock.now = MONDAY_NINE - timedelta(minutes=1)
        await catch_up(local_bot)
        assert [cas.look(), dirk.look()] == [[], []]

        clock.now = MONDAY_NINE
        await catch_up(local_bot)
        assert cas.look()[-1].text == (
            "📰 New this week in your kinds of help:\n"
            "🍲 Soup for two · 💪 Offers help\n"
            "🌱 Who can mow my lawn? · 🙋 Asks for help\n\n"
            "Tap 🔎 Look around to read them."
        )
        assert cas.inline_labels == ["🔎 Look around", "🔔 Change my news", "🏠 Menu"]
        dutch = dirk.look()[-1].text
        assert "🌱 My own hedge · 🙋 Zoekt hulp" in dutch and "Soup for two" not in dutch
        await catch_up(local_bot)  # the next minute
    clock.advance(hours=5)
    async with running_bot(settings, emulator, clock) as local_bot:  # restarted later that day
        await catch_up(local_bot)
        assert [local_bot.person("Cas", user_id=3).look(), local_bot.person("Dirk", user_id=4).look()] == [[], []]
        assert len(outbox.sent(database(local_bot), "post_digest")) == 2


async def test_the_digest_is_planned_a_batch_a_minute_each_member_once_also_across_a_restart(
    settings: Settings, emulator: TelegramEmulator, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(help_news, "DIGEST_BATCH", 2)
    names = ("Cas", "Dirk", "Eva", "Fay", "Gus")
    async with running_bot(settings, emulator, clock) as local_bot:
        ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
        for n, name in enumerate(names):
            await follower(local_bot, name, 10 + n, "🌱 Garden", alerts=False, digest=True)
        await published(local_bot, ann, "Who can mow my lawn?")
        clock.now = MONDAY_NINE
        await catch_up(local_bot)  # the first batch
        got = [len(local_bot.person(name, user_id=10 + n).look()) for n, name in enumerate(names)]
        assert got == [1, 1, 0, 0, 0]
    clock.advance(minutes=1)
    async with running_bot(settings, emulator, clock) as local_bot:  # restarted in the middle
        people = [local_bot.person(name, user_id=10 + n) for n, name in enumerate(names)]
        for _ in range(4):
            await catch_up(local_bot)
            clock.advance(minutes=1)
        got += [len(person.look()) for person in people]
        assert got[5:] == [0, 0, 1, 1, 1]
        assert len(outbox.sent(database(local_bot), "post_digest")) == 5


async def test_a_bot_that_was_down_at_nine_sends_the_digest_when_it_is_back(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    cas = await follower(local_bot, "Cas", 3, "🌱 Garden", alerts=False, digest=True)
    await published(local_bot, ann, "Who can mow my lawn?")
    cas.look()
    clock.now = MONDAY_NINE + timedelta(hours=6)
    await catch_up(local_bot)
    assert cas.look()[-1].text.startswith("📰 New this week in your kinds of help:\n🌱 Who can mow my lawn?")
    clock.advance(days=1)
    await catch_up(local_bot)
    assert cas.look() == []


async def test_no_digest_when_nothing_is_new(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    cas = await follower(local_bot, "Cas", 3, "🌱 Garden", alerts=False, digest=True)
    await published(local_bot, ann, "Soup for two", category="cooking")  # not her kind of help
    lawn = await published(local_bot, ann, "Who can mow my lawn?")
    posts.end(database(local_bot), lawn.id, await member_id(local_bot, ann), DELETED, None, clock.now)  # gone
    cas.look()
    clock.now = MONDAY_NINE
    await catch_up(local_bot)
    assert cas.look() == []
    assert database(local_bot).fetchone("SELECT count(*) FROM outbox WHERE kind = 'post_digest'")[0] == 0


async def test_the_digest_shows_ten_lines_and_how_many_more(local_bot: LocalBot, clock: Clock) -> None:
    authors = [await signed_up(local_bot, name, user_id=10 + i, language="English") for i, name in enumerate("ABC")]
    cas = await follower(local_bot, "Cas", 3, "🌱 Garden", alerts=False, digest=True)
    for number in range(12):
        await published(local_bot, authors[number % 3], f"Garden job {number + 1}")
        clock.advance(minutes=1)
    cas.look()
    clock.now = MONDAY_NINE
    await catch_up(local_bot)
    lines = cas.look()[-1].text.splitlines()
    assert lines[1] == "🌱 Garden job 12 · 🙋 Asks for help"
    assert lines[10] == "🌱 Garden job 3 · 🙋 Asks for help"
    assert lines[11] == "And 2 more."


@pytest.mark.settings(WIJKBOT_DIGEST_DAY="wednesday", WIJKBOT_DIGEST_TIME="18:30")
async def test_the_digest_day_and_time_are_settings(local_bot: LocalBot, clock: Clock) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    cas = await follower(local_bot, "Cas", 3, "🌱 Garden", alerts=False, digest=True)
    await published(local_bot, ann)
    cas.look()
    clock.now = MONDAY_NINE
    await catch_up(local_bot)
    assert cas.look() == []
    clock.now = datetime(2026, 12, 2, 17, 30, tzinfo=UTC)  # Wednesday 18:30 in Amsterdam
    await catch_up(local_bot)
    assert cas.look()[-1].text.startswith("📰 New this week")


def test_the_digest_moment_is_in_local_time_across_summer_time() -> None:
    tz = ZoneInfo("Europe/Amsterdam")
    summer = help_news.digest_moment(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), tz, 0, time(9, 0))
    winter = help_news.digest_moment(datetime(2026, 12, 6, 22, 0, tzinfo=UTC), tz, 0, time(9, 0))  # Sunday 23:00
    assert summer == datetime(2026, 6, 29, 7, 0, tzinfo=UTC)
    assert winter == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


# ----- deleting an account, downloading one's data -----------------------------------------------


async def test_forgetting_a_member_removes_what_they_follow(local_bot: LocalBot, clock: Clock) -> None:
    ben = await follower(local_bot, "Ben", 2, "🌱 Garden", "🍲 Cooking", digest=True)
    db = database(local_bot)
    ben_id = await member_id(local_bot, ben)
    [kept] = await db.read_parts(ben_id, help_news.OF_MEMBER)
    assert kept == help_news.Following(frozenset({"garden", "cooking"}), alerts=True, digest=True)
    with db.transaction() as conn:
        help_news.forget_member(conn, ben_id, clock.now)
    [kept] = await db.read_parts(ben_id, help_news.OF_MEMBER)
    assert kept == help_news.Following(frozenset(), alerts=True, digest=True)  # delete_account turns these off


# ----- writing alerts and planning digests in batches (the storage, on a real file) --------------------

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
TZ = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "news.db")
    yield database
    await database.close()


@contextlib.asynccontextmanager
async def restarted(db: Database, tmp_path: Path) -> AsyncIterator[Database]:
    """The same file opened again after `db` was closed, as after a restart (the fixture closes `db` again)."""
    await db.close()
    again = await open_database(tmp_path / "news.db")
    try:
        yield again
    finally:
        await again.close()


def member_in(
    db: Database, name: str, telegram_id: int, *categories: str, alerts: bool = True, digest: bool = False
) -> Member:
    made = members.create(db, telegram_id=telegram_id, first_name=name, language="en", status="active", now=NOW)
    for category in categories:
        help_news.follow(db, made.id, category, True)
    help_news.set_news(db, made.id, alerts=alerts, digest=digest)
    return made


def request(db: Database, author: Member, title: str, *, at: datetime = NOW, category: str = "garden") -> Post:
    done = posts.publish(db, author.id, REQUEST, category, FREE, title, "Please.", None, None, at, 30, tz=TZ)
    assert done.post is not None, done.refusal
    return done.post


def alerts_of(db: Database) -> list[tuple[int, int]]:
    """(post, member) of every alert written and not dropped."""
    rows = db.fetchall(
        "SELECT post_id, member_id FROM outbox WHERE kind = 'post_alert' AND dropped_at IS NULL"
        " ORDER BY post_id, member_id"
    )
    return [(row[0], row[1]) for row in rows]


def pending(db: Database) -> list[tuple[int, int]]:
    """(post, cursor) of the requests whose alerts are still to write."""
    return [
        (row[0], row[1]) for row in db.fetchall("SELECT id, alert_cursor FROM posts WHERE alert_cursor IS NOT NULL")
    ]


async def test_alerts_are_written_a_batch_a_transaction_each_follower_once_also_after_a_restart(
    db: Database, tmp_path: Path
) -> None:
    ann = member_in(db, "Ann", 1, "garden")  # the author follows her own category
    followers = [member_in(db, f"F{n}", 10 + n, "garden") for n in range(7)]
    member_in(db, "Quiet", 30, "garden", alerts=False)
    member_in(db, "Cook", 31, "cooking")
    lawn = request(db, ann, "Lawn")
    posts.publish(db, ann.id, OFFER, "garden", FREE, "Offer", "x", None, None, NOW, 30, tz=TZ)  # no alerts
    assert alerts_of(db) == [] and pending(db) == [(lawn.id, 0)]  # publishing only marks it

    assert help_news.send_alerts(db, NOW, batch=3, batches=1) == 2  # Ann, F0 and F1 follow: not Ann herself
    assert pending(db) == [(lawn.id, followers[1].id)]  # the followers up to F1 are done
    async with restarted(db, tmp_path) as again:
        assert help_news.send_alerts(again, NOW, batch=3) == 5  # F2 ... F6 in two more batches (not Quiet)
        assert pending(again) == []
        assert help_news.send_alerts(again, NOW, batch=3) == 0
        assert alerts_of(again) == [(lawn.id, f.id) for f in followers]


async def test_the_three_a_day_hold_across_batches_and_requests(db: Database) -> None:
    ann = member_in(db, "Ann", 1)
    followers = [member_in(db, f"F{n}", 10 + n, "garden") for n in range(7)]
    early = request(db, ann, "Early", at=NOW - timedelta(hours=23), category="garden")
    assert help_news.send_alerts(db, NOW - timedelta(hours=23), batch=3) == 7
    asked = [request(db, ann, f"Request {n}", at=NOW + timedelta(minutes=n)) for n in range(3)]
    runs = 0
    while pending(db):
        assert help_news.send_alerts(db, NOW + timedelta(minutes=5), batch=3, batches=1) <= 3
        runs += 1
    assert runs == 9  # 3 requests x 3 batches, oldest request first
    assert alerts_of(db) == [(post.id, f.id) for post in (early, *asked[:2]) for f in followers]  # 3 in 24 hours

    later = NOW + timedelta(hours=23, minutes=1)  # the early one is more than 24 hours ago
    last = request(db, ann, "Later", at=later)
    assert help_news.send_alerts(db, later, batch=3) == 7
    assert [f for p, f in alerts_of(db) if p == last.id] == [f.id for f in followers]


async def test_a_request_that_ends_before_its_alerts_are_written_gets_no_more(db: Database) -> None:
    ann, olga = member_in(db, "Ann", 1), member_in(db, "Olga", 2)
    for n in range(7):
        member_in(db, f"F{n}", 10 + n, "garden")
    hedge = request(db, ann, "Hedge")
    assert help_news.send_alerts(db, NOW, batch=3, batches=1) == 3
    assert posts.end(db, hedge.id, ann.id, DELETED, None, NOW) is posts.Ended.DONE  # its 3 unsent alerts drop
    assert help_news.send_alerts(db, NOW, batch=3) == 0
    assert alerts_of(db) == [] and pending(db) == []

    request(db, ann, "Deleted at once")
    posts.end(db, pending(db)[0][0], ann.id, DELETED, None, NOW)
    request(db, olga, "By a member suspended meanwhile")
    members.set_suspended(db, olga.id, True, actor_id=ann.id, now=NOW)
    request(db, ann, "Past its end", at=NOW - timedelta(days=31))  # end_due has not ended it yet
    assert help_news.send_alerts(db, NOW, batch=3) == 0
    assert alerts_of(db) == [] and pending(db) == []


async def test_the_digest_is_planned_a_batch_a_call_each_member_once_also_after_a_restart(
    db: Database, tmp_path: Path
) -> None:
    ann = member_in(db, "Ann", 1)
    readers = [member_in(db, f"R{n}", 10 + n, "garden", "cooking", alerts=False, digest=True) for n in range(7)]
    member_in(db, "Nothing new", 30, "sewing", digest=True)
    member_in(db, "Alerts only", 31, "garden")
    request(db, ann, "Hedge", at=NOW)
    monday = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam
    digest = (0, time(9, 0))

    assert help_news.plan_digest(db, monday - timedelta(minutes=1), TZ, *digest, batch=3) == 0
    assert help_news.plan_digest(db, monday, TZ, *digest, batch=3) == 3
    async with restarted(db, tmp_path) as again:
        planned = [help_news.plan_digest(again, monday + timedelta(minutes=n), TZ, *digest, batch=3) for n in (1, 2)]
        assert planned == [3, 1]  # the last batch: R6 and the two who get none
        assert help_news.plan_digest(again, monday + timedelta(minutes=3), TZ, *digest, batch=3) == 0  # done
        rows = again.fetchall("SELECT member_id, key FROM outbox WHERE kind = 'post_digest' ORDER BY member_id")
        assert [(row[0], row[1]) for row in rows] == [(r.id, f"post_digest:{r.id}:2026-W50") for r in readers]
        assert again.fetchone("SELECT follower_cursor FROM digest_weeks WHERE week = '2026-W50'")[0] is None
