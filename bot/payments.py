"""Payments by bank transfer (issue 15): the cooperative never holds money in the bot. A member gets the
cooperative's IBAN and name, the amount and a unique reference, and (as a convenience) an EPC "GiroCode"
QR code that banking apps scan; an organiser confirms when the money arrived.

The reference is an ISO 11649 creditor reference ("RF" + two check digits + what it is for), so a bank
checks it when it is typed and the treasurer can match a payment to what it pays for.
"""

from __future__ import annotations

import io
import re
import string

import segno

_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$")
_LETTERS = {letter: str(number) for number, letter in enumerate(string.ascii_uppercase, start=10)}


def as_number(text: str) -> int:
    """Letters as 10..35, as IBANs and creditor references count them."""
    return int("".join(_LETTERS.get(char, char) for char in text))


def iban(text: str) -> str | None:
    """The IBAN without spaces, in capitals, when its check digits are right; None otherwise."""
    compact = "".join(text.split()).upper()
    if not _IBAN.match(compact) or as_number(compact[4:] + compact[:4]) % 97 != 1:
        return None
    return compact


def grouped(text: str) -> str:
    """In groups of four, as people read an IBAN or a reference aloud: "NL91 ABNA 0417 1643 00"."""
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def reference(what: str, number: int) -> str:
    """A unique creditor reference for one payment, like "RF45SH000123" for `what`="SH", `number`=123."""
    body = f"{what}{number:06d}".upper()
    check = 98 - as_number(body + "RF00") % 97
    return f"RF{check:02d}{body}"


def epc_payload(name: str, account: str, cents: int, ref: str) -> str:
    """The text of an EPC069-12 QR code (version 002: no BIC needed within the SEPA area)."""
    return "\n".join(
        ["BCD", "002", "1", "SCT", "", name[:70], account, f"EUR{cents // 100}.{cents % 100:02d}", "", ref, ""]
    )


def epc_qr(name: str, account: str, cents: int, ref: str) -> bytes:
    """The QR code as a PNG, to send as a photo under the payment instructions."""
    out = io.BytesIO()
    segno.make(epc_payload(name, account, cents, ref), error="m", micro=False).save(out, kind="png", scale=8)
    return out.getvalue()
