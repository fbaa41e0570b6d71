"""👤 My details: see and change what we keep, pause messages, download it, or delete the account."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import InputFile, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, hour_text, i18n, share_notices, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.double_taps import files_once
from bot.exports import personal_data
from bot.incoming import chat_id, query, text, user_id
from bot.keyboards import (
    PROFILE,
    button,
    in_rows,
    inline,
    language_picker,
    menu_label_pattern,
    nav_row,
    short_key,
    typed_text,
)
from bot.member_text import INTEREST_LABELS, details
from bot.persistence import forget_user
from bot.replies import edit, reply_with_menu, show, unless_unchanged, way_on_after_files
from bot.vote_text import money as format_money
from handlers import business_steps
from handlers.business_steps import BUSINESS, KVK, LINE, BusinessQuestions
from storage import activities, hours, members, money_kept, shares
from storage.members import ACTIVE, PENDING, SERVICES, Change

logger = logging.getLogger(__name__)
AREA = "me"
NEW_NAME = "new_name"
OTHER = "other"


def back_to_profile(context: WijkContext) -> list:
    return nav_row(context.gettext, callbacks.pack(AREA, "show"))


async def show_profile(update: Update, context: WijkContext, toast: str | None = None) -> int:
    """The member's details with a button for each thing they can do."""
    _ = context.gettext
    member = context.known_member
    text = "👤 " + _("My details") + "\n\n" + details(_, member, context.language, context.settings.timezone)
    pause = "🔔 " + _("Turn messages on") if member.paused else "🔕 " + _("Pause messages")
    choices = [button("✏️ " + _("Name"), AREA, "name")]
    if context.settings.neighbourhoods:
        choices.append(button("🏘️ " + _("Neighbourhood"), AREA, "hood"))
    choices += [
        button("🎯 " + _("What I want to do"), AREA, "interests"),
        button("🌐 " + _("Language"), AREA, "lang"),
        button(pause, AREA, "pause"),
        button("📦 " + _("Download"), AREA, "download"),
        button("🗑️ " + _("Delete my account"), AREA, "delete"),
    ]
    if context.settings.timebank and member.status == ACTIVE:  # ⏱️ the time bank (handlers/hours.py)
        account = hours.balance(context.db, member.id)
        if account.given or account.received:  # once hours moved for them
            text += "\n\n⏱️ " + hour_text.account(_, context.language, account)
        choices.insert(-3, button("⏱️ " + _("My hours"), "hours", "mine"))
    held = shares.holding(context.db, member.id) if member.status == ACTIVE else None
    if held and held.asked:  # 💶 shares (handlers/shares.py), also once a lapsed purchase was paid back
        text += "\n\n" + share_notices.summary(context.language, held)
        choices.insert(-3, button("💶 " + _("My shares"), "share", "mine", 0))
    await show(update, context, text, inline(in_rows(choices) + [nav_row(_, None)]), toast=toast)
    return ConversationHandler.END


@requires(Need.SIGNED_UP)
async def profile_text(update: Update, context: WijkContext) -> int:
    """👤 My details from the main menu."""
    return await show_profile(update, context)


@requires(Need.SIGNED_UP)
async def profile_button(update: Update, context: WijkContext) -> int:
    """⬅️ Back to the details."""
    return await show_profile(update, context)


@requires(Need.SIGNED_UP)
async def neighbourhood_button(update: Update, context: WijkContext) -> None:
    """🏘️ Neighbourhood: the configured ones, plus Other."""
    _ = context.gettext
    names = context.settings.neighbourhoods
    choices = [button(name, AREA, "sethood", short_key(name)) for name in names] + [
        button(_("Other"), AREA, "sethood", OTHER)
    ]
    await show(
        update, context, _("In which neighbourhood do you live?"), inline(in_rows(choices) + [back_to_profile(context)])
    )


@requires(Need.SIGNED_UP)
async def set_neighbourhood_button(update: Update, context: WijkContext) -> None:
    """A neighbourhood was tapped."""
    key = callbacks.parse(query(update).data).str_arg(0)
    by_key = {short_key(name): name for name in context.settings.neighbourhoods}
    if key == OTHER or key in by_key:
        context.member = members.update_profile(context.db, context.known_member.id, neighbourhood=by_key.get(key))
    await show_profile(update, context)


@requires(Need.SIGNED_UP)
async def interests_button(update: Update, context: WijkContext) -> None:
    """🎯 What I want to do: tick or untick; offering services asks about the business first."""
    _ = context.gettext
    chosen = context.known_member.interests
    rows = []
    for key, label in INTEREST_LABELS.items():
        action = "business" if key == SERVICES and key not in chosen else "toggle"
        rows.append([button(("✅ " if key in chosen else "⬜ ") + _(label), AREA, action, key)])
    rows.append([button("✔️ " + _("Done"), AREA, "show")])
    text = _("What do you want to do? Tap all that fit you.\nThen tap Done.")
    await show(update, context, text, inline(rows + [back_to_profile(context)]))


@requires(Need.SIGNED_UP)
async def toggle_button(update: Update, context: WijkContext) -> None:
    """Tick or untick one thing; unticking services forgets the business details."""
    key = callbacks.parse(query(update).data).str_arg(0)
    member = context.known_member
    if key in INTEREST_LABELS and (key != SERVICES or key in member.interests):
        changes: dict = {"interests": member.interests ^ {key}}
        if key == SERVICES:
            changes |= {"business_name": None, "business_line": None, "kvk": None}
        context.member = members.update_profile(context.db, member.id, **changes)
    await interests_button(update, context)


@requires(Need.SIGNED_UP)
async def language_button(update: Update, context: WijkContext) -> None:
    """🌐 Language: the same buttons as the first time, with ⬅️ Back to the details."""
    _ = context.gettext
    await show(update, context, "🌐 " + _("Choose your language."), language_picker(back_to_profile(context)))


@requires(Need.SIGNED_UP)
async def pause_button(update: Update, context: WijkContext) -> None:
    """🔕 / 🔔: pause or resume messages that are not essential."""
    _ = context.gettext
    member = members.update_profile(context.db, context.known_member.id, paused=not context.known_member.paused)
    context.member = member
    await show_profile(update, context, _("Messages paused.") if member.paused else _("Messages are on."))


@requires(Need.SIGNED_UP)
@files_once
async def download_button(update: Update, context: WijkContext) -> None:
    """📦 Download: everything we keep about the member, a text file to read in their language and JSON beside it."""
    _ = context.gettext
    await query(update).answer()
    data = await personal_data(context.db, context.known_member, context.answers, context.now())
    readable, for_computers = data.as_text(_, context.language, context.settings.timezone), data.as_json()
    chat = chat_id(update)
    # Captions are HTML; neither holds the member's own words, so there is nothing to escape.
    caption = _("This is everything we keep about you.")
    await context.bot.send_document(chat, InputFile(readable, filename=data.file_name(_, "txt")), caption=caption)
    caption = _("The same, as a file for computers.")
    await context.bot.send_document(chat, InputFile(for_computers, filename=data.file_name(_, "json")), caption=caption)
    await way_on_after_files(update, context, callbacks.pack(AREA, "show"), files=2)


@requires(Need.SIGNED_UP)
async def delete_button(update: Update, context: WijkContext) -> None:
    """🗑️ Delete my account: the first question."""
    _ = context.gettext
    text = _(
        "Do you want to delete your account?\nWe then delete your name and all your details.\n"
        "Your posts and conversations end."
    )
    held = shares.holding(context.db, context.known_member.id).shares
    if held:  # the law keeps them on the register (README): say so, and how to get the money back first
        ngettext = i18n.plural(context.language)
        text += "\n\n" + ngettext(
            "You hold {count} share. It stays on the register, without your name.",
            "You hold {count} shares. They stay on the register, without your name.",
            held,
        ).format(count=held)
        text += "\n" + ngettext(
            "Do you want the money back? First sell it back under 🙌 Take part → 💶 Shares.",
            "Do you want the money back? First sell them back under 🙌 Take part → 💶 Shares.",
            held,
        )
    money = money_kept.of_member(context.db, context.known_member.id)
    if money.paid:  # the law keeps them (README): say so
        text += "\n\n" + _("What you paid stays in the books with your member number, without your name.")
    if money.waiting:
        text += ("\n" if money.paid else "\n\n") + _("What you have not paid yet is cancelled.")
    if money.to_pay_back:  # instalments of shares they will not get (storage/shares.py pay_back)
        back = format_money(money.to_pay_back, context.language)
        text += "\n" + _("You paid {amount} for shares you will not get. We pay it back to you.").format(amount=back)
    choices = [
        [button("🗑️ " + _("Yes, delete"), AREA, "delete2")],
        [button("↩️ " + _("No, keep it"), AREA, "show")],
        back_to_profile(context),
    ]
    await show(update, context, text, inline(choices))


@requires(Need.SIGNED_UP)
async def delete_again_button(update: Update, context: WijkContext) -> None:
    """🗑️ The second question: this cannot be undone."""
    _ = context.gettext
    text = _("Are you really sure?\nThis cannot be undone. You will no longer be a member.")
    choices = [
        [button("🗑️ " + _("Yes, delete everything"), AREA, "delete3")],
        [button("↩️ " + _("No, keep it"), AREA, "show")],
        nav_row(_, callbacks.pack(AREA, "delete")),  # ⬅️ Back: the first question
    ]
    await show(update, context, text, inline(choices))


@requires(Need.SIGNED_UP)
async def delete_final_button(update: Update, context: WijkContext) -> None:
    """Delete: everything that identifies the member goes; we say what stays and why."""
    _ = context.gettext
    member = context.known_member
    last_organiser = member.is_organiser and not members.other_organisers(context.db, member.id)
    if not last_organiser:
        activities.withdraw_everywhere(context.db, member.id, context.now(), context.timing)
        context.wake_sender()
    # The organisers' approval cards of someone who waits still show the name: read them before they go.
    cards = members.approval_cards_with_language(context.db, member.id) if member.status == PENDING else []
    telegram_id = user_id(update)
    organiser_by_setting = telegram_id in context.settings.organiser_ids
    held = shares.holding(context.db, member.id).shares  # before they go: the goodbye says they stay
    if (
        last_organiser
        or members.delete_account(context.db, member, context.now(), organiser_by_setting=organiser_by_setting)
        is Change.LAST_ORGANISER
    ):
        text = _("You are the last organiser. First make someone else organiser, then delete your account.")
        await query(update).answer()
        await edit(update, text, inline([back_to_profile(context)]))
        return
    forget_user(context.application, telegram_id, member.first_name)  # at once: no flush writes them back
    context.member = None
    await query(update).answer("🗑️")
    await edit(update, _("Your account is deleted."))
    if member.member_no is None:  # waited for approval: never had a number, so no empty one stays
        goodbye = _("We deleted your name and all your details.\nGoodbye! You are always welcome back.")
    else:
        goodbye = _(
            "We deleted your name and all your details.\n"
            "We only keep an empty member number, so our counts for funders stay right.\n"
            "Goodbye! You are always welcome back."
        )
    if held:
        goodbye += "\n" + _("Your shares stay in the books, without your name, as the law asks.")
    await reply_with_menu(update, context, goodbye)
    await withdraw_cards(context, cards)


async def withdraw_cards(context: WijkContext, cards: list[tuple[int, int, str | None]]) -> None:
    """The organisers' approval cards of someone who deleted their account no longer show their name."""
    for chat, message_id, language in cards:
        _ = i18n.translator(language or context.settings.default_language)
        try:
            await unless_unchanged(context.bot.edit_message_text(_("This sign-up was withdrawn."), chat, message_id))
        except (BadRequest, Forbidden) as error:
            logger.info("could not withdraw the approval card in chat %s: %s", chat, error)


async def ask_new_name(update: Update, context: WijkContext, error: str = "") -> str:
    _ = context.gettext
    question = _("What is your first name? Type it below.")
    await show(update, context, f"{error}\n\n{question}".strip(), inline([back_to_profile(context)]))
    return NEW_NAME


@requires(Need.SIGNED_UP)
async def name_button(update: Update, context: WijkContext) -> str:
    """✏️ Name: ask for the new name."""
    return await ask_new_name(update, context)


@requires(Need.SIGNED_UP)
async def new_name_text(update: Update, context: WijkContext) -> object:
    """The new name was typed."""
    try:
        name = validation.first_name(text(update))
    except validation.Invalid as invalid:
        return await ask_new_name(update, context, invalid.text(context.gettext))
    context.member = members.update_profile(context.db, context.known_member.id, first_name=name)
    return await show_profile(update, context)


@requires(Need.SIGNED_UP)
async def business_button(update: Update, context: WijkContext) -> str:
    """Offering services: first the business details."""
    context.answers[BUSINESS_AREA] = {}
    return await business.ask_business(update, context)


@requires(Need.SIGNED_UP)
async def save_business(update: Update, context: WijkContext) -> int:
    """The business details are complete: store them and tick services."""
    answers = context.answers.pop(BUSINESS_AREA, {})
    context.member = members.update_profile(
        context.db,
        context.known_member.id,
        interests=context.known_member.interests | {SERVICES},
        business_name=answers.get(BUSINESS),
        business_line=answers.get(LINE),
        kvk=answers.get(KVK),
    )
    return await show_profile(update, context)


@requires(Need.SIGNED_UP)
async def back_to_interests(update: Update, context: WijkContext) -> int:
    context.answers.pop(BUSINESS_AREA, None)
    await interests_button(update, context)
    return ConversationHandler.END


async def leave(update: Update, context: WijkContext) -> int:
    """🏠 Menu, /start or /menu while typing: stop without changes."""
    _ = context.gettext
    return await end_conversation(
        update, context, _("Nothing was changed.\nWhat do you want to do? Tap a button."), BUSINESS_AREA
    )


BUSINESS_AREA = "mebiz"
business = BusinessQuestions(BUSINESS_AREA, before=back_to_interests, after=save_business)


def on(action: str, area: str = AREA) -> Callable[[object], bool]:
    return callbacks.pattern(area, action)


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "profile_name",
            entry_points=[CallbackQueryHandler(name_button, pattern=on("name"))],
            states={
                NEW_NAME: [
                    MessageHandler(typed_text(), new_name_text),
                    CallbackQueryHandler(profile_button, pattern=on("show")),
                ]
            },
            fallbacks=leave_handlers(leave),
        ),
        persistent_conversation(
            "profile_business",
            entry_points=[CallbackQueryHandler(business_button, pattern=on("business"))],
            states=business.states(),
            explanations=business_steps.EXPLANATIONS,
            fallbacks=leave_handlers(leave, draft=BUSINESS_AREA),
        ),
        CallbackQueryHandler(profile_button, pattern=on("show")),
        CallbackQueryHandler(neighbourhood_button, pattern=on("hood")),
        CallbackQueryHandler(set_neighbourhood_button, pattern=on("sethood")),
        CallbackQueryHandler(interests_button, pattern=on("interests")),
        CallbackQueryHandler(toggle_button, pattern=on("toggle")),
        CallbackQueryHandler(language_button, pattern=on("lang")),
        CallbackQueryHandler(pause_button, pattern=on("pause")),
        CallbackQueryHandler(download_button, pattern=on("download")),
        CallbackQueryHandler(delete_button, pattern=on("delete")),
        CallbackQueryHandler(delete_again_button, pattern=on("delete2")),
        CallbackQueryHandler(delete_final_button, pattern=on("delete3")),
    ]


def main_menu_button() -> BaseHandler:
    """👤 My details in the main menu (group 1, see bot/app.py)."""
    return MessageHandler(filters.Regex(menu_label_pattern(PROFILE)), profile_text)
