"""The messages the bot sends by itself about a member's posts (bot/notices.py asks here).

"Keep it?" goes to the author some days before a post ends (storage/posts.py
picks a daytime moment); it is not sent once the post ended or was kept
meanwhile. The helper a member named on ✅ Helped gets a thank-you. An author
whose post an organiser hid (after a report) is told, without who reported it.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot import i18n, post_text
from bot.config import Settings
from bot.formatting import format_when
from bot.keyboards import button, inline, nav_row
from storage import members, posts
from storage.db import Database
from storage.members import ACTIVE
from storage.outbox import Claimed
from storage.posts import HELPED, HIDDEN, HIDDEN_NOTICE, KEEP_REMINDER, THANKS

KINDS = {KEEP_REMINDER, THANKS, HIDDEN_NOTICE}
NOT_ESSENTIAL = {THANKS}  # a member who paused messages does not get these; "keep it?" is a deadline they act on
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


def compose(message: Claimed, db: Database, settings: Settings, now: datetime) -> tuple[int, str, Markup] | None:
    """(chat, text, buttons) for one outbox row, or None when it no longer holds."""
    member = members.get(db, message.member_id) if message.member_id else None
    post = posts.get(db, message.payload["post"])
    if member is None or member.telegram_id is None or member.status != ACTIVE or post is None:
        return None
    _ = i18n.translator(member.language)
    if message.kind == KEEP_REMINDER:
        still = post.member_id == member.id and post.ended_at is None and post.ends_at > now
        if not still or post.ends_at.isoformat() != message.payload["ends_at"]:  # ended, or kept already
            return None
        text = _("⏳ Your post “{title}” ends on {when}.\nDo you want to keep it?").format(
            title=escape(post.title), when=format_when(post.ends_at, member.language, settings.timezone)
        )
        rows = [
            [button(post_text.keep_label(member.language, settings.post_days), "mypost", "keep", post.id)],
            [button("📋 " + _("My posts"), "mypost", "list", 0)],
            nav_row(_, None),
        ]
        return member.telegram_id, text, inline(rows)
    if message.kind == HIDDEN_NOTICE:
        if post.end_reason != HIDDEN or post.member_id != member.id:
            return None
        text = _(
            "🚫 An organiser took your post “{title}” away. Other members can no longer see it.\n"
            "Questions? Ask at the desk of the community centre."
        ).format(title=escape(post.title))
        return member.telegram_id, text, inline([nav_row(_, None)])
    if post.end_reason != HELPED or post.helper_id != member.id or not post.member_name:
        return None
    text = _("🙏 {name} says thank you for your help with “{title}”.").format(
        name=escape(post.member_name), title=escape(post.title)
    )
    return member.telegram_id, text, inline([nav_row(_, None)])
