"""Votes: who may vote, ballots, proxies, opening and closing exactly once.

The rules that must never break are settled here, in one transaction each:
one ballot per voter per vote (a unique key), only the members who were
active when the vote opened may vote, nothing changes after the deadline, and
a vote closes once (the statement that sets closed_at decides who closes it).
The counts a card shows are kept by triggers (migration 0007).

What a secret vote stores, and why it is enough:
- While it is open, `ballots` links a member to their choice. The bot needs
  that link so a member can change their vote and so a proxy's vote is dropped
  when the giver votes themself. No screen, export or data download shows it
  for a secret vote; only this module reads it, to answer the member themself.
- At the close, in the transaction that closes it, the ballots and their
  choices are deleted and a fixed proxy choice is emptied. What remains is the
  count per option (`vote_options.votes`) and who voted (`voters.voted`, for
  turnout and the quorum): the result can be checked, a choice cannot be
  traced. secure_delete overwrites the deleted rows and the WAL is emptied
  right after (Database.checkpoint), so the file keeps no copy.
- Nothing else holds a choice: messages about proxies never name it, the
  audit log records no ballots (a vote an organiser cast for a member only
  who helped and why: _helped), and a budget is ticked straight into the
  ballot (no draft is kept in the conversation data; an organiser's ticks for
  a member live only in the buttons, handlers/acting_votes.py).
"""

from __future__ import annotations

import enum
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from storage import audit, outbox, proposals, tally
from storage.audit import Acting
from storage.db import Database, Part, Row, moment, search_key
from storage.outbox import Message
from storage.paging import Page, limit_offset, page_of
from storage.tally import BUDGET, Counted, Result

REMINDER_BEFORE = timedelta(hours=24)  # the automatic reminder to those who have not voted
REMIND_AGAIN_AFTER = timedelta(hours=1)  # between two 🔔 reminders of organisers
RESULT_KEPT = timedelta(days=7)  # a result not sent by then (the bot was down a week) is not sent late
LIVE_PROXY = "('asked', 'accepted', 'used')"  # a proxy that may still carry a vote (SQL)
VOTED_FOR = "voted_by_organiser"  # an organiser cast a member's vote at their request: audit action, outbox kind


@dataclass(frozen=True)
class Option:
    id: int
    position: int
    label: str  # for/against/abstain for a for_against vote; a project for a budget
    amount_cents: int | None = None
    note: str | None = None
    proposal_id: int | None = None
    votes: int = 0
    funded: bool | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class PlannedOption:
    label: str
    amount_cents: int | None = None
    note: str | None = None
    proposal_id: int | None = None


@dataclass(frozen=True)
class Plan:
    """What an organiser fills in for a new vote (times in UTC)."""

    title: str
    body: str
    kind: str
    secret: bool
    live_results: bool
    quorum_percent: int
    majority: str
    opens_at: datetime
    closes_at: datetime
    options: tuple[PlannedOption, ...]
    budget_cents: int | None = None
    proposal_id: int | None = None  # the member's proposal this vote is about


@dataclass(frozen=True)
class Vote:
    id: int
    title: str
    body: str
    kind: str
    secret: bool
    live_results: bool
    quorum_percent: int
    majority: str
    budget_cents: int | None
    opens_at: datetime
    closes_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    eligible: int
    voted: int
    created_by: int | None
    proposal_id: int | None = None
    options: tuple[Option, ...] = ()

    def open_at(self, now: datetime) -> bool:
        """Can members vote now? Opened, not closed, and before the deadline."""
        return self.opened_at is not None and self.closed_at is None and now < self.closes_at

    def option(self, option_id: int) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)

    def result(self) -> Result:
        """The result as the counts are now (final once closed)."""
        return tally.result(
            self.kind,
            [Counted(o.position, o.label, o.votes, o.amount_cents) for o in self.options],
            voted=self.voted,
            eligible=self.eligible,
            quorum_percent=self.quorum_percent,
            majority=self.majority,
            budget_cents=self.budget_cents,
        )

    def results_shown(self) -> bool:
        """Counts may be shown: after the close, or during it when the organiser chose so."""
        return self.closed_at is not None or self.live_results


@dataclass(frozen=True)
class Proxy:
    """A proxy on one vote: the giver lets the holder vote for them."""

    id: int
    vote_id: int
    giver_id: int
    giver_name: str | None  # None: the account was deleted
    holder_id: int
    holder_name: str | None
    option_id: int | None  # the giver fixed the choice
    status: str
    choices: frozenset[int] = frozenset()  # what the holder cast for the giver (the holder's card only)


@dataclass(frozen=True)
class Card:
    """A vote as one member sees it."""

    vote: Vote
    eligible: bool
    counted: bool  # a vote counts for them (also after a secret vote closed and its ballots are gone)
    choices: frozenset[int]  # the options of their own ballot; empty: no vote of theirs is stored
    cast_by_proxy: bool  # their ballot was cast by the holder of their proxy
    given: Proxy | None  # the live proxy they gave
    held: tuple[Proxy, ...]  # the proxies they hold that are accepted or used

    @property
    def voted(self) -> bool:
        return bool(self.choices)

    def spent_cents(self, choices: frozenset[int] | None = None) -> int:
        """A budget: what the ticked projects cost together."""
        ticked = self.choices if choices is None else choices
        return sum(o.amount_cents or 0 for o in self.vote.options if o.id in ticked)


class Answer(enum.Enum):
    VOTED = "voted"
    CHANGED = "changed"
    SAME = "same"  # the same choice again (a double tap)
    UNTICKED = "unticked"  # a budget project taken off
    OVER_BUDGET = "over_budget"
    GONE = "gone"  # no such vote
    NOT_OPEN = "not_open"  # not opened yet
    CLOSED = "closed"
    NO_OPTION = "no_option"  # not an option of this vote, or of the wrong kind
    NOT_ELIGIBLE = "not_eligible"
    NOT_PROXY = "not_proxy"  # no live proxy from that member to this one
    FIXED = "fixed"  # the giver fixed another choice
    # proxies
    ASKED = "asked"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    SELF = "self"
    HOLDER_NOT_ELIGIBLE = "holder_not_eligible"
    ALREADY_VOTED = "already_voted"
    ALREADY_GIVEN = "already_given"
    GIVER_HOLDS = "giver_holds"  # no chains: who holds a proxy cannot give their own vote away
    HOLDER_GAVE = "holder_gave"  # no chains: who gave their vote away cannot hold one
    HOLDER_FULL = "holder_full"
    USED = "used"  # a proxy that was used can no longer be taken back
    NO_MEMBER = "no_member"  # an organiser acts for a member who is no longer active


@dataclass(frozen=True)
class Cast:
    """How a tap on a vote ended, the card as it is now, and a proxy it dropped."""

    answer: Answer
    card: Card | None
    dropped: Proxy | None = None  # the giver voted themself: the proxy for them no longer counts


_VOTE = "SELECT v.* FROM votes v"


def _option(row: Row) -> Option:
    return Option(
        id=row["id"],
        position=row["position"],
        label=row["label"],
        amount_cents=row["amount_cents"],
        note=row["note"],
        proposal_id=row["proposal_id"],
        votes=row["votes"],
        funded=None if row["funded"] is None else bool(row["funded"]),
        outcome=row["outcome"],
    )


def _vote(row: Row, options: tuple[Option, ...] = ()) -> Vote:
    return Vote(
        id=row["id"],
        title=row["title"],
        body=row["body"],
        kind=row["kind"],
        secret=bool(row["secret"]),
        live_results=bool(row["live_results"]),
        quorum_percent=row["quorum_percent"],
        majority=row["majority"],
        budget_cents=row["budget_cents"],
        opens_at=datetime.fromisoformat(row["opens_at"]),
        closes_at=datetime.fromisoformat(row["closes_at"]),
        opened_at=moment(row["opened_at"]),
        closed_at=moment(row["closed_at"]),
        eligible=row["eligible_count"],
        voted=row["voted_count"],
        created_by=row["created_by"],
        proposal_id=row["proposal_id"],
        options=options,
    )


def _vote_in(conn: sqlite3.Connection, vote_id: int) -> Vote | None:
    """Inside a transaction (or one read): the vote with its options, as stored now."""
    row = conn.execute(_VOTE + " WHERE v.id = ?", (vote_id,)).fetchone()
    if row is None:
        return None
    options = conn.execute("SELECT * FROM vote_options WHERE vote_id = ? ORDER BY position", (vote_id,)).fetchall()
    return _vote(row, tuple(_option(o) for o in options))


def get(db: Database, vote_id: int) -> Vote | None:
    with db.transaction() as conn:
        return _vote_in(conn, vote_id)


_PROXY = (
    "SELECT p.*, g.first_name AS giver_name, h.first_name AS holder_name FROM proxies p"
    " JOIN members g ON g.id = p.giver_id JOIN members h ON h.id = p.holder_id"
)


def _proxy(row: Row, choices: frozenset[int] = frozenset()) -> Proxy:
    return Proxy(
        id=row["id"],
        vote_id=row["vote_id"],
        giver_id=row["giver_id"],
        giver_name=row["giver_name"],
        holder_id=row["holder_id"],
        holder_name=row["holder_name"],
        option_id=row["option_id"],
        status=row["status"],
        choices=choices,
    )


def _ballot(conn: sqlite3.Connection, vote_id: int, member_id: int) -> tuple[int | None, frozenset[int], int | None]:
    """Inside a transaction: (ballot id, chosen option ids, cast by) of a member's ballot; (None, {}, None): none."""
    row = conn.execute("SELECT id, cast_by FROM ballots WHERE vote_id = ? AND member_id = ?", (vote_id, member_id))
    found = row.fetchone()
    if found is None:
        return None, frozenset(), None
    chosen = conn.execute("SELECT option_id FROM ballot_choices WHERE ballot_id = ?", (found["id"],)).fetchall()
    return found["id"], frozenset(r[0] for r in chosen), found["cast_by"]


def _card(conn: sqlite3.Connection, vote: Vote, member_id: int) -> Card:
    voter = conn.execute(
        "SELECT voted FROM voters WHERE vote_id = ? AND member_id = ?", (vote.id, member_id)
    ).fetchone()
    _, choices, cast_by = _ballot(conn, vote.id, member_id)
    given = conn.execute(
        _PROXY + f" WHERE p.vote_id = ? AND p.giver_id = ? AND p.status IN {LIVE_PROXY}", (vote.id, member_id)
    ).fetchone()
    held = []
    for row in conn.execute(
        _PROXY + " WHERE p.holder_id = ? AND p.vote_id = ? AND p.status IN ('accepted', 'used') ORDER BY p.id",
        (member_id, vote.id),
    ).fetchall():
        _, their_choices, by = _ballot(conn, vote.id, row["giver_id"])
        held.append(_proxy(row, their_choices if by == member_id else frozenset()))
    return Card(
        vote=vote,
        eligible=voter is not None,
        counted=bool(voter and voter["voted"]),
        choices=choices,
        cast_by_proxy=cast_by is not None,
        given=_proxy(given) if given else None,
        held=tuple(held),
    )


def card(db: Database, vote_id: int, member_id: int) -> Card | None:
    """The vote as this member sees it: one transaction of short reads."""
    with db.transaction() as conn:
        vote = _vote_in(conn, vote_id)
        return _card(conn, vote, member_id) if vote else None


def create(db: Database, plan: Plan, *, created_by: int | None, now: datetime) -> Vote:
    """Store a new vote; it opens at once when its time has come (the voters are fixed then)."""
    with db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO votes (title, body, kind, secret, live_results, quorum_percent, majority, budget_cents,"
            " opens_at, closes_at, proposal_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                plan.title,
                plan.body,
                plan.kind,
                int(plan.secret),
                int(plan.live_results and not plan.secret),  # counts that move would show who chose what
                plan.quorum_percent,
                plan.majority,
                plan.budget_cents,
                plan.opens_at.isoformat(),
                plan.closes_at.isoformat(),
                plan.proposal_id,
                created_by,
                now.isoformat(),
            ),
        )
        vote_id = cursor.lastrowid
        assert vote_id is not None
        conn.executemany(
            "INSERT INTO vote_options (vote_id, position, label, amount_cents, note, proposal_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (vote_id, position, o.label, o.amount_cents, o.note, o.proposal_id)
                for position, o in enumerate(plan.options, start=1)
            ],
        )
        asked = {plan.proposal_id, *(o.proposal_id for o in plan.options)}
        for proposal_id in sorted(p for p in asked if p is not None):
            proposals.put_to_vote(conn, proposal_id, created_by, now)
        if plan.opens_at <= now:
            _open(conn, vote_id, now)
        vote = _vote_in(conn, vote_id)
    assert vote is not None
    return vote


def _open(conn: sqlite3.Connection, vote_id: int, now: datetime) -> bool:
    """Inside a transaction: open the vote once. The active members now are its voters; they are told,
    and reminded a day before the deadline (the sender drops the reminder for whoever voted by then)."""
    row = conn.execute(
        "UPDATE votes SET opened_at = ? WHERE id = ? AND opened_at IS NULL RETURNING closes_at",
        (now.isoformat(), vote_id),
    ).fetchone()
    if row is None:
        return False
    closes_at = datetime.fromisoformat(row[0])
    count = conn.execute(
        "INSERT INTO voters (vote_id, member_id) SELECT ?, id FROM members WHERE status = 'active'", (vote_id,)
    ).rowcount
    conn.execute("UPDATE votes SET eligible_count = ? WHERE id = ?", (count, vote_id))
    _tell_voters(conn, vote_id, "vote_opened", now, closes_at, tag="")
    remind_at = closes_at - REMINDER_BEFORE
    if remind_at > now:
        _tell_voters(conn, vote_id, "vote_reminder", remind_at, closes_at, tag="auto")
    return True


def _tell_voters(
    conn: sqlite3.Connection,
    vote_id: int,
    kind: str,
    deliver_at: datetime,
    expires_at: datetime,
    *,
    tag: str,
    payload: str = "{}",
    only_not_voted: bool = False,
) -> int:
    """Inside a transaction: one outbox message to each voter of a vote, in one statement."""
    return conn.execute(
        "INSERT OR IGNORE INTO outbox (key, kind, member_id, vote_id, payload, deliver_at, expires_at)"
        " SELECT printf('%s:%d:%d:%s', ?, vote_id, member_id, ?), ?, member_id, vote_id, ?, ?, ?"
        " FROM voters WHERE vote_id = ?" + (" AND voted = 0" if only_not_voted else ""),
        (kind, tag, kind, payload, deliver_at.isoformat(), expires_at.isoformat(), vote_id),
    ).rowcount


def open_due(db: Database, now: datetime) -> list[int]:
    """Open every vote whose time has come; each in its own transaction. Returns their ids."""
    due = db.fetchall(
        "SELECT id FROM votes WHERE opened_at IS NULL AND opens_at <= ? ORDER BY opens_at", (now.isoformat(),)
    )
    opened = []
    for (vote_id,) in due:
        with db.transaction() as conn:
            if _open(conn, vote_id, now):
                opened.append(vote_id)
    return opened


def close_due(db: Database, now: datetime) -> list[int]:
    """Close every open vote past its deadline, exactly once, also long after it (the bot was down).

    In the same transaction: budget projects are marked funded, proxies not used lapse, the result goes
    to every voter and to the organisers, and a secret vote's ballots are destroyed (module docstring)."""
    due = db.fetchall(
        "SELECT id FROM votes WHERE opened_at IS NOT NULL AND closed_at IS NULL AND closes_at <= ? ORDER BY closes_at",
        (now.isoformat(),),
    )
    closed = []
    secret = False
    for (vote_id,) in due:
        with db.transaction() as conn:
            row = conn.execute(
                "UPDATE votes SET closed_at = ? WHERE id = ? AND closed_at IS NULL RETURNING secret",
                (now.isoformat(), vote_id),
            ).fetchone()
            if row is None:
                continue
            _close(conn, vote_id, now, secret=bool(row[0]))
            secret = secret or bool(row[0])
            closed.append(vote_id)
    if secret:
        db.checkpoint()
    return closed


def _close(conn: sqlite3.Connection, vote_id: int, now: datetime, *, secret: bool) -> None:
    vote = _vote_in(conn, vote_id)
    assert vote is not None
    if vote.kind == BUDGET:
        funded = {counted.position for counted in vote.result().funded}
        conn.executemany(
            "UPDATE vote_options SET funded = ? WHERE id = ?",
            [(int(option.position in funded), option.id) for option in vote.options],
        )
    conn.execute(
        "UPDATE proxies SET status = 'lapsed', changed_at = ? WHERE vote_id = ? AND status IN ('asked', 'accepted')",
        (now.isoformat(), vote_id),
    )
    expires = now + RESULT_KEPT
    _tell_voters(conn, vote_id, "vote_result", now, expires, tag="")
    conn.execute(
        "INSERT OR IGNORE INTO outbox (key, kind, member_id, vote_id, deliver_at, expires_at)"
        " SELECT printf('vote_result:%d:%d:', ?, r.member_id), 'vote_result', r.member_id, ?, ?, ?"
        " FROM member_roles r JOIN members m ON m.id = r.member_id WHERE r.role = 'organiser' AND m.status = 'active'",
        (vote_id, vote_id, now.isoformat(), expires.isoformat()),
    )
    if secret:
        conn.execute("DELETE FROM ballots WHERE vote_id = ?", (vote_id,))
        conn.execute("UPDATE proxies SET option_id = NULL WHERE vote_id = ?", (vote_id,))


def refusal(vote: Vote | None, now: datetime) -> Answer | None:
    """Why nobody can vote, or give or answer a proxy, on this vote now (None: they can)."""
    if vote is None:
        return Answer.GONE
    if vote.opened_at is None:
        return Answer.NOT_OPEN
    if not vote.open_at(now):
        return Answer.CLOSED
    return None


def _is_voter(conn: sqlite3.Connection, vote_id: int, member_id: int, *, active: bool = False) -> bool:
    """Inside a transaction: may this member vote on this vote (and, with `active`, are they still active)?"""
    return (
        conn.execute(
            "SELECT 1 FROM voters vr JOIN members m ON m.id = vr.member_id WHERE vr.vote_id = ? AND vr.member_id = ?"
            + (" AND m.status = 'active'" if active else ""),
            (vote_id, member_id),
        ).fetchone()
        is not None
    )


def _carried(conn: sqlite3.Connection, vote_id: int, giver_id: int, holder_id: int) -> Row | None:
    """Inside a transaction: the proxy from giver to holder that the holder may use now."""
    row: Row | None = conn.execute(
        _PROXY + " WHERE p.vote_id = ? AND p.giver_id = ? AND p.holder_id = ? AND p.status IN ('accepted', 'used')",
        (vote_id, giver_id, holder_id),
    ).fetchone()
    return row


def _drop_proxy_of(conn: sqlite3.Connection, vote_id: int, giver_id: int, now: datetime) -> Proxy | None:
    """Inside a transaction: the giver votes themself, so a live proxy of theirs ends; its holder is told."""
    row = conn.execute(
        _PROXY + f" WHERE p.vote_id = ? AND p.giver_id = ? AND p.status IN {LIVE_PROXY}", (vote_id, giver_id)
    ).fetchone()
    if row is None:
        return None
    conn.execute("UPDATE proxies SET status = 'dropped', changed_at = ? WHERE id = ?", (now.isoformat(), row["id"]))
    _tell_proxy(conn, row, "proxy_dropped", row["holder_id"], now)
    return replace(_proxy(row), status="dropped")


def _tell_proxy(conn: sqlite3.Connection, proxy: Row, kind: str, member_id: int, now: datetime) -> None:
    """Inside a transaction: tell one side of a proxy what happened to it (never what was chosen)."""
    closes_at = conn.execute("SELECT closes_at FROM votes WHERE id = ?", (proxy["vote_id"],)).fetchone()[0]
    outbox.add(
        conn,
        [
            Message(
                key=f"{kind}:{proxy['id']}",
                kind=kind,
                member_id=member_id,
                activity_id=None,
                vote_id=proxy["vote_id"],
                deliver_at=now,
                expires_at=max(datetime.fromisoformat(closes_at), now) + RESULT_KEPT,
                payload={"proxy": proxy["id"]},
            )
        ],
    )


def _checked(
    conn: sqlite3.Connection, vote_id: int, member_id: int, option_id: int, now: datetime, for_member: int | None
) -> tuple[Vote | None, Answer | None, Row | None]:
    """Inside a transaction: may this member vote (for themself, or as proxy for `for_member`) for this option?"""
    vote = _vote_in(conn, vote_id)
    refused = refusal(vote, now)
    if refused or vote is None:
        return vote, refused, None
    option = vote.option(option_id)
    if option is None:
        return vote, Answer.NO_OPTION, None
    voter = for_member if for_member is not None else member_id
    if not _is_voter(conn, vote_id, voter):
        return vote, Answer.NOT_ELIGIBLE, None
    if for_member is None:
        return vote, None, None
    proxy = _carried(conn, vote_id, for_member, member_id)
    if proxy is None:
        return vote, Answer.NOT_PROXY, None
    if proxy["option_id"] is not None and proxy["option_id"] != option_id:
        return vote, Answer.FIXED, proxy
    return vote, None, proxy


def _proxy_used(conn: sqlite3.Connection, proxy: Row, now: datetime) -> None:
    if proxy["status"] != "used":
        conn.execute("UPDATE proxies SET status = 'used', changed_at = ? WHERE id = ?", (now.isoformat(), proxy["id"]))
        _tell_proxy(conn, proxy, "proxy_used", proxy["giver_id"], now)


@dataclass
class _Tapped:
    """Inside a vote tap: whose ballot it is, who casts it, and that ballot as stored now."""

    voter: int
    cast_by: int | None  # the proxy who casts it for the voter
    id: int | None
    choices: frozenset[int]
    was_cast_by: int | None


def _new_ballot(conn: sqlite3.Connection, vote_id: int, ballot: _Tapped, now: datetime) -> int:
    ballot_id = conn.execute(
        "INSERT INTO ballots (vote_id, member_id, cast_by, cast_at) VALUES (?, ?, ?, ?)",
        (vote_id, ballot.voter, ballot.cast_by, now.isoformat()),
    ).lastrowid
    assert ballot_id is not None
    return ballot_id


def _choose(conn: sqlite3.Connection, vote: Vote, ballot: _Tapped, option_id: int, now: datetime) -> Answer:
    """One option: the ballot's only choice."""
    if ballot.id is not None and ballot.choices == {option_id} and ballot.was_cast_by == ballot.cast_by:
        return Answer.SAME
    if ballot.id is None:
        ballot_id = _new_ballot(conn, vote.id, ballot, now)
        conn.execute("INSERT INTO ballot_choices (ballot_id, option_id) VALUES (?, ?)", (ballot_id, option_id))
        return Answer.VOTED
    conn.execute("DELETE FROM ballot_choices WHERE ballot_id = ?", (ballot.id,))
    conn.execute("INSERT INTO ballot_choices (ballot_id, option_id) VALUES (?, ?)", (ballot.id, option_id))
    conn.execute(
        "UPDATE ballots SET cast_by = ?, cast_at = ? WHERE id = ?", (ballot.cast_by, now.isoformat(), ballot.id)
    )
    return Answer.CHANGED


def _toggle(conn: sqlite3.Connection, vote: Vote, ballot: _Tapped, option_id: int, now: datetime) -> Answer:
    """A budget project on or off the ballot, within what is left; the last one off takes the vote back."""
    ballot_id, choices = ballot.id, ballot.choices
    if ballot_id is not None and ballot.was_cast_by != ballot.cast_by:  # the giver takes their own vote back
        conn.execute("DELETE FROM ballots WHERE id = ?", (ballot_id,))
        ballot_id, choices = None, frozenset()
    if option_id in choices:
        assert ballot_id is not None
        if len(choices) == 1:
            conn.execute("DELETE FROM ballots WHERE id = ?", (ballot_id,))
        else:
            conn.execute("DELETE FROM ballot_choices WHERE ballot_id = ? AND option_id = ?", (ballot_id, option_id))
        return Answer.UNTICKED
    option = vote.option(option_id)
    assert option is not None and vote.budget_cents is not None
    spent = sum(o.amount_cents or 0 for o in vote.options if o.id in choices)
    if spent + (option.amount_cents or 0) > vote.budget_cents:
        return Answer.OVER_BUDGET
    if ballot_id is None:
        ballot_id = _new_ballot(conn, vote.id, ballot, now)
    conn.execute("INSERT INTO ballot_choices (ballot_id, option_id) VALUES (?, ?)", (ballot_id, option_id))
    return Answer.VOTED


Marking = Callable[[sqlite3.Connection, Vote, _Tapped, int, datetime], Answer]


def _tap(
    db: Database,
    vote_id: int,
    member_id: int,
    option_ids: tuple[int, ...],
    now: datetime,
    for_member: int | None,
    *,
    budget: bool,
    by: Acting | None = None,
) -> Cast:
    """One vote tap in one transaction: checked, the ballot marked (`_choose` or `_toggle`), the card as it is now.

    A member who votes themself ends the proxy they gave; a proxy's vote tells the giver it was used.
    An organiser casting the member's vote (`by`) marks all their options at once (_helped_refusal, _helped)."""
    mark: Marking = _toggle if budget else _choose
    with db.transaction() as conn:
        vote, refused, proxy = _checked(conn, vote_id, member_id, option_ids[0], now, for_member)
        if vote is not None and (vote.kind == BUDGET) != budget:
            refused = refused or Answer.NO_OPTION
        if by is not None and vote is not None:
            refused = refused or _helped_refusal(conn, vote, member_id, option_ids)
        if refused or vote is None:
            return Cast(refused or Answer.GONE, _card(conn, vote, member_id) if vote else None)
        voter = for_member if for_member is not None else member_id
        dropped = _drop_proxy_of(conn, vote_id, member_id, now) if for_member is None else None
        for option_id in option_ids:
            ballot = _Tapped(voter, member_id if for_member is not None else None, *_ballot(conn, vote_id, voter))
            answer = mark(conn, vote, ballot, option_id, now)
        if proxy is not None and answer is not Answer.OVER_BUDGET:
            _proxy_used(conn, proxy, now)
        if by is not None:
            _helped(conn, by, vote, member_id, now)
        return Cast(answer, _card(conn, _vote_in(conn, vote_id) or vote, member_id), dropped)


def _helped_refusal(conn: sqlite3.Connection, vote: Vote, member_id: int, option_ids: tuple[int, ...]) -> Answer | None:
    """Inside a transaction: why an organiser cannot cast this member's vote, beyond the rules of the member's
    own tap: the member is no longer active, their vote already counts (a second tap; or they voted
    themself or by proxy, a choice the organiser may not see and must not overwrite), an option is not one
    of this vote, or the projects do not fit the budget together."""
    if conn.execute("SELECT 1 FROM members WHERE id = ? AND status = 'active'", (member_id,)).fetchone() is None:
        return Answer.NO_MEMBER
    if _ballot(conn, vote.id, member_id)[0] is not None:
        return Answer.ALREADY_VOTED
    chosen = [vote.option(option_id) for option_id in option_ids]
    if None in chosen or len(set(option_ids)) != len(option_ids) or (vote.kind != BUDGET and len(option_ids) != 1):
        return Answer.NO_OPTION
    if vote.kind == BUDGET and sum(o.amount_cents or 0 for o in chosen if o) > (vote.budget_cents or 0):
        return Answer.OVER_BUDGET
    return None


def _helped(conn: sqlite3.Connection, by: Acting, vote: Vote, member_id: int, now: datetime) -> None:
    """Inside the vote's transaction: that the member voted with help, who helped and how they asked.

    This is where a vote cast with help stays as secret as the member's own (module docstring): the ballot
    is the member's own (no cast_by, so they can change it as their own, and a secret vote's close destroys
    it like every other), and all that is added is the audit entry (organiser, member, reason) and, when
    they have Telegram, their message (the vote and the organiser). Neither holds an option, and neither
    may: after the close nothing links the member to a choice (tests/test_acting_votes.py)."""
    audit.record(conn, by.organiser_id, VOTED_FOR, member_id, now, reason=by.reason)
    if conn.execute("SELECT 1 FROM members WHERE id = ? AND telegram_id IS NOT NULL", (member_id,)).fetchone():
        message = Message(
            f"{VOTED_FOR}:{vote.id}:{member_id}:{now.isoformat()}",
            VOTED_FOR,
            member_id,
            None,
            deliver_at=now,
            expires_at=max(vote.closes_at, now) + RESULT_KEPT,
            payload={"by": by.organiser_id},
            vote_id=vote.id,
        )
        outbox.add(conn, [message])


def cast(
    db: Database,
    vote_id: int,
    member_id: int,
    option_id: int,
    now: datetime,
    *,
    for_member: int | None = None,
    for_member_by: Acting | None = None,
) -> Cast:
    """Vote for one option (not a budget), or change the vote; as proxy when `for_member` is given.

    An organiser casts it for a member who told them their choice (`for_member_by`, the member is
    `member_id`): by the same rules, refused when their vote already counts, and logged (_helped)."""
    return _tap(db, vote_id, member_id, (option_id,), now, for_member, budget=False, by=for_member_by)


def tick(
    db: Database, vote_id: int, member_id: int, option_id: int, now: datetime, *, for_member: int | None = None
) -> Cast:
    """A budget: tick a project on or off the ballot; refused when it does not fit in what is left.

    Ticking off the last project takes the vote back. As proxy when `for_member` is given."""
    return _tap(db, vote_id, member_id, (option_id,), now, for_member, budget=True)


def tick_all(
    db: Database, vote_id: int, member_id: int, option_ids: frozenset[int], now: datetime, *, for_member_by: Acting
) -> Cast:
    """A budget: an organiser ticks at once the projects a member told them, as one ballot (like `cast`)."""
    if not option_ids:
        return Cast(Answer.NO_OPTION, None)
    return _tap(db, vote_id, member_id, tuple(sorted(option_ids)), now, None, budget=True, by=for_member_by)


def give_proxy(
    db: Database, vote_id: int, giver_id: int, holder_id: int, option_id: int | None, now: datetime, *, max_proxies: int
) -> tuple[Answer, Proxy | None]:
    """Ask another member to vote for the giver on this vote (with a fixed choice, or their own judgement).

    No chains: whoever holds a proxy cannot give one, whoever gave one cannot hold one. A holder holds
    at most `max_proxies` on a vote. The holder is asked to accept (outbox)."""
    with db.transaction() as conn:
        vote = _vote_in(conn, vote_id)
        refused = refusal(vote, now)
        if refused or vote is None:
            return refused or Answer.GONE, None
        if option_id is not None and (vote.option(option_id) is None or vote.kind == BUDGET):
            return Answer.NO_OPTION, None
        if giver_id == holder_id:
            return Answer.SELF, None
        if not _is_voter(conn, vote_id, giver_id):
            return Answer.NOT_ELIGIBLE, None
        if not _is_voter(conn, vote_id, holder_id, active=True):
            return Answer.HOLDER_NOT_ELIGIBLE, None
        if _ballot(conn, vote_id, giver_id)[0] is not None:
            return Answer.ALREADY_VOTED, None
        problem = _proxy_problem(conn, vote_id, giver_id, holder_id, max_proxies, asking=True)
        if problem:
            return problem, None
        proxy_id = conn.execute(
            "INSERT INTO proxies (vote_id, giver_id, holder_id, option_id, status, created_at, changed_at)"
            " VALUES (?, ?, ?, ?, 'asked', ?, ?)",
            (vote_id, giver_id, holder_id, option_id, now.isoformat(), now.isoformat()),
        ).lastrowid
        row = conn.execute(_PROXY + " WHERE p.id = ?", (proxy_id,)).fetchone()
        _tell_proxy(conn, row, "proxy_asked", holder_id, now)
        return Answer.ASKED, _proxy(row)


def _proxy_problem(
    conn: sqlite3.Connection, vote_id: int, giver_id: int, holder_id: int, max_proxies: int, *, asking: bool
) -> Answer | None:
    """Inside a transaction: why this giver cannot give to this holder now (None: they can)."""
    if (
        asking
        and conn.execute(
            f"SELECT 1 FROM proxies WHERE vote_id = ? AND giver_id = ? AND status IN {LIVE_PROXY}", (vote_id, giver_id)
        ).fetchone()
    ):
        return Answer.ALREADY_GIVEN
    if conn.execute(
        "SELECT 1 FROM proxies WHERE vote_id = ? AND holder_id = ? AND status IN ('accepted', 'used')",
        (vote_id, giver_id),
    ).fetchone():
        return Answer.GIVER_HOLDS
    if conn.execute(
        f"SELECT 1 FROM proxies WHERE vote_id = ? AND giver_id = ? AND status IN {LIVE_PROXY}", (vote_id, holder_id)
    ).fetchone():
        return Answer.HOLDER_GAVE
    held = conn.execute(
        "SELECT count(*) FROM proxies WHERE vote_id = ? AND holder_id = ? AND status IN ('accepted', 'used')",
        (vote_id, holder_id),
    ).fetchone()[0]
    if held >= max_proxies:
        return Answer.HOLDER_FULL
    return None


def answer_proxy(
    db: Database, proxy_id: int, holder_id: int, accept: bool, now: datetime, *, max_proxies: int
) -> tuple[Answer, Proxy | None]:
    """The holder accepts or refuses a proxy they were asked to carry; the giver is told."""
    with db.transaction() as conn:
        row = conn.execute(_PROXY + " WHERE p.id = ? AND p.holder_id = ?", (proxy_id, holder_id)).fetchone()
        if row is None:
            return Answer.GONE, None
        refused = refusal(_vote_in(conn, row["vote_id"]), now)
        if refused:
            return refused, _proxy(row)
        if row["status"] != "asked":
            return (Answer.ACCEPTED if row["status"] in ("accepted", "used") else Answer.WITHDRAWN), _proxy(row)
        if accept:
            problem = _proxy_problem(conn, row["vote_id"], row["giver_id"], holder_id, max_proxies, asking=False)
            if problem:
                return problem, _proxy(row)
        status = "accepted" if accept else "refused"
        conn.execute("UPDATE proxies SET status = ?, changed_at = ? WHERE id = ?", (status, now.isoformat(), proxy_id))
        _tell_proxy(conn, row, f"proxy_{status}", row["giver_id"], now)
        return (Answer.ACCEPTED if accept else Answer.REFUSED), replace(_proxy(row), status=status)


def withdraw_proxy(db: Database, proxy_id: int, giver_id: int, now: datetime) -> tuple[Answer, Proxy | None]:
    """The giver takes a proxy back, until it is used; the holder is told."""
    with db.transaction() as conn:
        row = conn.execute(_PROXY + " WHERE p.id = ? AND p.giver_id = ?", (proxy_id, giver_id)).fetchone()
        if row is None:
            return Answer.GONE, None
        refused = refusal(_vote_in(conn, row["vote_id"]), now)
        if refused:
            return refused, _proxy(row)
        if row["status"] == "used":
            return Answer.USED, _proxy(row)
        if row["status"] not in ("asked", "accepted"):
            return Answer.WITHDRAWN, _proxy(row)
        conn.execute(
            "UPDATE proxies SET status = 'withdrawn', changed_at = ? WHERE id = ?", (now.isoformat(), proxy_id)
        )
        _tell_proxy(conn, row, "proxy_withdrawn", row["holder_id"], now)
        return Answer.WITHDRAWN, replace(_proxy(row), status="withdrawn")


def proxy(db: Database, proxy_id: int) -> Proxy | None:
    row = db.fetchone(_PROXY + " WHERE p.id = ?", (proxy_id,))
    return _proxy(row) if row else None


def lapse_proxies_of(conn: sqlite3.Connection, member_id: int, now: datetime) -> None:
    """Inside the transaction that deletes an account: proxies it gave or holds and that were not used lapse;
    the other side is told. A vote already cast (also by proxy) still counts, anonymously."""
    rows = conn.execute(
        _PROXY + " WHERE (p.giver_id = :m OR p.holder_id = :m) AND p.status IN ('asked', 'accepted')",
        {"m": member_id},
    ).fetchall()
    for row in rows:
        conn.execute("UPDATE proxies SET status = 'lapsed', changed_at = ? WHERE id = ?", (now.isoformat(), row["id"]))
        other = row["holder_id"] if row["giver_id"] == member_id else row["giver_id"]
        _tell_proxy(conn, row, "proxy_lapsed", other, now)


def remind(db: Database, vote_id: int, now: datetime, line: str | None) -> int | None:
    """🔔 Remind: a message to each voter who has not voted, with an optional personal line.

    Returns how many were written (None: the vote is not open)."""
    with db.transaction() as conn:
        vote = _vote_in(conn, vote_id)
        if vote is None or not vote.open_at(now):
            return None
        return _tell_voters(
            conn,
            vote_id,
            "vote_nudge",
            now,
            vote.closes_at,
            tag=now.isoformat(),
            payload=json.dumps({"line": line} if line else {}),
            only_not_voted=True,
        )


def reminded_lately(db: Database, vote_id: int, now: datetime) -> bool:
    """Did an organiser's 🔔 reminder go out (or wait for the morning) less than an hour ago?"""
    row = db.fetchone("SELECT max(deliver_at) FROM outbox WHERE vote_id = ? AND kind = 'vote_nudge'", (vote_id,))
    last = row[0] if row else None
    return last is not None and datetime.fromisoformat(last) > now - REMIND_AGAIN_AFTER


def set_outcome(db: Database, option_id: int, text: str) -> Vote | None:
    """After the close, what became of a funded project (shown on the vote's card)."""
    with db.transaction() as conn:
        row = conn.execute(
            "UPDATE vote_options SET outcome = ? WHERE id = ? AND funded = 1 RETURNING vote_id", (text, option_id)
        ).fetchone()
        return _vote_in(conn, row[0]) if row else None


@dataclass(frozen=True)
class Listed:
    """A vote in a member's list: can they vote, and does a vote count for them."""

    vote: Vote
    eligible: bool
    voted: bool


def _listed(row: Row) -> Listed:
    return Listed(_vote(row), row["eligible"] is not None, bool(row["voted"]))


def open_for_member(
    db: Database, member_id: int, now: datetime, page: int, *, voters_only: bool = False
) -> Page[Listed]:
    """Votes open now, soonest deadline first, with whether this member may vote and has voted
    (`voters_only`: only the votes they may vote on)."""
    rows = db.fetchall(
        "SELECT v.*, vr.member_id AS eligible, vr.voted FROM votes v"
        + (" JOIN" if voters_only else " LEFT JOIN")
        + " voters vr ON vr.vote_id = v.id AND vr.member_id = ?"
        " WHERE v.opened_at IS NOT NULL AND v.closed_at IS NULL AND v.closes_at > ?"
        " ORDER BY v.closes_at, v.id" + limit_offset(page),
        (member_id, now.isoformat()),
    )
    return page_of(rows, page, _listed)


def closed_page(db: Database, page: int) -> Page[Vote]:
    """The archive: closed votes, latest first."""
    rows = db.fetchall(
        _VOTE + " WHERE v.closed_at IS NOT NULL ORDER BY v.closed_at DESC, v.id DESC" + limit_offset(page)
    )
    return page_of(rows, page, _vote)


def running_page(db: Database, page: int) -> Page[Vote]:
    """For organisers: votes not closed yet (open and planned), soonest deadline first."""
    rows = db.fetchall(_VOTE + " WHERE v.closed_at IS NULL ORDER BY v.closes_at, v.id" + limit_offset(page))
    return page_of(rows, page, _vote)


@dataclass(frozen=True)
class CastBallot:
    """One ballot of an open (not secret) vote, for organisers: who, what, and through whom."""

    member_no: int | None
    name: str | None  # None: the account was deleted; the vote still counts
    choices: tuple[str, ...]
    by_proxy: str | None


_BALLOTS = (
    "SELECT m.member_no, m.first_name, m.status, group_concat(o.label, char(31)) AS labels, p.first_name AS proxy,"
    " count(*) OVER () AS total"
    " FROM ballots b JOIN votes v ON v.id = b.vote_id AND v.secret = 0 JOIN members m ON m.id = b.member_id"
    " JOIN ballot_choices c ON c.ballot_id = b.id JOIN vote_options o ON o.id = c.option_id"
    " LEFT JOIN members p ON p.id = b.cast_by WHERE b.vote_id = ? GROUP BY b.id ORDER BY m.member_no, b.id"
)


def _cast_ballot(row: Row) -> CastBallot:
    deleted = row["status"] == "deleted"
    return CastBallot(
        None if deleted else row["member_no"],
        None if deleted else row["first_name"],
        tuple(sorted(row["labels"].split("\x1f"))),
        row["proxy"],
    )


async def open_ballots(db: Database, vote_id: int) -> list[CastBallot]:
    """Who voted what on a vote that is not secret (a secret vote gives nothing): a long read, for the file."""
    return [_cast_ballot(row) for row in await db.read(_BALLOTS, (vote_id,))]


async def ballots_page(db: Database, vote_id: int, page: int, size: int) -> Page[CastBallot]:
    """One page of who voted what (not for a secret vote), by member number, with the total: a long read."""
    rows = await db.read(_BALLOTS + limit_offset(page, size), (vote_id,))
    return page_of(rows, page, _cast_ballot, counted=True, size=size)


@dataclass(frozen=True)
class Involvement:
    """A vote a member could take part in, for "download my data": never what a secret ballot chose."""

    title: str
    closes_at: datetime
    voted: bool
    choices: tuple[str, ...]  # empty for a secret vote
    proxies: tuple[str, ...]  # e.g. "gave:accepted", "held:used"


def _involvement(item: dict) -> Involvement:
    return Involvement(
        item["title"],
        datetime.fromisoformat(item["closes_at"]),
        bool(item["voted"]),
        tuple(sorted(item["labels"])),
        tuple(item["proxies"]),
    )


# Every vote this member was a voter of, with their vote where it is not secret and the proxies they gave
# or held (for "download my data").
INVOLVEMENT = Part(
    "SELECT json_group_array(json(item)) FROM (SELECT json_object('title', v.title, 'closes_at', v.closes_at,"
    "  'voted', vr.voted,"
    "  'labels', json((SELECT json_group_array(o.label) FROM ballots b JOIN ballot_choices c ON c.ballot_id = b.id"
    "   JOIN vote_options o ON o.id = c.option_id WHERE b.vote_id = v.id AND b.member_id = vr.member_id"
    "   AND v.secret = 0)),"
    "  'proxies', json((SELECT json_group_array(CASE WHEN p.giver_id = vr.member_id THEN 'gave:' ELSE 'held:' END"
    "   || p.status) FROM proxies p WHERE p.vote_id = v.id"
    "   AND (p.giver_id = vr.member_id OR p.holder_id = vr.member_id)))) AS item"
    " FROM voters vr JOIN votes v ON v.id = vr.vote_id WHERE vr.member_id = :member ORDER BY v.closes_at)",
    lambda items: [_involvement(item) for item in items],
)


@dataclass(frozen=True)
class Candidate:
    """A member a giver can ask to vote for them on a vote."""

    id: int
    first_name: str
    member_no: int | None


async def candidates(
    db: Database, vote_id: int, giver_id: int, page: int, *, name: str | None = None, member_no: int | None = None
) -> Page[Candidate]:
    """Who a giver can ask, found by first name or by member number: the vote's voters who are still active,
    not the giver, by member number, one page with the total. A long read (a name is found by a scan)."""
    found = "instr(search_key(m.first_name), ?)" if member_no is None else "m.member_no = ?"
    rows = await db.read(
        "SELECT m.id, m.first_name, m.member_no, count(*) OVER () AS total FROM voters vr"
        " JOIN members m ON m.id = vr.member_id"
        f" WHERE vr.vote_id = ? AND m.status = 'active' AND m.telegram_id IS NOT NULL AND m.id != ? AND {found}"
        " ORDER BY m.member_no IS NULL, m.member_no, m.id" + limit_offset(page),
        (vote_id, giver_id, search_key(name) if member_no is None else member_no),
    )
    return page_of(
        rows, page, lambda row: Candidate(row["id"], row["first_name"] or "", row["member_no"]), counted=True
    )
