"""What organisers see of help and services: requests nobody reacted to, and the figures of a month.

Requests without a reaction are a short page read: only live posts are looked at (the partial
index on ends_at holds just those). The month figures count over all posts, conversations and hour
transfers of a month: a long read, off the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Database, Row
from storage.paging import Page, limit_offset, page_of
from storage.posts import CATEGORIES, OFFER, REQUEST

NO_REACTION_FOR = timedelta(days=7)  # a request nobody reacted to this long needs someone to step in


@dataclass(frozen=True)
class Unanswered:
    """A live request that nobody reacted to, with its author's first name."""

    id: int
    category: str
    kind: str
    title: str
    body: str
    created_at: datetime
    author_name: str | None


_UNANSWERED = (
    " FROM posts p JOIN members m ON m.id = p.member_id"
    " WHERE p.ended_at IS NULL AND p.ends_at > :now AND p.side = 'request' AND p.reactions = 0"
    " AND p.created_at <= :before AND m.status = 'active'"
)
_UNANSWERED_COLUMNS = "SELECT p.id, p.category, p.kind, p.title, p.body, p.created_at, m.first_name"


def _unanswered(row: Row) -> Unanswered:
    return Unanswered(
        id=row["id"],
        category=row["category"],
        kind=row["kind"],
        title=row["title"],
        body=row["body"],
        created_at=datetime.fromisoformat(row["created_at"]),
        author_name=row["first_name"],
    )


def unanswered_page(db: Database, now: datetime, page: int) -> Page[Unanswered]:
    """Live requests older than NO_REACTION_FOR without a reaction, oldest first, 5 a page (with the total)."""
    rows = db.fetchall(
        _UNANSWERED_COLUMNS
        + ", count(*) OVER () AS total"
        + _UNANSWERED
        + " ORDER BY p.created_at, p.id"
        + limit_offset(page),
        {"now": now.isoformat(), "before": (now - NO_REACTION_FOR).isoformat()},
    )
    return page_of(rows, page, _unanswered, counted=True)


def unanswered(db: Database, post_id: int, now: datetime) -> Unanswered | None:
    """One of those requests, if it still is one (up, and still without a reaction)."""
    row = db.fetchone(
        _UNANSWERED_COLUMNS + _UNANSWERED + " AND p.id = :post",
        {"now": now.isoformat(), "before": (now - NO_REACTION_FOR).isoformat(), "post": post_id},
    )
    return _unanswered(row) if row else None


@dataclass(frozen=True)
class MonthFigures:
    """Help and services in one month."""

    posts: dict[tuple[str, str], int]  # (category, side) -> posts published
    reactions: int  # conversations started
    helped: int  # posts ended with ✅ Helped
    halves: int  # half hours exchanged in the time bank (corrections included)

    def published(self, category: str, side: str) -> int:
        return self.posts.get((category, side), 0)

    def per_category(self) -> list[tuple[str, int, int]]:
        """(category, requests, offers) for every category, in the fixed order."""
        return [(c, self.published(c, REQUEST), self.published(c, OFFER)) for c in CATEGORIES]

    @property
    def total(self) -> int:
        return sum(self.posts.values())


async def month_figures(db: Database, start: datetime, end: datetime) -> MonthFigures:
    """The figures from `start` up to `end` (UTC): one long read."""
    rows = await db.read(
        "SELECT 'posts', category, side, count(*) FROM posts WHERE created_at >= :start AND created_at < :end"
        " GROUP BY category, side"
        " UNION ALL SELECT 'reactions', NULL, NULL, count(*) FROM talks"
        "  WHERE started_at >= :start AND started_at < :end"
        " UNION ALL SELECT 'helped', NULL, NULL, count(*) FROM posts"
        "  WHERE end_reason = 'helped' AND ended_at >= :start AND ended_at < :end"
        # hours given that month, with the corrections made to them since (also in a later month)
        " UNION ALL SELECT 'halves', NULL, NULL, coalesce(sum(t.halves"
        "  + (SELECT coalesce(sum(c.halves), 0) FROM hour_transfers c WHERE c.corrects = t.id)), 0)"
        "  FROM hour_transfers t WHERE t.corrects IS NULL AND t.created_at >= :start AND t.created_at < :end",
        {"start": start.isoformat(), "end": end.isoformat()},
    )
    totals = {row[0]: row[3] for row in rows if row[0] != "posts"}
    return MonthFigures(
        posts={(row[1], row[2]): row[3] for row in rows if row[0] == "posts"},
        reactions=totals["reactions"],
        helped=totals["helped"],
        halves=totals["halves"],
    )
