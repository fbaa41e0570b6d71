"""What people type as an amount in euros (bot/validation.py amount): a thousands group never starts with 0."""

import pytest

from bot import validation


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("0,50", 50),
        ("2.500,00", 250_000),
        ("2,500.00", 250_000),
        ("€ 2 500", 250_000),
        ("٣", 300),
        ("1.000.000", 100_000_000),
    ],
)
def test_an_amount_is_read_as_the_member_writes_it(typed: str, cents: int) -> None:
    assert validation.amount(typed, 1_000_000, language="nl") == cents


@pytest.mark.parametrize("typed", ["0,001", "0.001", "00.500", "1,5,0", "€", "-5", "1e9"])
def test_what_is_not_an_amount_is_refused(typed: str) -> None:
    with pytest.raises(validation.Invalid):
        validation.amount(typed, 1_000_000, language="nl")


def test_the_highest_amount_is_written_as_the_language_writes_numbers() -> None:
    with pytest.raises(validation.Invalid) as refused:
        validation.amount("200.000", 100_000, language="nl")
    assert refused.value.values == {"maximum": "100.000"}
