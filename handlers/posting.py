"""🙋 Asking for help or 💪 offering it, step by step: category, kind, title, description (and a
price for paid help); previewed as others will see it, then published.

Each step asks one thing and checks it. ⬅️ Back goes one step back; from the
preview, ✏️ Change jumps to one answer and comes back. A public post never
holds a phone number, e-mail address or link: members react with 💬 and talk
through the bot. Paid help is for ZZP'ers only; storage/posts.py settles that,
and at most 5 posts a day, again when it publishes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot import callbacks, i18n, post_text, validation
from bot.access import Need, requires
from bot.context import WijkContext
from bot.conversation import States, end_conversation, leave_handlers, persistent_conversation
from bot.i18n import N_
from bot.incoming import query, text
from bot.keyboards import button, in_rows, inline, nav_row, typed_text
from bot.replies import edit, show
from handlers import helping
from storage import posts
from storage.members import SERVICES, Member
from storage.posts import CATEGORIES, KINDS, PAID, POSTS_A_DAY, PRICE_UNITS, REQUEST, Post, Refusal

AREA = "post"
CATEGORY, KIND, TITLE, BODY, UNIT, AMOUNT, PREVIEW = "category", "kind", "title", "body", "unit", "amount", "preview"
PRICE = "price"  # ✏️ Change the price: the unit, then the amount
CENTS = "cents"  # the amount typed, as it is kept in the draft
MAX_TITLE = 80
MAX_BODY = 500
MAX_PRICE_EUROS = 5000
QUESTIONS = {
    TITLE: N_("Give your post a short title. At most 80 characters."),
    BODY: N_("Describe it in a few sentences. At most 500 characters."),
    UNIT: N_("How do you ask to be paid?"),
}
AMOUNT_QUESTIONS = {
    posts.HOUR: N_("How much do you ask per hour? Type an amount in euros, like 25 or 22,50."),
    posts.JOB: N_("How much do you ask per job? Type an amount in euros, like 40 or 37,50."),
}
UNIT_BUTTONS = {posts.HOUR: N_("Per hour"), posts.JOB: N_("Per job")}
CHANGE_LABELS = {
    CATEGORY: N_("Category"),
    KIND: N_("Kind"),
    TITLE: N_("Title"),
    BODY: N_("Description"),
    PRICE: N_("Price"),
}
REFUSALS = {
    Refusal.TOO_MANY: N_("You placed {count} posts in the last 24 hours. That is the most. Please try again tomorrow."),
    Refusal.NOT_ZZP: N_("Paid help is only for local freelancers with a business. Choose free help or a swap."),
    Refusal.NOT_ACTIVE: N_("Your membership is paused. Please talk to an organiser."),
}


def is_zzp(member: Member) -> bool:
    """A local freelancer: "services" among their interests, and a business name."""
    return SERVICES in member.interests and bool(member.business_name)


def draft(context: WijkContext) -> dict:
    return context.answers.setdefault(AREA, {})


def steps(answers: dict) -> list[str]:
    """The steps of this post: paid help also asks the unit and the amount."""
    return [CATEGORY, KIND, TITLE, BODY] + ([UNIT, AMOUNT] if answers.get(KIND) == PAID else [])


def read_title(typed: str) -> str:
    title = validation.one_line(typed, MAX_TITLE, N_("Please type a short title for your post."))
    return validation.without_contact_details(title)


def read_body(typed: str) -> str:
    body = validation.lines(typed, MAX_BODY, N_("Please write a few words about it."))
    return validation.without_contact_details(body)


async def ask(update: Update, context: WijkContext, step: str, error: str = "") -> str:
    """One question; ⬅️ Back from the first step leads to 🤝, while changing an answer to the preview."""
    _ = context.gettext
    answers = draft(context)
    first = step == CATEGORY and not answers.get("editing")
    back = helping.menu_data() if first else callbacks.pack(AREA, "back", step)
    choices: list[list] = []
    if step == CATEGORY:
        question = _("🙋 What do you need help with?") if answers["side"] == REQUEST else _("💪 What do you offer?")
        question += "\n" + _("Choose a category.")
        choices = in_rows([button(post_text.category(_, key), AREA, "cat", key) for key in CATEGORIES])
    elif step == KIND:
        question = _("What kind of help is it?")
        offered = [kind for kind in KINDS if kind != PAID or is_zzp(context.known_member)]
        choices = [[button(_(post_text.KIND_NAMES[kind]), AREA, "kind", kind)] for kind in offered]
    elif step == UNIT:
        question = _(QUESTIONS[UNIT])
        choices = [[button(_(UNIT_BUTTONS[unit]), AREA, "unit", unit) for unit in PRICE_UNITS]]
    elif step == AMOUNT:
        question = _(AMOUNT_QUESTIONS[answers[UNIT]])
    else:
        question = _(QUESTIONS[step])
    await show(update, context, f"{error}\n\n{question}".strip(), inline([*choices, nav_row(_, back)]))
    return step


async def next_step(update: Update, context: WijkContext, step: str) -> str:
    """After an answer: the next step; while changing one answer, the preview (or the price it now needs)."""
    answers = draft(context)
    if answers.get("editing"):
        if step == KIND and answers[KIND] == PAID and CENTS not in answers:
            answers["editing"] = False  # paid now: it needs a price, so the steps go on from here
            return await ask(update, context, UNIT)
        if step == UNIT:  # changing the price: the amount too
            return await ask(update, context, AMOUNT)
        return await preview(update, context)
    order = steps(answers)
    later = order[order.index(step) + 1 :]
    return await ask(update, context, later[0]) if later else await preview(update, context)


def answering(step: str, read: Callable[[str, WijkContext], object], key: str) -> Callable:
    """The handler for a typed answer to one step."""

    @requires(Need.ACTIVE)
    async def typed(update: Update, context: WijkContext) -> object:
        try:
            draft(context)[key] = read(text(update), context)
        except validation.Invalid as invalid:
            return await ask(update, context, step, invalid.text(context.gettext))
        return await next_step(update, context, step)

    typed.__name__ = f"{step}_text"
    return typed


def drafted(context: WijkContext) -> Post:
    """The post as it will be stored and shown; a button of a draft that is gone no longer works."""
    answers = draft(context)
    needed = [CATEGORY, KIND, TITLE, BODY] + ([UNIT, CENTS] if answers.get(KIND) == PAID else [])
    if any(key not in answers for key in needed):
        raise callbacks.StaleButton("no complete post to show or publish")
    member = context.known_member
    now = context.now()
    paid = answers[KIND] == PAID
    return Post(
        id=0,
        member_id=member.id,
        member_name=member.first_name,
        business_name=member.business_name if paid else None,
        side=answers["side"],
        category=answers[CATEGORY],
        kind=answers[KIND],
        title=answers[TITLE],
        body=answers[BODY],
        price_cents=answers[CENTS] if paid else None,
        price_unit=answers[UNIT] if paid else None,
        created_at=now,
        ends_at=now + timedelta(days=context.settings.post_days),
        ended_at=None,
        end_reason=None,
        helper_id=None,
        reactions=0,
    )


async def preview(update: Update, context: WijkContext) -> str:
    """The post exactly as others will see it, and what to do with it."""
    _ = context.gettext
    post = drafted(context)
    draft(context)["editing"] = False
    card = post_text.card(_, post, context.language, context.settings.timezone)
    rows = [
        [button("✅ " + _("Publish"), AREA, "publish")],
        [button("✏️ " + _("Change"), AREA, "change")],
        [button("✖️ " + _("Stop"), AREA, "stop")],
        nav_row(_, callbacks.pack(AREA, "back", PREVIEW)),
    ]
    await show(update, context, _("This is how others will see your post:") + "\n\n" + card, inline(rows))
    return PREVIEW


async def refuse(update: Update, context: WijkContext, refusal: Refusal) -> int:
    """Say why this post cannot go up, with the way back to 🤝; the flow ends."""
    _ = context.gettext
    context.answers.pop(AREA, None)
    await show(
        update, context, _(REFUSALS[refusal]).format(count=POSTS_A_DAY), inline([nav_row(_, helping.menu_data())])
    )
    return ConversationHandler.END


@requires(Need.ACTIVE)
async def new_button(update: Update, context: WijkContext) -> object:
    """🙋 I need help / 💪 I offer help, from 🤝: a fresh draft, unless 5 posts went up today."""
    side = callbacks.parse(query(update).data).str_arg(0)
    if not posts.may_post(context.db, context.known_member.id, context.now()):
        return await refuse(update, context, Refusal.TOO_MANY)
    context.answers[AREA] = {"side": side}
    return await ask(update, context, CATEGORY)


@requires(Need.ACTIVE)
async def category_button(update: Update, context: WijkContext) -> str:
    """A category was chosen."""
    draft(context)[CATEGORY] = callbacks.parse(query(update).data).str_arg(0)
    return await next_step(update, context, CATEGORY)


@requires(Need.ACTIVE)
async def kind_button(update: Update, context: WijkContext) -> str:
    """Free, swap or (for a ZZP'er) paid. Paid from someone else (an old or forged button) is explained."""
    kind = callbacks.parse(query(update).data).str_arg(0)
    answers = draft(context)
    if kind == PAID and not is_zzp(context.known_member):
        return await ask(update, context, KIND, context.gettext(REFUSALS[Refusal.NOT_ZZP]))
    answers[KIND] = kind
    if kind != PAID:
        answers.pop(UNIT, None)
        answers.pop(CENTS, None)
    return await next_step(update, context, KIND)


@requires(Need.ACTIVE)
async def unit_button(update: Update, context: WijkContext) -> str:
    """Per hour or per job; the amount comes next."""
    draft(context)[UNIT] = callbacks.parse(query(update).data).str_arg(0)
    return await next_step(update, context, UNIT)


def read_amount(typed: str, context: WijkContext) -> int:
    unreadable = N_("Please type the amount in euros, in numbers only.")
    return validation.amount(typed, MAX_PRICE_EUROS, unreadable, language=context.language)


@requires(Need.ACTIVE)
async def back_button(update: Update, context: WijkContext) -> str:
    """⬅️ Back: one step back; while changing one answer, back to the preview."""
    step = callbacks.parse(query(update).data).str_arg(0)
    order = steps(draft(context))
    if step == PREVIEW:
        return await ask(update, context, order[-1])
    if draft(context).get("editing") or step not in order or step == order[0]:
        return await preview(update, context)
    return await ask(update, context, order[order.index(step) - 1])


@requires(Need.ACTIVE)
async def change_button(update: Update, context: WijkContext) -> str:
    """✏️ Change: which answer?"""
    _ = context.gettext
    post = drafted(context)  # a draft that is gone: this button no longer works
    fields = [field for field in CHANGE_LABELS if field != PRICE or post.kind == PAID]
    labels = [button(_(CHANGE_LABELS[field]), AREA, "edit", field) for field in fields]
    rows = in_rows(labels, 3) + [nav_row(_, callbacks.pack(AREA, "preview"))]
    await show(update, context, _("What do you want to change?"), inline(rows))
    return PREVIEW


@requires(Need.ACTIVE)
async def edit_button(update: Update, context: WijkContext) -> str:
    """One answer to change; then back to the preview."""
    field = callbacks.parse(query(update).data).str_arg(0)
    post = drafted(context)  # a draft that is gone: this button no longer works
    if field == PRICE and post.kind != PAID:
        raise callbacks.StaleButton("no price to change on a post that is not paid")
    draft(context)["editing"] = True
    return await ask(update, context, UNIT if field == PRICE else field)


@requires(Need.ACTIVE)
async def preview_button(update: Update, context: WijkContext) -> str:
    """⬅️ Back from ✏️ Change."""
    return await preview(update, context)


@requires(Need.ACTIVE)
async def publish_button(update: Update, context: WijkContext) -> int:
    """✅ Publish. The flow ends here, so a second tap publishes nothing."""
    _ = context.gettext
    post = drafted(context)
    context.answers.pop(AREA, None)
    settings = context.settings
    published = posts.publish(
        context.db,
        context.known_member.id,
        *(post.side, post.category, post.kind, post.title, post.body, post.price_cents, post.price_unit),
        context.now(),
        settings.post_days,
        tz=settings.timezone,
    )
    if published.post is None:
        assert published.refusal is not None
        return await refuse(update, context, published.refusal)
    context.wake_sender()
    ngettext = i18n.plural(context.language)
    days = ngettext("It is up for {days} day.", "It is up for {days} days.", settings.post_days)
    done = "\n".join(
        [
            _("✅ Your post is up."),
            days.format(days=settings.post_days),
            _("You get a message when someone reacts."),
        ]
    )
    rows = [[button("📋 " + _("My posts"), "mypost", "list", 0)], nav_row(_, helping.menu_data())]
    await query(update).answer("✅")
    await edit(update, done, inline(rows))
    return ConversationHandler.END


async def leave(update: Update, context: WijkContext) -> int:
    """✖️ Stop, 🏠 Menu, /start or /menu: nothing is published."""
    _ = context.gettext
    return await end_conversation(update, context, _("Stopped. Nothing was published."), AREA)


def on(action: str) -> Callable[[object], bool]:
    return callbacks.pattern(AREA, action)


def back(step: str) -> CallbackQueryHandler:
    """Each step answers only its own ⬅️ Back: an old button of another step, or forged data, is stale."""
    return CallbackQueryHandler(back_button, pattern=callbacks.exactly(AREA, "back", step))


def handlers() -> list[BaseHandler]:
    states: States = {
        CATEGORY: [CallbackQueryHandler(category_button, pattern=on("cat")), back(CATEGORY)],
        KIND: [CallbackQueryHandler(kind_button, pattern=on("kind")), back(KIND)],
        TITLE: [MessageHandler(typed_text(), answering(TITLE, lambda typed, c: read_title(typed), TITLE)), back(TITLE)],
        BODY: [MessageHandler(typed_text(), answering(BODY, lambda typed, c: read_body(typed), BODY)), back(BODY)],
        UNIT: [CallbackQueryHandler(unit_button, pattern=on("unit")), back(UNIT)],
        AMOUNT: [MessageHandler(typed_text(), answering(AMOUNT, read_amount, CENTS)), back(AMOUNT)],
        PREVIEW: [
            back(PREVIEW),
            CallbackQueryHandler(publish_button, pattern=on("publish")),
            CallbackQueryHandler(change_button, pattern=on("change")),
            CallbackQueryHandler(edit_button, pattern=on("edit")),
            CallbackQueryHandler(preview_button, pattern=on("preview")),
            CallbackQueryHandler(leave, pattern=on("stop")),
        ],
    }
    return [
        persistent_conversation(
            "post",
            entry_points=[CallbackQueryHandler(new_button, pattern=on("new"))],
            states=states,
            fallbacks=leave_handlers(leave, draft=AREA),
        )
    ]
