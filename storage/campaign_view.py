"""What a campaign's card shows one member, read at once (issue 15; bot/campaign_card.py).

A card is opened, shown again after every pledge and edited as the campaign grows: the named supporters, the
member's own pledges and what the campaign asks for besides money (with the member's part) come in one read,
so a tap stays within DESIGN.md's 5 database calls.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from storage.campaign_needs import Need, need_from
from storage.campaigns import Pledge, pledge_from
from storage.db import Database

NAMES = 5  # supporters named on a card
NEWEST = 100  # the newest pledges they are found among: a card with thousands of pledges stays one quick read
_SQL = """
SELECT
  (SELECT json_group_array(first_name) FROM (
     SELECT m.first_name FROM (
       SELECT member_id, max(pledged_at) AS last FROM (
         SELECT * FROM (SELECT member_id, pledged_at FROM pledges WHERE campaign_id = :campaign
           AND status = 'pledged' ORDER BY pledged_at DESC LIMIT :newest)
         UNION ALL
         SELECT * FROM (SELECT member_id, pledged_at FROM pledges WHERE campaign_id = :campaign
           AND status = 'received' ORDER BY pledged_at DESC LIMIT :newest))
       GROUP BY member_id) r JOIN members m ON m.id = r.member_id
     WHERE m.first_name IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pledges a WHERE a.member_id = r.member_id
       AND +a.campaign_id = :campaign AND a.anonymous = 1 AND a.status != 'lapsed')
     ORDER BY r.last DESC LIMIT :names)) AS names,
  (SELECT json_group_array(json_object('id', p.id, 'campaign_id', p.campaign_id, 'member_id', p.member_id,
     'amount_cents', p.amount_cents, 'anonymous', p.anonymous, 'reference', p.reference, 'status', p.status,
     'pledged_at', p.pledged_at, 'decided_at', p.decided_at, 'decided_by', p.decided_by,
     'first_name', m.first_name, 'member_no', m.member_no,
     'member_left', m.status = 'deleted'))
   FROM (SELECT * FROM pledges WHERE campaign_id = :campaign AND member_id = :member
         ORDER BY pledged_at, id LIMIT 20) p JOIN members m ON m.id = p.member_id) AS mine,
  (SELECT json_group_array(json_object('id', n.id, 'campaign_id', n.campaign_id, 'kind', n.kind, 'text', n.text,
     'wanted', n.wanted, 'pledged', n.pledged, 'shift_id', n.shift_id, 'yours', n.yours))
   FROM (SELECT c.*, coalesce(np.amount, 0) AS yours FROM campaign_needs c
         LEFT JOIN need_pledges np ON np.need_id = c.id AND np.member_id = :member AND np.status = 'pledged'
         WHERE c.campaign_id = :campaign ORDER BY c.id) n) AS needs
"""


@dataclass(frozen=True)
class Seen:
    names: list[str]  # supporters other members may see (not anonymous), the newest first
    mine: list[Pledge]  # the member's own pledges, the oldest first (a handful at most)
    needs: list[tuple[Need, int]]  # help and things asked for, each with how many the member pledged (0: none)


def seen_by(db: Database, campaign_id: int, member_id: int) -> Seen:
    row = db.fetchone(_SQL, {"campaign": campaign_id, "member": member_id, "names": NAMES, "newest": NEWEST})
    assert row is not None  # scalar subqueries give a row
    needs = [(need_from(found), found["yours"]) for found in json.loads(row["needs"])]
    return Seen(json.loads(row["names"]), [pledge_from(found) for found in json.loads(row["mine"])], needs)
