"""What of a member's money stays when they delete their account (issue 15), to say so before they do.

Share requests and pledges stay on the anonymous row with the member number (the law requires the cooperative
to keep its financial records: storage/shares.py and storage/campaigns.py forget_member); what waits lapses.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True)
class MoneyKept:
    records: int  # share requests and pledges that stay, without the name
    waiting: int  # of them, not paid yet: they lapse


def of_member(db: Database, member_id: int) -> MoneyKept:
    row = db.fetchone(
        "SELECT count(*), coalesce(sum(status IN ('pledged', 'pending')), 0) FROM (SELECT status FROM share_requests"
        " WHERE member_id = :member UNION ALL SELECT status FROM pledges WHERE member_id = :member)",
        {"member": member_id},
    )
    assert row is not None  # an aggregate gives a row
    return MoneyKept(row[0], row[1])
