"""Announcements in the database: who gets one, each once, the counts kept, correcting, withdrawing, forgetting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.timing import ActivityTiming
from storage import activities, announcements, members, outbox
from storage.activities import Plan
from storage.announcements import Audience
from storage.db import Database, open_database
from storage.members import Member

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
EVERYONE = Audience("everyone")
TIMING = ActivityTiming(ZoneInfo("Europe/Amsterdam"), timedelta(hours=12))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "announcements.db")
    yield database
    await database.close()


def member(
    db: Database, name: str, telegram_id: int | None, *, language: str = "en", **profile: str | bool | frozenset[str]
) -> Member:
    made = members.create(db, telegram_id=telegram_id, first_name=name, language=language, status="active", now=NOW)
    return members.update_profile(db, made.id, **profile) if profile else made


def announce(db: Database, audience: Audience = EVERYONE, **overrides: object) -> announcements.Announcement:
    made: dict = {
        "organiser_id": 1,
        "audience": audience,
        "texts": {"en": "The hall is closed on Monday."},
        "original_language": "en",
        "photo": None,
        "confirm": False,
        "urgent": False,
        "send_at": NOW,
        "now": NOW,
    } | overrides
    return announcements.create(db, **made)


def recipients(db: Database, announcement_id: int) -> list[int]:
    rows = db.fetchall(
        "SELECT member_id FROM announcement_deliveries WHERE announcement_id = ? ORDER BY member_id", (announcement_id,)
    )
    return [row[0] for row in rows]


def outbox_rows(db: Database, announcement_id: int) -> list[tuple[str, int]]:
    rows = db.fetchall(
        "SELECT kind, member_id FROM outbox WHERE announcement_id = ? ORDER BY member_id", (announcement_id,)
    )
    return [(row[0], row[1]) for row in rows]


async def test_each_audience_reaches_exactly_the_members_it_names(db: Database) -> None:
    organiser = members.create(
        db, telegram_id=900, first_name="Olga", language="nl", status="active", now=NOW, roles=frozenset({"organiser"})
    )
    ann = member(db, "Ann", 1, neighbourhood="Noord", interests=frozenset({"activities"}))
    bob = member(db, "Bob", 2, interests=frozenset({"services"}), business_name="Bob's Bikes")
    cas = member(db, "Cas", 3, language="nl", interests=frozenset({"services"}))  # services, but no business
    member(db, "Desk", None)  # added at the desk: no Telegram
    blocked = member(db, "Eve", 5)
    members.set_reachable(db, 5, False, NOW)
    left = member(db, "Fay", 6)
    members.delete_account(db, left, NOW)
    activity = activities.create(
        db,
        Plan("Soup", "Hot soup.", NOW + timedelta(days=2), NOW + timedelta(days=2, hours=2), "Hall", 1, 0, None),
        created_by=organiser.id,
        now=NOW,
    )[0]
    activities.rsvp(db, activity.id, ann.id, NOW, TIMING)  # coming
    activities.rsvp(db, activity.id, cas.id, NOW, TIMING)  # waiting: the one place is taken
    activities.rsvp(db, activity.id, blocked.id, NOW, TIMING)  # waiting, but cannot be reached
    expected = {
        Audience("everyone"): [organiser.id, ann.id, bob.id, cas.id],
        Audience("neighbourhood", "Noord"): [ann.id],
        Audience("neighbourhood", None): [organiser.id, bob.id, cas.id],  # "other"
        Audience("interest", "activities"): [ann.id],
        Audience("role", "zzp"): [bob.id],
        Audience("role", "organiser"): [organiser.id],
        Audience("activity", str(activity.id)): [ann.id, cas.id],
        Audience("language", "nl"): [organiser.id, cas.id],
    }
    for audience, who in expected.items():
        assert announcements.count(db, audience) == await announcements.reach(db, audience) == len(who), audience
        made = announce(db, audience)
        announcements.write_recipients(db, NOW, quiet=False)
        assert recipients(db, made.id) == who, audience
        assert outbox_rows(db, made.id) == [("announcement", member_id) for member_id in who]
        assert announcements.get(db, made.id).total == len(who)
    with pytest.raises(ValueError):
        Audience("role", "mayor")


async def test_recipients_are_written_in_batches_each_member_once_and_none_skipped(db: Database) -> None:
    everyone = [member(db, f"M{n}", 100 + n).id for n in range(11)]
    made = announce(db)
    assert announcements.write_recipients(db, NOW, quiet=False, batch=3, batches=2) == 6
    assert announcements.get(db, made.id).writing and announcements.to_write(db, NOW, quiet=False)
    # A restart: the cursor says where it stood, and writing a batch again changes nothing.
    assert announcements.write_recipients(db, NOW, quiet=False, batch=3, batches=1) == 3
    assert announcements.write_recipients(db, NOW, quiet=False, batch=3) == 2
    assert announcements.write_recipients(db, NOW, quiet=False) == 0
    assert recipients(db, made.id) == everyone
    assert [member_id for _, member_id in outbox_rows(db, made.id)] == everyone
    stored = announcements.get(db, made.id)
    assert stored is not None and not stored.writing and stored.total == stored.waiting == 11


async def test_later_and_the_night_wait_but_urgent_goes_and_pause_counts_only_for_ordinary_ones(db: Database) -> None:
    ann = member(db, "Ann", 1)
    paused = member(db, "Bob", 2, paused=True)
    later = announce(db, send_at=NOW + timedelta(hours=2))
    ordinary = announce(db)
    urgent = announce(db, urgent=True)
    assert announcements.count(db, Audience("everyone")) == 1
    assert announcements.count(db, Audience("everyone"), urgent=True) == 2
    announcements.write_recipients(db, NOW, quiet=True)  # 23:00: only the urgent one goes
    assert announcements.to_write(db, NOW, quiet=False) and not announcements.to_write(db, NOW, quiet=True)
    assert recipients(db, ordinary.id) == [] and recipients(db, later.id) == []
    assert outbox_rows(db, urgent.id) == [("urgent_announcement", ann.id), ("urgent_announcement", paused.id)]
    announcements.write_recipients(db, NOW, quiet=False)  # the morning
    assert recipients(db, ordinary.id) == [ann.id] and recipients(db, later.id) == []
    assert announcements.next_send_at(db, NOW) == NOW + timedelta(hours=2)
    assert not announcements.to_write(db, NOW, quiet=False)
    announcements.write_recipients(db, NOW + timedelta(hours=2), quiet=False)
    assert recipients(db, later.id) == [ann.id]
    assert announcements.next_send_at(db, NOW) is None


def settle(
    db: Database,
    announcement_id: int,
    member_id: int,
    how: str,
    *,
    message_id: int | None = None,
    outcome: str | None = None,
    reason: str | None = None,
) -> None:
    """Settle the member's outbox row as the sender does: sent, tried again later, or dropped."""
    row = db.fetchone("SELECT id FROM outbox WHERE announcement_id = ? AND member_id = ?", (announcement_id, member_id))
    assert row is not None
    if how == "sent":
        outbox.mark_sent(db, row[0], NOW, message_id)
    elif how == "retry":
        outbox.try_again(db, row[0], NOW + timedelta(seconds=10))
    else:
        outbox.drop(db, row[0], NOW, outcome, reason)


async def test_the_counts_follow_every_delivery_in_the_same_transaction(db: Database) -> None:
    people = [member(db, f"M{n}", 100 + n).id for n in range(6)]
    made = announce(db, confirm=True)
    announcements.write_recipients(db, NOW, quiet=False)
    settle(db, made.id, people[0], "sent", message_id=71)
    settle(db, made.id, people[1], "sent", message_id=72)
    settle(db, made.id, people[2], "drop", outcome="unreachable", reason="Forbidden: bot was blocked by the user")
    settle(db, made.id, people[3], "retry")
    settle(db, made.id, people[3], "drop", outcome="failed", reason="Bad Request: chat not found")
    settle(db, made.id, people[4], "drop", reason="paused")
    now = announcements.get(db, made.id)
    assert now is not None
    assert (now.total, now.sent, now.unreachable, now.failed, now.skipped, now.waiting) == (6, 2, 1, 1, 1, 1)
    assert now.done == 5 and not now.finished
    assert announcements.failures(db, made.id) == [("Bad Request: chat not found", 1)]
    attempts = db.fetchone(
        "SELECT attempts, message_id FROM announcement_deliveries WHERE member_id = ? AND announcement_id = ?",
        (people[3], made.id),
    )
    assert attempts is not None and tuple(attempts) == (2, None)
    settle(db, made.id, people[5], "sent", message_id=75)
    assert announcements.get(db, made.id).finished


async def test_understood_is_recorded_once_and_only_for_who_got_it(db: Database) -> None:
    ann, bob, cas = (member(db, name, n).id for n, name in enumerate(("Ann", "Bob", "Cas"), start=1))
    made = announce(db, confirm=True)
    announcements.write_recipients(db, NOW, quiet=False)
    settle(db, made.id, ann, "sent", message_id=1)
    settle(db, made.id, bob, "sent", message_id=2)
    assert announcements.confirm(db, made.id, ann, NOW)
    assert announcements.confirm(db, made.id, ann, NOW)  # a double tap: fine, counted once
    assert not announcements.confirm(db, made.id, cas, NOW)  # not sent to her (yet)
    assert not announcements.confirm(db, made.id + 1, ann, NOW)  # no such announcement
    assert announcements.get(db, made.id).confirmed == 1
    waiting = announcements.unconfirmed(db, made.id, 0)
    assert [(m.member_id, m.first_name) for m in waiting.items] == [(bob, "Bob")] and waiting.total == 1
    plain = announce(db)  # without ✅ Understood
    announcements.write_recipients(db, NOW, quiet=False)
    settle(db, plain.id, ann, "sent", message_id=3)
    assert not announcements.confirm(db, plain.id, ann, NOW)


async def test_correcting_and_withdrawing_say_which_messages_to_change_within_48_hours(db: Database) -> None:
    ann = member(db, "Ann", 1).id
    bob = member(db, "Bob", 2, language="nl").id
    cas = member(db, "Cas", 3).id
    made = announce(db, texts={"en": "Monday", "nl": "Maandag"})
    announcements.write_recipients(db, NOW, quiet=False)
    settle(db, made.id, ann, "sent", message_id=11)
    settle(db, made.id, bob, "sent", message_id=12)
    fixed = announcements.correct(db, made.id, "en", "Tuesday", NOW + timedelta(hours=1))
    assert [(d.member_id, d.chat_id, d.message_id, d.language, d.member_language) for d in fixed] == [
        (ann, 1, 11, "en", "en")
    ]
    stored = announcements.get(db, made.id)
    assert stored is not None and stored.texts == {"en": "Tuesday", "nl": "Maandag"}
    assert stored.corrected_at == NOW + timedelta(hours=1)
    assert announcements.correct(db, made.id, "nl", "Dinsdag", NOW + timedelta(hours=49)) == []  # too old to edit
    gone = announcements.withdraw(db, made.id, NOW + timedelta(hours=2))
    assert [(d.member_id, d.message_id) for d in gone] == [(ann, 11), (bob, 12)]
    assert announcements.withdraw(db, made.id, NOW + timedelta(hours=2)) == []  # a second tap
    stored = announcements.get(db, made.id)
    assert stored is not None and stored.skipped == 1 and stored.finished  # Cas's message is not sent any more
    assert db.fetchone("SELECT reason FROM outbox WHERE member_id = ? AND announcement_id = ?", (cas, made.id))[0] == (
        "withdrawn"
    )
    assert announcements.correct(db, made.id, "en", "Wednesday", NOW + timedelta(hours=3)) == []


async def test_a_big_withdrawal_drops_the_unsent_messages_in_batches(db: Database) -> None:
    for n in range(5):
        member(db, f"M{n}", 100 + n)
    made = announce(db)
    announcements.write_recipients(db, NOW, quiet=False)
    assert announcements.withdraw(db, made.id, NOW, batch=2) == []
    assert announcements.get(db, made.id).waiting == 3  # the first batch at once
    assert announcements.drop_withdrawn(db, NOW, batch=2, batches=1) == 2
    assert announcements.drop_withdrawn(db, NOW, batch=2) == 1
    assert announcements.drop_withdrawn(db, NOW, batch=2) == 0
    done = announcements.get(db, made.id)
    assert done is not None and (done.skipped, done.waiting) == (5, 0) and done.finished
    assert outbox.claim_due(db, NOW, 10) == []


async def test_a_member_finds_the_last_five_current_ones_that_reached_them(db: Database) -> None:
    ann = member(db, "Ann", 1).id
    made = []
    for n in range(7):
        one = announce(db, texts={"nl": f"Bericht {n}"}, original_language="nl", now=NOW + timedelta(days=n))
        announcements.write_recipients(db, NOW + timedelta(days=n), quiet=False)
        settle(db, one.id, ann, "sent", message_id=n + 1)
        made.append(one.id)
    announcements.withdraw(db, made[6], NOW + timedelta(days=7))
    not_sent = announce(db)  # written, not sent yet
    announcements.write_recipients(db, NOW + timedelta(days=7), quiet=False)
    current = announcements.current_for_member(db, ann, NOW + timedelta(days=7))
    assert [a.id for a in current] == [made[5], made[4], made[3], made[2], made[1]]
    assert not_sent.id not in [a.id for a in current]
    later = announcements.current_for_member(db, ann, NOW + timedelta(days=17, hours=1))  # 14 days after each
    assert [a.id for a in later] == [made[5], made[4]]
    assert announcements.page(db, 0).items[0].id == not_sent.id  # newest first, for organisers
    assert announcements.page(db, 0).has_next


async def test_forgetting_a_member_keeps_the_counts_and_their_data_can_be_downloaded(db: Database) -> None:
    ann = member(db, "Ann", 1)
    bob = member(db, "Bob", 2)
    made = announce(db, confirm=True, texts={"en": "Soup on Friday."})
    announcements.write_recipients(db, NOW, quiet=False)
    settle(db, made.id, ann.id, "sent", message_id=5)
    announcements.confirm(db, made.id, ann.id, NOW)
    [kept] = await db.read_parts(ann.id, announcements.OF_MEMBER)
    assert kept == [announcements.Received("Soup on Friday.", "sent", NOW, NOW)]
    for who in (ann, bob):
        with db.transaction() as conn:
            announcements.forget_member(conn, who.id, NOW)
    rows = db.fetchall(
        "SELECT status, reason, chat_id, message_id FROM announcement_deliveries WHERE announcement_id = ?"
        " ORDER BY member_id",
        (made.id,),
    )
    assert [tuple(row) for row in rows] == [("sent", None, None, None), ("skipped", "left", None, None)]
    stored = announcements.get(db, made.id)
    assert stored is not None and (stored.sent, stored.skipped, stored.confirmed, stored.waiting) == (1, 1, 1, 0)
    assert announcements.withdraw(db, made.id, NOW) == []  # nowhere left to delete it from
