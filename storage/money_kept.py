"""What of a member's money stays when they delete their account (issue 15), to say so before they do.

What they paid stays on the anonymous row with the member number (the law requires the cooperative to keep its
financial records: storage/shares.py and storage/campaigns.py forget_member); what waits lapses.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True)
class MoneyKept:
    paid: int  # payments received (shares, their instalments, pledges): they stay, without the name
    waiting: int  # share requests and pledges not paid yet: they lapse
    to_pay_back: int  # cents received on purchases in instalments that lapse (or lapsed): an organiser pays back


def of_member(db: Database, member_id: int) -> MoneyKept:
    row = db.fetchone(
        "SELECT"
        " (SELECT count(*) FROM share_requests WHERE member_id = :member AND status IN ('received', 'paid'))"
        " + (SELECT count(*) FROM share_instalments i JOIN share_requests r ON r.id = i.request_id"
        "    WHERE r.member_id = :member AND i.status = 'received' AND r.status != 'received')"
        " + (SELECT count(*) FROM pledges WHERE member_id = :member AND status = 'received'),"
        " (SELECT count(*) FROM share_requests WHERE member_id = :member AND status = 'pending')"
        " + (SELECT count(*) FROM pledges WHERE member_id = :member AND status = 'pledged'),"
        " (SELECT coalesce(sum(i.amount_cents), 0) FROM share_instalments i JOIN share_requests r"
        "  ON r.id = i.request_id WHERE r.member_id = :member AND i.status = 'received'"
        "  AND (r.status = 'pending' OR (r.status = 'lapsed' AND r.paid_back_at IS NULL)))",
        {"member": member_id},
    )
    assert row is not None  # scalar subqueries give a row
    return MoneyKept(row[0], row[1], row[2])
