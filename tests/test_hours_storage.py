"""The time bank in the database: hours for a post once, hours given, corrections, and a ledger that adds up to zero."""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import audit, hours, members
from storage.db import Database, open_database
from storage.hours import COOPERATIVE, Answer, Hours

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "hours.db")
    yield database
    await database.close()


def member(db: Database, name: str, status: str = "active") -> int:
    return members.create(db, telegram_id=None, first_name=name, language="en", status=status, now=NOW).id


def post(
    db: Database,
    author: int,
    helper: int | None,
    *,
    kind: str = "free",
    side: str = "request",
    end_reason: str | None = "helped",
    title: str = "Help with my garden",
) -> int:
    """A post as storage/posts.py keeps it, ended (or not) the way the test needs."""
    paid = kind == "paid"
    with db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO posts (member_id, side, category, kind, title, body, price_cents, price_unit, created_at,"
            " ends_at, ended_at, end_reason, helper_id) VALUES (?, ?, 'garden', ?, ?, 'Weeding.', ?, ?, ?, ?, ?, ?, ?)",
            (
                *(author, side, kind, title, 2500 if paid else None, "hour" if paid else None, NOW.isoformat()),
                (NOW + timedelta(days=30)).isoformat(),
                NOW.isoformat() if end_reason else None,
                end_reason,
                helper,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def talked(db: Database, one: int, other: int) -> None:
    """`other` reacted to a post of `one` (💬): only then can hours go between them without a post."""
    asked = post(db, one, None, end_reason=None)
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO talks (post_id, author_id, responder_id, started_at) VALUES (?, ?, ?, ?)",
            (asked, one, other, NOW.isoformat()),
        )


def told(db: Database, kind: str) -> list[tuple[int, dict]]:
    """(member, payload) of the messages of this kind in the outbox."""
    rows = db.fetchall("SELECT member_id, payload FROM outbox WHERE kind = ? ORDER BY id", (kind,))
    return [(row[0], json.loads(row[1])) for row in rows]


def ledger_total(db: Database) -> int:
    row = db.fetchone("SELECT sum(given - received) FROM hour_accounts")
    assert row is not None
    return int(row[0])


def accounts_follow_their_transfers(db: Database) -> bool:
    """Every account's given and received are exactly the sums of its transfers."""
    row = db.fetchone(
        "SELECT count(*) FROM hour_accounts a WHERE a.given <> (SELECT coalesce(sum(halves), 0) FROM hour_transfers"
        " WHERE to_account = a.id) OR a.received <> (SELECT coalesce(sum(halves), 0) FROM hour_transfers"
        " WHERE from_account = a.id)"
    )
    return row is not None and row[0] == 0


async def test_the_author_of_a_request_that_was_helped_pays_the_helper_once(db: Database) -> None:
    ann, bert = member(db, "Ann"), member(db, "Bert")
    garden = post(db, ann, bert)

    answer, transfer = hours.for_post(db, garden, ann, 4, NOW)

    assert answer is Answer.DONE and transfer is not None
    assert (transfer.from_name, transfer.to_name, transfer.now, transfer.post_title) == (
        "Ann",
        "Bert",
        4,
        "Help with my garden",
    )
    assert hours.balance(db, ann) == Hours(given=0, received=4)
    assert hours.balance(db, bert) == Hours(given=4, received=0)
    assert told(db, "hours_received") == [(bert, {"transfer": transfer.id})]
    again, first = hours.for_post(db, garden, ann, 16, NOW)  # a double tap, or a later one
    assert again is Answer.ALREADY and first == transfer
    assert hours.balance(db, bert).given == 4 and len(told(db, "hours_received")) == 1
    assert ledger_total(db) == 0


async def test_only_a_free_or_swap_request_ended_with_a_helper_gets_hours_and_only_from_its_author(
    db: Database,
) -> None:
    ann, bert, cas = member(db, "Ann"), member(db, "Bert"), member(db, "Cas")
    assert hours.for_post(db, post(db, ann, bert), cas, 2, NOW) == (Answer.NOT_YOURS, None)
    assert hours.for_post(db, 9999, ann, 2, NOW) == (Answer.GONE, None)
    for not_for_hours in (
        post(db, ann, bert, kind="paid"),
        post(db, ann, bert, side="offer"),
        post(db, ann, None),
        post(db, ann, None, end_reason=None),
        post(db, ann, bert, end_reason="deleted"),
        post(db, ann, ann),
    ):
        assert hours.for_post(db, not_for_hours, ann, 2, NOW) == (Answer.NOT_FOR_HOURS, None)
    swap = post(db, ann, bert, kind="swap")
    assert hours.for_post(db, swap, ann, 1, NOW)[0] is Answer.DONE
    with pytest.raises(ValueError):
        hours.for_post(db, swap, ann, 17, NOW)  # the buttons go up to 8 hours
    assert hours.balance(db, cas) == Hours(0, 0) and ledger_total(db) == 0


async def test_hours_go_to_a_member_or_to_the_cooperative_and_a_balance_may_go_negative(db: Database) -> None:
    ann, bert, cas = member(db, "Ann"), member(db, "Bert"), member(db, "Cas")
    assert hours.give(db, ann, bert, 3, None, NOW) == (Answer.STRANGER, None)  # the member list is not public
    talked(db, bert, ann)

    answer, thanks = hours.give(db, ann, bert, 3, "Helped me move on Sunday", NOW)
    assert answer is Answer.DONE and thanks is not None and thanks.note == "Helped me move on Sunday"
    answer, group = hours.give(db, ann, None, 2, None, NOW)
    assert answer is Answer.DONE and group is not None and group.to_member_id is None

    assert hours.balance(db, ann) == Hours(given=0, received=5)
    assert hours.balance(db, ann).balance == -5  # asking for help is never refused for lack of hours
    assert hours.balance(db, bert).balance == 3
    row = db.fetchone("SELECT given, received FROM hour_accounts WHERE id = ?", (COOPERATIVE,))
    assert row is not None and tuple(row) == (2, 0)
    assert told(db, "hours_received") == [(bert, {"transfer": thanks.id})]  # the cooperative reads no messages
    assert ledger_total(db) == 0
    assert hours.give(db, ann, cas, 1, None, NOW) == (Answer.STRANGER, None)
    assert hours.give(db, ann, cas, 1, None, NOW, first_name="Kees") == (Answer.STRANGER, None)
    assert hours.give(db, ann, cas, 1, None, NOW, first_name="CAS")[0] is Answer.DONE  # met outside the bot


async def test_no_hours_to_oneself_nor_to_someone_who_is_not_a_member(db: Database) -> None:
    ann = member(db, "Ann")
    waiting = member(db, "Wim", status="pending")
    assert hours.give(db, ann, ann, 2, None, NOW) == (Answer.SELF, None)
    assert hours.give(db, ann, waiting, 2, None, NOW) == (Answer.NOT_A_MEMBER, None)
    assert hours.give(db, ann, 9999, 2, None, NOW) == (Answer.NOT_A_MEMBER, None)
    with pytest.raises(ValueError):
        hours.give(db, ann, None, 2, "x" * 81, NOW)
    assert db.fetchone("SELECT count(*) FROM hour_transfers")[0] == 0


async def test_an_organiser_corrects_a_transfer_with_a_logged_correction_and_both_sides_hear_it(
    db: Database,
) -> None:
    olga, ann, bert = member(db, "Olga"), member(db, "Ann"), member(db, "Bert")
    _, transfer = hours.for_post(db, post(db, ann, bert), ann, 4, NOW)
    assert transfer is not None

    answer, corrected = hours.correct(db, transfer.id, olga, 1, NOW + timedelta(hours=1))

    assert answer is Answer.DONE and corrected is not None and corrected.now == 1 and corrected.halves == 4
    assert hours.balance(db, ann) == Hours(given=0, received=1)
    assert hours.balance(db, bert) == Hours(given=1, received=0)
    correction = db.fetchone("SELECT halves, corrects, created_by FROM hour_transfers WHERE corrects IS NOT NULL")
    assert correction is not None and tuple(correction) == (-3, transfer.id, olga)
    payload = {"transfer": transfer.id, "before": 4, "after": 1}
    assert told(db, "hours_corrected") == [(ann, payload), (bert, payload)]
    logged = [(e.actor_id, e.action, e.target_id) for e in (await db.read_parts(bert, audit.ABOUT))[0]]
    assert logged == [(olga, "correct_hours", bert)]
    assert [(e.action, e.target_id) for e in (await db.read_parts(ann, audit.ABOUT))[0]] == [("correct_hours", ann)]

    assert hours.correct(db, transfer.id, olga, 1, NOW)[0] is Answer.UNCHANGED  # a double tap
    assert hours.correct(db, transfer.id, olga, 0, NOW)[0] is Answer.DONE  # 0 takes it back
    assert hours.balance(db, bert) == Hours(0, 0) and hours.balance(db, ann) == Hours(0, 0)
    [correction_id] = [row[0] for row in db.fetchall("SELECT id FROM hour_transfers WHERE corrects IS NOT NULL")][:1]
    assert hours.correct(db, correction_id, olga, 2, NOW) == (Answer.GONE, None)  # only a transfer, not a correction
    assert ledger_total(db) == 0


async def test_the_ledger_adds_up_to_zero_whatever_moves(db: Database) -> None:
    """A property test: many random transfers and corrections, checked after each step."""
    people = [member(db, f"Lid {i}") for i in range(8)]
    for one in people:
        for other in people:
            if one < other:
                talked(db, one, other)
    olga = people[0]
    made: list[int] = []
    randomly = random.Random(10)
    for step in range(300):
        choice = randomly.random()
        giver, helper = randomly.sample(people, 2)
        halves = randomly.randint(1, hours.MAX_HALVES)
        if choice < 0.4:
            _, transfer = hours.give(db, giver, randomly.choice([helper, None]), halves, None, NOW)
        elif choice < 0.7:
            helped = post(db, giver, helper)
            _, transfer = hours.for_post(db, helped, giver, halves, NOW)
            if randomly.random() < 0.3:
                hours.for_post(db, helped, giver, randomly.randint(1, hours.MAX_HALVES), NOW)  # a double tap
        else:
            transfer = None
            if made:
                hours.correct(db, randomly.choice(made), olga, randomly.randint(0, hours.MAX_HALVES), NOW)
        if transfer is not None:
            made.append(transfer.id)
        assert ledger_total(db) == 0, f"step {step}"
    assert accounts_follow_their_transfers(db)
    balances = [hours.balance(db, person).balance for person in people]
    assert any(balance < 0 for balance in balances) and any(balance > 0 for balance in balances)


async def test_my_hours_and_the_organisers_list_count_corrections_in(db: Database) -> None:
    olga, ann, bert = member(db, "Olga"), member(db, "Ann"), member(db, "Bert")
    talked(db, ann, bert)
    _, first = hours.give(db, ann, bert, 2, None, NOW)
    _, second = hours.give(db, bert, ann, 1, None, NOW + timedelta(hours=1))
    assert first is not None and second is not None
    hours.correct(db, first.id, olga, 3, NOW + timedelta(hours=2))

    assert [(t.id, t.now) for t in hours.last_of_member(db, ann)] == [(second.id, 1), (first.id, 3)]
    assert hours.last_of_member(db, olga) == []
    page = hours.recent(db, 0)
    assert [(t.id, t.now) for t in page.items] == [(second.id, 1), (first.id, 3)] and not page.has_next


async def test_a_member_who_leaves_keeps_their_hours_in_the_totals_but_no_notes(db: Database) -> None:
    ann, bert = member(db, "Ann"), member(db, "Bert")
    talked(db, ann, bert)
    hours.give(db, ann, bert, 4, "Bert fixed my bike", NOW)
    hours.give(db, bert, ann, 1, "Ann made soup", NOW)
    hours.give(db, ann, None, 2, "Ann at the street party", NOW)
    mine = (await db.read_parts(ann, hours.OF_MEMBER))[0]
    assert [(t.to_name, t.halves, t.note) for t in mine] == [
        ("Bert", 4, "Bert fixed my bike"),
        ("Ann", 1, "Ann made soup"),
        (None, 2, "Ann at the street party"),
    ]
    leaving = members.get(db, ann)
    assert leaving is not None

    with db.transaction() as conn:
        hours.forget_member(conn, ann, NOW)
    members.delete_account(db, leaving, NOW)

    assert db.fetchone("SELECT count(*) FROM hour_transfers WHERE note IS NOT NULL")[0] == 0
    assert hours.balance(db, ann) == Hours(given=1, received=6)  # on the anonymous row
    assert hours.balance(db, bert) == Hours(given=4, received=1)
    assert [(t.from_name, t.to_name) for t in hours.last_of_member(db, bert)][-1] == (None, "Bert")
    assert ledger_total(db) == 0
