"""Lists are paged in SQL: 5 a page (UX.md), with one row more to know there is a next page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from storage.db import Row

PAGE_SIZE = 5  # a list of buttons (UX.md); a list in a text may show more a page
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


def limit_offset(number: int, size: int = PAGE_SIZE) -> str:
    """The SQL that selects page `number` of `size` rows (and one row of the next)."""
    return f" LIMIT {int(size) + 1} OFFSET {int(number) * int(size)}"


def page_of(
    rows: Sequence[Row], number: int, make: Callable[[Row], T], *, counted: bool = False, size: int = PAGE_SIZE
) -> Page[T]:
    """A page from rows selected with limit_offset(); `counted`: each row has `total` (count(*) OVER ())."""
    total = rows[0]["total"] if counted and rows else (0 if counted else None)
    return Page([make(row) for row in rows[:size]], number, len(rows) > size, total)
