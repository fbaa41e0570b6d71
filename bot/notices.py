"""The words of the messages the bot sends on its own, in the recipient's language."""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardMarkup

from bot import activity_text, i18n
from bot.config import Settings
from bot.formatting import format_when
from bot.keyboards import button, inline
from storage.activities import Activity
from storage.outbox import Claimed

CHANGED_FIELDS = {
    "title": i18n.N_("name"),
    "starts_at": i18n.N_("time"),
    "ends_at": i18n.N_("time"),
    "place": i18n.N_("place"),
    "description": i18n.N_("description"),
    "capacity": i18n.N_("places"),
    "cost_cents": i18n.N_("cost"),
    "bring": i18n.N_("what to bring"),
}
HEADLINES = {
    "reminder_day": i18n.N_("⏰ Reminder: you are coming tomorrow."),
    "reminder_2h": i18n.N_("⏰ Reminder: it starts in 2 hours."),
    "offer": i18n.N_("🎉 A place came free for you! Do you want it?\nPlease answer before {deadline}."),
    "open_offer": i18n.N_("🎉 A place came free. The first to tap gets it."),
    "offer_gone": i18n.N_("The free place is taken. You are still on the waiting list."),
    "offer_expired": i18n.N_("You did not answer in time. The place went to the next person."),
    "activity_changed": i18n.N_("✏️ This activity has changed. Please look again."),
    "activity_cancelled": i18n.N_("🚫 This activity does not go on."),
    "activity_full": i18n.N_("👥 This activity is full now."),
}


def short_card(_: i18n.Translate, activity: Activity, language: str, settings: Settings) -> str:
    lines = [
        f"<b>{escape(activity.title)}</b>",
        "🕑 " + activity_text.when(activity, language, settings.timezone),
        "📍 " + escape(activity.place),
    ]
    if activity.bring:
        lines.append("🎒 " + _("Bring: {things}").format(things=escape(activity.bring)))
    return "\n".join(lines)


def render(
    message: Claimed, language: str, activity: Activity, settings: Settings
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Text and buttons of one message about an activity, in the recipient's language."""
    _ = i18n.translator(language)
    kind = message.kind
    headline = _(HEADLINES[kind])
    if kind == "offer":
        deadline = datetime.fromisoformat(message.payload["expires"])
        headline = headline.format(deadline=format_when(deadline, language, settings.timezone))
    if kind == "activity_changed":
        changed = dict.fromkeys(_(CHANGED_FIELDS[field]) for field in message.payload.get("changed", ()))
        headline += "\n" + _("What changed: {fields}.").format(fields=", ".join(changed))
    text = headline + "\n\n" + short_card(_, activity, language, settings)
    buttons = None
    if kind in ("reminder_day", "reminder_2h"):
        buttons = [[button("❌ " + _("I can't come after all"), "act", "no", activity.id)]]
    elif kind == "offer":
        buttons = [
            [
                button("✅ " + _("Yes, I'm coming"), "act", "claim", activity.id),
                button("❌ " + _("No"), "act", "decline", activity.id),
            ]
        ]
    elif kind == "open_offer":
        buttons = [[button("✅ " + _("I'm coming"), "act", "claim", activity.id)]]
    elif kind in ("activity_changed", "offer_gone"):
        buttons = [[button("📅 " + _("Show"), "act", "card", activity.id)]]
    return text, inline(buttons) if buttons else None
