"""Bank transfers: the IBAN check, the reference a bank checks, and the EPC QR code banking apps scan."""

import io

import pytest
import zxingcpp
from PIL import Image

from bot import payments


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"), ("be71 0961 2345 6769", "BE71096123456769")],
)
def test_an_iban_with_right_check_digits_is_kept_without_spaces(typed: str, kept: str) -> None:
    assert payments.iban(typed) == kept


@pytest.mark.parametrize("typed", ["NL91ABNA0417164301", "NL91 ABNA", "", "12345678901234567"])
def test_an_iban_with_a_wrong_check_digit_is_refused(typed: str) -> None:
    assert payments.iban(typed) is None


def test_a_reference_is_an_iso_11649_creditor_reference_and_unique() -> None:
    first, second = payments.reference("SH", 123), payments.reference("SH", 124)
    assert first.startswith("RF") and first != second
    assert payments.as_number(first[4:] + first[:4]) % 97 == 1  # what a bank checks


def test_the_qr_code_carries_iban_name_amount_and_reference() -> None:
    ref = payments.reference("SH", 7)
    png = payments.epc_qr("Wijkcoöperatie De Hoogte", "NL91ABNA0417164300", 2550, ref)
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    lines = found.text.split("\n")
    assert lines[:4] == ["BCD", "002", "1", "SCT"]
    assert (lines[5], lines[6], lines[7], lines[9]) == (
        "Wijkcoöperatie De Hoogte",
        "NL91ABNA0417164300",
        "EUR25.50",
        ref,
    )
