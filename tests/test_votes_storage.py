"""Votes in the database: the exact tally, quorum and majority edges, budgets, proxies, closing once, secrecy.

The pure rules (storage/tally.py) are tested on numbers; the rest on a real SQLite file.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import members, outbox, tally, votes
from storage.db import Database, open_database
from storage.tally import Counted, Outcome
from storage.votes import Answer, Plan, PlannedOption, Vote

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
CLOSES = NOW + timedelta(days=3)


def for_against(for_: int, against: int, abstain: int = 0, **rules: object) -> tally.Result:
    options = [Counted(1, "for", for_), Counted(2, "against", against), Counted(3, "abstain", abstain)]
    settings = {"eligible": 100, "quorum_percent": 0, "majority": "half", "budget_cents": None, **rules}
    return tally.result("for_against", options, voted=for_ + against + abstain, **settings)  # type: ignore[arg-type]


def test_quorum_exactly_at_the_threshold_is_reached_and_one_below_is_not() -> None:
    assert tally.quorum_needed(200, 30) == 60
    assert tally.quorum_needed(7, 50) == 4  # rounded up: 3.5 people cannot vote
    assert for_against(40, 20, eligible=200, quorum_percent=30).outcome is Outcome.ADOPTED
    assert for_against(40, 19, eligible=200, quorum_percent=30).outcome is Outcome.NO_QUORUM
    assert for_against(1, 0, eligible=200, quorum_percent=0).outcome is Outcome.ADOPTED


def test_abstentions_count_for_the_quorum_but_not_for_the_majority() -> None:
    result = for_against(3, 2, abstain=55, eligible=200, quorum_percent=30)
    assert result.quorum_reached and result.outcome is Outcome.ADOPTED
    assert for_against(0, 0, abstain=60, eligible=200, quorum_percent=30).outcome is Outcome.NO_VOTES


def test_more_than_half_and_two_thirds_at_their_edges() -> None:
    assert for_against(51, 49).outcome is Outcome.ADOPTED
    assert for_against(50, 50).outcome is Outcome.TIE
    assert for_against(49, 51).outcome is Outcome.REJECTED
    assert for_against(20, 10, majority="two_thirds").outcome is Outcome.ADOPTED  # exactly two thirds
    assert for_against(19, 10, majority="two_thirds").outcome is Outcome.REJECTED
    assert for_against(66, 34, majority="two_thirds").outcome is Outcome.REJECTED
    assert for_against(67, 33, majority="two_thirds").outcome is Outcome.ADOPTED


def test_a_choice_names_the_winner_or_says_it_is_a_tie() -> None:
    options = [Counted(1, "Park", 7), Counted(2, "Plein", 9), Counted(3, "Tuin", 9)]
    rules = {"voted": 25, "eligible": 50, "quorum_percent": 0, "majority": "half", "budget_cents": None}
    tie = tally.result("choice", options, **rules)  # type: ignore[arg-type]
    assert tie.outcome is Outcome.TIE and [w.label for w in tie.winners] == ["Plein", "Tuin"]
    options[1] = Counted(2, "Plein", 10)
    won = tally.result("choice", options, **rules)  # type: ignore[arg-type]
    assert won.outcome is Outcome.WINNER and [w.label for w in won.winners] == ["Plein"]


def test_a_budget_funds_the_most_chosen_projects_that_fit_in_order() -> None:
    projects = [
        Counted(1, "Bankjes", 30, 400_00),
        Counted(2, "Speeltuin", 50, 800_00),
        Counted(3, "Bloembakken", 20, 150_00),
        Counted(4, "Buurtfeest", 40, 300_00),
        Counted(5, "Niemand", 0, 10_00),
    ]
    funded, left = tally.fund(projects, 1_000_00)
    # Speeltuin (800) first; Buurtfeest (300) and Bankjes (400) no longer fit; Bloembakken (150) does.
    assert [p.label for p in funded] == ["Speeltuin", "Bloembakken"]
    assert left == 50_00


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "votes.db")
    yield database
    await database.close()


def residents(db: Database, count: int, *, start: int = 1000) -> list[int]:
    return [
        members.create(db, telegram_id=start + i, first_name=f"Lid {i}", language="nl", status="active", now=NOW).id
        for i in range(count)
    ]


def plan(kind: str = "for_against", **changes: object) -> Plan:
    options = {
        "for_against": (PlannedOption("for"), PlannedOption("against"), PlannedOption("abstain")),
        "choice": (PlannedOption("Park"), PlannedOption("Plein")),
        "budget": (
            PlannedOption("Bankjes", 400_00),
            PlannedOption("Speeltuin", 800_00),
            PlannedOption("Bloembakken", 150_00),
        ),
    }[kind]
    fields: dict = {
        "title": "Nieuwe bankjes",
        "body": "Zullen we bankjes neerzetten?",
        "kind": kind,
        "secret": False,
        "live_results": False,
        "quorum_percent": 0,
        "majority": "half",
        "opens_at": NOW,
        "closes_at": CLOSES,
        "options": options,
        "budget_cents": 1_000_00 if kind == "budget" else None,
    }
    return Plan(**{**fields, **changes})


def raw_files(folder: Path) -> bytes:
    """The database file and its WAL, as bytes."""
    return b"".join(p.read_bytes() for p in folder.glob("secret.db*"))


def option(vote: Vote, label: str) -> int:
    return next(o.id for o in vote.options if o.label == label)


async def test_two_hundred_members_voting_at_once_give_the_exact_tally(db: Database) -> None:
    people = residents(db, 200)
    vote = votes.create(db, plan(), created_by=None, now=NOW)
    choices = ["for"] * 117 + ["against"] * 61 + ["abstain"] * 22

    async def one(member_id: int, label: str) -> Answer:
        await asyncio.sleep(0)
        return votes.cast(db, vote.id, member_id, option(vote, label), NOW).answer

    answers = await asyncio.gather(*(one(m, label) for m, label in zip(people, choices, strict=True)))
    again = await asyncio.gather(*(one(m, label) for m, label in zip(people, choices, strict=True)))  # double taps
    assert set(answers) == {Answer.VOTED} and set(again) == {Answer.SAME}
    counted = votes.get(db, vote.id)
    assert counted is not None
    assert {o.label: o.votes for o in counted.options} == {"for": 117, "against": 61, "abstain": 22}
    assert (counted.eligible, counted.voted) == (200, 200)


async def test_a_changed_vote_moves_the_count_and_nothing_changes_after_the_deadline(db: Database) -> None:
    ann, bob = residents(db, 2)
    vote = votes.create(db, plan(), created_by=None, now=NOW)
    assert votes.cast(db, vote.id, ann, option(vote, "for"), NOW).answer is Answer.VOTED
    changed = votes.cast(db, vote.id, ann, option(vote, "against"), NOW + timedelta(hours=1))
    assert changed.answer is Answer.CHANGED and changed.card is not None
    assert {o.label: o.votes for o in changed.card.vote.options} == {"for": 0, "against": 1, "abstain": 0}
    late = votes.cast(db, vote.id, bob, option(vote, "for"), CLOSES)
    assert late.answer is Answer.CLOSED
    assert votes.get(db, vote.id).voted == 1


async def test_forged_votes_are_refused_and_change_nothing(db: Database) -> None:
    (ann,) = residents(db, 1)
    vote = votes.create(db, plan(), created_by=None, now=NOW)
    other = votes.create(db, plan("choice"), created_by=None, now=NOW)
    later = members.create(db, telegram_id=9, first_name="Nieuw", language="nl", status="active", now=NOW).id
    assert votes.cast(db, vote.id, ann, option(other, "Park"), NOW).answer is Answer.NO_OPTION  # another vote's option
    assert votes.cast(db, 999, ann, 1, NOW).answer is Answer.GONE
    assert votes.cast(db, vote.id, later, option(vote, "for"), NOW).answer is Answer.NOT_ELIGIBLE  # joined later
    assert votes.tick(db, vote.id, ann, option(vote, "for"), NOW).answer is Answer.NO_OPTION  # not a budget
    planned = votes.create(db, plan(opens_at=NOW + timedelta(days=1)), created_by=None, now=NOW)
    assert votes.cast(db, planned.id, ann, option(planned, "for"), NOW).answer is Answer.NOT_OPEN
    assert votes.get(db, vote.id).voted == 0


async def test_a_budget_refuses_a_choice_over_the_limit_and_says_what_is_left(db: Database) -> None:
    (ann,) = residents(db, 1)
    vote = votes.create(db, plan("budget"), created_by=None, now=NOW)
    assert votes.tick(db, vote.id, ann, option(vote, "Speeltuin"), NOW).answer is Answer.VOTED
    over = votes.tick(db, vote.id, ann, option(vote, "Bankjes"), NOW)
    assert over.answer is Answer.OVER_BUDGET and over.card is not None
    assert over.card.spent_cents() == 800_00
    assert votes.tick(db, vote.id, ann, option(vote, "Bloembakken"), NOW).answer is Answer.VOTED
    untick = votes.tick(db, vote.id, ann, option(vote, "Speeltuin"), NOW)
    assert untick.answer is Answer.UNTICKED and untick.card is not None and untick.card.voted
    assert votes.tick(db, vote.id, ann, option(vote, "Bloembakken"), NOW).card.voted is False
    assert votes.get(db, vote.id).voted == 0


async def test_a_proxy_is_used_withdrawn_dropped_and_refused_as_a_chain(db: Database) -> None:
    ann, bob, cas, dirk = residents(db, 4)
    vote = votes.create(db, plan(), created_by=None, now=NOW)
    answer, proxy = votes.give_proxy(db, vote.id, ann, bob, None, NOW, max_proxies=1)
    assert answer is Answer.ASKED and proxy is not None
    assert votes.give_proxy(db, vote.id, ann, cas, None, NOW, max_proxies=1)[0] is Answer.ALREADY_GIVEN
    assert votes.give_proxy(db, vote.id, cas, bob, None, NOW, max_proxies=1)[0] is Answer.ASKED  # Bob holds none yet
    cas_proxy = votes.card(db, vote.id, cas).given
    assert cas_proxy is not None
    assert votes.answer_proxy(db, proxy.id, bob, True, NOW, max_proxies=1)[0] is Answer.ACCEPTED
    assert votes.answer_proxy(db, cas_proxy.id, bob, True, NOW, max_proxies=1)[0] is Answer.HOLDER_FULL
    assert votes.give_proxy(db, vote.id, dirk, bob, None, NOW, max_proxies=1)[0] is Answer.HOLDER_FULL
    # No chains: Bob cannot pass a vote on, and Ann, who gave hers, cannot carry Dirk's.
    assert votes.give_proxy(db, vote.id, bob, dirk, None, NOW, max_proxies=1)[0] is Answer.GIVER_HOLDS
    assert votes.give_proxy(db, vote.id, dirk, ann, None, NOW, max_proxies=1)[0] is Answer.HOLDER_GAVE

    # Bob votes for himself and for Ann: two ballots, and Ann hears it was used.
    assert votes.cast(db, vote.id, bob, option(vote, "for"), NOW).answer is Answer.VOTED
    used = votes.cast(db, vote.id, bob, option(vote, "against"), NOW, for_member=ann)
    assert used.answer is Answer.VOTED
    assert votes.withdraw_proxy(db, proxy.id, ann, NOW)[0] is Answer.USED  # too late to take back
    assert votes.get(db, vote.id).voted == 2
    # Ann votes herself: her own vote counts, Bob's for her is dropped, and Bob hears it.
    own = votes.cast(db, vote.id, ann, option(vote, "for"), NOW)
    assert own.answer is Answer.CHANGED and own.dropped is not None and own.dropped.holder_id == bob
    counted = votes.get(db, vote.id)
    assert counted is not None and {o.label: o.votes for o in counted.options}["for"] == 2
    assert votes.cast(db, vote.id, bob, option(vote, "for"), NOW, for_member=ann).answer is Answer.NOT_PROXY
    told = db.fetchall("SELECT kind, member_id FROM outbox WHERE kind LIKE 'proxy_%' ORDER BY id")
    assert [(r[0], r[1]) for r in told] == [
        ("proxy_asked", bob),
        ("proxy_asked", bob),
        ("proxy_accepted", ann),
        ("proxy_used", ann),
        ("proxy_dropped", bob),
    ]


async def test_a_proxy_can_be_taken_back_before_it_is_used_and_can_carry_a_fixed_choice(db: Database) -> None:
    ann, bob = residents(db, 2)
    vote = votes.create(db, plan(), created_by=None, now=NOW)
    _, proxy = votes.give_proxy(db, vote.id, ann, bob, option(vote, "for"), NOW, max_proxies=1)
    assert proxy is not None
    votes.answer_proxy(db, proxy.id, bob, True, NOW, max_proxies=1)
    assert votes.cast(db, vote.id, bob, option(vote, "against"), NOW, for_member=ann).answer is Answer.FIXED
    assert votes.withdraw_proxy(db, proxy.id, ann, NOW)[0] is Answer.WITHDRAWN
    assert votes.cast(db, vote.id, bob, option(vote, "for"), NOW, for_member=ann).answer is Answer.NOT_PROXY
    assert votes.get(db, vote.id).voted == 0


async def test_a_vote_closes_once_across_a_restart_and_sends_the_result_once(tmp_path: Path) -> None:
    path = tmp_path / "restart.db"
    db = await open_database(path)
    people = residents(db, 3)
    vote = votes.create(db, plan(), created_by=None, now=NOW)
    votes.cast(db, vote.id, people[0], option(vote, "for"), NOW)
    await db.close()

    db = await open_database(path)  # the bot was down at the deadline
    try:
        later = CLOSES + timedelta(hours=5)
        assert votes.close_due(db, later) == [vote.id]
        assert votes.close_due(db, later + timedelta(minutes=1)) == []
        closed = votes.get(db, vote.id)
        assert closed is not None and closed.closed_at == later
        results = db.fetchall("SELECT member_id FROM outbox WHERE kind = 'vote_result'")
        assert sorted(r[0] for r in results) == sorted(people)
        assert votes.cast(db, vote.id, people[1], option(vote, "for"), later).answer is Answer.CLOSED
    finally:
        await db.close()


async def test_after_a_secret_vote_closes_the_file_holds_no_link_from_member_to_choice(tmp_path: Path) -> None:
    path = tmp_path / "secret.db"
    db = await open_database(path)
    people = residents(db, 5)
    vote = votes.create(db, plan(secret=True), created_by=None, now=NOW)
    moments = [NOW + timedelta(minutes=1, microseconds=123457 * (i + 1)) for i in range(5)]
    for member_id, label, moment in zip(people, ["for", "for", "against", "abstain", "for"], moments, strict=True):
        votes.cast(db, vote.id, member_id, option(vote, label), moment)
    _, proxy = votes.give_proxy(db, vote.id, people[0], people[1], None, NOW, max_proxies=1)
    raw_before = raw_files(tmp_path)
    assert all(m.isoformat().encode() in raw_before for m in moments)  # the link exists while it is open

    votes.close_due(db, CLOSES)
    closed = votes.get(db, vote.id)
    assert closed is not None
    assert {o.label: o.votes for o in closed.options} == {"for": 3, "against": 1, "abstain": 1}
    assert closed.voted == 5 and closed.result().outcome is Outcome.ADOPTED
    assert db.fetchone("SELECT count(*) FROM ballots")[0] == 0
    assert db.fetchone("SELECT count(*) FROM ballot_choices")[0] == 0
    assert votes.card(db, vote.id, people[2]).choices == frozenset()
    raw = raw_files(tmp_path)
    for moment in moments:
        assert moment.isoformat().encode() not in raw
    assert await votes.open_ballots(db, vote.id) == []
    await db.close()


async def test_an_open_vote_shows_organisers_who_voted_what_and_a_deleted_member_counts_anonymously(
    db: Database,
) -> None:
    ann, bob = residents(db, 2)
    vote = votes.create(db, plan(), created_by=None, now=NOW)
    votes.cast(db, vote.id, ann, option(vote, "for"), NOW)
    votes.cast(db, vote.id, bob, option(vote, "against"), NOW)
    bob_member = members.get(db, bob)
    assert bob_member is not None
    members.delete_account(db, bob_member, NOW)
    ballots = await votes.open_ballots(db, vote.id)
    assert [(b.name, b.choices) for b in ballots] == [("Lid 0", ("for",)), (None, ("against",))]
    assert votes.get(db, vote.id).voted == 2


async def test_a_deleted_account_lets_its_proxies_lapse_and_the_other_side_hears_it(db: Database) -> None:
    ann, bob = residents(db, 2)
    vote = votes.create(db, plan(), created_by=None, now=NOW)
    _, proxy = votes.give_proxy(db, vote.id, ann, bob, None, NOW, max_proxies=1)
    assert proxy is not None
    votes.answer_proxy(db, proxy.id, bob, True, NOW, max_proxies=1)
    member = members.get(db, bob)
    assert member is not None
    members.delete_account(db, member, NOW)
    assert votes.proxy(db, proxy.id).status == "lapsed"
    told = db.fetchall("SELECT member_id FROM outbox WHERE kind = 'proxy_lapsed'")
    assert [r[0] for r in told] == [ann]
    assert outbox.sent(db) == []


def test_a_budget_tie_decided_by_the_order_of_the_list_is_said() -> None:
    projects = [
        Counted(1, "Speeltuin", 3, 800_00),
        Counted(2, "Bankjes", 2, 150_00),
        Counted(3, "Fietsenrek", 2, 150_00),
    ]
    result = tally.result(
        "budget", projects, voted=5, eligible=10, quorum_percent=0, majority="half", budget_cents=1000_00
    )
    assert [p.label for p in result.funded] == ["Speeltuin", "Bankjes"]
    assert [p.label for p in result.tied] == ["Fietsenrek"]
