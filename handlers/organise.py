"""📣 Organise → 👥 Members: counts, the waiting list, finding a member, the member file, and roles."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, i18n
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import leave_handlers, persistent_conversation
from bot.double_taps import files_once
from bot.exports import file_name, members_csv
from bot.formatting import format_member_no, format_when
from bot.i18n import N_
from bot.incoming import UnexpectedUpdate, chat_id, query, text
from bot.keyboards import ORGANISE, button, inline, menu_label_pattern, nav_row, paged, typed_text
from bot.member_text import decision_buttons, details
from bot.persistence import SEARCH_TEXT
from bot.replies import show, way_on_after_files
from handlers.profile import leave
from storage import activities, members
from storage.members import ACTIVE, PENDING, SUSPENDED, Change, Member
from storage.paging import Page

logger = logging.getLogger(__name__)
AREA = "org"
FIND = "find"
# 42, #42, "lid 0042", "member 42": a member number. "Ahmed 2" is a name.
MEMBER_NUMBER = re.compile(r"(?:(?:lid|member|nr\.?|no\.?)\s*)?#?\s*(\d{1,9})", re.IGNORECASE)
MAX_QUERY = 64


def on(action: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, action)


@requires(Need.ORGANISER)
async def organise_text(update: Update, context: WijkContext) -> None:
    """📣 Organise from the main menu."""
    await show_organise(update, context)


@requires(Need.ORGANISER)
async def organise_button(update: Update, context: WijkContext) -> None:
    """⬅️ Back to 📣 Organise."""
    await show_organise(update, context)


async def show_organise(update: Update, context: WijkContext) -> None:
    _ = context.gettext
    choices = [
        [button("📅 " + _("New activity"), AREA, "newact"), button("🗂️ " + _("Activities"), AREA, "acts", 0)],
        [button("📈 " + _("Month overview"), AREA, "month", "now"), button("👥 " + _("Members"), AREA, "members")],
        [button("🗳️ " + _("Votes and proposals"), "vorg", "menu")],
        [button("🤝 " + _("Help & services"), "horg", "menu")],
        [button("📢 " + _("Send a message"), "annc", "new")],
        [button("🧾 " + _("Desk"), "desk", "menu"), button("📅 " + _("Week programme"), "paper", "week")],
        [button("⚙️ " + _("Rooms"), "roomorg", "menu"), button("🙋 " + _("Shifts"), "shiftorg", "menu")],
        [button("💡 " + _("Proposed activities"), "hostorg", "menu")],  # handlers/host_review.py
        [button("💶 " + _("Shares"), "shareorg", "menu"), button("🎯 " + _("Campaigns"), "camporg", "menu")],
        [button("📊 " + _("Overview"), "income", "menu"), button("🔎 " + _("Find a payment"), "payfind", "find")],
        nav_row(_, None),
    ]
    await show(update, context, "📣 " + _("Organise") + "\n" + _("What do you want to do?"), inline(choices))


@requires(Need.ORGANISER)
async def members_button(update: Update, context: WijkContext) -> None:
    """👥 Members: how many, and what to do with them."""
    _ = context.gettext
    counts = await members.counts_by_status(context.db)
    text = _("👥 Members\nActive: {active}\nWaiting for approval: {pending}\nPaused: {suspended}").format(
        active=counts[ACTIVE], pending=counts[PENDING], suspended=counts[SUSPENDED]
    )
    choices = [
        [button("⏳ " + _("New sign-ups"), AREA, "pending", 0)],
        [button("🔎 " + _("Find a member"), AREA, "find")],
        [button("📄 " + _("All members as a file"), AREA, "csv")],
        nav_row(_, callbacks.pack(AREA, "menu")),
    ]
    await show(update, context, text, inline(choices))


def person_button(_: i18n.Translate, member: Member) -> InlineKeyboardButton:
    label = f"{i18n.kept_apart(member.first_name)} · {format_member_no(_, member.member_no)}"
    return button(label, AREA, "card", member.id)


@requires(Need.ORGANISER)
async def pending_button(update: Update, context: WijkContext) -> None:
    """⏳ Waiting list: people who wait for approval, oldest first, 5 a page."""
    _ = context.gettext
    page = callbacks.parse(query(update).data).int_arg(0)
    waiting = members.pending_page(context.db, page)
    if waiting.total:
        text = _("Waiting for approval: {count}").format(count=waiting.total)
    else:
        text = _("Nobody is waiting for approval.")
    rows = paged(waiting, lambda m: person_button(_, m), AREA, "pending")
    await show(update, context, text, inline(rows + [nav_row(_, callbacks.pack(AREA, "members"))]))


def card_buttons(_: i18n.Translate, member: Member) -> list:
    if member.status == PENDING:
        return [decision_buttons(_, member)]
    rows = []
    if member.status == ACTIVE:
        rows.append([button("🧾 " + _("Act for this member"), "act4", "start", member.id)])  # handlers/acting.py
        if member.is_organiser:
            rows.append([button("👤 " + _("Remove organiser"), AREA, "role", member.id, 0)])
        else:
            rows.append([button("👑 " + _("Make organiser"), AREA, "role", member.id, 1)])
        rows.append([button("⏸️ " + _("Pause membership"), AREA, "suspend", member.id, 1)])
    elif member.status == SUSPENDED:
        rows.append([button("▶️ " + _("Make active again"), AREA, "suspend", member.id, 0)])
    return rows


async def show_card(update: Update, context: WijkContext, member_id: int, toast: str | None = None) -> None:
    """One member as an organiser sees them, with what can be done."""
    _ = context.gettext
    member = members.get(context.db, member_id)
    if member is None or not member.signed_up:
        raise callbacks.StaleButton(f"member {member_id} is gone")
    text = details(_, member, context.language, context.settings.timezone)
    if member.is_organiser:
        text += "\n👑 " + _("Organiser")
    if member.unreachable_since is not None:
        since = format_when(member.unreachable_since, context.language, context.settings.timezone)
        text += "\n📵 " + _("Blocked the bot on {date}. Messages do not arrive.").format(date=since)
    rows = card_buttons(_, member) + [nav_row(_, callbacks.pack(AREA, "members"))]
    await show(update, context, text, inline(rows), toast=toast)


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    """A member from a list: their card."""
    await show_card(update, context, callbacks.parse(query(update).data).int_arg(0))


CHANGE_TOASTS = {
    Change.DONE: i18n.N_("Done."),
    Change.ALREADY: i18n.N_("This was already so."),
    Change.LAST_ORGANISER: i18n.N_("Not possible: there must always be at least one organiser."),
    Change.NOT_FOUND: i18n.N_("This member no longer exists."),
}


# What an organiser can change on a member card; storage writes what the member is told (bot/notices.py).
MEMBER_CHANGES = {"roleok": members.set_organiser, "suspendok": members.set_suspended}
# The question asked first (UX.md: a role or a membership does not change in one tap): (off, on).
MEMBER_QUESTIONS = {
    "role": (i18n.N_("Should {name} no longer be an organiser?"), i18n.N_("Make {name} an organiser?")),
    "suspend": (i18n.N_("Make the membership of {name} active again?"), i18n.N_("Pause the membership of {name}?")),
}


@requires(Need.ORGANISER)
async def member_question_button(update: Update, context: WijkContext) -> None:
    """👑 / 👤 / ⏸️ / ▶️ on a member card: ask once before the role or membership changes."""
    _ = context.gettext
    tapped = callbacks.parse(query(update).data)
    member_id, on = tapped.int_arg(0), tapped.int_arg(1)
    member = members.get(context.db, member_id)
    if member is None or not member.signed_up:
        raise callbacks.StaleButton(f"member {member_id} is gone")
    question = _(MEMBER_QUESTIONS[tapped.action][on]).format(name=escape(member.first_name or ""))
    rows = [
        [button("✅ " + _("Yes"), AREA, tapped.action + "ok", member_id, on)],
        [button("↩️ " + _("No"), AREA, "card", member_id)],
        nav_row(_, callbacks.pack(AREA, "card", member_id)),
    ]
    await show(update, context, question, inline(rows))


@requires(Need.ORGANISER)
async def member_change_button(update: Update, context: WijkContext) -> None:
    """✅ Yes to the question: the role or membership changes, it is logged, and the member is told."""
    tapped = callbacks.parse(query(update).data)
    member_id, on = tapped.int_arg(0), tapped.int_arg(1) == 1
    change = MEMBER_CHANGES[tapped.action](
        context.db, member_id, on, actor_id=context.known_member.id, now=context.now()
    )
    if change is Change.DONE and tapped.action == "suspendok" and on:  # paused: their places go to others
        activities.withdraw_everywhere(context.db, member_id, context.now(), context.timing)
    if change is Change.DONE:
        context.wake_sender()  # the member hears it, in the morning if it is night
    await show_card(update, context, member_id, toast=context.gettext(CHANGE_TOASTS[change]))


@requires(Need.ORGANISER)
@files_once
async def csv_button(update: Update, context: WijkContext) -> None:
    """📄 All members as a file for Excel or LibreOffice; then ⬅️ Back to 👥 Members."""
    _ = context.gettext
    await query(update).answer()
    people = await members.signed_up(context.db)
    data = members_csv(_, people, context.language, context.settings.timezone)
    await context.bot.send_document(
        chat_id(update),
        InputFile(data, filename=file_name(_, N_("members"), extension="csv")),
        caption=_("All members: {count}").format(count=len(people)),
    )
    await way_on_after_files(update, context, callbacks.pack(AREA, "members"))


async def ask_query(update: Update, context: WijkContext, error: str = "") -> str:
    _ = context.gettext
    question = _("Type a name or a member number.")
    await show(update, context, f"{error}\n\n{question}".strip(), inline([nav_row(_, callbacks.pack(AREA, "members"))]))
    return FIND


@requires(Need.ORGANISER)
async def find_button(update: Update, context: WijkContext) -> str:
    """🔎 Find a member: ask what to look for."""
    return await ask_query(update, context)


async def search(context: WijkContext, query: str, page: int) -> Page[Member]:
    """A member number (like 42 or "lid 0042") finds that member; other text searches first names."""
    number = MEMBER_NUMBER.fullmatch(query.strip())
    if number:
        found = members.get_by_member_no(context.db, int(number.group(1)))
        return Page([found] if found else [], 0, False, 1 if found else 0)
    return await members.find_by_name(context.db, query, page)


@requires(Need.ORGANISER)
async def query_text(update: Update, context: WijkContext) -> object:
    """The name or number to look for was typed."""
    query = unicodedata.normalize("NFC", text(update).strip())
    _ = context.gettext
    if len(query) > MAX_QUERY:
        return await ask_query(
            update, context, _("This is too long. Write it in at most {maximum} characters.").format(maximum=MAX_QUERY)
        )
    if not any(char.isalnum() for char in query):
        return await ask_query(update, context, _("Type at least one letter or number."))
    searches(context)[SEARCH_TEXT] = query
    await show_results(update, context, 0)
    return ConversationHandler.END


def searches(context: WijkContext) -> dict:
    """Where the search text is kept: in memory only (chat_data is not stored), and forgotten when the
    member it found deletes their account (bot.persistence.forget_user)."""
    if context.chat_data is None:
        raise UnexpectedUpdate("a search without a chat")
    return context.chat_data


async def show_results(update: Update, context: WijkContext, page: int) -> None:
    _ = context.gettext
    query = searches(context).get(SEARCH_TEXT)
    if query is None:  # the bot restarted, or the member it found deleted their account
        text = _("Sorry, I no longer have your search. Tap 🔎 Search again.")
        rows = [[button("🔎 " + _("Search again"), AREA, "find")], nav_row(_, callbacks.pack(AREA, "members"))]
        await show(update, context, text, inline(rows))
        return
    found = await search(context, query, page)
    if found.total:
        text = _("Found for “{query}”: {count}").format(query=escape(query), count=found.total)
    else:
        text = _("Nobody found for “{query}”.").format(query=escape(query))
    rows = paged(found, lambda m: person_button(_, m), AREA, "found")
    rows.append([button("🔎 " + _("Search again"), AREA, "find")])
    await show(update, context, text, inline(rows + [nav_row(_, callbacks.pack(AREA, "members"))]))


async def back_to_members(update: Update, context: WijkContext) -> int:
    """⬅️ Back while typing a search: to 👥 Members, and out of the search."""
    await members_button(update, context)
    return ConversationHandler.END


@requires(Need.ORGANISER)
async def results_page_button(update: Update, context: WijkContext) -> None:
    """◀️ ▶️ through the search results."""
    await show_results(update, context, callbacks.parse(query(update).data).int_arg(0))


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "find_member",
            entry_points=[CallbackQueryHandler(find_button, pattern=on("find"))],
            states={
                FIND: [
                    MessageHandler(typed_text(), query_text),
                    CallbackQueryHandler(back_to_members, pattern=on("members")),
                ]
            },
            fallbacks=leave_handlers(leave),
        ),
        CallbackQueryHandler(organise_button, pattern=on("menu")),
        CallbackQueryHandler(members_button, pattern=on("members")),
        CallbackQueryHandler(pending_button, pattern=on("pending")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(member_question_button, pattern=callbacks.pattern(AREA, "role", "suspend")),
        CallbackQueryHandler(member_change_button, pattern=callbacks.pattern(AREA, "roleok", "suspendok")),
        CallbackQueryHandler(csv_button, pattern=on("csv")),
        CallbackQueryHandler(results_page_button, pattern=on("found")),
    ]


def main_menu_button() -> BaseHandler:
    """📣 Organise in the main menu (group 1, see bot/app.py)."""
    return MessageHandler(filters.Regex(menu_label_pattern(ORGANISE)), organise_text)
