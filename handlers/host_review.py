"""📣 Organise → 💡 proposed activities: organisers publish a member's activity with them as host, ask a
question, or decline it with a reason (issue 14).

Every organiser gets each proposal as a card (bot/host_notices.py). The first decision counts:
storage/hosting.py settles it in one transaction, and publishing checks the room again in it. A later tap on
another organiser's card says it was answered and changes nothing. The question or reason is previewed as the
member will read it; declining is asked once more that way. That flow is handlers/answering_proposals.py;
here is what is a proposed activity's own: ✅ Publish, the list, and reasons to tap.
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import activity_text, callbacks
from bot.access import Need, requires
from bot.context import WijkContext
from bot.formatting import shortened
from bot.host_notices import NEWS, decision_rows, proposal_text
from bot.i18n import N_, Translate
from bot.incoming import tapped
from bot.keyboards import button, inline, nav_row, paged
from bot.replies import show
from handlers.activities import link
from handlers.answering_proposals import ASK, DECLINE, ProposalAnswers
from handlers.hosting import status_words
from storage import hosting
from storage.hosting import APPROVED, Decision, Proposal

AREA = "hostorg"
REASONS = (  # quick reasons to decline (hostorg:reason)
    N_("The room or the time does not work."),
    N_("We already have an activity like this."),
    N_("It does not fit the cooperative."),
)
PUBLISH_REFUSED = {
    Decision.ROOM_TAKEN: N_("⚠️ The room is in use at that time. Nothing was published. Ask a question or decline."),
    Decision.STARTED: N_("⚠️ The time of this activity has passed. Nothing was published. Please decline it."),
}


def decided(_: Translate, proposal: Proposal) -> str:
    """What an organiser reads of a decided proposal (the member's own words say "you are the host")."""
    if proposal.status == APPROVED:
        return _("✅ Already published, with the member as host.")
    return status_words(_, proposal)


ANSWERS = ProposalAnswers(
    area=AREA,
    conversation="review_hosted",
    get=hosting.get,
    pending=hosting.PENDING,
    decide={ASK: hosting.ask, DECLINE: hosting.decline},
    done=Decision.DONE,
    card=lambda context, proposal: proposal_text(context.gettext, proposal, context.language, context.settings),
    card_buttons=decision_rows,
    status_words=lambda _, proposal: (
        _("✅ Already published, with the member as host.")
        if proposal.status == APPROVED
        else status_words(_, proposal)
    ),  # what an organiser reads of a decided proposal (the member's words say "you are the host")
    title=lambda proposal: proposal.plan.title,
    author=lambda _, proposal: activity_text.host_name(_, proposal.member_name),
    questions={
        ASK: N_("❓ What do you want to ask {name} about “{title}”? Type your question. At most 500 characters."),
        DECLINE: N_("❌ Why is “{title}” not published? Tap a reason, or type it for {name}. At most 500 characters."),
    },
    news={ASK: NEWS[hosting.ASKED_NOTICE], DECLINE: NEWS[hosting.DECLINED_NOTICE]},  # what the member gets
    ready={DECLINE: REASONS},
)


@requires(Need.ORGANISER)
async def list_button(update: Update, context: WijkContext) -> None:
    """💡 Proposed activities that wait for an answer, the longest waiting first, 5 a page."""
    _ = context.gettext
    page = tapped(update).int_arg(0) if tapped(update).action == "list" else 0
    waiting = hosting.waiting_page(context.db, page)
    if not waiting.items and page:  # an old ▶️: the list got shorter since
        waiting = hosting.waiting_page(context.db, 0)

    def line(proposal: Proposal) -> InlineKeyboardButton:
        title = shortened(proposal.plan.title, activity_text.TITLE_ON_A_BUTTON)
        return button(f"💡 {title} · {proposal.member_name or '?'}", AREA, "card", proposal.id)

    if waiting.items:
        said = _("💡 Proposed activities that wait for an answer. Tap one to read it.")
    else:
        said = _("💡 No proposed activities are waiting.")
    rows = paged(waiting, line, AREA, "list") + [nav_row(_, callbacks.pack("org", "menu"))]
    await show(update, context, said, inline(rows))


@requires(Need.ORGANISER)
async def publish_button(update: Update, context: WijkContext) -> None:
    """✅ Publish: members can sign up, the member is the host and hears it; the first decision counts."""
    _ = context.gettext
    data = tapped(update)
    proposal_id = data.int_arg(0)
    shown = hosting.get(context.db, proposal_id)
    if shown is not None and shown.round != data.int_arg(1):  # the member changed it after this card was made
        await ANSWERS.show_card(update, context, proposal_id, _("The member changed it since. Please read it again."))
        return
    published = hosting.publish(context.db, proposal_id, organiser_id=context.known_member.id, now=context.now())
    if published.decision in PUBLISH_REFUSED:
        await ANSWERS.show_card(update, context, proposal_id, _(PUBLISH_REFUSED[published.decision]))
        return
    if published.activity is None:  # another organiser came first, or it is gone: say so
        await ANSWERS.still_waiting(update, context, proposal_id)
        return
    context.wake_sender()
    activity = published.activity
    said = _("✅ Published: {title}.\nShare this link on posters and in other chats:\n{link}").format(
        title=escape(activity.title), link=link(context.bot.username, activity.id)
    )
    rows = [[button("📅 " + _("Show"), "org", "act", activity.id)], ANSWERS.to_the_list(_)]
    await show(update, context, said + "\n\n" + _("The host gets a message."), inline(rows))


def handlers() -> list[BaseHandler]:
    return [
        *ANSWERS.handlers(),
        CallbackQueryHandler(list_button, pattern=ANSWERS.on("menu", "list")),
        CallbackQueryHandler(publish_button, pattern=ANSWERS.on("publish")),
    ]
