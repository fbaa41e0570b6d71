"""Lists are paged in SQL: 5 a page (UX.md), with one row more to know there is a next page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from storage.db import Row

PAGE_SIZE = 5
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    has_next: bool
    total: int | None = None  # how many there are in all, when the query counted them

    @property
    def has_previous(self) -> bool:
        return self.number > 0


def limit_offset(number: int) -> str:
    """The SQL that selects page `number` (and one row of the next)."""
    return f" LIMIT {PAGE_SIZE + 1} OFFSET {number * PAGE_SIZE}"


def page_of(rows: Sequence[Row], number: int, make: Callable[[Row], T], *, counted: bool = False) -> Page[T]:
    """A page from rows selected with limit_offset(); `counted`: each row has `total` (count(*) OVER ())."""
    total = rows[0]["total"] if counted and rows else (0 if counted else None)
    return Page([make(row) for row in rows[:PAGE_SIZE]], number, len(rows) > PAGE_SIZE, total)
