"""Help and service posts: a member asks for help (a request) or offers it (an offer), in one category.

A post ends by itself after WIJKBOT_POST_DAYS, when its author says ✅ Helped or
deletes it, when an organiser hides it, or when its author leaves.
"""

from __future__ import annotations

REQUEST, OFFER = "request", "offer"
SIDES = (REQUEST, OFFER)
FREE, SWAP, PAID = "free", "swap", "paid"
KINDS = (FREE, SWAP, PAID)  # paid: for ZZP'ers only
HOUR, JOB = "hour", "job"
PRICE_UNITS = (HOUR, JOB)
CATEGORIES = (
    *("odd_jobs", "garden", "shopping", "transport", "computer", "language"),
    *("childcare", "cooking", "sewing", "company", "other"),
)
