"""Files people can take with them: a member's own data (text to read, JSON beside it) and the member list (CSV)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import help_export, i18n, notices, payments, share_notices
from bot.formatting import format_day, format_member_no, format_when, local_time
from bot.i18n import N_, Translate
from bot.member_text import INTEREST_LABELS, STATUS_LABELS, detail_lines, interests_text
from bot.vote_text import WORDS, money
from storage import (
    activities,
    announcements,
    audit,
    campaign_cards,
    campaign_needs,
    campaigns,
    desk,
    hosting,
    members,
    outbox,
    posts,
    proposals,
    rooms,
    shares,
    shifts,
    votes,
)
from storage.activities import ATTENDED, OFFERED, PLANNED, SIGNED_UP, WAITING, Involvement
from storage.db import Database
from storage.members import Member
from storage.outbox import Kept

# A cell starting with one of these is a formula to Excel; a quote keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# What organisers did (storage/members.py writes these to the audit log), as a member reads it.
ACTION_LABELS = {
    "admit": N_("admitted as a member"),
    "refuse": N_("sign-up refused"),
    "make_organiser": N_("made organiser"),
    "remove_organiser": N_("organiser role taken away"),
    "suspend": N_("membership paused"),
    "reinstate": N_("membership active again"),
    "delete_account": N_("account deleted"),
    "correct_hours": N_("hours corrected"),
    "desk_add": N_("added as a member at the desk"),
    "join_code": N_("code made to link Telegram"),
    "telegram_joined": N_("Telegram linked with a code from the desk"),
    activities.SIGNED_UP_FOR: N_("signed up for an activity by an organiser"),
    activities.SIGNED_OFF_FOR: N_("signed off from an activity by an organiser"),
    posts.POSTED_FOR: N_("help request put online by an organiser"),
    posts.CLOSED_FOR: N_("post closed by an organiser"),
    votes.VOTED_FOR: N_("voted with the help of an organiser"),
    members.SHOWN_FOR: N_("your details shown to you by an organiser"),
    members.PHONE_CHANGED: N_("phone number changed by an organiser"),
    shares.RECEIVED_ACTION: N_("payment for shares received"),
    shares.LAPSED_ACTION: N_("request for shares lapsed"),
    shares.PAID_ACTION: N_("shares paid back"),
    shares.GIVEN_ACTION: N_("solidarity share received from the cooperative"),
    shares.REFUNDED_ACTION: N_("money of a lapsed request for shares paid back"),
    campaigns.RECEIVED_ACTION: N_("payment for a pledge received"),
    campaigns.LAPSED_ACTION: N_("pledge lapsed"),
    campaigns.STARTED_ACTION: N_("crowdfunding campaign started"),
    campaigns.ENDED_ACTION: N_("crowdfunding campaign ended early"),
    campaign_needs.ADDED_ACTION: N_("help or things asked for a campaign"),
    campaign_needs.SHIFT_ACTION: N_("volunteer shift made for a campaign"),
}
# How the member asked when an organiser acted for them (storage/audit.py REASONS).
REASON_LABELS = {"desk": N_("asked at the desk"), "phone": N_("asked by phone"), "paper": N_("asked on paper")}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class PersonalData:
    """Everything stored about one member, read once for both files."""

    member: Member
    made_at: datetime
    actions: list[audit.Entry]
    activities: list[Involvement]
    messages: list[Kept]
    votes: list[votes.Involvement]
    proposals: list[proposals.Proposal]
    helping: help_export.HelpData
    announcements: list[announcements.Received]
    join_codes: list[desk.CodeInfo]  # made at the desk (storage/desk.py): their times, never the code
    shifts: list[shifts.Involvement]  # volunteer shifts they took (storage/shifts.py)
    room_bookings: list[rooms.Kept]  # rooms they asked for (storage/rooms.py)
    hosted: list[hosting.Kept]  # activities they proposed to host (storage/hosting.py)
    shares: list[shares.Kept]  # shares they asked to buy or sell back, and their payments (storage/shares.py)
    pledges: list[campaigns.Kept]  # what they pledged to crowdfunding campaigns (storage/campaigns.py)
    need_pledges: list[campaign_needs.Kept]  # help and things they pledged to campaigns (storage/campaign_needs.py)
    campaign_cards: list[campaign_cards.Kept]  # cards kept up to date on their screen (storage/campaign_cards.py)
    answers: dict[str, Any]  # their unfinished answers (PTB user_data, as bot/persistence.py keeps it)

    def as_text(self, _: Translate, language: str, tz: ZoneInfo) -> bytes:
        """The file for the member to read (personal_text)."""
        return personal_text(_, self, language, tz)

    def as_json(self) -> bytes:
        """The same for computers (personal_json)."""
        return personal_json(self)

    @staticmethod
    def file_name(_: Translate, extension: str) -> str:
        """Like "mijn-gegevens-wijkbot.txt" (personal_file_name)."""
        return personal_file_name(_, extension)


async def personal_data(db: Database, member: Member, answers: dict[str, Any], now: datetime) -> PersonalData:
    """Read everything stored about a member: one long read, off the event loop, of one moment of the data.

    `answers` are their unfinished answers as the bot holds them now (what bot/persistence.py writes to the
    user_data table, at most a few seconds later); a copy is kept, as JSON would keep them."""
    parts = (audit.ABOUT, activities.INVOLVEMENT, outbox.FOR_MEMBER, votes.INVOLVEMENT, proposals.OF_MEMBER)
    later = (announcements.OF_MEMBER, desk.CODES, shifts.OF_MEMBER, rooms.OF_MEMBER, hosting.OF_MEMBER)
    # shares, pledges, help offered, and campaign cards kept up to date
    money_parts = (shares.OF_MEMBER, campaigns.OF_MEMBER, campaign_needs.OF_MEMBER, campaign_cards.OF_MEMBER)
    (
        actions,
        involved,
        messages,
        taken_part,
        proposed,
        received,
        codes,
        shifts_taken,
        booked,
        proposed_to_host,
        share_requests,
        pledged,
        needs_pledged,
        cards,
        *helping,
    ) = await db.read_parts(member.id, *parts, *later, *money_parts, *help_export.PARTS)
    return PersonalData(
        member=member,
        made_at=now,
        actions=actions,
        activities=involved,
        messages=messages,
        votes=taken_part,
        proposals=proposed,
        helping=help_export.HelpData(*helping),
        announcements=received,
        join_codes=codes,
        shifts=shifts_taken,
        room_bookings=booked,
        hosted=proposed_to_host,
        shares=share_requests,
        pledges=pledged,
        need_pledges=needs_pledged,
        campaign_cards=cards,
        answers=json.loads(json.dumps(answers)),
    )


# Latin letters that Unicode does not split into a letter and an accent: "członkowie", not "czonkowie".
UNDIVIDED = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss"})


def file_name(_: Translate, label: str, *parts: str | int, extension: str) -> str:
    """A file name in the reader's language, ASCII only: file_name(_, N_("activity"), 3, extension="ics")
    is "activiteit-3.ics" in Dutch. A language without Latin letters gets the English word."""

    def words(text: str) -> list[str]:
        plain = unicodedata.normalize("NFKD", text.translate(UNDIVIDED)).encode("ascii", "ignore").decode().lower()
        return re.findall(r"[a-z0-9]+", plain)

    return "-".join([*(words(_(label)) or words(label)), *(str(part) for part in parts)]) + "." + extension


def personal_file_name(_: Translate, extension: str) -> str:
    """Like "mijn-gegevens-wijkbot.txt": the name of 👤 My details in the member's language."""
    return file_name(_, N_("My details"), "wijkbot", extension=extension)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def personal_json(data: PersonalData) -> bytes:
    """Everything stored about one member, for computers: English keys, times in UTC (ISO 8601)."""
    member = data.member

    def involved(kind: str) -> list[Involvement]:
        return [item for item in data.activities if item.kind == kind]

    document = {
        "made_at": data.made_at.isoformat(),
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
            "phone": member.phone,  # given at the desk, for the call list
            "messages_paused": member.paused,
            "blocked_the_bot_since": _iso(member.unreachable_since),
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
                **({"reason": e.reason} if e.reason else {}),  # how the member asked an organiser to act
            }
            for e in data.actions
        ],
        "activities_signed_up": [
            {
                "activity": a.title,
                "starts_at": _iso(a.starts_at),
                "status": a.status,
                "since": _iso(a.since),
                "cancelled": a.cancelled,
            }
            for a in involved(SIGNED_UP)
        ],
        "activities_attended": [{"activity": a.title, "starts_at": _iso(a.starts_at)} for a in involved(ATTENDED)],
        "activities_planned": [
            {
                "activity": a.title,
                "starts_at": _iso(a.starts_at),
                "published_at": _iso(a.since),
                "cancelled": a.cancelled,
            }
            for a in involved(PLANNED)
        ],
        "votes": [
            {
                "vote": v.title,
                "closes_at": _iso(v.closes_at),
                "your_vote_counts": v.voted,
                "your_choice": list(v.choices),  # empty for a secret vote: nobody can see it
                "proxies": list(v.proxies),
            }
            for v in data.votes
        ],
        "proposals": [
            {
                "title": p.title,
                "text": p.body,
                "why": p.reason,
                "status": p.status,
                "answer_from_organisers": p.answer,
                "made_at": _iso(p.created_at),
            }
            for p in data.proposals
        ],
        "messages_from_the_bot": [
            {
                "kind": m.kind,
                "activity": m.activity_title,
                "activity_starts_at": _iso(m.activity_starts_at),
                "deliver_at": _iso(m.deliver_at),
                "expires_at": _iso(m.expires_at),
                "sent_at": _iso(m.sent_at),
                "dropped_at": _iso(m.dropped_at),
                "details": m.payload,
            }
            for m in data.messages
        ],
        "help_and_services": help_export.as_json(data.helping, member.id),
        "announcements": [
            {"text": a.text, "status": a.status, "sent_at": _iso(a.sent_at), "understood_at": _iso(a.confirmed_at)}
            for a in data.announcements
        ],
        "codes_to_link_telegram": [
            {"made_at": _iso(c.made_at), "expires_at": _iso(c.expires_at), "used_at": _iso(c.used_at)}
            for c in data.join_codes
        ],
        "volunteer_shifts": [
            {
                "task": s.task,
                "starts_at": _iso(s.starts_at),
                "ends_at": _iso(s.ends_at),
                "taken_at": _iso(s.taken_at),
                "attended": s.attended,
                "cancelled": s.cancelled,
            }
            for s in data.shifts
        ],
        "room_bookings": [
            {
                "room": b.room,
                "starts_at": _iso(b.starts_at),
                "ends_at": _iso(b.ends_at),
                "what_for": b.purpose,
                "people": b.people,
                "price_cents": b.price_cents,
                "status": b.status,
                "reason": b.reason,
            }
            for b in data.room_bookings
        ],
        "activities_proposed_to_host": [
            {
                "title": h.title,
                "starts_at": _iso(h.starts_at),
                "place": h.place,
                "status": h.status,
                "answer": h.answer,
                "sent_at": _iso(h.sent_at),
            }
            for h in data.hosted
        ],
        "shares": [
            {
                "kind": r.kind,
                "shares": r.shares,
                "amount_cents": r.amount_cents,
                "reference": r.reference,
                "status": r.status,
                "asked_at": _iso(r.asked_at),
                "decided_at": _iso(r.decided_at),
                "solidarity": r.solidarity,
                "from_cooperative": r.given,
                "given_to_a_member": r.passed_on,
                "instalments": [
                    {
                        "number": i.number,
                        "amount_cents": i.amount_cents,
                        "reference": i.reference,
                        "due_on": i.due_on.isoformat(),
                        "status": i.status,
                    }
                    for i in r.instalments
                ],
                "paid_back_cents": r.paid_back_cents,
                "paid_back_at": _iso(r.paid_back_at),
            }
            for r in data.shares
        ],
        "pledges": [
            {
                "campaign": p.campaign,
                "amount_cents": p.amount_cents,
                "anonymous": p.anonymous,
                "reference": p.reference,
                "status": p.status,
                "pledged_at": _iso(p.pledged_at),
                "decided_at": _iso(p.decided_at),
            }
            for p in data.pledges
        ],
        "help_and_things_pledged": [
            {
                "campaign": p.campaign,
                "kind": p.kind,
                "need": p.need,
                "how_many": p.amount,
                "status": p.status,
                "pledged_at": _iso(p.pledged_at),
                "withdrawn_at": _iso(p.withdrawn_at),
            }
            for p in data.need_pledges
        ],
        "campaign_cards_kept_up_to_date": [
            {"campaign": k.campaign, "shown_at": _iso(k.shown_at)} for k in data.campaign_cards
        ],
        "unfinished_conversations": data.answers,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


class _Moments:
    """Moments the way people say them: "zaterdag 28 november, 10:00", with the year when it is not this year."""

    def __init__(self, language: str, tz: ZoneInfo, now: datetime) -> None:
        self.language, self.tz, self.year = language, tz, local_time(now, tz).year

    def __call__(self, moment: datetime) -> str:
        other_year = local_time(moment, self.tz).year != self.year
        return format_when(moment, self.language, self.tz, year=other_year)


def _section(_: Translate, title: str, lines: list[str]) -> list[str]:
    return ["", title, "-" * len(title), *(lines or [_("Nothing.")])]


def _who_you_are(_: Translate, member: Member, language: str, tz: ZoneInfo, when: _Moments) -> list[str]:
    lines = detail_lines(_, member, language, tz, shown=str)
    lines.append(_("Organiser: {answer}").format(answer=_("yes") if member.is_organiser else _("no")))
    if member.telegram_id is not None:
        lines.append(_("Telegram number: {number}").format(number=member.telegram_id))
    if member.consent_at:
        lines.append(
            _("You agreed to the privacy text on {date}. Version: {version}.").format(
                date=when(member.consent_at), version=member.consent_version or "-"
            )
        )
    return lines


def _signed_up_words(_: Translate, item: Involvement, now: datetime) -> str:
    if item.cancelled:
        return _("does not go on")
    if item.status == WAITING:
        return _("on the waiting list")
    if item.status == OFFERED:
        return _("place offered")
    return _("you are coming") if item.starts_at > now else _("you had a place")


def _your_activities(_: Translate, data: PersonalData, when: _Moments) -> list[str]:
    def line(item: Involvement, words: str | None = None) -> str:
        return " · ".join(["• " + when(item.starts_at), item.title, *([words] if words else [])])

    signed_up = [line(a, _signed_up_words(_, a, data.made_at)) for a in data.activities if a.kind == SIGNED_UP]
    attended = [line(a) for a in data.activities if a.kind == ATTENDED]
    planned = [line(a, _("does not go on") if a.cancelled else None) for a in data.activities if a.kind == PLANNED]
    lines = [_("Signed up:"), *(signed_up or [_("Nothing.")]), "", _("You were there:"), *(attended or [_("Nothing.")])]
    if planned:
        lines += ["", _("You planned:"), *planned]
    return lines


PROXY_WORDS = {
    "gave": N_("you asked someone to vote for you ({status})"),
    "held": N_("someone asked you to vote for them ({status})"),
}
PROXY_STATUS = {
    "asked": N_("no answer yet"),
    "accepted": N_("accepted"),
    "used": N_("used"),
    "refused": N_("refused"),
    "withdrawn": N_("taken back"),
    "dropped": N_("not used: the member voted themself"),
    "lapsed": N_("ended"),
}
PROPOSAL_STATUS = {
    "pending": N_("waiting for the organisers"),
    "asked": N_("an organiser asked a question"),
    "declined": N_("not put to a vote"),
    "voting": N_("put to a vote"),
}


def _your_votes(_: Translate, data: PersonalData, when: _Moments) -> list[str]:
    lines = []
    for vote in data.votes:
        if vote.choices:
            choices = ", ".join(_(WORDS[c]) if c in WORDS else c for c in vote.choices)
            words = _("you voted: {choice}").format(choice=choices)
        else:
            words = _("you voted (secret: nobody can see what)") if vote.voted else _("you did not vote")
        lines.append(" · ".join(["• " + when(vote.closes_at), vote.title, words]))
        for proxy in vote.proxies:
            side, _sep, status = proxy.partition(":")
            lines.append("  " + _(PROXY_WORDS[side]).format(status=_(PROXY_STATUS.get(status, status))))
    return lines


def _your_proposals(_: Translate, data: PersonalData, when: _Moments) -> list[str]:
    lines = []
    for proposal in data.proposals:
        lines.append(
            " · ".join(["• " + when(proposal.created_at), proposal.title, _(PROPOSAL_STATUS[proposal.status])])
        )
        lines += ["  " + proposal.body, "  " + _("Why: {reason}").format(reason=proposal.reason)]
        if proposal.answer:
            lines.append("  " + _("Answer: {answer}").format(answer=proposal.answer))
    return lines


def _announcement_lines(_: Translate, received: list[announcements.Received], when: _Moments) -> list[str]:
    lines = []
    for item in received:
        sent = when(item.sent_at) if item.sent_at else _("not sent")
        understood = [_("you tapped Understood")] if item.confirmed_at else []
        lines += [" · ".join(["• " + sent, *understood]), "  " + item.text]
    return lines


def _code_lines(_: Translate, codes: list[desk.CodeInfo], when: _Moments) -> list[str]:
    """That a code was made at the desk and when it works until (or was used); never the code."""
    return [
        "• "
        + (
            _("Made on {made}. Used on {used}.").format(made=when(c.made_at), used=when(c.used_at))
            if c.used_at
            else _("Made on {made}. It works until {until}.").format(made=when(c.made_at), until=when(c.expires_at))
        )
        for c in codes
    ]


def _shift_lines(_: Translate, taken: list[shifts.Involvement], when: _Moments) -> list[str]:
    """Each shift they took: the task, when, and whether it was done or cancelled."""

    def state(shift: shifts.Involvement) -> str:
        return _("cancelled") if shift.cancelled else _("done") if shift.attended else _("taken")

    return [f"• {shift.task}, {when(shift.starts_at)}: {state(shift)}" for shift in taken]


ROOM_STATUS = {
    rooms.ASKED: N_("waiting for an answer"),
    rooms.CONFIRMED: N_("booked"),
    rooms.DECLINED: N_("declined"),
    rooms.CANCELLED: N_("cancelled"),
}


def _room_lines(_: Translate, booked: list[rooms.Kept], when: _Moments) -> list[str]:
    """Each room they asked for: when, which room, what became of it and the price; what for and why."""
    lines = []
    for b in booked:
        price = f"€ {b.price_cents / 100:.2f}"
        lines.append(" · ".join(["• " + when(b.starts_at), b.room, _(ROOM_STATUS[b.status]), price]))
        lines += ["  " + words for words in (b.purpose, b.reason) if words]
    return lines


HOSTED_STATUS = {
    hosting.PENDING: N_("waiting for an answer"),
    hosting.ASKED: N_("an organiser asked a question"),
    hosting.APPROVED: N_("published, you are the host"),
    hosting.DECLINED: N_("declined"),
}


def _hosted_lines(_: Translate, proposed: list[hosting.Kept], when: _Moments) -> list[str]:
    """Each activity they proposed to host: when, what, where, what became of it, and the organiser's words."""
    lines = []
    for h in proposed:
        lines.append(" · ".join(["• " + when(h.starts_at), h.title, h.place, _(HOSTED_STATUS[h.status])]))
        lines += ["  " + h.answer] if h.answer else []
    return lines


SHARE_STATUS = {
    shares.PENDING: N_("waiting"),
    shares.RECEIVED: N_("paid"),
    shares.PAID: N_("paid back"),
    shares.LAPSED: N_("lapsed"),
}


def _share_lines(_: Translate, asked: list[shares.Kept], when: _Moments, language: str) -> list[str]:
    """Each request to buy or sell back shares: when, how many, the amount, what became of it, the reference."""
    lines = []
    for r in asked:
        counted = share_notices.count_words(language, r.shares)  # like "2 shares"
        what = counted if r.kind == shares.BUY else _("sell back {shares}").format(shares=counted)
        if r.solidarity or r.given:
            what = _("solidarity share, paid for someone else") if r.solidarity else _("from the cooperative")
        amount = money(r.amount_cents, language)
        status = _(
            share_notices.solidarity_status(r.status, r.solidarity, r.given, r.passed_on) or SHARE_STATUS[r.status]
        )
        parts = ["• " + when(r.asked_at), what, amount, status]
        if r.status == shares.LAPSED and r.received_cents:  # like "€25.00 paid, to be paid back"
            parts.append(share_notices.paid_on_lapsed(_, language, r.received_cents, r.paid_back_at is not None))
        lines.append(" · ".join(parts))
        if r.reference and r.status == shares.PENDING:
            lines.append("  " + _("Reference: {reference}").format(reference=payments.grouped(r.reference)))
        for i in r.instalments:  # like "  2. 27 Dec 2026 · €4.00 · paid · RF12 SI00 0002"
            parts = [
                format_day(i.due_on, language, year=True),
                money(i.amount_cents, language),
                _(SHARE_STATUS[i.status]),
            ]
            lines.append(f"  {i.number}. " + " · ".join([*parts, payments.grouped(i.reference)]))
    return lines


PLEDGE_STATUS = {
    campaigns.PLEDGED: N_("not paid yet"),
    campaigns.RECEIVED: N_("paid"),
    campaigns.LAPSED: N_("lapsed"),
}


def _pledge_lines(_: Translate, pledged: list[campaigns.Kept], when: _Moments, language: str) -> list[str]:
    """Each pledge: when, to which campaign, the amount, whether others saw the name, what became of it."""
    lines = []
    for p in pledged:
        parts = [when(p.pledged_at), p.campaign, money(p.amount_cents, language), _(PLEDGE_STATUS[p.status])]
        lines.append("• " + " · ".join(parts + ([_("anonymous")] if p.anonymous else [])))
        if p.reference and p.status == campaigns.PLEDGED:
            lines.append("  " + _("Reference: {reference}").format(reference=payments.grouped(p.reference)))
    return lines


def _need_lines(_: Translate, offered: list[campaign_needs.Kept], when: _Moments) -> list[str]:
    """Each offer: when, to which campaign, 🙋 help or 📦 things and how many (in the words of the campaign's
    card, bot/need_notices.py yours), and whether it was withdrawn."""

    def what(p: campaign_needs.Kept) -> list[str]:
        if p.kind == campaign_needs.HELP:
            return ["🙋 " + p.need, _("you help")]
        return ["📦 " + p.need, _("you bring {count}").format(count=p.amount)]

    return [
        "• "
        + " · ".join([when(p.pledged_at), p.campaign, *what(p)])
        + (" · " + _("withdrawn") if p.status == campaign_needs.WITHDRAWN else "")
        for p in offered
    ]


def _actions(_: Translate, entries: list[audit.Entry], when: _Moments) -> list[str]:
    return [
        f"• {when(e.at)} · "
        + (_(ACTION_LABELS[e.action]) if e.action in ACTION_LABELS else _("something else changed"))
        + (f" ({_(REASON_LABELS[e.reason])})" if e.reason is not None and e.reason in REASON_LABELS else "")
        for e in entries
    ]


def _message_words(_: Translate, message: Kept, when: _Moments) -> str:
    """What a planned message says, in short (its first words as bot/notices.py writes them)."""
    if message.kind not in notices.HEADLINES:
        return _("A message from the bot.")
    words = _(notices.HEADLINES[message.kind])
    if message.kind == "offer":
        deadline = message.payload.get("expires")
        words = words.format(deadline=when(datetime.fromisoformat(deadline) if deadline else message.deliver_at))
    return " ".join(words.split("\n"))


def _messages(_: Translate, messages: list[Kept], when: _Moments) -> list[str]:
    planned = [m for m in messages if m.planned]
    lines = [_("Planned for you: {count}").format(count=len(planned))]
    for message in planned:
        about = [message.activity_title] if message.activity_title else []
        lines.append(" · ".join(["• " + when(message.deliver_at), *about, _message_words(_, message, when)]))
    earlier = len(messages) - len(planned)
    if earlier:
        lines.append(_("Earlier messages we still keep for a short time: {count}").format(count=earlier))
    return lines


def _answer_lines(_: Translate, answers: object, language: str) -> list[str]:
    """The words in unfinished answers, one a line; choices in words, days as people say them."""
    if isinstance(answers, Mapping):
        return [line for value in answers.values() for line in _answer_lines(_, value, language)]
    if isinstance(answers, list | tuple):
        return [line for value in answers for line in _answer_lines(_, value, language)]
    if not isinstance(answers, str) or not answers.strip():
        return []  # numbers and yes/no marks are only for the bot; the JSON has them exactly
    if answers in INTEREST_LABELS:
        return ["• " + _(INTEREST_LABELS[answers])]
    if _ISO_DAY.fullmatch(answers):
        return ["• " + format_day(date.fromisoformat(answers), language, long=True, year=True)]
    return ["• " + answers]


def personal_text(_: Translate, data: PersonalData, language: str, tz: ZoneInfo) -> bytes:
    """Everything stored about one member, for a person: in their language, short sections, local times.

    Plain text (UTF-8 with a BOM, so every phone picks the right letters); their own words as they wrote them."""
    member = data.member
    when = _Moments(language, tz, data.made_at)
    by_you = [e for e in data.actions if e.actor_id == member.id]
    about_you = [e for e in data.actions if e.target_id == member.id and e.actor_id != member.id]
    lines = [_("This is everything we keep about you."), _("Made on {date}.").format(date=when(data.made_at))]
    lines += _section(_, _("Who you are"), _who_you_are(_, member, language, tz, when))
    lines += _section(_, _("Your activities"), _your_activities(_, data, when))
    lines += _section(_, _("Your votes"), _your_votes(_, data, when))
    if data.proposals:
        lines += _section(_, _("Your proposals"), _your_proposals(_, data, when))
    for title, section in help_export.sections(_, data.helping, member.id, language, when):
        lines += _section(_, title, section)
    if data.announcements:
        lines += _section(_, _("Announcements you got"), _announcement_lines(_, data.announcements, when))
    if data.join_codes:
        lines += _section(_, _("Code to link Telegram"), _code_lines(_, data.join_codes, when))
    if data.shifts:
        lines += _section(_, _("Your volunteer shifts"), _shift_lines(_, data.shifts, when))
    if data.room_bookings:
        lines += _section(_, _("Rooms you asked for"), _room_lines(_, data.room_bookings, when))
    if data.hosted:
        lines += _section(_, _("Activities you proposed to host"), _hosted_lines(_, data.hosted, when))
    if data.shares:
        lines += _section(_, _("Your shares and payments"), _share_lines(_, data.shares, when, language))
    if data.pledges:
        lines += _section(_, _("What you pledged to crowdfunding"), _pledge_lines(_, data.pledges, when, language))
    if data.need_pledges:
        lines += _section(_, _("Help and things you offered to campaigns"), _need_lines(_, data.need_pledges, when))
    if data.campaign_cards:  # the chat and message are kept, to edit the card as the campaign grows
        kept = ["• " + when(k.shown_at) + " · " + k.campaign for k in data.campaign_cards]
        lines += _section(_, _("Campaign cards on your screen that the bot keeps up to date"), kept)
    lines += _section(_, _("What organisers did or decided for you"), _actions(_, about_you, when))
    if member.is_organiser or by_you:
        lines += _section(_, _("What you did as organiser"), _actions(_, by_you, when))
    lines += _section(_, _("Messages from the bot"), _messages(_, data.messages, when))
    unfinished = _answer_lines(_, data.answers, language)
    if unfinished:
        lines += _section(_, _("What you typed that the bot still keeps"), unfinished)
    lines += [
        "",
        _(
            "Not in this file: who the other people were in what organisers did, because that is their data."
            " Also not the numbers and steps that only the bot uses."
        ),
    ]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def _cell(value: object) -> str:
    """A cell as text; text that Excel would read as a formula is kept text (a number stays a number)."""
    text = "" if value is None else str(value)
    formula = isinstance(value, str) and text.startswith(_FORMULA_START)
    return "'" + text if formula else text


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
