"""Sign-up: one question per message, then consent. Nothing is stored as a member before ✅.

The answers wait in the persistent conversation (user_data["signup"]), so a
restart of the bot continues where the person was; leaving the flow or
saying no removes them.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, validation
from bot.context import WijkContext
from bot.conversation import end_conversation, leave_handlers, persistent_conversation
from bot.formatting import format_member_no
from bot.i18n import N_
from bot.incoming import query, text, user_id
from bot.keyboards import (
    MENU_EMOJI,
    SIGN_UP,
    button,
    in_rows,
    inline,
    language_picker,
    menu_label_pattern,
    nav_row,
    short_key,
    typed_text,
)
from bot.member_text import INTEREST_LABELS
from bot.never_stuck import EXPLAIN
from bot.persistence import forget_user
from bot.replies import edit, reply_with_menu, send, show
from handlers import business_steps, desk
from handlers.activities import POSTER_LINK
from handlers.business_steps import BusinessQuestions
from handlers.start import store_language
from storage import members
from storage.members import SERVICES, Profile

AREA = "reg"
NAME, NEIGHBOURHOOD, INTERESTS, CONSENT = "name", "neighbourhood", "interests", "consent"
CODE = "code"  # a code from the desk instead: the membership is there already (handlers/desk.py)
PRIVACY_VERSION = "2026-11-29.2"  # with what is kept of payments (issue 15)
OTHER = "other"
# What ❓ says on each step (bot/never_stuck.py).
EXPLANATIONS = {
    NAME: N_("Type only your first name, like Fatima or Jan.\nThe organisers use it to greet you."),
    NEIGHBOURHOOD: N_("Tap the part of town where you live.\nNot in the list? Tap Other."),
    INTERESTS: N_("Tap everything you like to do: a ✅ appears.\nTap it again to take it away.\nThen tap ✔️ Done."),
    CONSENT: N_(
        "We keep a few details, so you can take part.\n✅ I agree: you become a member.\n✖️ No thanks: we keep nothing."
    ),
    **business_steps.EXPLANATIONS,
}


def draft(context: WijkContext) -> dict:
    return context.answers.setdefault(AREA, {})


def back(context: WijkContext, step: str) -> list:
    """⬅️ Back from one step; only that step answers it (an old Back button is stale)."""
    return nav_row(context.gettext, callbacks.pack(AREA, "back", step), EXPLAIN)


async def signup_text(update: Update, context: WijkContext) -> object:
    """📝 Sign up: begin with the first question."""
    _ = context.gettext
    if context.member is None and context.telegram_language is not None:  # from a poster's link, say
        store_language(update, context, context.telegram_language)
    member = context.member
    if member is None:
        await send(update, context, "🌐 " + _("Choose your language."), language_picker(nav_row(_, None)))
        return ConversationHandler.END
    if member.signed_up:
        await reply_with_menu(update, context, _("You are already signed up."))
        return ConversationHandler.END
    context.answers[AREA] = {"interests": []}
    return await ask_name(update, context)


async def ask_name(update: Update, context: WijkContext, error: str = "") -> str:
    _ = context.gettext
    question = _("What is your first name? Type it below.")
    from_the_desk = [button("🔗 " + _("I have a code from the desk"), AREA, "code")]
    await show(update, context, f"{error}\n\n{question}".strip(), inline([from_the_desk, back(context, NAME)]))
    return NAME


async def ask_code(update: Update, context: WijkContext) -> str:
    """🔗 I have a code from the desk: an organiser added this person already; the code joins them."""
    _ = context.gettext
    question = _("Type the code you got at the desk. It has 8 letters and digits.")
    await show(update, context, question, inline([back(context, CODE)]))
    return CODE


async def code_text(update: Update, context: WijkContext) -> object:
    """The code: this Telegram joins the membership made at the desk, and sign-up is over; else ask again."""
    if await desk.join_with(update, context, text(update)):
        context.answers.pop(AREA, None)
        return ConversationHandler.END
    return await ask_code(update, context)


async def name_text(update: Update, context: WijkContext) -> str:
    """The first name was typed. A main-menu word ("Hulp!", "مساعدة") is a call for help, not a name."""
    if menu_label_pattern(*MENU_EMOJI).match(text(update)):
        return await ask_name(update, context, "❓ " + context.gettext(EXPLANATIONS[NAME]))
    try:
        draft(context)["first_name"] = validation.first_name(text(update))
    except validation.Invalid as invalid:
        return await ask_name(update, context, invalid.text(context.gettext))
    return await ask_neighbourhood(update, context)


async def ask_neighbourhood(update: Update, context: WijkContext) -> str:
    """Neighbourhood buttons as organisers configured them, plus Other; skipped when none are set."""
    names = context.settings.neighbourhoods
    if not names:
        return await ask_interests(update, context)
    _ = context.gettext
    choices = [button(name, AREA, "hood", short_key(name)) for name in names]
    choices.append(button(_("Other"), AREA, "hood", OTHER))
    await show(
        update,
        context,
        _("In which neighbourhood do you live?"),
        inline(in_rows(choices) + [back(context, NEIGHBOURHOOD)]),
    )
    return NEIGHBOURHOOD


async def neighbourhood_button(update: Update, context: WijkContext) -> str:
    """A neighbourhood was tapped."""
    key = callbacks.parse(query(update).data).str_arg(0)
    by_key = {short_key(name): name for name in context.settings.neighbourhoods}
    if key != OTHER and key not in by_key:
        return await ask_neighbourhood(update, context)  # the list changed: ask again
    draft(context)["neighbourhood"] = by_key.get(key)
    return await ask_interests(update, context)


async def ask_interests(update: Update, context: WijkContext) -> str:
    _ = context.gettext
    chosen = draft(context).setdefault("interests", [])
    toggles = [
        [button(("✅ " if key in chosen else "⬜ ") + _(label), AREA, "toggle", key)]
        for key, label in INTEREST_LABELS.items()
    ]
    done = [button("✔️ " + _("Done"), AREA, "done")]
    text = _("What do you want to do? Tap all that fit you.\nThen tap Done.")
    await show(update, context, text, inline(toggles + [done, back(context, INTERESTS)]))
    return INTERESTS


async def interest_button(update: Update, context: WijkContext) -> str:
    """Tick or untick one thing the person wants to do."""
    key = callbacks.parse(query(update).data).str_arg(0)
    chosen = draft(context).setdefault("interests", [])
    if key in INTEREST_LABELS:
        if key in chosen:
            chosen.remove(key)
        else:
            chosen.append(key)
    return await ask_interests(update, context)


async def interests_done_button(update: Update, context: WijkContext) -> str:
    """✔️ Done: a freelancer tells about their business, everyone else goes to consent."""
    if SERVICES in draft(context)["interests"]:
        return await business.ask_business(update, context)
    return await ask_consent(update, context)


def privacy_buttons(context: WijkContext, *, more: bool) -> InlineKeyboardMarkup:
    _ = context.gettext
    rows = [[button("✅ " + _("I agree"), AREA, "agree")]]
    if more:
        rows.append([button("📄 " + _("Read more"), AREA, "more")])
    rows.append([button("✖️ " + _("No thanks"), AREA, "decline")])
    return inline(rows + [back(context, CONSENT)])


async def ask_consent(update: Update, context: WijkContext) -> str:
    _ = context.gettext
    text = _(
        "Before you become a member:\n"
        "• We keep your first name, neighbourhood and what you want to do.\n"
        "• Only the organisers of the cooperative can see it.\n"
        "• You can download or delete it any time under 👤 My details.\n"
        "Do you agree?"
    )
    await show(update, context, text, privacy_buttons(context, more=True))
    return CONSENT


async def more_button(update: Update, context: WijkContext) -> str:
    """📄 Read more: the whole privacy statement."""
    _ = context.gettext
    text = "\n".join(
        [
            _(
                "What we keep: your first name, neighbourhood and what you want to do.\n"
                "Also your business details if you gave them, your language, and when you agreed.\n"
                "Why: to run the cooperative together and to reach you through this bot.\n"
                "Who sees it: only the organisers. We never sell it or give it away.\n"
                "How long: until you delete your details.\n"
                "One exception: was your membership paused, or your organiser role taken away? Then, after you delete"
                " your details, we keep a code made from your Telegram account. It does not hold your name or your"
                " Telegram number. It is there so that signing up again does not undo what an organiser decided."
            ),
            _(  # the law asks to keep financial records (issue 15): storage/shares.py, storage/campaigns.py
                "Money: we keep your payments for shares and campaigns as long as the law says."
                " After you delete your details, they stay without your name."
            ),
            _("Your rights: see, download or delete everything under 👤 My details.\nDo you agree?"),
        ]
    )
    await show(update, context, text, privacy_buttons(context, more=False))
    return CONSENT


async def back_from_consent(update: Update, context: WijkContext) -> str:
    if SERVICES in draft(context)["interests"]:
        return await business.ask_kvk(update, context)
    return await ask_interests(update, context)


async def agree_button(update: Update, context: WijkContext) -> str | int:
    """✅ I agree: now the answers are stored, with the time and version of the consent."""
    _ = context.gettext
    answers = draft(context)
    if "first_name" not in answers:  # the answers are gone (left in another way): begin again, kindly
        context.answers[AREA] = {"interests": []}
        return await ask_name(update, context, _("Your answers are gone. Please begin again."))
    profile = Profile(
        first_name=answers["first_name"],
        neighbourhood=answers.get("neighbourhood"),
        interests=frozenset(answers.get("interests", [])),
        business_name=answers.get("business_name"),
        business_line=answers.get("business_line"),
        kvk=answers.get("kvk"),
    )
    approved = context.settings.approval == "auto" or (context.member is not None and context.member.is_organiser)
    member = members.sign_up(
        context.db,
        user_id(update),
        profile,
        approved=approved,
        consent_version=PRIVACY_VERSION,
        now=context.now(),
    )
    context.answers.pop(AREA, None)
    await query(update).answer("✅")
    await edit(update)
    if member is None:  # a second tap: the first one signed them up
        return ConversationHandler.END
    context.member = member
    name = escape(member.first_name or "")
    if member.status == members.ACTIVE:
        text = _(
            "Welcome, {name}! You are now a member.\n"
            "Your number is {number}. Show it at the desk of the community centre."
        )
        await reply_with_menu(update, context, text.format(name=name, number=format_member_no(_, member.member_no)))
        if (activity_id := context.answers.pop(POSTER_LINK, None)) is not None:  # they came from a poster
            show_it = inline([[button("📅 " + _("Show"), "act", "card", activity_id)]])
            await send(update, context, _("You came for an activity. Tap to see it and sign up."), show_it)
    else:
        text = _("Thank you, {name}! An organiser will look at your sign-up.\nYou will get a message from me.")
        await reply_with_menu(update, context, text.format(name=name))
        context.wake_sender()  # the organisers' cards (storage wrote them with the sign-up)
    return ConversationHandler.END


async def decline_button(update: Update, context: WijkContext) -> int:
    """✖️ No thanks: keep nothing about them, in the file, its WAL or memory."""
    _ = context.gettext
    # First forget (no await in between, so the persistence cannot write the answers back), then answer.
    context.answers.pop(AREA, None)
    members.forget_visitor(context.db, user_id(update))
    forget_user(context.application, user_id(update))
    context.member = None
    await query(update).answer()
    await edit(update)
    await reply_with_menu(update, context, _("OK. We keep nothing about you.\nYou can sign up later, any time."))
    return ConversationHandler.END


async def leave(update: Update, context: WijkContext) -> int:
    """🏠 Menu, /start or /menu during sign-up, or ⬅️ Back on the first question: stop, forget the answers."""
    _ = context.gettext
    text = _("You stopped signing up. Nothing was saved.\nWhat do you want to do? Tap a button.")
    return await end_conversation(update, context, text, AREA)


async def ask_neighbourhood_or_name(update: Update, context: WijkContext) -> str:
    """⬅️ Back from the interests: to the neighbourhood, or the name when there is no choice of neighbourhood."""
    if context.settings.neighbourhoods:
        return await ask_neighbourhood(update, context)
    return await ask_name(update, context)


business = BusinessQuestions(AREA, before=ask_interests, after=ask_consent)


def on(action: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, action)


def back_from(step: str) -> Callable[[object], bool]:
    return callbacks.exactly(AREA, "back", step)


def handlers() -> list[BaseHandler]:
    return [
        persistent_conversation(
            "signup",
            entry_points=[MessageHandler(filters.Regex(menu_label_pattern(SIGN_UP)), signup_text)],
            states={
                NAME: [
                    MessageHandler(typed_text(), name_text),
                    CallbackQueryHandler(ask_code, pattern=on("code")),
                    CallbackQueryHandler(leave, pattern=back_from(NAME)),
                ],
                CODE: [
                    MessageHandler(typed_text(), code_text),
                    CallbackQueryHandler(ask_name, pattern=back_from(CODE)),
                ],
                NEIGHBOURHOOD: [
                    CallbackQueryHandler(neighbourhood_button, pattern=on("hood")),
                    CallbackQueryHandler(ask_name, pattern=back_from(NEIGHBOURHOOD)),
                ],
                INTERESTS: [
                    CallbackQueryHandler(interest_button, pattern=on("toggle")),
                    CallbackQueryHandler(interests_done_button, pattern=on("done")),
                    CallbackQueryHandler(ask_neighbourhood_or_name, pattern=back_from(INTERESTS)),
                ],
                **business.states(),
                CONSENT: [
                    CallbackQueryHandler(agree_button, pattern=on("agree")),
                    CallbackQueryHandler(more_button, pattern=on("more")),
                    CallbackQueryHandler(decline_button, pattern=on("decline")),
                    CallbackQueryHandler(back_from_consent, pattern=back_from(CONSENT)),
                ],
            },
            fallbacks=leave_handlers(leave, draft=AREA),
            explanations=EXPLANATIONS,
        )
    ]
