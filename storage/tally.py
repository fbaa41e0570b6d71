"""The rules that turn counted votes into a result: quorum, majority, ties, a budget.

Pure functions on numbers, so they are tested on their own edges (exactly at
the quorum, one below; two thirds; a tie; a budget that just fits).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

FOR_AGAINST, CHOICE, BUDGET = "for_against", "choice", "budget"
KINDS = (FOR_AGAINST, CHOICE, BUDGET)
FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
HALF, TWO_THIRDS = "half", "two_thirds"


class Outcome(enum.Enum):
    ADOPTED = "adopted"  # for/against: the proposal is adopted
    REJECTED = "rejected"
    TIE = "tie"  # as many for as against, or two options with the most votes
    WINNER = "winner"  # a choice: one option has the most votes
    FUNDED = "funded"  # a budget: the projects that fit are funded (maybe none)
    NO_QUORUM = "no_quorum"  # too few voted: nothing is decided
    NO_VOTES = "no_votes"  # quorum reached (or none asked) but nobody chose anything that counts


@dataclass(frozen=True)
class Counted:
    """One option as counted: its position, label, votes and (budget) amount."""

    position: int
    label: str
    votes: int
    amount_cents: int | None = None


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    voted: int
    eligible: int
    quorum_needed: int
    winners: tuple[Counted, ...] = ()  # choice: the option with most votes (more than one: a tie)
    funded: tuple[Counted, ...] = ()  # budget: in the order they were funded
    left_cents: int = 0  # budget: what is left after funding
    tied: tuple[Counted, ...] = ()  # budget: not funded, with as many votes as a funded project (a tie said as one)

    @property
    def quorum_reached(self) -> bool:
        return self.voted >= self.quorum_needed

    @property
    def turnout_percent(self) -> int:
        return round(100 * self.voted / self.eligible) if self.eligible else 0


def quorum_needed(eligible: int, percent: int) -> int:
    """How many must vote: the share of the eligible members, rounded up (0 when no quorum is asked)."""
    return -(-eligible * percent // 100)


def adopted(votes_for: int, votes_against: int, majority: str) -> bool:
    """More than half, or at least two thirds, of the votes for and against (abstentions do not count)."""
    decisive = votes_for + votes_against
    if decisive == 0:
        return False
    if majority == TWO_THIRDS:
        return 3 * votes_for >= 2 * decisive
    return 2 * votes_for > decisive


def fund(options: list[Counted], budget_cents: int) -> tuple[tuple[Counted, ...], int]:
    """The most-chosen projects that fit in the budget, in order; and what is left.

    A project that does not fit any more is skipped and the next one that fits is funded.
    Equal votes: the one listed first goes first. Projects nobody chose are not funded."""
    funded = []
    left = budget_cents
    for option in sorted(options, key=lambda o: (-o.votes, o.position)):
        if option.votes > 0 and option.amount_cents is not None and option.amount_cents <= left:
            funded.append(option)
            left -= option.amount_cents
    return tuple(funded), left


def result(
    kind: str,
    options: list[Counted],
    *,
    voted: int,
    eligible: int,
    quorum_percent: int,
    majority: str,
    budget_cents: int | None,
) -> Result:
    """The result of a vote from its counts."""
    needed = quorum_needed(eligible, quorum_percent)

    def made(
        outcome: Outcome,
        winners: tuple[Counted, ...] = (),
        funded: tuple[Counted, ...] = (),
        left_cents: int = 0,
        tied: tuple[Counted, ...] = (),
    ) -> Result:
        return Result(outcome, voted, eligible, needed, winners, funded, left_cents, tied)

    if voted < needed:
        return made(Outcome.NO_QUORUM)
    if kind == FOR_AGAINST:
        votes = {option.label: option.votes for option in options}
        votes_for, votes_against = votes.get(FOR, 0), votes.get(AGAINST, 0)
        if votes_for + votes_against == 0:
            return made(Outcome.NO_VOTES)
        if votes_for == votes_against:
            return made(Outcome.TIE)
        return made(Outcome.ADOPTED if adopted(votes_for, votes_against, majority) else Outcome.REJECTED)
    if kind == BUDGET:
        assert budget_cents is not None
        funded, left = fund(options, budget_cents)
        counts = {project.votes for project in funded}
        tied = tuple(o for o in options if o not in funded and o.votes in counts)
        return made(Outcome.FUNDED, funded=funded, left_cents=left, tied=tied)
    most = max((option.votes for option in options), default=0)
    if most == 0:
        return made(Outcome.NO_VOTES)
    winners = tuple(option for option in options if option.votes == most)
    return made(Outcome.TIE if len(winners) > 1 else Outcome.WINNER, winners=winners)
