"""(Issue 10: being written.) News about new posts: alerts to members who follow a category, the weekly digest."""

from __future__ import annotations

import sqlite3
from datetime import datetime


def alert_followers(conn: sqlite3.Connection, post_id: int, now: datetime) -> None:
    """Inside the transaction that publishes a post: tell the members who asked to hear about it."""
