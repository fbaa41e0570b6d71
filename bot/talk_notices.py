"""The messages the bot sends by itself about conversations and reports (bot/notices.py asks here).

Each is composed when it goes out, in the recipient's language, from the
database as it is then. A relayed message names the sender by first name only:
never their username, Telegram id or phone number. A message written before the
conversation ended still goes out (without ↩️ Reply); a report card is not sent
once an organiser decided. The words and buttons that handlers/talking.py and
handlers/reporting.py show again live here too, so both say the same.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot import callbacks, i18n
from bot.config import Settings
from bot.i18n import N_, Translate
from bot.keyboards import button, inline, nav_row
from storage import members, reports, talks
from storage.db import Database
from storage.members import ACTIVE, Member
from storage.outbox import Claimed
from storage.reports import Report
from storage.talks import Talk, TalkMessage

KINDS = {talks.MESSAGE, talks.ENDED, talks.CONTACT, reports.CARD}
NOT_ESSENTIAL: set[str] = set()  # a neighbour waits for an answer, organisers for a decision: all essential
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None
DECIDED = {
    reports.HIDDEN: N_("🙈 {name} hid the post."),
    reports.SUSPENDED: N_("⏸️ {name} paused the membership of this member."),
    reports.DISMISSED: N_("✔️ {name} found nothing wrong."),
    reports.LEFT: N_("This report is closed."),  # the card says the member left (report_card)
}


def name_or_member(_: Translate, name: str | None) -> str:
    """A member's first name, escaped; someone who left is "A member"."""
    return escape(name) if name else _("A member")


def talk_buttons(_: Translate, talk: Talk) -> list[list[InlineKeyboardButton]]:
    """What either side can do in an open conversation."""
    return [
        [button("↩️ " + _("Reply"), "talk", "reply", talk.id)],
        [button("📱 " + _("Share my contact"), "talk", "share", talk.id)],
        [
            button("✋ " + _("End conversation"), "talk", "end", talk.id),
            button("🚫 " + _("Block"), "talk", "block", talk.id),
        ],
    ]


def compose(message: Claimed, db: Database, settings: Settings, now: datetime) -> tuple[int, str, Markup] | None:
    """(chat, text, buttons) for one outbox row, or None when it no longer holds."""
    member = members.get(db, message.member_id) if message.member_id else None
    if member is None or member.telegram_id is None or member.status != ACTIVE:
        return None
    _ = i18n.translator(member.language)
    about = _report_card if message.kind == reports.CARD else _about_talk
    made = about(_, message, member, db)
    return (member.telegram_id, *made) if made else None


def _about_talk(_: Translate, message: Claimed, member: Member, db: Database) -> tuple[str, Markup] | None:
    if message.kind == talks.MESSAGE:
        return _relayed(_, message, member, db)
    talk = talks.get(db, message.payload["talk"])
    if talk is None or not talk.has(member.id):
        return None
    title = escape(talk.post_title)
    if message.kind == talks.ENDED:
        if talk.ended_at is None:  # it went on again (a new reaction) before this went out
            return None
        if message.payload.get("left"):
            text = (
                _("The member you talked with about “{title}” left the cooperative. This conversation has ended.")
                if title
                else _("A member you talked with left the cooperative. This conversation has ended.")
            ).format(title=title)
        else:
            text = _("✋ {name} ended the conversation about “{title}”.").format(
                name=name_or_member(_, talk.other_name(member.id)), title=title
            )
        return text, inline([nav_row(_, None)])
    sharer = members.get(db, message.payload["member"])
    if sharer is None or sharer.telegram_id is None or talk.other(member.id) != sharer.id:
        return None
    if talks.blocked(db, sharer.id, member.id):
        return None
    # The one place a member's Telegram account is shown to another member: they chose to share it.
    link = f'<a href="tg://user?id={sharer.telegram_id}">{escape(sharer.first_name or "")}</a>'
    text = _("📱 {name} shared their contact with you, about “{title}”.\nTap here to write to them in Telegram: {link}")
    return text.format(name=name_or_member(_, sharer.first_name), title=title, link=link), inline([nav_row(_, None)])


def _relayed(_: Translate, message: Claimed, member: Member, db: Database) -> tuple[str, Markup] | None:
    """A message from the other side, with what the recipient can do about it."""
    made = relayed_text(_, message, member.id, db)
    if made is None:
        return None
    text, talk, relayed = made
    report = [button("⚠️ " + _("Report"), "report", "msg", relayed.id)]
    if talk.ended_at is not None or talk.post_removed:
        return text + "\n\n" + _("This conversation has ended."), inline([report, nav_row(_, None)])
    return text, inline([*talk_buttons(_, talk), report, nav_row(_, None)])


def relayed_text(_: Translate, message: Claimed, member_id: int, db: Database) -> tuple[str, Talk, TalkMessage] | None:
    """The words of a relayed message as its recipient reads them (also read out from the call list), with
    its conversation and the message; None when it no longer holds."""
    relayed = talks.get_message(db, message.payload["message"])
    if relayed is None or not relayed.delivered or relayed.sender_id is None:
        return None
    talk = talks.get(db, relayed.talk_id)
    if talk is None or talk.other(relayed.sender_id) != member_id:
        return None
    words = (
        N_("💬 {name} reacts to your post “{title}”:\n{message}")
        if message.payload.get("reaction")
        else N_("↩️ {name} answers about “{title}”:\n{message}")
    )
    text = _(words).format(
        name=name_or_member(_, talk.other_name(member_id)), title=escape(talk.post_title), message=escape(relayed.body)
    )
    return text, talk, relayed


def report_card(_: Translate, report: Report) -> str:
    """What was reported, as organisers read it: the reported member's first name and a copy of the content.

    When that member left, their words went with them: the card only says so."""
    if report.member_left:
        if report.about_post:
            return _("⚠️ A member reported a post by someone who has left.")
        return _("⚠️ A member reported a message from someone who has left.")
    name = escape(report.reported_name) if report.reported_name else _("a member who has left")
    if report.about_post:
        title, _newline, body = report.content.partition("\n")
        head = _("⚠️ A member reported a post by {name}:").format(name=name)
        return f"{head}\n\n<b>{escape(title)}</b>\n{escape(body)}"
    head = _("⚠️ A member reported a message from {name}:").format(name=name)
    return f"{head}\n\n{escape(report.content)}"


def open_card(_: Translate, report: Report) -> str:
    """The card of a report nobody decided yet: also whether the post is still there to hide."""
    if report.about_post and report.post_gone:
        return report_card(_, report) + "\n\n" + _("ℹ️ The post is already gone. Other members no longer see it.")
    return report_card(_, report)


def report_data(action: str, report_id: int, page: int | None = None) -> str:
    """Callback data about a report. Opened from the list of open reports (handlers/help_admin.py), the twin
    "l" + action also keeps the list's page, so that ⬅️ Back leads there."""
    if page is None:
        return callbacks.pack("report", action, report_id)
    return callbacks.pack("report", "l" + action, report_id, page)


def report_buttons(
    _: Translate, report: Report, organiser_id: int, page: int | None = None
) -> list[list[InlineKeyboardButton]]:
    """What an organiser can do about an open report (not pause themself: the only organiser gets reports
    about themself too)."""

    def row(label: str, action: str) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(label, callback_data=report_data(action, report.id, page))]

    rows = [row("🙈 " + _("Hide post"), "hide")] if report.about_post and not report.post_gone else []
    if report.reported_id not in (None, organiser_id):
        rows.append(row("⏸️ " + _("Pause membership"), "suspend"))
    return rows + [row("✔️ " + _("Nothing wrong"), "dismiss")]


def decided(_: Translate, report: Report) -> str:
    """Who decided what about a report."""
    assert report.outcome is not None
    return _(DECIDED[report.outcome]).format(name=name_or_member(_, report.handled_by_name))


def _report_card(_: Translate, message: Claimed, member: Member, db: Database) -> tuple[str, Markup] | None:
    report = reports.for_organiser(db, message.payload["report"], member.id)
    if report is None or report.handled_at is not None or not member.is_organiser:
        return None
    return open_card(_, report), inline([*report_buttons(_, report, member.id), nav_row(_, None)])
