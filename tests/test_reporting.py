"""⚠️ Reports: a member reports a post or a message; every organiser gets a card; the first decision counts."""

from __future__ import annotations

import pytest

from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import posts
from storage.members import SUSPENDED
from storage.posts import DELETED
from tests.conftest import Clock
from tests.journeys import catch_up, database, stored
from tests.test_talking import member, published, reacts

pytestmark = pytest.mark.settings(ORGANISER_IDS="900,901")

CARD = ["🙈 Hide post", "⏸️ Pause membership", "✔️ Nothing wrong", "🏠 Menu"]
THANKS = "🙏 Thank you for telling us. The organisers will look at it."


async def people(local_bot: LocalBot) -> tuple[Person, Person, Person, Person]:
    """Two organisers, Ann who asks for help and Bob."""
    olga = await member(local_bot, "Olga", 900)
    omar = await member(local_bot, "Omar", 901)
    ann = await member(local_bot, "Ann", 1)
    bob = await member(local_bot, "Bob", 2)
    return olga, omar, ann, bob


def report_count(local_bot: LocalBot) -> int:
    return database(local_bot).fetchone("SELECT count(*) FROM reports")[0]


async def test_a_reported_post_reaches_every_organiser_and_the_first_decision_counts(local_bot: LocalBot) -> None:
    olga, omar, ann, bob = await people(local_bot)
    post = await published(local_bot, ann, "Cheap phones, call me")

    await bob.press(f"report:post:{post.id}")
    assert bob.last_text == "⚠️ Report this to the organisers?\n\nCheap phones, call me"
    assert bob.inline_labels == ["✅ Yes, report", "✖️ No", "⬅️ Back", "🏠 Menu"]
    question = bob.last_message
    await bob.tap("✖️ No")
    assert bob.last_text == "Nothing was reported."
    assert report_count(local_bot) == 0

    await bob.tap_on(question, "✅ Yes, report")
    assert bob.last_text == THANKS
    await bob.tap_on(question, "✅ Yes, report")  # a double tap: the thanks stays as it is
    assert bob.texts == [] and bob.toasts == []
    await bob.press(f"report:post:{post.id}")
    await bob.tap("✅ Yes, report")  # and once more, later
    assert report_count(local_bot) == 1

    card = "⚠️ A member reported a post by Ann:\n\nCheap phones, call me\nThe back wheel is flat."
    for organiser in (olga, omar):
        organiser.look()
        assert organiser.texts == [card]
        assert organiser.inline_labels == CARD
    ann.look()
    assert ann.texts == []

    await olga.tap("🙈 Hide post")
    assert olga.last_text == card + "\n\n🙈 Olga hid the post."
    assert olga.inline_labels == ["🏠 Menu"]
    hidden = posts.get(database(local_bot), post.id)
    assert hidden is not None and hidden.end_reason == "hidden"
    await catch_up(local_bot)
    ann.look()
    assert ann.texts == [
        "🚫 An organiser took your post “Cheap phones, call me” away. Other members can no longer see it.\n"
        "Questions? Ask at the desk of the community centre."
    ]  # not who reported it

    await omar.tap("✔️ Nothing wrong")
    assert omar.toasts == ["Already decided by Olga. Nothing was changed."]
    assert omar.last_text == card + "\n\n🙈 Olga hid the post."
    await omar.press("report:suspend:1")  # his card, as it was before Olga decided
    assert omar.toasts == ["Already decided by Olga. Nothing was changed."]
    assert (await stored(local_bot, ann)).status == "active"


async def test_a_relayed_message_is_reported_by_who_got_it_and_the_member_can_be_paused(local_bot: LocalBot) -> None:
    olga, omar, ann, bob = await people(local_bot)
    post = await published(local_bot, ann)
    await reacts(bob, post, "Send me your bank details first.")
    ann.look()
    message_id = database(local_bot).fetchone("SELECT id FROM talk_messages")[0]

    await bob.press(f"report:msg:{message_id}")  # his own message
    assert bob.toasts == ["This button no longer works."]
    await olga.press(f"report:msg:{message_id}")  # not hers
    assert olga.toasts == ["This button no longer works."]
    await bob.press(f"report:msgok:{message_id}")  # forged
    assert bob.toasts == ["This button no longer works."]
    assert report_count(local_bot) == 0

    await ann.tap("⚠️ Report")
    assert ann.last_text == "⚠️ Report this to the organisers?\n\nSend me your bank details first."
    await ann.tap("✅ Yes, report")
    assert ann.last_text == THANKS

    card = "⚠️ A member reported a message from Bob:\n\nSend me your bank details first."
    olga.look()
    assert olga.texts == [card]
    assert olga.inline_labels == ["⏸️ Pause membership", "✔️ Nothing wrong", "🏠 Menu"]
    await olga.press("report:hide:1")  # a message has no post to hide
    assert olga.toasts == ["This button no longer works."]

    await olga.tap("⏸️ Pause membership")
    assert olga.last_text == card + "\n\nPause the membership of Bob?"
    await olga.tap("↩️ No")
    assert olga.last_text == card
    await olga.tap("⏸️ Pause membership")
    await olga.tap("✅ Yes")
    assert olga.last_text == card + "\n\n⏸️ Olga paused the membership of this member."
    assert (await stored(local_bot, bob)).status == SUSPENDED
    bob.look()
    assert "Your membership is paused. Please talk to an organiser." in bob.texts

    omar.look()
    await omar.tap("✔️ Nothing wrong")
    assert omar.last_text == card + "\n\n⏸️ Olga paused the membership of this member."


async def test_nothing_wrong_settles_a_report_and_a_card_not_yet_sent_is_not_sent(local_bot: LocalBot) -> None:
    olga, omar, ann, bob = await people(local_bot)
    post = await published(local_bot, ann)
    await bob.press(f"report:post:{post.id}")
    await bob.tap("✅ Yes, report")
    olga.look()
    await olga.tap("✔️ Nothing wrong")
    assert olga.last_text.endswith("\n\n✔️ Olga found nothing wrong.")
    assert posts.get(database(local_bot), post.id).ended_at is None

    await ann.press(f"report:post:{post.id}")  # one's own post
    assert ann.toasts == ["This button no longer works."]
    await bob.press("report:hide:1")  # not an organiser
    assert bob.last_text == "Only organisers can do this."

    # A card still waiting in the outbox (the bot was down) is not sent once an organiser decided.
    db = database(local_bot)
    olga_member = await stored(local_bot, olga)
    assert olga_member is not None
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO outbox (key, kind, member_id, payload, deliver_at) VALUES ('late', 'report_card', ?,"
            " '{\"report\": 1}', '2000-01-01T00:00:00+00:00')",
            (olga_member.id,),
        )
    await catch_up(local_bot)
    olga.look()
    assert olga.texts == []
    assert db.fetchone("SELECT dropped_at IS NOT NULL FROM outbox WHERE key = 'late'")[0]


async def reported(local_bot: LocalBot, reporter: Person, post: posts.Post) -> None:
    await reporter.press(f"report:post:{post.id}")
    await reporter.tap("✅ Yes, report")
    assert reporter.last_text == THANKS


@pytest.mark.settings(ORGANISER_IDS="900")
async def test_a_report_about_the_only_organiser_goes_to_that_organiser(local_bot: LocalBot) -> None:
    olga = await member(local_bot, "Olga", 900)
    bob = await member(local_bot, "Bob", 2)
    post = await published(local_bot, olga, "Cheap phones, call me")
    await reported(local_bot, bob, post)

    olga.look()  # nobody else can decide, so it is her own duty
    assert olga.texts == ["⚠️ A member reported a post by Olga:\n\nCheap phones, call me\nThe back wheel is flat."]
    assert olga.inline_labels == [label for label in CARD if label != "⏸️ Pause membership"]  # not herself
    await olga.tap("✔️ Nothing wrong")
    assert olga.last_text.endswith("\n\n✔️ Olga found nothing wrong.")


async def test_a_report_about_an_organiser_goes_only_to_the_other_organisers(local_bot: LocalBot) -> None:
    olga, omar, ann, bob = await people(local_bot)
    post = await published(local_bot, olga, "Cheap phones, call me")
    await reported(local_bot, bob, post)

    olga.look()
    assert olga.texts == []
    omar.look()
    assert omar.texts == ["⚠️ A member reported a post by Olga:\n\nCheap phones, call me\nThe back wheel is flat."]
    for forged in ("report:card:1", "report:dismiss:1", "report:suspend:1", "report:lcard:1:0"):
        await olga.press(forged)  # not hers to decide while Omar can
        assert olga.toasts == ["This button no longer works."]
    assert database(local_bot).fetchone("SELECT handled_at FROM reports")[0] is None


async def test_a_second_tap_says_who_decided_also_when_it_was_oneself(local_bot: LocalBot) -> None:
    olga, omar, ann, bob = await people(local_bot)
    post = await published(local_bot, ann)
    await reported(local_bot, bob, post)
    olga.look()
    card = olga.last_message

    await olga.tap("✔️ Nothing wrong")
    await olga.tap_on(card, "🙈 Hide post")
    assert olga.toasts == ["Already decided by Olga. Nothing was changed."]
    assert olga.last_message["text"].endswith("\n\n✔️ Olga found nothing wrong.")  # as it was: nothing changed
    await olga.tap_on(card, "⏸️ Pause membership")
    assert olga.toasts == ["Already decided by Olga. Nothing was changed."]
    assert posts.get(database(local_bot), post.id).ended_at is None
    assert (await stored(local_bot, ann)).status == "active"


async def test_a_report_about_a_member_who_left_says_so_in_a_short_line(local_bot: LocalBot) -> None:
    olga, omar, ann, bob = await people(local_bot)
    post = await published(local_bot, bob, "Cheap phones, call me")
    await reported(local_bot, ann, post)
    olga.look()
    await olga.tap("✔️ Nothing wrong")  # decided before Bob left
    other = await published(local_bot, ann)
    await reacts(bob, other, "Send me your bank details first.")
    ann.look()
    await ann.tap("⚠️ Report")
    await ann.tap("✅ Yes, report")
    olga.look()
    open_card = olga.last_message

    await bob.tap("👤 My details")
    await bob.tap("🗑️ Delete my account")
    await bob.tap("🗑️ Yes, delete")
    await bob.tap("🗑️ Yes, delete everything")
    await catch_up(local_bot)

    await olga.tap_on(open_card, "✔️ Nothing wrong")
    assert olga.toasts == ["The member has left. This report is closed."]
    assert olga.last_text == "⚠️ A member reported a message from someone who has left.\n\nThis report is closed."
    assert olga.inline_labels == ["🏠 Menu"]
    await olga.press("report:card:1")
    assert olga.last_text == "⚠️ A member reported a post by someone who has left.\n\n✔️ Olga found nothing wrong."


async def test_hiding_a_post_its_author_deleted_says_it_was_already_gone(local_bot: LocalBot, clock: Clock) -> None:
    olga, omar, ann, bob = await people(local_bot)
    post = await published(local_bot, ann)
    await reported(local_bot, bob, post)
    olga.look()
    card = "⚠️ A member reported a post by Ann:\n\nFix my bike\nThe back wheel is flat."
    ann_id = (await stored(local_bot, ann)).id
    posts.end(database(local_bot), post.id, ann_id, DELETED, None, clock.now)  # 🗑️ Ann deleted it

    await olga.tap("🙈 Hide post")
    assert olga.toasts == ["The post was already gone. Nothing was hidden."]
    assert olga.last_text == card + "\n\nℹ️ The post is already gone. Other members no longer see it."
    assert olga.inline_labels == ["⏸️ Pause membership", "✔️ Nothing wrong", "🏠 Menu"]  # still open: pause?
    assert posts.get(database(local_bot), post.id).end_reason == DELETED
    await olga.tap("✔️ Nothing wrong")
    assert olga.last_text == card + "\n\n✔️ Olga found nothing wrong."


async def test_hiding_a_post_settles_every_report_about_it(local_bot: LocalBot) -> None:
    olga, omar, ann, bob = await people(local_bot)
    carl = await member(local_bot, "Carl", 3)
    post = await published(local_bot, ann)
    await reported(local_bot, bob, post)
    await reported(local_bot, carl, post)
    olga.look()
    await olga.tap("🙈 Hide post")  # the newest card: Carl's report

    await omar.press("report:dismiss:1")  # Bob's report: the post was hidden for the same reason
    assert omar.toasts == ["Already decided by Olga. Nothing was changed."]
    assert omar.last_text.endswith("\n\n🙈 Olga hid the post.")


async def test_a_post_that_ended_meanwhile_is_not_reported(local_bot: LocalBot) -> None:
    _olga, _omar, ann, bob = await people(local_bot)
    post = await published(local_bot, ann, "Cheap phones, call me")
    await ann.press(f"mypost:deleteok:{post.id}")
    await bob.press(f"report:post:{post.id}")  # from the card he still has
    assert bob.toasts == ["No longer up"]
    assert bob.last_text == "Sorry, this post is no longer up. It has ended, or its author took it away."
    assert report_count(local_bot) == 0
