"""Files people can take with them: a member's own data (JSON) and the member list (CSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import i18n
from bot.formatting import format_member_no, local_time
from bot.i18n import Translate
from bot.member_text import STATUS_LABELS, interests_text
from storage import activities, audit, conversation_state
from storage.db import Database
from storage.members import Member

# A cell starting with one of these is a formula to Excel; a quote keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def personal_data(db: Database, member: Member, now: datetime) -> bytes:
    """Everything stored about one member, as readable JSON."""
    entries = await audit.about(db, member.id)
    data = {
        "made_at": now.isoformat(),
        "member": {
            "member_number": member.member_no,
            "first_name": member.first_name,
            "telegram_id": member.telegram_id,
            "language": member.language,
            "status": member.status,
            "roles": sorted(member.roles),
            "neighbourhood": member.neighbourhood,
            "wants_to": sorted(member.interests),
            "business_name": member.business_name,
            "business_line": member.business_line,
            "kvk_number": member.kvk,
            "messages_paused": member.paused,
            "consent_given_at": _iso(member.consent_at),
            "privacy_statement_version": member.consent_version,
            "member_since": _iso(member.created_at),
        },
        "organiser_actions": [
            {
                "at": _iso(e.at),
                "action": e.action,
                "by_you": e.actor_id == member.id,
                "about_you": e.target_id == member.id,
            }
            for e in entries
        ],
        **await activities.of_member_for_export(db, member.id),
        "unfinished_conversations": (
            conversation_state.user_data_of(db, member.telegram_id) if member.telegram_id else {}
        ),
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def spreadsheet(rows: Sequence[Sequence[object]]) -> bytes:
    """CSV for Excel and LibreOffice: UTF-8 with BOM, ';' between cells (Dutch Excel's default), no formulas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([_cell(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def members_csv(_: Translate, people: list[Member], language: str, tz: ZoneInfo) -> bytes:
    """All members, one a line."""
    header = [
        _("Number"),
        _("First name"),
        _("Status"),
        _("Organiser"),
        _("Neighbourhood"),
        _("Wants to"),
        _("Business"),
        _("Work"),
        _("KvK"),
        _("Language"),
        _("Member since"),
    ]
    return spreadsheet(
        [header]
        + [
            [
                format_member_no(_, m.member_no),
                m.first_name,
                _(STATUS_LABELS.get(m.status, m.status)),
                _("yes") if m.is_organiser else _("no"),
                m.neighbourhood or _("Other"),
                interests_text(_, m.interests),
                m.business_name,
                m.business_line,
                m.kvk,
                i18n.language_name(m.language),
                local_time(m.created_at, tz).strftime("%Y-%m-%d"),
            ]
            for m in people
        ]
    )
