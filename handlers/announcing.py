"""📣 Organise → 📢 Send a message: an organiser writes to many members at once, step by step.

Write the message (a text, or a photo with words), choose who gets it, see it as members will see it
with how many get it, then ✅ Send, 🕗 Later or ✖️ Stop. From the preview the organiser can add the
same message in other languages (each member gets their own, else the original), ask for ✅ Understood,
and make it 🚨 Urgent. Urgent is a toggle at any hour, because it does two things: it goes out at night
too, and it also reaches members who paused messages. Written at night without it, it waits until 08:00,
and the preview says so.

Nothing is stored before ✅: the draft lives in the conversation (persistent, so a restart keeps it).
✅ ends the flow, so a second tap sends nothing. The tapped preview becomes the progress message that
the sender edits (bot/broadcast.py). 📢 Past messages shows each one with its report; ✏️ Correct edits
it everywhere Telegram still allows (48 hours), 🗑️ Withdraw deletes it, and after 3 days organisers
see who did not tap ✅ Understood. Edits and deletions run in the background (application.create_task),
behind members' taps; the organiser hears when they are done.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from functools import partial
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot import activity_text, announcement_notices, broadcast, callbacks, i18n, timing, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import States, end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_day, format_member_no, format_short_when, format_when, shortened
from bot.i18n import N_
from bot.incoming import chat_id, message, query, tapped, text
from bot.keyboards import arrows, button, in_rows, inline, nav_row, paged, short_key, typed_text
from bot.member_text import INTEREST_LABELS
from bot.replies import edit, send, show
from handlers.activity_planning import moment
from storage import activities, announcements
from storage.announcements import EDITABLE, Announcement, Audience
from storage.members import INTERESTS, ORGANISER

logger = logging.getLogger(__name__)
AREA = "annc"
WRITE, WHO, TRANSLATE, DAY, TIME, PREVIEW, FIX = "write", "who", "translate", "day", "time", "preview", "fix"
FIXED = "fixed"  # the corrected text, shown once more before it replaces the message in every chat
TEXT, PHOTO, AUDIENCE, TEXTS, CONFIRM, URGENT, AT = "text", "photo", "audience", "texts", "confirm", "urgent", "at"
TRANSLATING = "translating"  # the language of the version being typed
VIEW = "view"  # the message that shows the announcement as members see it: [message id, what it shows]
EDITING = "editing"  # the text is being changed from the preview
CORRECTING = "correcting"  # ✏️ Correct: [announcement id, language]
NEW_TEXT = "new_text"  # ✏️ Correct: the text typed, until ✅
UNCONFIRMED_AFTER = timedelta(days=3)  # who did not tap ✅ Understood is shown from then on
HOURS = (8, 9, 10, 12, 14, 16, 18, 20)  # the time buttons of 🕗 Later
LABEL = 28  # characters of an announcement's words on its button in 📢 Past messages
SHOWN = 300  # characters of its words on its card
VERSION = 60  # characters of another language's version in the preview

WHO_BUTTONS = {
    "everyone": ("👥", N_("Everyone")),
    "neighbourhood": ("🏘️", N_("One neighbourhood")),
    "interest": ("💡", N_("An interest")),
    "role": ("🧰", N_("ZZP'ers or organisers")),
    "activity": ("📅", N_("People of an activity")),
    "language": ("🌐", N_("A language")),
}
ROLE_NAMES = {"zzp": N_("ZZP'ers (local freelancers)"), ORGANISER: N_("Organisers")}
FIX_QUESTION = N_("Type the new text in {language}. At most {maximum} characters. Now it reads:")
WRITE_QUESTION = N_("Write your message. Type it, or send a photo with a few words. At most {maximum} characters.")


def draft(context: WijkContext) -> dict:
    return context.answers.setdefault(AREA, {})


def on(*actions: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, *actions)


def limit(photo: str | None) -> int:
    """How long the words may be: a photo's caption holds less than a message."""
    return announcement_notices.CAPTION_LIMIT if photo else announcement_notices.TEXT_LIMIT


def read_words(typed: str | None, photo: str | None) -> str:
    return validation.lines(typed, limit(photo), N_("Please type the words of your message."))


def audience_of(answers: dict) -> Audience:
    kind, value = answers[AUDIENCE]
    return Audience(kind, value)


def who_text(context: WijkContext, audience: Audience) -> str:
    """Who gets it, in words: "everyone", "the neighbourhood Noord", "people coming to “Samen koken”"."""
    _ = context.gettext
    value = audience.value
    if audience.kind == "neighbourhood":
        if value is None:
            return _("members who chose “Other” as their neighbourhood")
        return _("members in {neighbourhood}").format(neighbourhood=escape(value))
    if audience.kind == "interest" and value in INTEREST_LABELS:
        return _("members who chose “{interest}”").format(interest=_(INTEREST_LABELS[value]))
    if audience.kind == "role" and value in ROLE_NAMES:
        return _(ROLE_NAMES[value])
    if audience.kind == "activity":
        activity = activities.get(context.db, int(value or 0))
        title = escape(activity.title) if activity else "?"
        return _("people coming to or waiting for “{title}”").format(title=title)
    if audience.kind == "language" and value:
        return _("members who read {language}").format(language=i18n.language_name(value))
    return _("everyone")


# ----- 1. the message ---------------------------------------------------------------------------------------


async def ask_words(update: Update, context: WijkContext, error: str = "") -> str:
    """The first step (and ✏️ Change the text): type it or send a photo. ⬅️ Back leads to 📣 Organise."""
    _ = context.gettext
    answers = draft(context)
    photo = answers.get(PHOTO)
    question = "📢 " + _(WRITE_QUESTION).format(maximum=limit(photo))
    rows: list[list[InlineKeyboardButton]] = []
    if photo:
        question = "🖼️ " + _("Your photo is kept. Type the words that go with it, or send another photo.")
        rows.append([button("🗑️ " + _("Without the photo"), AREA, "nophoto")])
    elif not answers.get(EDITING):
        rows.append([button("📋 " + _("Past messages"), AREA, "past", 0)])
    back = callbacks.pack(AREA, "preview") if answers.get(EDITING) else callbacks.pack("org", "menu")
    await show(update, context, f"{error}\n\n{question}".strip(), inline([*rows, nav_row(_, back)]))
    return WRITE


async def after_words(update: Update, context: WijkContext) -> str:
    """The words changed: who gets it next, or back to the preview when only the text was changed."""
    answers = draft(context)
    answers.pop(VIEW, None)  # the preview shows it again, as it is now
    if answers.get(EDITING) and AUDIENCE in answers:
        return await preview(update, context)
    return await ask_who(update, context)


@requires(Need.ORGANISER)
async def words_text(update: Update, context: WijkContext) -> str:
    """The words were typed (for the photo, when there is one)."""
    answers = draft(context)
    try:
        answers[TEXT] = read_words(text(update), answers.get(PHOTO))
    except validation.Invalid as invalid:
        return await ask_words(update, context, invalid.text(context.gettext))
    return await after_words(update, context)


@requires(Need.ORGANISER)
async def photo_message(update: Update, context: WijkContext) -> str:
    """A photo: its largest size is kept; its caption, if any, are the words."""
    answers = draft(context)
    sent = message(update)
    answers[PHOTO] = sent.photo[-1].file_id
    if not sent.caption:
        answers.pop(TEXT, None)
        return await ask_words(update, context)
    try:
        answers[TEXT] = read_words(sent.caption, answers[PHOTO])
    except validation.Invalid as invalid:
        answers.pop(TEXT, None)
        return await ask_words(update, context, invalid.text(context.gettext))
    return await after_words(update, context)


@requires(Need.ORGANISER)
async def no_photo_button(update: Update, context: WijkContext) -> str:
    """🗑️ Without the photo: a text message after all."""
    draft(context).pop(PHOTO, None)
    draft(context).pop(VIEW, None)
    return await ask_words(update, context)


@requires(Need.ORGANISER)
async def new_button(update: Update, context: WijkContext) -> str:
    """📢 Send a message from 📣 Organise: a fresh draft."""
    context.answers[AREA] = {CONFIRM: False, URGENT: False, TEXTS: {}}
    return await ask_words(update, context)


@requires(Need.ORGANISER)
async def edit_button(update: Update, context: WijkContext) -> str:
    """✏️ Change the text, from the preview."""
    complete(context)
    draft(context)[EDITING] = True
    return await ask_words(update, context)


# ----- 2. who gets it -----------------------------------------------------------------------------------------


async def ask_who(update: Update, context: WijkContext) -> str:
    _ = context.gettext
    choices = [button(f"{emoji} {_(label)}", AREA, "to", kind) for kind, (emoji, label) in WHO_BUTTONS.items()]
    back = callbacks.pack(AREA, "back", WHO)
    await show(update, context, _("Who gets this message?"), inline([*in_rows(choices), nav_row(_, back)]))
    return WHO


@requires(Need.ORGANISER)
async def who_button(update: Update, context: WijkContext) -> str:
    """⬅️ Back to the kinds of audience, from one of its lists."""
    return await ask_who(update, context)


def value_buttons(context: WijkContext, kind: str) -> list[InlineKeyboardButton]:
    """The choices of one kind of audience (the activities are paged apart)."""
    _ = context.gettext
    if kind == "neighbourhood":
        hoods = [button(name, AREA, "hood", short_key(name)) for name in context.settings.neighbourhoods]
        return [*hoods, button(_("Other"), AREA, "hood", "other")]
    if kind == "interest":
        return [button(_(INTEREST_LABELS[interest]), AREA, "interest", interest) for interest in INTERESTS]
    if kind == "role":
        return [button(_(name), AREA, "role", role) for role, name in ROLE_NAMES.items()]
    return [button(i18n.language_name(language), AREA, "lang", language) for language in i18n.languages()]


@requires(Need.ORGANISER)
async def to_button(update: Update, context: WijkContext) -> str:
    """A kind of audience: everyone goes straight to the preview; the others show their choices."""
    _ = context.gettext
    kind = tapped(update).str_arg(0)
    if kind == "everyone":
        return await chose(update, context, Audience("everyone"))
    if kind == "activity":
        return await show_activities(update, context, 0)
    rows = [[choice] for choice in value_buttons(context, kind)]
    await show(update, context, _("Who gets this message?"), inline([*rows, nav_row(_, callbacks.pack(AREA, "who"))]))
    return WHO


async def show_activities(update: Update, context: WijkContext, page: int) -> str:
    """The upcoming activities, soonest first, 5 a page."""
    _ = context.gettext
    found = activities.upcoming(context.db, context.now(), page)
    tz = context.settings.timezone

    def line(activity: activities.Activity) -> InlineKeyboardButton:
        return button(activity_text.list_line(_, activity, context.language, tz), AREA, "act", activity.id)

    text = _("Which activity? Everyone who comes or waits for it gets the message.")
    if not found.items:
        text = _("📅 There are no activities planned yet.")
    rows = paged(found, line, AREA, "acts") + [nav_row(_, callbacks.pack(AREA, "who"))]
    await show(update, context, text, inline(rows))
    return WHO


@requires(Need.ORGANISER)
async def activities_button(update: Update, context: WijkContext) -> str:
    """◀️ ▶️ through the upcoming activities."""
    return await show_activities(update, context, tapped(update).int_arg(0))


@requires(Need.ORGANISER)
async def value_button(update: Update, context: WijkContext) -> str:
    """One neighbourhood, interest, role, activity or language: that is who gets it."""
    choice = tapped(update)
    value = choice.args[0]
    if choice.action == "hood":
        names = {short_key(name): name for name in context.settings.neighbourhoods}
        if value != "other" and value not in names:
            raise callbacks.StaleButton(f"no neighbourhood {value}")
        return await chose(update, context, Audience("neighbourhood", names.get(str(value))))
    if choice.action == "act":
        activity = activities.get(context.db, choice.int_arg(0))
        if activity is None or activity.cancelled or activity.ends_at <= context.now():
            raise callbacks.StaleButton(f"activity {value} is gone or over")
        return await chose(update, context, Audience("activity", str(activity.id)))
    kinds = {"interest": "interest", "role": "role", "lang": "language"}
    return await chose(update, context, Audience(kinds[choice.action], str(value)))


async def chose(update: Update, context: WijkContext, audience: Audience) -> str:
    draft(context)[AUDIENCE] = [audience.kind, audience.value]
    return await preview(update, context)


# ----- 3. other languages ----------------------------------------------------------------------------------


@requires(Need.ORGANISER)
async def languages_button(update: Update, context: WijkContext) -> str:
    """🌐 Other languages: one button per shipped language besides the original; ✅ where there is a version."""
    _ = context.gettext
    texts = complete(context)[TEXTS]
    others = [language for language in i18n.languages() if language != context.language]
    choices = [
        button(("✅ " if language in texts else "➕ ") + i18n.language_name(language), AREA, "tr", language)
        for language in others
    ]
    question = _("Members get the message in their language when you write it. Others get your text.")
    question += "\n" + _("Which language do you want to add?")
    await show(update, context, question, inline([*in_rows(choices), nav_row(_, callbacks.pack(AREA, "preview"))]))
    return PREVIEW


@requires(Need.ORGANISER)
async def translation_button(update: Update, context: WijkContext) -> str:
    """A language to add: type the message in it."""
    language = tapped(update).str_arg(0)
    if language == context.language:
        raise callbacks.StaleButton("the original is not a version")
    complete(context)
    draft(context)[TRANSLATING] = language
    return await ask_translation(update, context)


async def ask_translation(update: Update, context: WijkContext, error: str = "") -> str:
    _ = context.gettext
    answers = draft(context)
    language = answers[TRANSLATING]
    question = _("Type the message in {language}. At most {maximum} characters.").format(
        language=i18n.language_name(language), maximum=limit(answers.get(PHOTO))
    )
    if language in answers[TEXTS]:
        question += "\n" + _("Now it reads:") + "\n\n" + escape(answers[TEXTS][language])
    await show(update, context, f"{error}\n\n{question}".strip(), inline([nav_row(_, callbacks.pack(AREA, "langs"))]))
    return TRANSLATE


@requires(Need.ORGANISER)
async def translation_text(update: Update, context: WijkContext) -> str:
    """The message typed in another language: back to the preview, which lists it."""
    answers = draft(context)
    try:
        answers[TEXTS][answers[TRANSLATING]] = read_words(text(update), answers.get(PHOTO))
    except validation.Invalid as invalid:
        return await ask_translation(update, context, invalid.text(context.gettext))
    answers.pop(TRANSLATING, None)
    return await preview(update, context)


# ----- 4. later ---------------------------------------------------------------------------------------------


def today(context: WijkContext) -> date:
    return context.now().astimezone(context.settings.timezone).date()


@requires(Need.ORGANISER)
async def later_button(update: Update, context: WijkContext) -> str:
    """🕗 Later: which day (today and the six days after it, or typed)."""
    complete(context)
    return await ask_day(update, context)


async def ask_day(update: Update, context: WijkContext, error: str = "") -> str:
    _ = context.gettext
    days = [today(context) + timedelta(days=n) for n in range(7)]
    labels = [format_day(d, context.language) for d in days]
    choices = [button(label, AREA, "day", d.strftime("%Y%m%d")) for label, d in zip(labels, days, strict=True)]
    choices.append(button("📆 " + _("Another day"), AREA, "day", "other"))
    question = _("On which day should it go out? Tap a day, or type it like 12-12.")
    back = callbacks.pack(AREA, "back", DAY)
    await show(update, context, f"{error}\n\n{question}".strip(), inline([*in_rows(choices, 3), nav_row(_, back)]))
    return DAY


async def chose_day(update: Update, context: WijkContext, day: date) -> str:
    draft(context)["day"] = day.isoformat()
    return await ask_time(update, context)


@requires(Need.ORGANISER)
async def day_button(update: Update, context: WijkContext) -> str:
    """A day, or 📆 Another day (typed)."""
    _ = context.gettext
    day = tapped(update).args[0]
    if day == "other":
        await show(
            update,
            context,
            "📆 " + _("Type the day like 12-12 or 12-12-2026."),
            inline([nav_row(_, callbacks.pack(AREA, "later"))]),
        )
        return DAY
    assert isinstance(day, date)
    if day < today(context):
        return await ask_day(update, context, _("That day has passed. Please choose a day from today on."))
    return await chose_day(update, context, day)


@requires(Need.ORGANISER)
async def day_text(update: Update, context: WijkContext) -> str:
    """A day typed for 🕗 Later."""
    try:
        day = validation.day(text(update), today(context))
    except validation.Invalid as invalid:
        return await ask_day(update, context, invalid.text(context.gettext))
    return await chose_day(update, context, day)


async def ask_time(update: Update, context: WijkContext, error: str = "") -> str:
    _ = context.gettext
    choices = [button(f"{hour:02d}:00", AREA, "at", hour) for hour in HOURS]
    question = _("At what time? Tap a time, or type it like 14:30.")
    back = callbacks.pack(AREA, "back", TIME)
    await show(update, context, f"{error}\n\n{question}".strip(), inline([*in_rows(choices, 4), nav_row(_, back)]))
    return TIME


async def chose_time(update: Update, context: WijkContext, at: str) -> str:
    answers = draft(context)
    if moment(context, answers["day"], at) <= context.now():
        return await ask_time(update, context, context.gettext("That time has passed. Please choose a later time."))
    answers[AT] = [answers["day"], at]
    return await preview(update, context)


@requires(Need.ORGANISER)
async def hour_button(update: Update, context: WijkContext) -> str:
    """A time button of 🕗 Later."""
    return await chose_time(update, context, f"{tapped(update).int_arg(0):02d}:00")


@requires(Need.ORGANISER)
async def time_text(update: Update, context: WijkContext) -> str:
    """A time typed for 🕗 Later."""
    try:
        at = validation.clock_time(text(update)).isoformat("minutes")
    except validation.Invalid as invalid:
        return await ask_time(update, context, invalid.text(context.gettext))
    return await chose_time(update, context, at)


@requires(Need.ORGANISER)
async def now_button(update: Update, context: WijkContext) -> str:
    """▶️ Send it now after all, instead of later."""
    complete(context).pop(AT, None)
    return await preview(update, context)


# ----- 5. the preview ---------------------------------------------------------------------------------------


def complete(context: WijkContext) -> dict:
    """The draft with its words and audience; a button of a draft that is gone no longer works."""
    answers = draft(context)
    if TEXT not in answers or AUDIENCE not in answers:
        raise callbacks.StaleButton("no complete message to show or send")
    return answers


def send_at(context: WijkContext, answers: dict) -> datetime | None:
    """The moment chosen with 🕗 Later, or None: now."""
    return moment(context, *answers[AT]) if answers.get(AT) else None


def goes_out(context: WijkContext, start: datetime, urgent: bool) -> datetime:
    """When a message meant for `start` goes out: an urgent one at once, another not at night (08:00)."""
    return start if urgent else timing.deliver_at(start, context.settings.timezone)


def when_text(context: WijkContext, answers: dict) -> str:
    """When it goes out: now, at the chosen moment, or (not urgent, at night) at 08:00."""
    _ = context.gettext
    planned = send_at(context, answers)
    start = planned or context.now()
    goes = goes_out(context, start, answers[URGENT])
    when = format_when(goes, context.language, context.settings.timezone)
    if goes > start:
        return "🌙 " + _("That is at night. It goes out on {when}, unless you make it 🚨 Urgent.").format(when=when)
    if planned:
        return "🕗 " + _("It goes out on {when}.").format(when=when)
    return "▶️ " + _("It goes out as soon as you tap ✅ Send.")


def toggle(label: str, on: bool, action: str) -> InlineKeyboardButton:
    """A switch on the preview: its button sets the other state (so a double tap changes nothing more)."""
    return button(("✅ " if on else "⬜ ") + label, AREA, action, 0 if on else 1)


async def show_view(update: Update, context: WijkContext, answers: dict) -> bool:
    """The announcement exactly as members will see it (in the original), as its own message: a photo
    cannot be a preview's text. Sent again when the words or photo changed (True), edited when the
    heading did."""
    _ = context.gettext
    shown = announcement_notices.text(_, answers[TEXT], answers[URGENT])
    view = answers.get(VIEW)
    chat = chat_id(update)
    if view is not None and view[1] == shown:
        return False
    if view is not None:
        try:
            if answers.get(PHOTO):
                await context.bot.edit_message_caption(chat, view[0], caption=shown)
            else:
                await context.bot.edit_message_text(shown, chat, view[0])
            answers[VIEW] = [view[0], shown]
            return False
        except TelegramError as error:  # the organiser deleted it: a new one below
            logger.info("preview of an announcement not edited: %s", error)
    intro = "👇 " + _("This is how members will see your message:")
    if update.callback_query:  # the tapped step says so and keeps no buttons: the new messages come below
        await query(update).answer()
        await edit(update, intro)
    else:
        await send(update, context, intro, None)
    if answers.get(PHOTO):
        sent = await context.bot.send_photo(chat, answers[PHOTO], caption=shown)
    else:
        sent = await context.bot.send_message(chat, shown)
    context.runtime.menu_is_last.discard(chat)
    answers[VIEW] = [sent.message_id, shown]
    return True


async def preview(update: Update, context: WijkContext) -> str:
    """The message as members see it, who gets it and how many, the other versions, when; then what to do."""
    _ = context.gettext
    answers = complete(context)
    answers.pop(EDITING, None)
    fresh = await show_view(update, context, answers)
    audience = audience_of(answers)
    count = await announcements.reach(context.db, audience, urgent=answers[URGENT])
    ngettext = i18n.plural(context.language)
    lines = [
        "👆 " + _("This is your message."),
        "👥 " + _("Who gets it: {who}.").format(who=who_text(context, audience)),
        ngettext("It goes to {count} member now.", "It goes to {count} members now.", count).format(count=count),
    ]
    for language, words in sorted(answers[TEXTS].items()):
        lines.append(f"🌐 {i18n.language_name(language)}: {escape(shortened(words.replace(chr(10), ' '), VERSION))}")
    if answers[CONFIRM]:
        lines.append("✅ " + _("Members can tap ✅ Understood. You see who did."))
    if answers[URGENT]:
        lines.append("🚨 " + _("Urgent: also at night, and also for members who paused messages."))
    lines.append(when_text(context, answers))
    later = [button("▶️ " + _("Now instead"), AREA, "now")] if answers.get(AT) else []
    rows = [
        [button("✅ " + _("Send"), AREA, "send")],
        [button("🕗 " + _("Later"), AREA, "later"), *later],
        [button("🌐 " + _("Other languages"), AREA, "langs")],
        [toggle(_("Ask for ✅ Understood"), answers[CONFIRM], "ok")],
        [toggle("🚨 " + _("Urgent"), answers[URGENT], "urgent")],
        [button("✏️ " + _("Change the text"), AREA, "edit"), button("✖️ " + _("Stop"), AREA, "stop")],
        nav_row(_, callbacks.pack(AREA, "back", PREVIEW)),
    ]
    if fresh and update.callback_query:  # the view came below the tapped message: the preview follows it
        await send(update, context, "\n".join(lines), inline(rows))
    else:
        await show(update, context, "\n".join(lines), inline(rows))
    return PREVIEW


@requires(Need.ORGANISER)
async def preview_button(update: Update, context: WijkContext) -> str:
    """⬅️ Back to the preview."""
    draft(context).pop(TRANSLATING, None)
    return await preview(update, context)


@requires(Need.ORGANISER)
async def switch_button(update: Update, context: WijkContext) -> str:
    """✅ Understood asked or not; 🚨 urgent or not."""
    choice = tapped(update)
    complete(context)[CONFIRM if choice.action == "ok" else URGENT] = choice.int_arg(0) == 1
    return await preview(update, context)


@requires(Need.ORGANISER)
async def back_button(update: Update, context: WijkContext) -> str:
    """⬅️ Back: from who gets it to the words, from the preview to who gets it, from a day or time on."""
    step = tapped(update).str_arg(0)
    if step == WHO:
        return await ask_words(update, context)
    if step == PREVIEW:
        return await ask_who(update, context)
    if step == TIME:
        return await ask_day(update, context)
    return await preview(update, context)


@requires(Need.ORGANISER)
async def send_button(update: Update, context: WijkContext) -> str | int:
    """✅ Send: stored, the sender wakes, and this message shows the progress. The flow ends here, so a
    second tap sends nothing."""
    _ = context.gettext
    answers = complete(context)
    planned = send_at(context, answers)
    if planned is not None and planned <= context.now():
        return await ask_time(update, context, _("That time has passed. Please choose a later time."))
    now = context.now()
    audience = audience_of(answers)
    count = await announcements.reach(context.db, audience, urgent=answers[URGENT])
    made = announcements.create(
        context.db,
        organiser_id=context.known_member.id,
        audience=audience,
        texts={**answers[TEXTS], context.language: answers[TEXT]},
        original_language=context.language,
        photo=answers.get(PHOTO),
        confirm=answers[CONFIRM],
        urgent=answers[URGENT],
        send_at=planned or now,
        now=now,
    )
    context.answers.pop(AREA, None)
    tapped_message = query(update).message
    assert tapped_message is not None
    announcements.set_progress_message(context.db, made.id, tapped_message.chat.id, tapped_message.message_id)
    context.wake_sender()
    goes = goes_out(context, planned or now, answers[URGENT])
    if goes > now:
        when = format_when(goes, context.language, context.settings.timezone)
        done = "🕗 " + _("Planned. It goes out on {when}.").format(when=when)
    else:
        ngettext = i18n.plural(context.language)
        done = "📤 " + ngettext(
            "It is being sent to {count} member.", "It is being sent to {count} members.", count
        ).format(count=count)
    done += "\n" + _("This message shows how it goes.")
    await query(update).answer("✅")
    await edit(update, done, past_row(context))
    return ConversationHandler.END


def past_row(context: WijkContext) -> InlineKeyboardMarkup:
    _ = context.gettext
    return inline([[button("📋 " + _("Past messages"), AREA, "past", 0)], nav_row(_, callbacks.pack("org", "menu"))])


async def leave(update: Update, context: WijkContext) -> int:
    """✖️ Stop, 🏠 Menu, /start or /menu: nothing is sent."""
    _ = context.gettext
    return await end_conversation(update, context, _("Stopped. Nothing was sent."), AREA)


# ----- 6. past messages -----------------------------------------------------------------------------------


def existing(context: WijkContext, announcement_id: int) -> Announcement:
    found = announcements.get(context.db, announcement_id)
    if found is None:
        raise callbacks.StaleButton(f"announcement {announcement_id} does not exist")
    return found


@requires(Need.ORGANISER)
async def past_button(update: Update, context: WijkContext) -> None:
    """📋 Past messages: newest first, 5 a page."""
    _ = context.gettext
    page = tapped(update).int_arg(0)
    found = announcements.page(context.db, page)
    if not found.items and page:  # an old ▶️: the list got shorter since
        page, found = 0, announcements.page(context.db, 0)
    tz = context.settings.timezone

    def line(item: Announcement) -> InlineKeyboardButton:
        words = item.texts[item.original_language].split("\n", 1)[0]
        mark = "🗑️ " if item.withdrawn_at else "🚨 " if item.urgent else ""
        label = f"{mark}{format_short_when(item.send_at, context.language, tz)} · {shortened(words, LABEL)}"
        return button(label, AREA, "card", item.id, page)

    text = "📋 " + (_("Past messages. Tap one to see how it went.") if found.items else _("No messages were sent yet."))
    rows = paged(found, line, AREA, "past") + [nav_row(_, callbacks.pack("org", "menu"))]
    await show(update, context, text, inline(rows))


def report(context: WijkContext, item: Announcement) -> str:
    """How it went: when it goes out while nobody got it yet, the progress while it is sent, or the report."""
    _ = context.gettext
    language = context.language
    if item.finished or item.withdrawn_at:
        failures = announcements.failures(context.db, item.id) if item.failed else []
        return broadcast.report_text(_, language, item, failures)
    goes = goes_out(context, item.send_at, item.urgent)
    if item.total == 0 and goes > context.now():
        when = format_when(goes, language, context.settings.timezone)
        return "🕗 " + _("Planned. It goes out on {when}.").format(when=when)
    return broadcast.progress_text(_, language, item)


async def show_card(update: Update, context: WijkContext, announcement_id: int, page: int, toast: str = "") -> None:
    """One past message: when, who, its words, its other versions, how it went, and what can be done."""
    _ = context.gettext
    item = existing(context, announcement_id)
    tz = context.settings.timezone
    original = item.texts[item.original_language]
    lines = [
        f"📢 <b>{format_when(item.send_at, context.language, tz)}</b>",
        "👥 " + _("Who gets it: {who}.").format(who=who_text(context, item.audience)),
        "",
        ("🖼️ " if item.photo else "") + escape(shortened(original, SHOWN)),
        "",
    ]
    others = [i18n.language_name(language) for language in sorted(item.texts) if language != item.original_language]
    if others:
        lines.append("🌐 " + _("Also in: {languages}").format(languages=", ".join(others)))
    if item.corrected_at:
        lines.append("✏️ " + _("Corrected on {when}.").format(when=format_when(item.corrected_at, context.language, tz)))
    lines.append(report(context, item))
    rows = []
    if not item.withdrawn_at:
        rows.append(
            [button("✏️ " + _("Correct"), AREA, "fix", item.id), button("🗑️ " + _("Withdraw"), AREA, "drop", item.id)]
        )
    if item.confirm and context.now() >= item.send_at + UNCONFIRMED_AFTER:
        rows.append([button("👥 " + _("Who did not confirm"), AREA, "unconf", item.id, 0)])
    rows.append(nav_row(_, callbacks.pack(AREA, "past", page)))
    await show(update, context, "\n".join(lines), inline(rows), toast=toast or None)


@requires(Need.ORGANISER)
async def card_button(update: Update, context: WijkContext) -> None:
    """A past message from the list."""
    choice = tapped(update)
    await show_card(update, context, choice.int_arg(0), choice.int_arg(1))


# ----- ✏️ correct --------------------------------------------------------------------------------------------


def too_old(context: WijkContext, item: Announcement) -> bool:
    """Telegram lets a bot edit its messages for 48 hours."""
    return item.sent > 0 and context.now() >= item.send_at + EDITABLE


@requires(Need.ORGANISER)
async def fix_button(update: Update, context: WijkContext) -> object:
    """✏️ Correct: which language (when there are versions), then the new text. After 48 hours: say so."""
    _ = context.gettext
    item = existing(context, tapped(update).int_arg(0))
    card = callbacks.pack(AREA, "card", item.id, 0)
    if item.withdrawn_at:
        raise callbacks.StaleButton(f"announcement {item.id} was withdrawn")
    if too_old(context, item):
        text = "✏️ " + _("This message went out more than 48 hours ago. Telegram no longer lets me change it.")
        text += "\n" + _("You can send a new message instead.")
        rows = [[button("📢 " + _("Send a message"), AREA, "new")], nav_row(_, card)]
        await show(update, context, text, inline(rows))
        return ConversationHandler.END
    if len(item.texts) == 1:
        return await ask_fix(update, context, item, item.original_language)
    choices = [
        button(i18n.language_name(language), AREA, "fixlang", item.id, language) for language in sorted(item.texts)
    ]
    await show(
        update,
        context,
        "✏️ " + _("Which version do you want to correct?"),
        inline([*in_rows(choices), nav_row(_, card)]),
    )
    return ConversationHandler.END


@requires(Need.ORGANISER)
async def fix_language_button(update: Update, context: WijkContext) -> object:
    """The version to correct."""
    choice = tapped(update)
    item = existing(context, choice.int_arg(0))
    language = choice.str_arg(1)
    if item.withdrawn_at or language not in item.texts:
        raise callbacks.StaleButton(f"no version {language} of announcement {item.id} to correct")
    return await ask_fix(update, context, item, language)


async def ask_fix(update: Update, context: WijkContext, item: Announcement, language: str, error: str = "") -> str:
    _ = context.gettext
    context.answers[AREA] = {CORRECTING: [item.id, language]}
    question = _(FIX_QUESTION).format(language=i18n.language_name(language), maximum=limit(item.photo))
    question += "\n\n" + escape(item.texts[language])
    back = callbacks.pack(AREA, "card", item.id, 0)
    await show(update, context, f"{error}\n\n{question}".strip(), inline([nav_row(_, back)]))
    return FIX


@requires(Need.ORGANISER)
async def fix_text(update: Update, context: WijkContext) -> object:
    """The corrected text: shown once more, for a ✅ before it replaces what members have (a stray typed
    word must not go to everyone)."""
    _ = context.gettext
    announcement_id, language = draft(context)[CORRECTING]
    item = existing(context, announcement_id)
    try:
        words = read_words(text(update), item.photo)
    except validation.Invalid as invalid:
        return await ask_fix(update, context, item, language, invalid.text(_))
    draft(context)[NEW_TEXT] = words
    rows = [
        [button("✅ " + _("Yes, change it"), AREA, "fixok", announcement_id)],
        [button("✏️ " + _("Type it again"), AREA, "fixlang", announcement_id, language)],
        nav_row(_, callbacks.pack(AREA, "card", announcement_id, 0)),
    ]
    question = _("✏️ Change the message to this text, in every chat?")
    await send(update, context, f"{question}\n\n{escape(words)}", inline(rows))
    return FIXED


@requires(Need.ORGANISER)
async def fix_ok_button(update: Update, context: WijkContext) -> object:
    """✅ Yes, change it: stored, and edited in every chat where Telegram still allows it."""
    _ = context.gettext
    announcement_id = tapped(update).int_arg(0)
    answers = draft(context)
    if answers.get(CORRECTING, [None])[0] != announcement_id or NEW_TEXT not in answers:
        raise callbacks.StaleButton(f"no correction of announcement {announcement_id} waiting")
    language, words = answers[CORRECTING][1], answers[NEW_TEXT]
    context.answers.pop(AREA, None)
    delivered = announcements.correct(context.db, announcement_id, language, words, context.now())
    corrected = existing(context, announcement_id)
    card = inline([nav_row(_, callbacks.pack(AREA, "card", announcement_id, 0))])
    if corrected.withdrawn_at:
        await show(update, context, _("This message was withdrawn. Nothing was changed."), card)
        return ConversationHandler.END
    ngettext = i18n.plural(context.language)
    count = len(delivered)
    if not delivered:
        await show(update, context, _("✏️ Corrected. Members who get it from now on read the new text."), card)
        return ConversationHandler.END
    done = ngettext(
        "✏️ Corrected. I am changing it in {count} chat now.",
        "✏️ Corrected. I am changing it in {count} chats now.",
        count,
    )
    await show(update, context, done.format(count=count), card)  # first, before the report of how it went
    said = "✏️ " + ngettext("Changed in {done} of {count} chat.", "Changed in {done} of {count} chats.", count)
    background(
        update,
        context,
        announcement_id,
        count,
        said,
        partial(broadcast.edit_everywhere, context.bot, corrected, delivered),
    )
    return ConversationHandler.END


Done = Callable[[int], Awaitable[None]]


def background(
    update: Update,
    context: WijkContext,
    announcement_id: int,
    count: int,
    said: str,
    run: Callable[[Done], Awaitable[int]],
) -> None:
    """Edit or delete the `count` messages behind members' taps (`run`); then tell the organiser how many
    worked (`said`, with {done} and {count})."""
    chat = chat_id(update)
    runtime = context.runtime
    bot = context.bot
    way_on = inline([nav_row(context.gettext, callbacks.pack(AREA, "card", announcement_id, 0))])

    async def done(worked: int) -> None:
        await bot.send_message(chat, said.format(done=worked, count=count), reply_markup=way_on)
        runtime.menu_is_last.discard(chat)

    context.application.create_task(run(done), update=update, name=f"announcement:{announcement_id}")


# ----- 🗑️ withdraw ---------------------------------------------------------------------------------------


@requires(Need.ORGANISER)
async def drop_button(update: Update, context: WijkContext) -> None:
    """🗑️ Withdraw: asked once more, since it cannot be undone."""
    _ = context.gettext
    item = existing(context, tapped(update).int_arg(0))
    if item.withdrawn_at:
        raise callbacks.StaleButton(f"announcement {item.id} was withdrawn already")
    question = "🗑️ " + _("Withdraw this message? I delete it in every chat where Telegram still allows it.")
    rows = [
        [button("✅ " + _("Yes, withdraw it"), AREA, "dropok", item.id)],
        [button("↩️ " + _("No"), AREA, "card", item.id, 0)],
        nav_row(_, callbacks.pack(AREA, "card", item.id, 0)),
    ]
    await show(update, context, question, inline(rows))


@requires(Need.ORGANISER)
async def drop_ok_button(update: Update, context: WijkContext) -> None:
    """✅ Yes, withdraw it: nothing more goes out, and it is deleted where it can be. A second tap: it was."""
    _ = context.gettext
    announcement_id = tapped(update).int_arg(0)
    delivered = announcements.withdraw(context.db, announcement_id, context.now())
    ngettext = i18n.plural(context.language)
    count = len(delivered)
    if delivered:
        said = "🗑️ " + ngettext("Deleted in {done} of {count} chat.", "Deleted in {done} of {count} chats.", count)
        run = partial(broadcast.delete_everywhere, context.bot, delivered)
        background(update, context, announcement_id, count, said, run)
    toast = ngettext(
        "Withdrawn. I am deleting it in {count} chat.", "Withdrawn. I am deleting it in {count} chats.", count
    ).format(count=count)
    await show_card(update, context, announcement_id, 0, toast)


# ----- 👥 who did not confirm --------------------------------------------------------------------------------


@requires(Need.ORGANISER)
async def unconfirmed_button(update: Update, context: WijkContext) -> None:
    """👥 Who did not confirm (from 3 days after it went out): names and member numbers, 5 a page."""
    _ = context.gettext
    choice = tapped(update)
    item = existing(context, choice.int_arg(0))
    if not item.confirm or context.now() < item.send_at + UNCONFIRMED_AFTER:
        raise callbacks.StaleButton(f"announcement {item.id} has no list of who did not confirm yet")
    found = announcements.unconfirmed(context.db, item.id, choice.int_arg(1))
    if found.total:
        lines = ["👥 " + _("Did not tap ✅ Understood: {count}").format(count=found.total)]
        lines += [
            f"• {i18n.kept_apart(escape(person.first_name or '?'))} · {format_member_no(_, person.member_no)}"
            for person in found.items
        ]
    else:
        lines = ["👥 " + _("Everyone who got it tapped ✅ Understood.")]
    rows = arrows(found, AREA, "unconf", item.id) + [nav_row(_, callbacks.pack(AREA, "card", item.id, 0))]
    await show(update, context, "\n".join(lines), inline(rows))


def handlers() -> list[BaseHandler]:
    # Each step answers only its own buttons: an old button of another step, or forged data, is stale.
    preview_buttons = [
        CallbackQueryHandler(preview_button, pattern=on("preview")),
        CallbackQueryHandler(languages_button, pattern=on("langs")),
    ]
    states: States = {
        WRITE: [
            MessageHandler(typed_text(), words_text),
            MessageHandler(filters.PHOTO, photo_message),
            CallbackQueryHandler(no_photo_button, pattern=on("nophoto")),
            *preview_buttons,
        ],
        WHO: [
            CallbackQueryHandler(to_button, pattern=on("to")),
            CallbackQueryHandler(who_button, pattern=on("who")),
            CallbackQueryHandler(activities_button, pattern=on("acts")),
            CallbackQueryHandler(value_button, pattern=on("hood", "interest", "role", "act", "lang")),
            CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", WHO)),
        ],
        TRANSLATE: [MessageHandler(typed_text(), translation_text), *preview_buttons],
        DAY: [
            MessageHandler(typed_text(), day_text),
            CallbackQueryHandler(day_button, pattern=on("day")),
            CallbackQueryHandler(later_button, pattern=on("later")),
            CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", DAY)),
        ],
        TIME: [
            MessageHandler(typed_text(), time_text),
            CallbackQueryHandler(hour_button, pattern=on("at")),
            CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", TIME)),
        ],
        PREVIEW: [
            *preview_buttons,
            CallbackQueryHandler(send_button, pattern=on("send")),
            CallbackQueryHandler(later_button, pattern=on("later")),
            CallbackQueryHandler(now_button, pattern=on("now")),
            CallbackQueryHandler(translation_button, pattern=on("tr")),
            CallbackQueryHandler(switch_button, pattern=on("ok", "urgent")),
            CallbackQueryHandler(edit_button, pattern=on("edit")),
            CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", PREVIEW)),
            CallbackQueryHandler(leave, pattern=on("stop")),
        ],
        FIX: [MessageHandler(typed_text(), fix_text)],
        FIXED: [
            CallbackQueryHandler(fix_ok_button, pattern=on("fixok")),
            CallbackQueryHandler(fix_language_button, pattern=on("fixlang")),
        ],
    }
    return [
        persistent_conversation(
            "announce",
            entry_points=[
                CallbackQueryHandler(new_button, pattern=on("new")),
                CallbackQueryHandler(fix_button, pattern=on("fix")),
                CallbackQueryHandler(fix_language_button, pattern=on("fixlang")),
            ],
            states=states,
            fallbacks=leave_handlers(leave, draft=AREA),
        ),
        CallbackQueryHandler(past_button, pattern=on("past")),
        CallbackQueryHandler(card_button, pattern=on("card")),
        CallbackQueryHandler(drop_button, pattern=on("drop")),
        CallbackQueryHandler(drop_ok_button, pattern=on("dropok")),
        CallbackQueryHandler(unconfirmed_button, pattern=on("unconf")),
    ]
