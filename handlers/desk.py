"""📣 Organise → 🧾 Desk: members without Telegram, and codes that join their account later (issue 13).

➕ Add a member: the organiser fills in, step by step, what the person tells at the desk, and the date
they signed the paper consent form; a preview, then ✅ Add. The member is active at once with a member
number. Business details (a freelancer's) are not asked here: the member adds them under 👤 My details
once they have Telegram. 🔗 Link: find a member without Telegram, make a one-time code
(storage/desk.py); that person sends /start with it, or opens the link, and their Telegram joins them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, i18n, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import States, end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_day, format_member_no, format_when
from bot.i18n import N_
from bot.incoming import query, tapped, text, user_id
from bot.keyboards import button, in_rows, inline, nav_row, paged, short_key, typed_text
from bot.member_text import INTEREST_LABELS, interests_text, neighbourhood_text
from bot.persistence import SEARCH_TEXT
from bot.replies import edit, reply_with_menu, show
from handlers import calls, fallback
from handlers.organise import MAX_QUERY, MEMBER_NUMBER, searches
from handlers.profile import leave as leave_search
from storage import desk, members
from storage.desk import Refusal, Unlinked

AREA = "desk"
NAME, NEIGHBOURHOOD, INTERESTS, LANGUAGE, PHONE = "name", "neighbourhood", "interests", "language", "phone"
CONSENT, PREVIEW, FIND = "consent", "preview", "find"
OTHER = "other"
JOIN_PREFIX = "join_"
# /start join_ABCD2345 from the link, or the code typed after /start: "/start abcd 2345" or "ABCD-2345" too.
JOIN_COMMAND = re.compile(r"^/start\s+\S")  # /start with a word after it: a code (act_N is answered before)
# A code typed on its own: 8 letters or digits (any script: a Ukrainian or Arabic keyboard), maybe split in two.
CODE_TEXT = re.compile(r"^\s*(?:join_)?[^\W_]{4}[\s-]{0,2}[^\W_]{4}\s*$")
# A day typed as 12-12-2026, 12/12/26 or 12.12 (this year).
SIGNED_DAY = re.compile(r"^\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{4}|\d{2}))?\s*$")
REFUSALS = {
    Refusal.WRONG: N_("This code does not work. Ask at the desk for a new one."),
    Refusal.USED: N_("This code does not work. Ask at the desk for a new one."),
    Refusal.EXPIRED: N_("This code does not work. Ask at the desk for a new one."),
    Refusal.TOO_MANY: N_("Too many tries. Try again in an hour."),
    Refusal.ALREADY_MEMBER: N_("This Telegram account already belongs to a member. You do not need a code."),
}


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def menu_data() -> str:
    """⬅️ Back to 🧾 Desk."""
    return callbacks.pack(AREA, "menu")


@requires(Need.ORGANISER)
async def menu_button(update: Update, context: WijkContext) -> int:
    """🧾 Desk from 📣 Organise, or ⬅️ Back to it (which leaves an unfinished step: nothing is added)."""
    _ = context.gettext
    context.answers.pop(AREA, None)
    text = "🧾 " + _("Desk") + "\n" + _("Here you help members without Telegram.") + "\n" + _("What do you want to do?")
    rows = [
        [button("➕ " + _("Add a member"), AREA, "add")],
        [button("🔗 " + _("Link a Telegram account"), AREA, "link")],
        [button("📞 " + _("Who to call: {count}").format(count=calls.waiting(context)), "call", "list", 0)],
        nav_row(_, callbacks.pack("org", "menu")),
    ]
    await show(update, context, text, inline(rows))
    return ConversationHandler.END


# ----- ➕ Add a member, step by step ------------------------------------------------------------------


def draft(context: WijkContext) -> dict:
    return context.answers.setdefault(AREA, {})


def steps(context: WijkContext) -> list[str]:
    """The steps in order; the neighbourhood only when organisers configured some."""
    return [NAME, *([NEIGHBOURHOOD] if context.settings.neighbourhoods else []), INTERESTS, LANGUAGE, PHONE, CONSENT]


def marked(label: str, chosen: bool) -> str:
    """A choice made before (seen again after ⬅️ Back) has a ✅."""
    return "✅ " + label if chosen else label


def choices(context: WijkContext, step: str) -> list[list[InlineKeyboardButton]]:
    """The buttons of a step that is answered with a tap."""
    _ = context.gettext
    answers = draft(context)
    if step == NEIGHBOURHOOD:
        names = context.settings.neighbourhoods
        hoods = [
            button(marked(name, answers.get(NEIGHBOURHOOD, "") == name), AREA, "hood", short_key(name))
            for name in names
        ]
        other = marked(_("Other"), NEIGHBOURHOOD in answers and answers[NEIGHBOURHOOD] is None)
        return in_rows([*hoods, button(other, AREA, "hood", OTHER)])
    if step == INTERESTS:
        chosen = answers.setdefault(INTERESTS, [])
        toggles = [
            [button(("✅ " if key in chosen else "⬜ ") + _(label), AREA, "toggle", key)]
            for key, label in INTEREST_LABELS.items()
        ]
        return [*toggles, [button("✔️ " + _("Done"), AREA, "done")]]
    if step == LANGUAGE:
        languages = [
            button(marked(i18n.language_name(code), answers.get(LANGUAGE) == code), AREA, "lang", code)
            for code in i18n.languages()
        ]
        return in_rows(languages)
    if step == PHONE:
        return [[button("⏭️ " + _("Skip"), AREA, "nophone")]]
    if step == CONSENT:
        return [[button("📅 " + _("Today"), AREA, "today")]]
    return []


QUESTIONS = {
    NAME: N_("What is the first name of the new member? Type it below."),
    NEIGHBOURHOOD: N_("In which neighbourhood do they live?"),
    INTERESTS: N_("What do they want to do? Tap all that fit.\nThen tap Done."),
    LANGUAGE: N_("In which language should the bot write to them?"),
    PHONE: N_("What is their phone number? Then an organiser can call them.\nType it, or tap Skip."),
    CONSENT: N_("On which day did they sign the paper form?\nTap Today, or type the day like 12-12-2026."),
}


async def ask(update: Update, context: WijkContext, step: str, error: str = "") -> str:
    """One question with its buttons; ⬅️ Back from the first leads to 🧾 Desk."""
    _ = context.gettext
    back = menu_data() if step == NAME else callbacks.pack(AREA, "back", step)
    question = f"{error}\n\n{_(QUESTIONS[step])}".strip()
    await show(update, context, question, inline([*choices(context, step), nav_row(_, back)]))
    return step


async def next_step(update: Update, context: WijkContext, step: str) -> str:
    order = steps(context)
    later = order[order.index(step) + 1 :]
    return await ask(update, context, later[0]) if later else await preview(update, context)


@requires(Need.ORGANISER)
async def add_button(update: Update, context: WijkContext) -> object:
    """➕ Add a member: a fresh draft, and the first question."""
    context.answers[AREA] = {INTERESTS: []}
    return await ask(update, context, NAME)


@requires(Need.ORGANISER)
async def name_text(update: Update, context: WijkContext) -> object:
    """The first name was typed: the same rules as at sign-up."""
    try:
        draft(context)[NAME] = validation.first_name(text(update))
    except validation.Invalid as invalid:
        return await ask(update, context, NAME, invalid.text(context.gettext))
    return await next_step(update, context, NAME)


@requires(Need.ORGANISER)
async def neighbourhood_button(update: Update, context: WijkContext) -> object:
    """A neighbourhood, or Other; a name no longer configured asks again."""
    key = tapped(update).str_arg(0)
    by_key = {short_key(name): name for name in context.settings.neighbourhoods}
    if key != OTHER and key not in by_key:
        return await ask(update, context, NEIGHBOURHOOD)
    draft(context)[NEIGHBOURHOOD] = by_key.get(key)
    return await next_step(update, context, NEIGHBOURHOOD)


@requires(Need.ORGANISER)
async def interest_button(update: Update, context: WijkContext) -> object:
    """Tick or untick one thing they want to do."""
    key = tapped(update).str_arg(0)
    chosen = draft(context).setdefault(INTERESTS, [])
    if key in chosen:
        chosen.remove(key)
    else:
        chosen.append(key)
    return await ask(update, context, INTERESTS)


@requires(Need.ORGANISER)
async def interests_done_button(update: Update, context: WijkContext) -> object:
    """✔️ Done with the interests."""
    return await next_step(update, context, INTERESTS)


@requires(Need.ORGANISER)
async def language_button(update: Update, context: WijkContext) -> object:
    """The language the bot will speak with them (the codec knows only shipped languages)."""
    draft(context)[LANGUAGE] = tapped(update).str_arg(0)
    return await next_step(update, context, LANGUAGE)


@requires(Need.ORGANISER)
async def phone_text(update: Update, context: WijkContext) -> object:
    """Their phone number was typed: for the call list (storage/calls.py), shown to organisers only."""
    try:
        draft(context)[PHONE] = validation.phone(text(update))
    except validation.Invalid as invalid:
        return await ask(update, context, PHONE, invalid.text(context.gettext))
    return await next_step(update, context, PHONE)


@requires(Need.ORGANISER)
async def no_phone_button(update: Update, context: WijkContext) -> object:
    """⏭️ Skip: no phone number (it is optional, UX.md)."""
    draft(context)[PHONE] = None
    return await next_step(update, context, PHONE)


def today(context: WijkContext) -> date:
    return context.now().astimezone(context.settings.timezone).date()


def signed_on(typed: str, today: date) -> date:
    """The day the paper form was signed: 12-12-2026, 12/12/26, or 12-12 (the last 12 December); not later
    than today."""
    match = SIGNED_DAY.match(validation.western(typed))
    if not match:
        raise validation.Invalid(N_("Please type the day like 12-12-2026. Or tap Today."))
    day, month, year = int(match[1]), int(match[2]), match[3]
    full_year = today.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
    try:
        found = date(full_year, month, day)
        if year is None and found > today:  # 12-12 typed in January: last December
            found = date(full_year - 1, month, day)
    except ValueError:
        raise validation.Invalid(N_("That day does not exist. Please type the day like 12-12.")) from None
    if found > today:
        raise validation.Invalid(N_("That day has not come yet. Type the day they signed the form."))
    return found


@requires(Need.ORGANISER)
async def consent_text(update: Update, context: WijkContext) -> object:
    """The day of the paper form was typed."""
    try:
        draft(context)[CONSENT] = signed_on(text(update), today(context)).isoformat()
    except validation.Invalid as invalid:
        return await ask(update, context, CONSENT, invalid.text(context.gettext))
    return await preview(update, context)


@requires(Need.ORGANISER)
async def today_button(update: Update, context: WijkContext) -> object:
    """📅 Today: they signed the paper form today."""
    draft(context)[CONSENT] = today(context).isoformat()
    return await preview(update, context)


def complete(context: WijkContext) -> dict:
    """The answers of a whole draft; a button of a draft that is gone no longer works."""
    answers = draft(context)
    if any(step not in answers for step in steps(context)):
        raise callbacks.StaleButton("no complete member to show or add")
    return answers


async def preview(update: Update, context: WijkContext) -> str:
    """What will be stored, and ✅ Add."""
    _ = context.gettext
    answers = complete(context)
    lines = [_("Check the new member:"), _("Name: {name}").format(name=escape(answers[NAME]))]
    if NEIGHBOURHOOD in steps(context):
        hood = neighbourhood_text(_, answers[NEIGHBOURHOOD])
        lines.append(_("Neighbourhood: {neighbourhood}").format(neighbourhood=hood))
    lines += [
        _("Wants to: {interests}").format(interests=interests_text(_, frozenset(answers[INTERESTS]))),
        _("Language: {language}").format(language=i18n.language_name(answers[LANGUAGE])),
        _("Phone: {phone}").format(phone=escape(answers[PHONE] or "-")),
        _("Signed the paper form on: {date}").format(
            date=format_day(date.fromisoformat(answers[CONSENT]), context.language, long=True, year=True)
        ),
        "",
        _("Tap ✅ Add. They get a member number at once."),
    ]
    rows = [
        [button("✅ " + _("Add"), AREA, "save")],
        [button("✖️ " + _("Stop"), AREA, "stop")],
        nav_row(_, callbacks.pack(AREA, "back", PREVIEW)),
    ]
    await show(update, context, "\n".join(lines), inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def back_button(update: Update, context: WijkContext) -> object:
    """⬅️ Back: one step back, with the answers kept."""
    step = tapped(update).str_arg(0)
    order = steps(context)
    if step == PREVIEW or step not in order:  # the neighbourhoods were configured away meanwhile
        return await ask(update, context, order[-1])
    return await ask(update, context, order[max(order.index(step) - 1, 0)])


@requires(Need.ORGANISER)
async def save_button(update: Update, context: WijkContext) -> int:
    """✅ Add. The flow ends here, so a second tap adds nobody."""
    _ = context.gettext
    answers = complete(context)
    context.answers.pop(AREA, None)
    member = desk.add_member(
        context.db,
        first_name=answers[NAME],
        neighbourhood=answers.get(NEIGHBOURHOOD),
        interests=frozenset(answers[INTERESTS]),
        language=answers[LANGUAGE],
        phone=answers[PHONE],
        consent_on=date.fromisoformat(answers[CONSENT]),
        organiser_id=context.known_member.id,
        now=context.now(),
    )
    done = "\n".join(
        [
            "✅ "
            + _("{name} is now a member. Their number is {number}.").format(
                name=escape(member.first_name or ""), number=format_member_no(_, member.member_no)
            ),
            _("Give them this number. Do they want to use Telegram later? Then make a code."),
        ]
    )
    rows = [
        [button("🔗 " + _("Make a code"), AREA, "code", member.id)],
        [button("➕ " + _("Add another member"), AREA, "add")],
        nav_row(_, menu_data()),
    ]
    await query(update).answer("✅")
    await edit(update, done, inline(rows))
    return ConversationHandler.END


async def leave(update: Update, context: WijkContext) -> int:
    """✖️ Stop, 🏠 Menu, /start or /menu: nobody is added."""
    _ = context.gettext
    return await end_conversation(update, context, _("Stopped. No member was added."), AREA)


# ----- 🔗 Link: find a member without Telegram, make a code -------------------------------------------


async def ask_query(update: Update, context: WijkContext, error: str = "") -> str:
    _ = context.gettext
    question = _("Type a name or a member number.") + "\n" + _("Only members without Telegram are found.")
    await show(update, context, f"{error}\n\n{question}".strip(), inline([nav_row(_, menu_data())]))
    return FIND


@requires(Need.ORGANISER)
async def link_button(update: Update, context: WijkContext) -> object:
    """🔗 Link a Telegram account: ask who."""
    return await ask_query(update, context)


@requires(Need.ORGANISER)
async def query_text(update: Update, context: WijkContext) -> object:
    """The name or number to look for was typed."""
    _ = context.gettext
    typed = unicodedata.normalize("NFC", text(update).strip())
    if len(typed) > MAX_QUERY:
        too_long = _("This is too long. Write it in at most {maximum} characters.").format(maximum=MAX_QUERY)
        return await ask_query(update, context, too_long)
    if not any(char.isalnum() for char in typed):
        return await ask_query(update, context, _("Type at least one letter or number."))
    searches(context)[SEARCH_TEXT] = typed
    await show_found(update, context, 0)
    return ConversationHandler.END


async def show_found(update: Update, context: WijkContext, page: int) -> None:
    """The members without Telegram found, 5 a page; a tap makes a code. A member number finds that member."""
    _ = context.gettext
    typed = searches(context).get(SEARCH_TEXT)
    again = [button("🔎 " + _("Search again"), AREA, "link")]
    if typed is None:  # the bot restarted, or the member it found deleted their account
        await show(update, context, _("Sorry, I no longer have your search. Tap 🔎 Search again."), inline([again]))
        return
    number = MEMBER_NUMBER.fullmatch(typed)
    if number:
        found = await desk.without_telegram(context.db, page, member_no=int(number.group(1)))
    else:
        found = await desk.without_telegram(context.db, page, name=typed)
    if found.total:
        heading = _("Found for “{query}”: {count}").format(query=escape(typed), count=found.total)
        heading += "\n" + _("Tap a member to make a code for them.")
    else:
        heading = _("Nobody found for “{query}”.").format(query=escape(typed))
        heading += "\n" + _("Only members without Telegram are found.")

    def person(member: Unlinked) -> InlineKeyboardButton:
        label = f"{i18n.kept_apart(member.first_name)} · {format_member_no(_, member.member_no)}"
        return button(label, AREA, "code", member.id)

    rows = paged(found, person, AREA, "found") + [again, nav_row(_, menu_data())]
    await show(update, context, heading, inline(rows))


@requires(Need.ORGANISER)
async def found_button(update: Update, context: WijkContext) -> None:
    """◀️ ▶️ through the members found."""
    await show_found(update, context, tapped(update).int_arg(0))


@requires(Need.ORGANISER)
async def code_button(update: Update, context: WijkContext) -> None:
    """🔗 A new code for a member without Telegram, with the link; their old code stops working. When
    that old code still works (given on paper yesterday, say), first ask."""
    _ = context.gettext
    data = tapped(update)
    member_id = data.int_arg(0)
    until = desk.working_code_until(context.db, member_id, context.now())
    if data.action == "code" and until is not None:
        member = members.get(context.db, member_id)
        name = escape((member.first_name if member else None) or "")
        when = format_when(until, context.language, context.settings.timezone)
        text = "🔗 " + _("{name} already has a code. It works until {when}.").format(name=name, when=when)
        text += "\n" + _("A new code stops the old one. Make a new code?")
        rows = [[button("🔗 " + _("Make a new code"), AREA, "newcode", member_id)], nav_row(_, menu_data())]
        await show(update, context, text, inline(rows))
        return
    try:
        code = desk.make_code(context.db, member_id, context.known_member.id, context.now())
    except desk.NotLinkable:
        raise callbacks.StaleButton(f"member {member_id} has Telegram or is gone") from None
    member = members.get(context.db, member_id)
    name = escape((member.first_name if member else None) or "")
    number = format_member_no(_, member.member_no if member else None)
    link = f"https://t.me/{context.bot.username}?start={JOIN_PREFIX}{code}"
    lines = [
        "🔗 " + _("The code for {name} ({number}):").format(name=name, number=number),
        "",
        f"<b>{code[:4]} {code[4:]}</b>",
        "",
        _("Write it down for them. It works for {days} days, and only once.").format(days=desk.CODE_LIFE.days),
        _("In Telegram they send /start and the code to this bot. Or they open this link:"),
        link,
        _("A new code replaces this one."),
    ]
    await show(update, context, "\n".join(lines), inline([nav_row(_, menu_data())]))


# ----- /start with a code: the Telegram account joins the member ---------------------------------------


async def join_command(update: Update, context: WijkContext) -> None:
    """/start join_<code> from the link, or /start <code> typed: this Telegram account becomes the member's.
    Any other word after /start is a code too (only act_N links exist besides, handlers/activities.py)."""
    await join_with(update, context, text(update).split(maxsplit=1)[1].removeprefix(JOIN_PREFIX))


async def code_text(update: Update, context: WijkContext) -> None:
    """A code typed on its own: the paper says "send /start and the code", and some send only the code.
    From a member it is just text the bot does not understand."""
    if context.member is not None and context.member.status != members.VISITOR:
        await fallback.unknown_text(update, context)
        return
    await join_with(update, context, text(update))


async def join_with(update: Update, context: WijkContext, typed: str) -> bool:
    """Join this Telegram account to the member whose code was typed. Nothing is lost: the same member,
    number and sign-ups. Refused plainly, 5 wrong tries an hour. Says whether it joined."""
    joined = desk.join(context.db, user_id(update), validation.western(typed), context.now())
    if joined.member is None:
        assert joined.refusal is not None
        await reply_with_menu(update, context, context.gettext(REFUSALS[joined.refusal]))
        return False
    context.member = joined.member  # from now on in the member's language
    context.wake_sender()  # what waited on the call list for them goes to this chat now
    _ = context.gettext
    welcome = _(
        "Welcome, {name}! Your Telegram is now linked to your membership.\n"
        "Your number is {number}. Everything you signed up for stays."
    )
    number = format_member_no(_, joined.member.member_no)
    await reply_with_menu(update, context, welcome.format(name=escape(joined.member.first_name or ""), number=number))
    return True


def handlers() -> list[BaseHandler]:
    def back(step: str) -> CallbackQueryHandler:
        """Each step answers only its own ⬅️ Back: an old button of another step is stale."""
        return CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", step))

    add_states: States = {
        NAME: [MessageHandler(typed_text(), name_text)],
        NEIGHBOURHOOD: [CallbackQueryHandler(neighbourhood_button, pattern=on("hood")), back(NEIGHBOURHOOD)],
        INTERESTS: [
            CallbackQueryHandler(interest_button, pattern=on("toggle")),
            CallbackQueryHandler(interests_done_button, pattern=on("done")),
            back(INTERESTS),
        ],
        LANGUAGE: [CallbackQueryHandler(language_button, pattern=on("lang")), back(LANGUAGE)],
        PHONE: [
            MessageHandler(typed_text(), phone_text),
            CallbackQueryHandler(no_phone_button, pattern=on("nophone")),
            back(PHONE),
        ],
        CONSENT: [
            MessageHandler(typed_text(), consent_text),
            CallbackQueryHandler(today_button, pattern=on("today")),
            back(CONSENT),
        ],
        PREVIEW: [
            CallbackQueryHandler(save_button, pattern=on("save")),
            CallbackQueryHandler(leave, pattern=on("stop")),
            back(PREVIEW),
        ],
    }

    def to_the_menu() -> CallbackQueryHandler:
        """⬅️ Back to 🧾 Desk: also from a step, leaving it."""
        return CallbackQueryHandler(menu_button, pattern=on("menu"))

    return [
        CommandHandler("start", join_command, filters.Regex(JOIN_COMMAND)),
        MessageHandler(filters.UpdateType.MESSAGE & filters.Regex(CODE_TEXT), code_text),
        persistent_conversation(
            "desk_add",
            entry_points=[CallbackQueryHandler(add_button, pattern=on("add"))],
            states=add_states,
            fallbacks=[to_the_menu(), *leave_handlers(leave, draft=AREA)],
        ),
        persistent_conversation(
            "desk_link",
            entry_points=[CallbackQueryHandler(link_button, pattern=on("link"))],
            states={FIND: [MessageHandler(typed_text(), query_text)]},
            fallbacks=[to_the_menu(), *leave_handlers(leave_search)],
        ),
        to_the_menu(),
        CallbackQueryHandler(found_button, pattern=on("found")),
        CallbackQueryHandler(code_button, pattern=on("code", "newcode")),
    ]
