"""Conversations and reports in the database: one talk per post and responder, reports made once, and what
deleting an account and downloading one's data do with them. On a real SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from storage import members, posts, reports, talks
from storage.db import Database, open_database
from storage.reports import Decision, Reported
from storage.talks import Outcome

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "talks.db")
    yield database
    await database.close()


def resident(db: Database, name: str, *, organiser: bool = False) -> int:
    roles = frozenset({"organiser"}) if organiser else frozenset()
    telegram_id = 5000 + len(name) * 7 + ord(name[0])
    return members.create(
        db, telegram_id=telegram_id, first_name=name, language="en", status="active", now=NOW, roles=roles
    ).id


def post_of(db: Database, author: int, title: str = "Fix my bike") -> int:
    made = posts.publish(
        db, author, "request", "odd_jobs", "free", title, "Flat tyre.", None, None, NOW, 30, tz=ZoneInfo("UTC")
    )
    assert made.post is not None
    return made.post.id


def outbox_kinds(db: Database, member_id: int) -> list[str]:
    """The messages about talks and reports planned for a member (not those about their own posts)."""
    rows = db.fetchall(
        "SELECT kind FROM outbox WHERE member_id = ? AND (talk_id IS NOT NULL OR kind = ?) ORDER BY id",
        (member_id, reports.CARD),
    )
    return [row[0] for row in rows]


async def test_one_talk_per_post_and_responder_counts_one_reaction(db: Database) -> None:
    ann, bob, carl = resident(db, "Ann"), resident(db, "Bob"), resident(db, "Carl")
    post = post_of(db, ann)
    first = talks.react(db, post, bob, "I can help.", NOW)
    again = talks.react(db, post, bob, "Really.", NOW + timedelta(minutes=1))
    talks.react(db, post, carl, "Me too.", NOW)
    assert first.outcome is again.outcome is Outcome.SENT
    assert first.talk is not None and again.talk is not None and first.talk.id == again.talk.id
    assert posts.get(db, post).reactions == 2
    assert talks.react(db, post, ann, "My own.", NOW).outcome is Outcome.OWN_POST
    assert outbox_kinds(db, ann) == [talks.MESSAGE] * 3

    assert talks.reply(db, first.talk.id, carl, "Not mine.", NOW) == talks.Sent(Outcome.NOT_YOURS)
    assert talks.end(db, first.talk.id, carl, NOW) == (Outcome.NOT_YOURS, None)
    assert talks.share_contact(db, first.talk.id, carl, NOW) == (Outcome.NOT_YOURS, None)


async def test_a_member_who_leaves_ends_their_talks_and_leaves_no_words_or_blocks(db: Database) -> None:
    ann, bob, carl = resident(db, "Ann"), resident(db, "Bob"), resident(db, "Carl")
    post = post_of(db, ann)
    talk = talks.react(db, post, bob, "I can help.", NOW).talk
    assert talk is not None
    talks.reply(db, talk.id, ann, "Thanks!", NOW)
    carls = talks.react(db, post, carl, "Hello", NOW).talk
    assert carls is not None
    talks.end(db, carls.id, ann, NOW, block=True)
    talks.react(db, post_of(db, bob, "Walk the dog"), ann, "I can.", NOW)

    with db.transaction() as conn:
        talks.forget_member(conn, bob, NOW)
    assert outbox_kinds(db, ann)[-2:] == [talks.ENDED, talks.ENDED]  # both of Bob's talks ended
    left = talks.get(db, talk.id)
    assert left is not None and left.ended_at == NOW and left.responder_id is None and left.author_id == ann
    bodies = [row[0] for row in db.fetchall("SELECT body FROM talk_messages ORDER BY id")]
    assert bodies == ["Thanks!", "Hello", "I can."]  # Bob's words are gone, Ann's and Carl's stay
    assert db.fetchone("SELECT count(*) FROM blocks")[0] == 1  # Ann's block of Carl
    with db.transaction() as conn:
        talks.forget_member(conn, carl, NOW)
    assert db.fetchone("SELECT count(*) FROM blocks")[0] == 0

    kept = (await db.read_parts(ann, talks.OF_MEMBER))[0]
    assert [(k.post_title, k.my_post, [(m.mine, m.body) for m in k.messages]) for k in kept] == [
        ("Fix my bike", True, [(True, "Thanks!")]),
        ("Fix my bike", True, []),
        ("Walk the dog", False, [(True, "I can.")]),
    ]
    assert (await db.read_parts(bob, talks.OF_MEMBER))[0] == []


async def test_a_report_is_made_once_decided_once_and_forgets_who_left(db: Database) -> None:
    olga = resident(db, "Olga", organiser=True)
    ann, bob = resident(db, "Ann"), resident(db, "Bob")
    post = post_of(db, ann)
    talk = talks.react(db, post, bob, "Pay me first.", NOW).talk
    assert talk is not None
    message = db.fetchone("SELECT id FROM talk_messages")[0]

    assert reports.report_post(db, post, ann, NOW) is Reported.GONE  # one's own
    assert reports.report_message(db, message, bob, NOW) is Reported.GONE  # one's own message
    assert reports.report_post(db, post, bob, NOW) is Reported.DONE
    assert reports.report_post(db, post, bob, NOW) is Reported.ALREADY
    assert reports.report_message(db, message, ann, NOW) is Reported.DONE
    assert reports.report_message(db, message, ann, NOW) is Reported.ALREADY
    assert outbox_kinds(db, olga) == [reports.CARD, reports.CARD]

    decision, report = reports.dismiss(db, 1, olga, NOW)
    assert decision is Decision.DONE and report is not None and report.outcome == reports.DISMISSED
    assert reports.hide_post(db, 1, olga, NOW)[0] is Decision.ALREADY
    assert reports.hide_post(db, 2, olga, NOW) == (Decision.GONE, None)  # a message has no post
    assert reports.dismiss(db, 99, olga, NOW) == (Decision.GONE, None)

    made = (await db.read_parts(bob, reports.OF_MEMBER))[0]
    assert [(m.about_post, m.content, m.outcome) for m in made] == [(True, "Fix my bike\nFlat tyre.", "dismissed")]
    with db.transaction() as conn:  # Bob leaves: the open report about his message closes without his words
        reports.forget_member(conn, bob, NOW)
        talks.forget_member(conn, bob, NOW)
    about_bob = reports.get(db, 2)
    assert about_bob is not None
    assert about_bob.reported_id is None and about_bob.content == "" and about_bob.outcome == reports.LEFT
    assert about_bob.message_id is None  # his message went with him
    by_bob = reports.get(db, 1)
    assert by_bob is not None and by_bob.reporter_id is None and by_bob.content == "Fix my bike\nFlat tyre."
    assert (await db.read_parts(bob, reports.OF_MEMBER))[0] == []


async def test_a_block_holds_also_when_the_other_side_ended_the_talk_just_before(db: Database) -> None:
    ann, bob = resident(db, "Ann"), resident(db, "Bob")
    talk = talks.react(db, post_of(db, ann), bob, "Hello", NOW).talk
    assert talk is not None
    assert talks.end(db, talk.id, bob, NOW)[0] is Outcome.SENT
    assert talks.end(db, talk.id, bob, NOW)[0] is Outcome.ENDED  # a double tap
    assert talks.end(db, talk.id, ann, NOW, block=True)[0] is Outcome.SENT  # her question came before his end
    assert talks.end(db, talk.id, ann, NOW, block=True)[0] is Outcome.ENDED
    assert talks.blocked(db, ann, bob) and not talks.blocked(db, bob, ann)
    assert outbox_kinds(db, ann) == [talks.MESSAGE, talks.ENDED]  # Bob ended it; her block tells him nothing
    assert outbox_kinds(db, bob) == []
    assert talks.react(db, post_of(db, ann, "Walk the dog"), bob, "Hi again", NOW).outcome is Outcome.NOT_DELIVERED
