"""The one codec for callback data: short ASCII "area:action[:arg...]", checked before any handler runs.

Telegram allows at most 64 bytes. A button is never trusted: every button the
bot makes is listed in BUTTONS with the kind of each argument (a number in a
range, one of a few words, a month, a day). pack() refuses to make anything
else, and a handler's pattern (`pattern(area, action)`) only matches data that
reads correctly, so a forged, stale or malformed button never reaches a
handler: the catch-all answers it (handlers/fallback.py). Handlers still
re-check the database on every press.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from bot import i18n
from storage import calls, income, posts
from storage.members import INTERESTS

MAX_BYTES = 64
MAX_ID = 2**31 - 1  # far more rows than a cooperative will ever have; SQLite and Python agree on it
MAX_PAGE = 10_000
_PART = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


class StaleButton(ValueError):
    """A button that no longer works: its object is gone, or its data makes no sense.

    Handlers raise it; the error handler answers "this button no longer works"
    and shows the menu."""


class MalformedCallback(StaleButton):
    """Callback data that we did not make, or no longer understand."""


@dataclass(frozen=True)
class Number:
    """A whole number from low to high."""

    low: int
    high: int

    def read(self, text: str) -> int:
        if not (text.isdigit() and len(text) <= len(str(self.high)) and self.low <= int(text) <= self.high):
            raise MalformedCallback(f"{text!r} is not a number from {self.low} to {self.high}")
        return int(text)


@dataclass(frozen=True)
class OneOf:
    """One of a few words."""

    words: frozenset[str]

    def read(self, text: str) -> str:
        if text not in self.words:
            raise MalformedCallback(f"{text!r} is not one of {sorted(self.words)}")
        return text


@dataclass(frozen=True)
class Key:
    """A short key of hex digits for a configured name (bot/keyboards.py short_key), or one of `words`."""

    words: frozenset[str] = frozenset()

    def read(self, text: str) -> str:
        if text not in self.words and not re.fullmatch(r"[0-9a-f]{8}", text):
            raise MalformedCallback(f"{text!r} is not a key")
        return text


@dataclass(frozen=True)
class Month:
    """A month as yyyymm (years 2000 to 2999), or "now"."""

    def read(self, text: str) -> date | str:
        if text == "now":
            return text
        if not (len(text) == 6 and text.isdigit() and "2000" <= text[:4] <= "2999" and 1 <= int(text[4:]) <= 12):
            raise MalformedCallback(f"{text!r} is not a month")
        return date(int(text[:4]), int(text[4:]), 1)


@dataclass(frozen=True)
class Day:
    """A day as yyyymmdd (years 2000 to 2999), or one of `words`."""

    words: frozenset[str] = frozenset()

    def read(self, text: str) -> date | str:
        if text in self.words:
            return text
        if not (len(text) == 8 and text.isdigit() and "2000" <= text[:4] <= "2999"):
            raise MalformedCallback(f"{text!r} is not a day")
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            raise MalformedCallback(f"{text!r} is not a day") from None


Arg = Number | OneOf | Key | Month | Day
ID = Number(1, MAX_ID)
PAGE = Number(0, MAX_PAGE)
ON_OFF = Number(0, 1)


def words(*choices: str) -> OneOf:
    return OneOf(frozenset(choices))


# The steps of the conversations whose ⬅️ Back names the step it is on (handlers/signup.py,
# handlers/business_steps.py, handlers/activity_planning.py).
SIGN_UP_STEPS = words("name", "code", "neighbourhood", "interests", "consent", "business_name", "business_line", "kvk")
BUSINESS_STEPS = words("business_name", "business_line", "kvk")
PLAN_STEPS = ("title", "description", "day", "start", "end", "place", "places", "cost", "bring")

POST_CATEGORY = OneOf(frozenset(posts.CATEGORIES))

# Every button the bot makes: area -> action -> the kinds of its arguments.
BUTTONS: dict[str, dict[str, tuple[Arg, ...]]] = {
    "nav": {"menu": (), "help": (), "explain": ()},  # 🏠 Menu; ⬅️ Back to ❓ Help; ❓ under a step
    "lang": {"set": (OneOf(frozenset(i18n.languages())),)},
    "act": {
        "list": (PAGE,),
        "mine": (PAGE,),
        **{action: (ID,) for action in ("card", "yes", "claim", "no", "leave", "decline", "ics")},
        "open": (ID, words("list", "mine"), PAGE),
    },
    "org": {
        **{action: () for action in ("menu", "newact", "members", "find", "csv")},
        **{action: (PAGE,) for action in ("acts", "pending", "found")},
        **{action: (ID,) for action in ("act", "who", "actcsv", "cancel", "cancelok", "actedit", "card")},
        "attend": (ID, PAGE),
        "whopage": (ID, PAGE),  # 👥 Who comes, a later page ("who" is the first)
        "mark": (ID, ID, PAGE, ON_OFF),  # an activity, a person, the page, whether a tap ticks (1) or unticks (0)
        "month": (Month(),),
        "monthcsv": (Month(),),
        **{action: (ID, ON_OFF) for action in ("role", "roleok", "suspend", "suspendok")},
    },
    "mem": {action: (ID,) for action in ("admit", "refuse", "admitok", "refuseok", "back")},
    "me": {
        **{
            action: ()
            for action in (
                *("show", "name", "hood", "interests", "lang", "pause", "download", "delete", "delete2", "delete3"),
            )
        },
        "sethood": (Key(frozenset({"other"})),),
        "toggle": (OneOf(frozenset(INTERESTS)),),
        "business": (OneOf(frozenset(INTERESTS)),),
    },
    "mebiz": {"back": (BUSINESS_STEPS,), "skipkvk": ()},
    "reg": {
        "back": (SIGN_UP_STEPS,),
        "hood": (Key(frozenset({"other"})),),
        "toggle": (OneOf(frozenset(INTERESTS)),),
        **{action: () for action in ("done", "agree", "more", "decline", "skipkvk", "code")},  # code: from the desk
    },
    # Votes: one block per module; each module changes only its own block.
    # handlers/voting.py: the member's 🗳️ Votes.
    "vote": {
        **{action: () for action in ("menu",)},
        **{action: (PAGE,) for action in ("list", "archive")},
        **{action: (ID,) for action in ("card", "more", "explain")},  # explain: ❓ how to vote on it
        **{action: (ID, PAGE) for action in ("open", "past")},
        **{action: (ID, ID) for action in ("pick", "tick", "for")},  # vote, option | vote, giver
        **{action: (ID, ID, ID) for action in ("pickfor", "tickfor")},  # vote, giver, option
    },
    # handlers/proxies.py: 🤝 giving, accepting and taking back a proxy.
    "proxy": {
        **{action: (ID,) for action in ("give", "yes", "no", "undo", "undook", "stop")},  # a vote | a proxy
        "found": (ID, PAGE),  # vote, a page of the members found
        "to": (ID, ID),  # vote, the member asked
        **{action: (ID, ID, Number(0, MAX_ID)) for action in ("fix", "send")},  # vote, member, option (0: free)
    },
    # handlers/proposing.py: 💡 a member's proposal, step by step.
    "prop": {
        **{action: () for action in ("new", "send", "change", "stop", "preview")},
        "back": (words("title", "text", "why", "preview"),),  # ⬅️ Back names the step it is on
        "edit": (words("title", "text", "why"),),  # ✏️ Change one answer
        "mine": (PAGE,),
    },
    # handlers/proposal_review.py: organisers answer a proposal.
    "review": {
        "list": (PAGE,),
        **{action: (ID,) for action in ("card", "ask", "decline", "send", "change", "stop")},
    },
    # handlers/vote_planning.py: 📣 Organise → a new vote, step by step.
    "vplan": {
        **{action: () for action in ("new", "days", "done", "undo", "projects", "open", "change", "preview", "stop")},
        "prop": (ID,),  # put a member's proposal to a vote
        "props": (PAGE,),  # the waiting proposals, to add one as a budget project
        "fromprop": (ID,),
        "kind": (words("for_against", "choice", "budget"),),
        "opens": (Day(frozenset({"now", "other"})),),
        "closes": (Day(frozenset({"other"})),),
        "quorum": (Number(0, 100),),
        "majority": (words("half", "two_thirds"),),
        "secret": (words("secret", "open"),),
        "results": (words("hidden", "live"),),
        "note": (words("none"),),
        "back": (
            words(
                *("kind", "title", "body", "options", "budget", "projects", "amount", "note", "opens", "openat"),
                *("closes", "closeat", "quorum", "majority", "secret", "results", "preview"),
            ),
        ),
        "edit": (
            words(
                *("kind", "title", "body", "options", "budget", "projects", "opens", "closes", "quorum", "majority"),
                *("secret", "results"),
            ),
        ),
    },
    # handlers/vote_admin.py: 📣 Organise → 🗳️ Votes: running votes, reminders, results, the archive.
    "vorg": {
        "menu": (),
        # 🔔 a reminder / ✍️ what became of a project: the steps of the one flow (the draft names the vote)
        **{action: () for action in ("noline", "save", "retype", "stop")},
        **{action: (PAGE,) for action in ("list", "archive")},
        **{action: (ID,) for action in ("card", "remind", "csv")},
        "who": (ID, PAGE),
        "outcome": (ID, ID),  # vote, funded project
    },
    # -- end of the votes blocks --
    # Help and services (issue 10): one block per module; each module changes only its own block.
    # handlers/helping.py: 🤝 Help & services.
    "hlp": {"menu": ()},
    # handlers/posting.py: 🙋 asking or 💪 offering, step by step.
    "post": {
        "new": (words("request", "offer"),),
        "cat": (POST_CATEGORY,),
        "kind": (OneOf(frozenset(posts.KINDS)),),
        "unit": (OneOf(frozenset(posts.PRICE_UNITS)),),
        "back": (words("category", "kind", "title", "body", "unit", "amount", "preview"),),  # the step it is on
        "edit": (words("category", "kind", "title", "body", "price"),),  # ✏️ Change one answer
        **{action: () for action in ("publish", "change", "stop", "preview")},
    },
    # handlers/browsing.py: 🔎 looking around.
    "browse": {
        "side": (),
        "cats": (words("request", "offer"),),
        "list": (words("request", "offer"), POST_CATEGORY, PAGE),
        "card": (ID, PAGE),  # a post, the page of the list it was on
    },
    # handlers/my_posts.py: 📋 my posts.
    "mypost": {
        "list": (PAGE,),
        "card": (ID, PAGE),  # a post, the page of the list it was on
        **{action: (ID,) for action in ("keep", "helped", "delete", "deleteok")},
        "helper": (ID, Number(0, MAX_ID)),  # a post, the member who helped (0: someone else, or not said)
    },
    # handlers/talking.py: 💬 conversations about a post, relayed by the bot.
    "talk": {
        "start": (ID,),  # 💬 React on a post card: a post
        "list": (PAGE,),  # 💬 my conversations
        "about": (ID, PAGE),  # 💬 the conversations about one of my posts
        **{action: (ID,) for action in ("reply", "show", "end", "endok", "block", "blockok", "share", "shareok")},
    },
    # handlers/reporting.py: ⚠️ reports, and what organisers do with them.
    "report": {
        **{action: (ID,) for action in ("post", "postok", "msg", "msgok")},  # a post | a relayed message
        "no": (),
        **{action: (ID,) for action in ("card", "hide", "suspend", "suspendok", "dismiss")},  # a report (organisers)
        # the same on a card opened from ⚠️ Reports (handlers/help_admin.py): a report, the page of the list
        **{"l" + action: (ID, PAGE) for action in ("card", "hide", "suspend", "suspendok", "dismiss")},
    },
    # handlers/hours.py: ⏱️ the time bank.
    "hours": {
        "post": (ID, Number(1, 16)),  # a post, half hours
        **{action: () for action in ("mine", "give", "other", "skip", "send", "stop")},
        "found": (PAGE,),  # a page of the members found
        "to": (Number(0, MAX_ID),),  # a member (0: the cooperative)
        "amount": (Number(0, MAX_ID), Number(1, 16)),  # a member (0: the cooperative), half hours
        "adm": (PAGE,),  # organisers: every transfer, newest first
        "fix": (ID, PAGE),  # a transfer, the page it is on
        "set": (ID, PAGE, Number(0, 16)),  # a transfer, the page, what it should count (0: taken back)
    },
    # handlers/following.py: 🔔 news about new posts.
    "follow": {
        "menu": (),
        "cat": (POST_CATEGORY, ON_OFF),  # follow a category (1) or stop (0)
        **{action: (ON_OFF,) for action in ("alerts", "digest")},  # 🔔 at once, 📰 weekly: on (1) or off (0)
    },
    # handlers/help_admin.py: 📣 Organise → 🤝 help and services.
    "horg": {
        "menu": (),
        "quiet": (PAGE,),  # requests without a reaction
        "post": (ID, PAGE),  # one of them, the page it was on
        "reports": (PAGE,),  # ⚠️ the open reports (a card opens as report:lcard)
        **{action: (Month(),) for action in ("month", "csv")},
    },
    # -- end of the help and services blocks --
    # Announcements (issue 11): one block per module; each module changes only its own block.
    # handlers/announcing.py: 📣 Organise → 📢 Send a message.
    "annc": {
        **{action: () for action in ("new", "who", "nophoto", "langs", "later", "now", "preview", "edit", "send")},
        "stop": (),
        "back": (words("who", "preview", "day", "time"),),  # ⬅️ Back names the step it is on
        "to": (words("everyone", "neighbourhood", "interest", "role", "activity", "language"),),
        "hood": (Key(frozenset({"other"})),),
        "interest": (OneOf(frozenset(INTERESTS)),),
        "role": (words("zzp", "organiser"),),
        "acts": (PAGE,),  # a page of upcoming activities
        "act": (ID,),
        **{action: (OneOf(frozenset(i18n.languages())),) for action in ("lang", "tr")},  # audience | a version
        **{action: (ON_OFF,) for action in ("ok", "urgent")},  # ✅ Understood asked, 🚨 urgent: on (1) or off (0)
        "day": (Day(frozenset({"other"})),),
        "at": (Number(0, 23),),  # an hour
        # 📢 Past messages and what can be done with one
        "past": (PAGE,),
        "card": (ID, PAGE),  # an announcement, the page of the list it was on
        **{action: (ID,) for action in ("fix", "fixok", "drop", "dropok")},  # fixok: ✅ the corrected text
        "fixlang": (ID, OneOf(frozenset(i18n.languages()))),
        "unconf": (ID, PAGE),
    },
    # handlers/notices_board.py: ❓ Help → 📌 Announcements, and ✅ Understood.
    "board": {
        "list": (),
        # an announcement (ok: on the message itself; menu: its 🏠, which leaves ✅ Understood in place)
        **{action: (ID,) for action in ("show", "ok", "okshow", "menu")},
    },
    # -- end of the announcements blocks --
    # handlers/desk.py: 📣 Organise → 🧾 Desk: members without Telegram, codes to join an account.
    "desk": {
        **{action: () for action in ("menu", "add", "done", "nophone", "today", "save", "stop", "link")},
        # ⬅️ Back from the step it is on
        "back": (words("name", "neighbourhood", "interests", "language", "phone", "consent", "preview"),),
        "hood": (Key(frozenset({"other"})),),
        "toggle": (OneOf(frozenset(INTERESTS)),),
        "lang": (OneOf(frozenset(i18n.languages())),),
        "found": (PAGE,),  # a page of the members without Telegram found
        **{
            action: (ID,) for action in ("code", "newcode")
        },  # 🔗 a code for this member (newcode: replace a working one)
    },
    # -- end of the desk block --
    # handlers/calls.py: 🧾 Desk → 📞 Who to call: messages for members without Telegram (storage/calls.py).
    "call": {
        "list": (PAGE,),
        "card": (ID, PAGE),  # a member to call, and the page of the list it is on
        "done": (ID, Number(0, calls.MAX_CHECK), PAGE),  # ✅ Called: the member, which calls (storage/calls.py check)
    },
    # -- end of the call block --
    # handlers/paper.py: 📄 sign-in list, 🖼️ poster, 📅 week programme (PDF).
    "paper": {
        "week": (),
        **{action: (ID,) for action in ("list", "poster")},  # an activity
        "make": (ID, OneOf(frozenset(i18n.languages()))),  # a poster: the activity, the language beside Dutch
    },
    # -- end of the paper block --
    # handlers/taking_part.py: 🙌 Take part.
    "part": {"menu": ()},
    # handlers/rooms.py: 🙌 Take part → 🏠 Rent a room (members).
    "room": {
        **{action: () for action in ("menu", "days", "send", "change", "stop", "untilday", "untils")},
        **{action: (ID,) for action in ("card", "ask", "season")},  # a room (season: every week)
        "day": (Day(frozenset({"other"})),),
        "at": (Number(0, 24 * 60 - 1),),  # a start time: minutes from midnight
        "len": (Number(1, 16),),  # half hours
        "months": (Number(1, 12),),  # how long a season lasts (storage/rooms.py SEASON_MONTHS)
        "ppl": (Number(1, 1000),),  # how many people
        "pay": (Number(0, 16),),  # half hours paid in the time bank (0: all in euros)
        "back": (words("day", "start", "length", "until", "purpose", "people", "pay", "preview"),),  # the step
        "week": (ID, Day()),  # a room, the Monday of the week
        "mine": (PAGE,),
        **{action: (ID, PAGE) for action in ("bk", "cancel", "cancelok")},  # a booking, the page of the list
        **{action: (ID, PAGE) for action in ("scancel", "scancelok")},  # a season, the page of the list
    },
    # -- end of the room block --
    # handlers/room_admin.py: 📣 Organise → ⚙️ Rooms (organisers).
    "roomorg": {
        **{action: () for action in ("menu", "new", "nothing", "free", "save", "change", "preview", "stop")},
        **{action: (ID,) for action in ("card", "edit", "confirm", "decline", "cancel")},  # a room | a booking
        **{action: (ID,) for action in ("sconfirm", "sdecline")},  # a season (the id of its first date)
        "onoff": (ID, ON_OFF),
        "week": (ID, Day()),  # a room, the Monday of the week
        "rooms": (PAGE,),  # the rooms, a later page ("menu" is the first)
        "asked": (PAGE,),  # requests nobody decided about
        "req": (ID, PAGE),  # one of them, the page it is on
        "reason": (Number(0, 2),),  # a reason from the buttons (handlers/room_admin.py REASONS)
        **{action: (Month(),) for action in ("month", "monthcsv")},
        "span": (words("day", "evening", "long", "closed", "same"),),  # opening hours of a weekday
        "buffer": (Number(0, 60),),  # minutes
        "notice": (Number(0, 48),),  # hours
        "share": (Number(0, 100),),  # percent of the time that may be paid in hours (storage/rooms.py SHARES)
        "field": (words("name", "capacity", "facilities", "prices", "share", "hours", "buffer", "notice"),),
        "back": (
            words(
                *("name", "capacity", "facilities", "member", "business", "other"),
                *("share", "hours", "buffer", "notice"),
            ),
        ),
    },
    # -- end of the roomorg block --
    # handlers/shifts.py: 🙌 Take part → 🙋 Volunteer (members).
    "shift": {
        "menu": (),
        **{action: (PAGE,) for action in ("list", "mine")},  # open shifts | my shifts
        "card": (ID, words("list", "mine"), PAGE),  # a shift, the list it was on and its page
        **{action: (ID,) for action in ("take", "giveback", "givebackok")},
        "statement": (Number(2000, 2999),),  # 📄 the hours of a year, as a PDF
    },
    # -- end of the shift block --
    # handlers/shift_admin.py: 📣 Organise → 🙋 Shifts (organisers).
    "shiftorg": {
        **{action: () for action in ("menu", "new", "days", "publish", "change", "preview", "stop")},
        # handlers/shift_planning.py: ⬅️ Back names the step it is on; ✏️ Change one answer
        "back": (words("task", "description", "day", "time", "places", "weeks", "preview"),),
        "edit": (words("task", "description", "day", "time", "places", "weeks"),),
        "day": (Day(frozenset({"other"})),),
        "time": (words("0900-1300", "1300-1700", "1700-2100"),),
        "places": (Number(1, 5),),
        "weeks": (Number(1, 12),),
        **{action: (PAGE,) for action in ("list", "gaps")},
        **{action: (ID,) for action in ("card", "cancel", "cancelok")},
        "who": (ID, PAGE),  # ✔️ who came: a shift, a page of its volunteers
        "mark": (ID, ID, PAGE, ON_OFF),  # a shift, a volunteer, the page, whether a tap ticks (1) or unticks (0)
        **{action: (Month(),) for action in ("month", "monthcsv")},
    },
    # -- end of the shiftorg block --
    # handlers/hosting.py: 🙌 Take part → 💡 Propose an activity (members; the steps: handlers/activity_planning.py).
    "host": {
        **{action: () for action in ("menu", "new")},
        **{action: (PAGE,) for action in ("mine", "hosted")},  # my proposals | the activities I host
        "again": (ID,),  # ✏️ change and send again a proposal an organiser asked about
        "act": (ID,),  # an activity I host
    },
    # handlers/host_review.py: 📣 Organise → 💡 proposed activities (organisers; "menu": the waiting ones).
    "hostorg": {
        "menu": (),
        "list": (PAGE,),
        **{action: (ID,) for action in ("card", "ask", "decline", "send", "change", "stop")},
        "publish": (ID, Number(1, 9999)),  # a proposal, the round it was shown in (sent again after a question)
        "reason": (ID, Number(0, 2)),  # a proposal, a reason from the buttons (handlers/host_review.py REASONS)
    },
    # -- end of the host blocks --
    # handlers/shares.py: 🙌 Take part → 💶 Shares (members).
    "share": {
        **{action: () for action in ("menu", "other", "sellhow", "solid", "solidok")},
        **{action: (Number(1, 100),) for action in ("pick", "ask", "split")},  # how many to buy (storage/shares.py)
        "askin": (Number(1, 100), words("2", "5", "10")),  # how many to buy, in how many instalments
        **{action: (Number(1, MAX_ID),) for action in ("sell", "sellok")},  # how many to sell back
        "mine": (PAGE,),  # my requests and payments
        "pay": (ID,),  # the payment details of a request that waits
    },
    # -- end of the share block --
    # handlers/share_admin.py: 📣 Organise → 💶 Shares (organisers).
    "shareorg": {
        **{action: () for action in ("menu", "reg", "csv")},
        "list": (PAGE,),  # requests that wait, oldest first
        **{action: (ID, PAGE) for action in ("card", "got", "lapse", "lapseok", "paid")},  # a request, its page
        "refund": (ID, PAGE),  # ↩️ Paid back: the money that came for a lapsed purchase, its page
        "refundok": (ID, PAGE, Number(1, MAX_ID)),  # ... yes: and the cents asked about (not more that came since)
        **{action: (ID, PAGE) for action in ("igot", "ilapse", "ilapseok")},  # an instalment, the list's page
        "pool": (PAGE,),  # solidarity shares that wait, and members without shares to give one to
        **{action: (ID, ID) for action in ("give", "giveok")},  # a pool purchase, the member it goes to
    },
    # -- end of the shareorg block --
    # handlers/campaigns.py: 🙌 Take part → 🎯 Crowdfunding (members).
    "camp": {
        "menu": (),
        "list": (PAGE,),  # open campaigns, ending soonest first
        **{action: (ID,) for action in ("card", "photo", "other")},  # a campaign
        "amt": (ID, Number(1, 1_000_000)),  # a campaign, an amount in cents (at most € 10.000)
        "give": (ID, Number(1, 1_000_000), ON_OFF),  # … and whether the pledge is anonymous (1)
        "pay": (ID,),  # the payment details of a pledge
    },
    # -- end of the camp block --
    # handlers/campaign_admin.py: 📣 Organise → 🎯 Campaigns (organisers; "menu": every campaign, newest first).
    "camporg": {
        **{action: () for action in ("menu", "new", "days", "publish", "change", "preview", "stop")},
        # ⬅️ Back names the step it is on; ✏️ Change one answer
        "back": (words("title", "purpose", "goal", "end", "kind", "photo", "preview"),),
        "edit": (words("title", "purpose", "goal", "end", "kind", "photo"),),
        "goal": (Number(1, 100_000),),  # euros
        "end": (Day(frozenset({"other"})),),
        "kind": (words("keep", "all"),),  # keep it all, all or nothing
        "photo": (words("skip"),),
        "list": (PAGE,),
        **{action: (ID,) for action in ("card", "close", "closeok")},  # a campaign; 🏁 End now, and its yes
        "pledges": (ID, PAGE),  # a campaign, a page of its pledges
        **{action: (ID, PAGE) for action in ("pledge", "got", "lapse", "lapseok")},  # a pledge, its page
    },
    # -- end of the camporg block --
    # handlers/campaign_needs.py: help and things a campaign asks for (issue 15).
    "need": {
        # members: 🙋 I help / 📦 I bring (how many) / ✍️ another number / ↩️ Withdraw, each of a need
        **{action: (ID,) for action in ("help", "bring", "other", "off")},
        "amt": (ID, Number(1, 3)),  # a need, how many things from the buttons
        # organisers: ➕ Ask for help or things on a campaign; its steps; ⬅️ Back names the step it is on
        "new": (ID,),
        **{action: () for action in ("add", "change", "preview", "stop")},
        "kind": (words("help", "thing"),),
        "wanted": (Number(1, 10),),
        "back": (words("kind", "text", "wanted", "preview"),),
        "edit": (words("kind", "text", "wanted"),),  # ✏️ Change one answer
        "who": (ID, PAGE),  # 📋 Who pledged to a need, a page
        "shift": (ID,),  # 📅 Make a shift of a need: the day …
        "shday": (ID, Day()),  # … the time …
        **{action: (ID, Day(), words("0900-1300", "1300-1700", "1700-2100")) for action in ("shtime", "shok")},
    },
    # -- end of the need block --
    # handlers/income.py: 📣 Organise → 📊 Overview (organisers; "menu": this month, this year, ➕, 📋).
    "income": {
        **{action: () for action in ("menu", "new", "save", "change", "preview", "stop")},
        # ➕ Record income: the quick answers of its steps; ⬅️ Back names the step it is on; ✏️ Change one answer
        "source": (OneOf(frozenset(income.RECORDED)),),
        "day": (words("today"),),
        "note": (words("skip"),),
        "back": (words("source", "amount", "day", "note", "preview"),),
        "edit": (words("source", "amount", "day", "note"),),
        "list": (PAGE,),  # 📋 recorded income, the latest day first
        **{action: (ID, PAGE) for action in ("entry", "remove", "removeok")},  # recorded income, its page
        **{action: (Month(),) for action in ("month", "monthcsv", "monthpdf")},
        **{action: (Number(2000, 2999),) for action in ("year", "yearcsv", "yearpdf")},
    },
    # -- end of the income block --
    # handlers/payment_search.py: 📣 Organise → 🔎 Find a payment by the reference on the bank statement.
    "payfind": {"find": ()},
    # handlers/acting.py: 👥 a member's card → 🧾 Act for this member (how they asked is kept in the answers).
    "act4": {
        **{action: (ID,) for action in ("start", "what", "info", "phone", "nophone")},  # a member
        "how": (ID, words("desk", "phone", "paper")),  # a member, how they asked (storage/audit.py REASONS)
        **{action: (ID, PAGE) for action in ("acts", "mine")},  # a member, a page of activities
        **{action: (ID, ID) for action in ("in", "off", "offok")},  # a member, an activity
    },
    # -- end of the act4 block --
    # handlers/acting_votes.py: 🧾 Act for this member → 🗳️ a vote cast with help at the desk.
    "act4v": {
        "start": (ID,),  # a member
        "list": (ID, PAGE),  # a member, a page of their open votes
        # a member, a vote, the options chosen so far (bit n-1: the option at position n; a budget has at most
        # 12 projects, handlers/vote_planning.py): the choice lives only in the buttons, never in stored answers
        **{action: (ID, ID, Number(0, 2**16 - 1)) for action in ("vote", "sure", "yes")},
        "tick": (ID, ID, Number(0, 2**16 - 1), Number(1, 16)),  # … and the project ticked on or off (its position)
    },
    # -- end of the act4v block --
    # handlers/acting_help.py: 🧾 Act for this member → 🤝 a help request put online for them.
    "act4h": {
        **{action: (ID,) for action in ("start", "publish", "change", "preview", "stop")},  # a member
        "cat": (ID, POST_CATEGORY),  # a member, the category of their request
        "back": (ID, words("title", "body", "preview")),  # a member, the step it is on
        "edit": (ID, words("category", "title", "body")),  # a member, ✏️ the answer to change
        "mine": (ID, PAGE),  # a member, a page of their posts that are up
        **{action: (ID, ID) for action in ("close", "closeok")},  # a member, their post
    },
    # -- end of the act4h block --
    "plan": {
        "back": (words(*PLAN_STEPS, "preview"),),
        "day": (Day(frozenset({"other"})),),
        "days": (),
        "place": (words("centre"),),
        "room": (ID,),  # one of the building's rooms as the place
        "places": (words("none"),),
        "cost": (words("free"),),
        "bring": (words("none"),),
        "edit": (words(*PLAN_STEPS),),
        "weeks": (Number(1, 52),),
        **{action: () for action in ("publish", "change", "preview", "repeat", "stop")},
        "send": (),  # ✅ Send to the organisers: a member's proposal (issue 14)
    },
}


@dataclass(frozen=True)
class Callback:
    """Callback data as read by the codec: its arguments are already of the right kind."""

    area: str
    action: str
    args: tuple[int | str | date, ...] = ()

    def int_arg(self, index: int) -> int:
        value = self.args[index]
        if not isinstance(value, int):
            raise MalformedCallback(f"argument {index} is not a number")
        return value

    def str_arg(self, index: int) -> str:
        value = self.args[index]
        if not isinstance(value, str):
            raise MalformedCallback(f"argument {index} is not a word")
        return value


def _kinds(area: str, action: str) -> tuple[Arg, ...]:
    kinds = BUTTONS.get(area, {}).get(action)
    if kinds is None:
        raise MalformedCallback(f"no button {area}:{action}")
    return kinds


def pack(area: str, action: str, *args: str | int) -> str:
    """Callback data for a button; raises ValueError for a button or argument the codec does not know."""
    parts = [area, action, *(str(arg) for arg in args)]
    kinds = _kinds(area, action)
    if len(args) != len(kinds):
        raise ValueError(f"{area}:{action} takes {len(kinds)} arguments")
    for kind, part in zip(kinds, parts[2:], strict=True):
        kind.read(part)
    data = ":".join(parts)
    if len(data.encode("ascii")) > MAX_BYTES:
        raise ValueError(f"callback data {data!r} is longer than {MAX_BYTES} bytes")
    return data


def parse(data: object) -> Callback:
    """Read callback data made by pack(); MalformedCallback for anything else."""
    if not isinstance(data, str) or not data or len(data.encode("utf-8")) > MAX_BYTES:
        raise MalformedCallback("empty, not text, or too long")
    parts = data.split(":")
    if len(parts) < 2 or not all(_PART.match(part) for part in parts):
        raise MalformedCallback(f"not area:action[:args]: {data!r}")
    kinds = _kinds(parts[0], parts[1])
    if len(parts) != 2 + len(kinds):
        raise MalformedCallback(f"expected {len(kinds)} arguments: {data!r}")
    return Callback(parts[0], parts[1], tuple(kind.read(part) for kind, part in zip(kinds, parts[2:], strict=True)))


def _reads(data: object, area: str, actions: Iterable[str]) -> bool:
    try:
        tapped = parse(data)
    except MalformedCallback:
        return False
    return tapped.area == area and tapped.action in actions


def pattern(area: str, *actions: str) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: data of one of these buttons that the codec reads without fault.

    PTB asks every handler about every tap: a cheap look at the start comes before reading it whole."""
    starts = tuple(f"{area}:{action}:" for action in actions)
    whole = {f"{area}:{action}" for action in actions}
    return lambda data: (
        isinstance(data, str) and (data.startswith(starts) or data in whole) and _reads(data, area, actions)
    )


def exactly(area: str, action: str, *args: str | int) -> Callable[[object], bool]:
    """A pattern for one button with these arguments (⬅️ Back of one step of a conversation)."""
    wanted = pack(area, action, *args)
    return lambda data: data == wanted
