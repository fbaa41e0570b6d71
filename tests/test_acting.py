"""👥 A member's card → 🧾 Act for this member: an organiser signs a member up for or off an activity."""

import json
from datetime import date, timedelta

from bot import callbacks, i18n
from bot.context import runtime_of
from bot.exports import personal_data, personal_text
from bot.formatting import format_when
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import activities, audit, desk, members
from storage.activities import GOING, OFFERED, SIGNED_OFF_FOR, SIGNED_UP_FOR, WAITING
from storage.members import Member
from tests.conftest import Clock
from tests.journeys import catch_up, database, english, member_id, planned_activity, signed_up

STALE = "This button no longer works."


async def organiser(local_bot: LocalBot) -> Person:
    return await signed_up(local_bot, "Olga", user_id=900, language="English")


def desk_member(
    local_bot: LocalBot, olga_id: int, name: str = "Fatma", *, language: str = "en", phone: str | None = None
) -> Member:
    """Someone added at the desk: no Telegram."""
    runtime = runtime_of(local_bot.application)
    return desk.add_member(
        runtime.database,
        first_name=name,
        neighbourhood=None,
        interests=frozenset({members.ACTIVITIES}),
        language=language,
        phone=phone,
        consent_on=date(2026, 11, 27),
        organiser_id=olga_id,
        now=runtime.clock(),
    )


async def acting_for(olga: Person, member: Member, how: str) -> None:
    """Olga finds the member, opens their card, taps 🧾 Act for this member and says how they asked."""
    await olga.tap("📣 Organise")
    await olga.tap("👥 Members")
    await olga.tap("🔎 Find a member")
    await olga.send(str(member.member_no))
    await olga.tap(f"{member.first_name} · member {member.member_no:04d}")
    await olga.tap("🧾 Act for this member")
    assert olga.last_text == f"🧾 How did {member.first_name} ask?"
    assert olga.inline_labels == ["🧾 At the desk", "📞 By phone", "📄 On paper", "⬅️ Back", "🏠 Menu"]
    await olga.tap(how)
    assert olga.inline_labels == [
        "📅 Sign up for an activity",
        "✖️ Sign off from an activity",
        "🗳️ Vote with their choice",
        "🤝 Ask for help for them",
        "👤 Their details",
        "⬅️ Back",
        "🏠 Menu",
    ]


async def sign_up_for(olga: Person, title: str) -> None:
    await olga.tap("📅 Sign up for an activity")
    [line] = [label for label in olga.inline_labels if label.startswith(title + " · ")]
    await olga.tap(line)


def logged(local_bot: LocalBot, member: int) -> list[tuple[int | None, str, str | None]]:
    rows = database(local_bot).fetchall("SELECT actor_id, action, reason FROM audit_log WHERE target_id = ?", (member,))
    return [tuple(row) for row in rows]


def planned_for(local_bot: LocalBot, member: int) -> list[str]:
    rows = database(local_bot).fetchall("SELECT kind FROM outbox WHERE member_id = ? ORDER BY id", (member,))
    return [row[0] for row in rows]


async def test_a_desk_member_is_signed_up_and_off_with_how_they_asked_in_the_audit_log(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    fatma = desk_member(local_bot, olga_id)
    activity = await planned_activity(local_bot, "Samen koken")
    db = database(local_bot)

    await acting_for(olga, fatma, "📞 By phone")
    await sign_up_for(olga, "Samen koken")
    assert olga.last_text == "✅ Fatma is coming to Samen koken."
    assert olga.inline_labels == ["⬅️ Back", "🏠 Menu"]
    assert activities.card(db, activity.id, fatma.id).status == GOING
    await olga.tap("⬅️ Back")
    assert olga.last_text.startswith("Name: Fatma\nNumber: member 0002")  # her card
    assert "🧾 Act for this member" in olga.inline_labels

    await olga.tap("🧾 Act for this member")
    await olga.tap("📄 On paper")
    await olga.tap("✖️ Sign off from an activity")
    assert olga.last_text == "✖️ Sign Fatma off from which activity?"
    await olga.tap(next(label for label in olga.inline_labels if label.startswith("✅ Samen koken")))
    assert olga.last_text == "Sign Fatma off from Samen koken?\nTheir place then goes to someone else."
    await olga.tap("✅ Yes")
    assert olga.last_text == "✖️ Fatma is off the list of Samen koken."
    assert activities.card(db, activity.id, fatma.id).status is None

    assert logged(local_bot, fatma.id) == [
        (olga_id, "desk_add", None),
        (olga_id, SIGNED_UP_FOR, "phone"),
        (olga_id, SIGNED_OFF_FOR, "paper"),
    ]
    assert [kind for kind in planned_for(local_bot, fatma.id) if kind.endswith("organiser")] == []  # no chat
    _ = i18n.translator("en")
    data = await personal_data(db, fatma, {}, runtime_of(local_bot.application).clock())
    text = personal_text(_, data, "en", runtime_of(local_bot.application).settings.timezone).decode("utf-8-sig")
    assert "signed up for an activity by an organiser (asked by phone)" in text
    assert "signed off from an activity by an organiser (asked on paper)" in text
    reasons = [entry.get("reason") for entry in json.loads(data.as_json())["organiser_actions"]]
    assert reasons == [None, "phone", "paper"]


async def test_the_waiting_list_rules_hold_when_an_organiser_acts(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    ann = await english(local_bot, "Ann", 3)
    ann_id = await member_id(local_bot, ann)
    fatma = desk_member(local_bot, olga_id)
    activity = await planned_activity(local_bot, "Samen koken", capacity=1)
    runtime = runtime_of(local_bot.application)
    db = database(local_bot)
    activities.rsvp(db, activity.id, ann_id, runtime.clock(), runtime.timing)  # the one place

    await acting_for(olga, fatma, "🧾 At the desk")
    await sign_up_for(olga, "Samen koken")
    assert olga.last_text == "⏳ Samen koken is full. Fatma is number 1 on the waiting list."
    assert activities.card(db, activity.id, fatma.id).status == WAITING

    ann_member = members.get(db, ann_id)
    await olga.tap("⬅️ Back")  # her card
    await olga.tap("⬅️ Back")  # 👥 Members
    await olga.tap("🔎 Find a member")
    await olga.send("Ann")
    await olga.tap(f"Ann · member {ann_member.member_no:04d}")
    await olga.tap("🧾 Act for this member")
    await olga.tap("🧾 At the desk")
    await olga.tap("✖️ Sign off from an activity")
    await olga.tap(next(label for label in olga.inline_labels if "Samen koken" in label))
    await olga.tap("✅ Yes")
    assert olga.last_text == "✖️ Ann is off the list of Samen koken."
    assert activities.card(db, activity.id, fatma.id).status == OFFERED  # the freed place, as always

    # Fatma has no Telegram: she cannot tap ✅ on the offer. She phones; the organiser takes the place for her.
    await olga.tap("⬅️ Back")
    await olga.tap("⬅️ Back")
    await olga.tap("🔎 Find a member")
    await olga.send("Fatma")
    await olga.tap(next(label for label in olga.inline_labels if label.startswith("Fatma")))
    await olga.tap("🧾 Act for this member")
    await olga.tap("📞 By phone")
    await olga.tap("📅 Sign up for an activity")
    await olga.tap(next(label for label in olga.inline_labels if "Samen koken" in label))
    assert olga.last_text == "✅ Fatma is coming to Samen koken."
    assert activities.card(db, activity.id, fatma.id).status == GOING
    assert logged(local_bot, fatma.id)[-1] == (olga_id, SIGNED_UP_FOR, "phone")


async def test_a_member_with_telegram_is_told_in_their_own_language(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    bob = await signed_up(local_bot, "Bob", user_id=2)  # reads Dutch
    bob_member = members.get(database(local_bot), await member_id(local_bot, bob))
    assert bob_member is not None
    activity = await planned_activity(local_bot, "Samen koken")
    settings = runtime_of(local_bot.application).settings
    nl = i18n.translator("nl")
    when = format_when(activity.starts_at, "nl", settings.timezone)

    await acting_for(olga, bob_member, "📞 By phone")
    await sign_up_for(olga, "Samen koken")
    await catch_up(local_bot)
    bob.look()
    told = bob.chat.events[-1]
    assert told.text == (
        nl("📅 {name} signed you up for {title} ({when}).").format(name="Olga", title="Samen koken", when=when)
        + "\n📍 Buurthuis\n\n"
        + nl("Can you not come after all? Tap ❌ below.")
    )
    assert bob.inline_labels == ["❌ Ik kan niet", "📅 Bekijken"]  # the activity's own buttons, in Dutch
    await bob.tap("❌ Ik kan niet")  # what a member's own ❌ does: asks once
    assert "Samen koken" in bob.last_text

    await olga.tap("⬅️ Back")
    await olga.tap("🧾 Act for this member")
    await olga.tap("📞 By phone")
    await olga.tap("✖️ Sign off from an activity")
    await olga.tap(next(label for label in olga.inline_labels if "Samen koken" in label))
    await olga.tap("✅ Yes")
    await catch_up(local_bot)
    bob.look()
    assert bob.chat.events[-1].text == (
        nl("✖️ {name} signed you off from {title} ({when}).").format(name="Olga", title="Samen koken", when=when)
        + "\n"
        + nl("Do you want to come after all? Tap 📅 Show.")
    )
    assert bob.inline_labels == ["📅 Bekijken"]


async def test_an_old_waiting_list_button_does_not_give_away_a_place_she_has_since(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    ann = await english(local_bot, "Ann", 3)
    ann_member = members.get(database(local_bot), await member_id(local_bot, ann))
    assert ann_member is not None
    bob = await signed_up(local_bot, "Bob", user_id=2)
    activity = await planned_activity(local_bot, "Samen koken", capacity=1)
    runtime = runtime_of(local_bot.application)
    db = database(local_bot)
    activities.rsvp(db, activity.id, await member_id(local_bot, bob), runtime.clock(), runtime.timing)
    await acting_for(olga, ann_member, "📞 By phone")
    await sign_up_for(olga, "Samen koken")  # full: she waits
    await catch_up(local_bot)
    told = dict(ann.last_message)
    assert "❌ Off the waiting list" in [b["text"] for row in told["reply_markup"]["inline_keyboard"] for b in row]
    activities.withdraw(db, activity.id, await member_id(local_bot, bob), runtime.clock(), runtime.timing)
    activities.accept_offer(db, activity.id, ann_member.id, runtime.clock(), runtime.timing)  # she has the place now
    await ann.tap_on(told, "❌ Off the waiting list")  # the old message, days later
    assert ann.last_text.startswith("Are you sure? Your place then goes to someone else.")
    assert activities.card(db, activity.id, ann_member.id).status == GOING


async def test_a_message_that_no_longer_holds_is_not_sent(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    bob = await english(local_bot, "Bob", 2)
    bob_id = await member_id(local_bot, bob)
    activity = await planned_activity(local_bot, "Samen koken")
    runtime = runtime_of(local_bot.application)
    acting = audit.Acting(await member_id(local_bot, olga), "desk")
    activities.rsvp(runtime.database, activity.id, bob_id, runtime.clock(), runtime.timing, acting)
    activities.withdraw(runtime.database, activity.id, bob_id, runtime.clock(), runtime.timing)  # he left himself
    await catch_up(local_bot)
    bob.look()
    assert [event.text for event in bob.replies if "signed you" in event.text] == []


async def test_a_started_or_cancelled_activity_is_refused(local_bot: LocalBot, clock: Clock) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    fatma = desk_member(local_bot, olga_id)
    soon = await planned_activity(local_bot, "Koffie", starts_in=timedelta(hours=1))
    later = await planned_activity(local_bot, "Samen koken")
    db = database(local_bot)

    await acting_for(olga, fatma, "🧾 At the desk")
    await olga.tap("📅 Sign up for an activity")
    shown, labels = olga.last_message, olga.inline_labels
    activities.cancel(db, later.id, now=clock())
    await olga.tap_on(shown, next(label for label in labels if label.startswith("Samen koken")))
    assert olga.last_text == "This activity does not go on."
    clock.advance(hours=2)
    await olga.tap_on(shown, next(label for label in labels if label.startswith("Koffie")))
    assert olga.last_text == "You can no longer sign up for this activity."
    assert activities.card(db, soon.id, fatma.id).status is None
    assert logged(local_bot, fatma.id) == [(olga_id, "desk_add", None)]


async def test_forged_stale_and_double_taps_change_nothing_twice(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    fatma = desk_member(local_bot, olga_id)
    other = desk_member(local_bot, olga_id, "Gül")
    activity = await planned_activity(local_bot, "Samen koken")
    db = database(local_bot)

    await acting_for(olga, fatma, "🧾 At the desk")
    await olga.press(f"act4:in:{fatma.id}:{activity.id}")
    await olga.press(f"act4:in:{fatma.id}:{activity.id}")  # a double tap
    assert olga.last_text == "✅ Fatma was already coming to Samen koken. Nothing changed."
    assert logged(local_bot, fatma.id).count((olga_id, SIGNED_UP_FOR, "desk")) == 1

    await olga.press(f"act4:in:{other.id}:{activity.id}")  # how Gül asked was never said: asked first
    assert olga.last_text == "🧾 How did Gül ask?"
    assert activities.card(db, activity.id, other.id).status is None

    await olga.press(f"act4:in:{fatma.id}:999999")  # an activity that does not exist
    assert STALE in olga.toasts
    await olga.press("act4:in:abc:1")  # not a button we make
    assert STALE in olga.toasts
    members.set_suspended(db, fatma.id, True, actor_id=olga_id, now=runtime_of(local_bot.application).clock())
    await olga.press(f"act4:offok:{fatma.id}:{activity.id}")  # paused meanwhile
    assert STALE in olga.toasts
    assert activities.card(db, activity.id, fatma.id).status == GOING
    assert [action for _, action, _ in logged(local_bot, fatma.id)].count(SIGNED_OFF_FOR) == 0


async def test_a_member_who_is_no_organiser_cannot_act_for_others(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    fatma = desk_member(local_bot, await member_id(local_bot, olga))
    activity = await planned_activity(local_bot, "Samen koken")
    bob = await english(local_bot, "Bob", 2)
    for data in (f"act4:start:{fatma.id}", f"act4:how:{fatma.id}:desk", f"act4:in:{fatma.id}:{activity.id}"):
        await bob.press(data)
        assert bob.last_text == "Only organisers can do this."
    assert activities.card(database(local_bot), activity.id, fatma.id).status is None


def test_the_reasons_on_the_buttons_are_the_ones_the_audit_log_knows() -> None:
    kinds = callbacks.BUTTONS["act4"]["how"]
    assert isinstance(kinds[1], callbacks.OneOf) and kinds[1].words == set(audit.REASONS)


async def test_their_details_are_shown_and_their_phone_number_changed_with_how_they_asked(local_bot: LocalBot) -> None:
    olga = await organiser(local_bot)
    olga_id = await member_id(local_bot, olga)
    fatma = desk_member(local_bot, olga_id)
    activity = await planned_activity(local_bot, "Samen koken")
    runtime = runtime_of(local_bot.application)
    activities.rsvp(runtime.database, activity.id, fatma.id, runtime.clock(), runtime.timing)

    await acting_for(olga, fatma, "📞 By phone")
    await olga.tap("👤 Their details")
    assert olga.last_text.startswith("Name: Fatma\nNumber: member 0002\n")
    assert "\nSigned up for:\n✅ Samen koken · " in olga.last_text
    assert "Phone:" not in olga.last_text
    assert olga.inline_labels == ["📞 Change phone number", "⬅️ Back", "🏠 Menu"]

    await olga.tap("📞 Change phone number")
    assert olga.last_text == "Type the new phone number of Fatma."
    await olga.send("<b>bel me</b>")
    assert olga.last_text.startswith("That is not a phone number.")
    await olga.send("+31 6 9876 5432")
    assert olga.last_text == "✅ The phone number is changed."
    await olga.tap("⬅️ Back")
    assert "\nPhone: +31 6 9876 5432\n" in olga.last_text
    await olga.tap("📞 Change phone number")
    await olga.tap("🚫 No phone number")
    assert members.get(database(local_bot), fatma.id).phone is None
    await olga.send("06 11111111")  # the flow ended: this is no answer any more
    assert members.get(database(local_bot), fatma.id).phone is None

    assert logged(local_bot, fatma.id)[1:] == [
        (olga_id, members.SHOWN_FOR, "phone"),
        (olga_id, members.PHONE_CHANGED, "phone"),
        (olga_id, members.SHOWN_FOR, "phone"),
        (olga_id, members.PHONE_CHANGED, "phone"),
    ]


async def test_at_night_a_member_hears_at_once_only_about_an_activity_early_the_next_morning(
    local_bot: LocalBot, clock: Clock
) -> None:
    olga = await organiser(local_bot)
    bob = await signed_up(local_bot, "Bob", user_id=2)
    bob_member = members.get(database(local_bot), await member_id(local_bot, bob))
    assert bob_member is not None
    clock.advance(hours=12, minutes=30)  # Friday 22:30
    await planned_activity(local_bot, "Vroege wandeling", starts_in=timedelta(hours=9))  # Saturday 07:30
    await planned_activity(local_bot, "Brunch", starts_in=timedelta(hours=13))  # Saturday 11:30

    await acting_for(olga, bob_member, "📞 By phone")
    await sign_up_for(olga, "Vroege wandeling")
    await olga.tap("⬅️ Back")
    await olga.tap("🧾 Act for this member")
    await olga.tap("📞 By phone")
    await sign_up_for(olga, "Brunch")
    await catch_up(local_bot)
    told = [event.text for event in bob.look()]
    assert len(told) == 1 and "Vroege wandeling" in told[0]  # before 10:00: it cannot wait until 08:00

    clock.advance(hours=9, minutes=31)  # Saturday 08:01
    await catch_up(local_bot)
    assert ["Brunch" in event.text for event in bob.look()] == [True]
