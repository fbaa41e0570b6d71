"""Help and services in "download my data": posts, conversations, reports, hours and news settings.

bot/exports.py asks here for its sections, so that file keeps to membership,
activities and votes. The words are the member's own, as they wrote them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot import hour_text, post_text
from bot.i18n import N_, Translate
from storage import help_news, hours, posts, reports, talks

Moment = Callable[[datetime], str]  # a moment as people say it (bot/exports.py _Moments)
END_WORDS = {
    None: N_("up"),
    "helped": N_("helped"),
    "deleted": N_("deleted by you"),
    "expired": N_("ended by itself"),
    "hidden": N_("hidden by an organiser"),
    "left": N_("ended"),
}
REPORT_OUTCOMES = {
    None: N_("not handled yet"),
    "hidden": N_("the post was hidden"),
    "suspended": N_("the member was paused"),
    "dismissed": N_("nothing was wrong"),
    "left": N_("the member left"),
}


@dataclass(frozen=True)
class HelpData:
    """What a member did in 🤝 Help & services, read once for both files."""

    posts: list[posts.Post]
    talks: list[talks.KeptTalk]
    reports: list[reports.Made]
    hours: list[hours.Transfer]
    following: help_news.Following


# The parts of a member's data to read (Database.read_parts), in the order of HelpData's fields.
PARTS = (posts.OF_MEMBER, talks.OF_MEMBER, reports.OF_MEMBER, hours.OF_MEMBER, help_news.OF_MEMBER)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def as_json(data: HelpData, member_id: int) -> dict:
    """For computers: English keys, times in UTC, hours as half hours."""
    return {
        "posts": [
            {
                "side": p.side,
                "category": p.category,
                "kind": p.kind,
                "title": p.title,
                "description": p.body,
                "price_cents": p.price_cents,
                "price_unit": p.price_unit,
                "created_at": _iso(p.created_at),
                "ends_at": _iso(p.ends_at),
                "ended_at": _iso(p.ended_at),
                "end_reason": p.end_reason,
                "reactions": p.reactions,
            }
            for p in data.posts
        ],
        "conversations": [
            {
                "post_title": t.post_title,
                "about_my_post": t.my_post,
                "started_at": _iso(t.started_at),
                "ended_at": _iso(t.ended_at),
                "messages": [
                    {"sent_at": _iso(m.sent_at), "by_me": m.mine, "text": m.body, "delivered": m.delivered}
                    for m in t.messages
                ],
            }
            for t in data.talks
        ],
        "reports_made": [
            {"about": "post" if r.about_post else "message", "content": r.content, "created_at": _iso(r.created_at)}
            | {"outcome": r.outcome}
            for r in data.reports
        ],
        "hour_transfers": [
            {
                "at": _iso(t.created_at),
                "half_hours": t.halves,
                "i_helped": t.to_member_id == member_id,
                "post_title": t.post_title,
                "note": t.note,
                "corrects_an_earlier_transfer": t.corrects is not None,
            }
            for t in data.hours
        ],
        "news_about_posts": {
            "categories": sorted(data.following.categories),
            "message_at_once": data.following.alerts,
            "weekly_digest": data.following.digest,
        },
    }


def _post_lines(_: Translate, data: HelpData, when: Moment) -> list[str]:
    lines = []
    for post in data.posts:
        words = [when(post.created_at), _(post_text.SIDE_NAMES[post.side]), post_text.category(_, post.category)]
        lines.append(" · ".join(["• " + words[0], *words[1:], post.title, _(END_WORDS[post.end_reason])]))
        if post.body:
            lines.append("  " + post.body)
    return lines


def _talk_lines(_: Translate, data: HelpData, when: Moment) -> list[str]:
    lines = []
    for talk in data.talks:
        about = _("about your post") if talk.my_post else _("about a post of someone else")
        lines.append(" · ".join(["• " + when(talk.started_at), talk.post_title or "-", about]))
        for message in talk.messages:
            who = _("you") if message.mine else _("the other member")
            lost = "" if message.delivered else " " + _("(not delivered)")
            lines.append(f"  {when(message.sent_at)} · {who}: {message.body}{lost}")
    return lines


def _report_lines(_: Translate, data: HelpData, when: Moment) -> list[str]:
    return [" · ".join(["• " + when(r.created_at), r.content, _(REPORT_OUTCOMES[r.outcome])]) for r in data.reports]


def _hour_lines(_: Translate, data: HelpData, member_id: int, language: str, when: Moment) -> list[str]:
    lines = []
    for transfer in data.hours:
        amount = hour_text.hours(language, transfer.halves)
        if transfer.corrects is not None:
            words = _("an organiser corrected it by {hours}")
        elif transfer.to_member_id == member_id:
            words = _("you helped: {hours}")
        else:
            words = _("you were helped: {hours}")
        about = [transfer.post_title] if transfer.post_title else []
        lines.append(" · ".join(["• " + when(transfer.created_at), words.format(hours=amount), *about]))
    return lines


def _news_lines(_: Translate, data: HelpData) -> list[str]:
    following = data.following
    categories = ", ".join(post_text.category(_, key) for key in sorted(following.categories)) or _("none")
    return [
        _("Categories you follow: {categories}").format(categories=categories),
        _("A message at once about a new request: {answer}").format(answer=_("yes") if following.alerts else _("no")),
        _("A weekly digest: {answer}").format(answer=_("yes") if following.digest else _("no")),
    ]


def sections(_: Translate, data: HelpData, member_id: int, language: str, when: Moment) -> list[tuple[str, list[str]]]:
    """(title, lines) of each section for the member to read; empty parts are left out."""
    found = [
        (_("Your posts"), _post_lines(_, data, when)),
        (_("Your conversations about posts"), _talk_lines(_, data, when)),
        (_("Your reports"), _report_lines(_, data, when)),
        (_("Your hours"), _hour_lines(_, data, member_id, language, when)),
    ]
    return [(title, lines) for title, lines in found if lines] + [(_("News about new posts"), _news_lines(_, data))]
