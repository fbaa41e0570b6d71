"""Common ways people arrive at a point in the bot, for tests to start from."""

from datetime import timedelta

from bot import i18n, scheduler
from bot.app import send_outbox_now
from bot.context import runtime_of
from bot.telegram_emulation.local_bot import LocalBot, Person
from storage import activities, announcements, members, posts, votes
from storage.activities import Activity, Plan
from storage.db import Database
from storage.members import Member
from storage.votes import PlannedOption, Vote


async def chose_language(
    local_bot: LocalBot, label: str = "Nederlands", *, name: str = "Ann", user_id: int = 1
) -> Person:
    """Someone who sent /start and tapped a language (under 🌐 when the phone's language was taken)."""
    person = local_bot.person(name, user_id=user_id, language_code=None)
    await person.send("/start")
    if label not in person.inline_labels:
        await person.tap(next(key for key in person.keyboard if key.startswith("🌐")))
    await person.tap(label)
    return person


def sign_up_labels(language_name: str) -> tuple[str, str, str, str]:
    """📝 Sign up, Other, ✔️ Done and ✅ I agree in the language named (in its own name: "Türkçe")."""
    [code] = [code for code in i18n.languages() if i18n.language_name(code) == language_name]
    _ = i18n.translator(code)
    return "📝 " + _("Sign up"), _("Other"), "✔️ " + _("Done"), "✅ " + _("I agree")


async def signed_up(
    local_bot: LocalBot,
    name: str = "Ann",
    *,
    user_id: int = 1,
    language: str = "Nederlands",
    wants: tuple[str, ...] = (),
    neighbourhood: str | None = None,
) -> Person:
    """Someone who went through sign-up and agreed.

    `wants` are labels of the interest buttons to tick, in the chosen language;
    where neighbourhoods are configured, `neighbourhood` (default: Other) is tapped.
    """
    sign_up, other, done, agree = sign_up_labels(language)
    person = await chose_language(local_bot, language, name=name, user_id=user_id)
    await person.tap(sign_up)
    await person.send(name)
    if other in person.inline_labels:
        await person.tap(neighbourhood or other)
    for label in wants:
        await person.tap("⬜ " + label)
    await person.tap(done)
    await person.tap(agree)
    return person


async def member_id(local_bot: LocalBot, person: Person) -> int:
    """The member number in the database (not the Telegram id) of someone who signed up."""
    member = await stored(local_bot, person)
    assert member is not None
    return member.id


async def english(local_bot: LocalBot, name: str, user_id: int) -> Person:
    """Someone who signed up reading English."""
    return await signed_up(local_bot, name, user_id=user_id, language="English")


def kept_apart(value: str) -> str:
    """A value as a Dutch or English sentence shows it: between isolation marks when it has Arabic letters."""
    return f"{i18n.FSI}{value}{i18n.PDI}" if i18n.RIGHT_TO_LEFT_LETTER.search(value) else value


def database(local_bot: LocalBot) -> Database:
    """The running bot's database, to check what it stored."""
    return runtime_of(local_bot.application).database


async def stored(local_bot: LocalBot, person: Person) -> Member | None:
    """What the database knows about this person now."""
    return members.get_by_telegram_id(database(local_bot), person.id)


async def planned_activity(
    local_bot: LocalBot,
    title: str = "Samen koken",
    *,
    starts_in: timedelta = timedelta(days=3),
    hours: float = 2,
    capacity: int | None = None,
    bring: str | None = None,
    created_by: Person | None = None,
) -> Activity:
    """An activity published by an organiser, `starts_in` from the bot's clock."""
    runtime = runtime_of(local_bot.application)
    starts_at = runtime.clock() + starts_in
    plan = Plan(
        title=title,
        description="Iedereen is welkom.",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        place="Buurthuis",
        capacity=capacity,
        cost_cents=0,
        bring=bring,
    )
    creator = await stored(local_bot, created_by) if created_by else None
    [activity] = activities.create(
        runtime.database, plan, created_by=creator.id if creator else None, now=runtime.clock()
    )
    return activity


async def catch_up(local_bot: LocalBot) -> int:
    """Run the scheduled work once, as the repeating job does, and the sender until the outbox is empty.

    Returns how many messages went out."""
    scheduler.due_work(local_bot.application)
    return await send_outbox_now(local_bot.application)


def last_file(local_bot: LocalBot, person: Person) -> tuple[dict, bytes]:
    """The last file among what the person just got, and its bytes.

    After files the bot sends one short message with the way on, so the file is not the last reply."""
    documents = [event.message["document"] for event in person.replies if event.kind == "document"]
    assert documents, "the bot sent no file"
    return documents[-1], local_bot.emulator.documents[documents[-1]["file_id"]]


FOR_AGAINST = (PlannedOption("for"), PlannedOption("against"), PlannedOption("abstain"))


async def open_vote(
    local_bot: LocalBot,
    title: str = "Nieuwe bankjes op het plein",
    *,
    closes_in: timedelta = timedelta(days=3),
    opens_in: timedelta = timedelta(0),
    kind: str = "for_against",
    options: tuple[PlannedOption, ...] = FOR_AGAINST,
    secret: bool = False,
    live_results: bool = False,
    quorum_percent: int = 0,
    majority: str = "half",
    budget_cents: int | None = None,
    body: str = "Zullen we drie bankjes op het plein zetten? Ze kosten samen 1200 euro.",
) -> Vote:
    """A vote an organiser opened `opens_in` from the bot's clock (now: its voters are the active members now).

    Run catch_up() to send the messages about it."""
    runtime = runtime_of(local_bot.application)
    now = runtime.clock()
    plan = votes.Plan(
        title=title,
        body=body,
        kind=kind,
        secret=secret,
        live_results=live_results,
        quorum_percent=quorum_percent,
        majority=majority,
        opens_at=now + opens_in,
        closes_at=now + closes_in,
        options=options,
        budget_cents=budget_cents,
    )
    return votes.create(runtime.database, plan, created_by=None, now=now)


async def posted(
    local_bot: LocalBot,
    author: Person,
    title: str,
    body: str,
    *,
    side: str = posts.REQUEST,
    category: str = "garden",
    kind: str = posts.FREE,
) -> posts.Post:
    """A post the author put up at the bot's time now, as ✅ Publish does (storage.posts.publish)."""
    runtime = runtime_of(local_bot.application)
    member = await stored(local_bot, author)
    assert member is not None
    made = posts.publish(
        *(runtime.database, member.id, side, category, kind, title, body, None, None),
        *(runtime.clock(), runtime.settings.post_days),
        tz=runtime.settings.timezone,
    )
    assert made.post is not None, made.refusal
    return made.post


def announce(local_bot: LocalBot, texts: dict[str, str], **overrides: object) -> announcements.Announcement:
    """An announcement to everyone, stored as ✅ Send stores it (storage.announcements.create), from now on."""
    runtime = runtime_of(local_bot.application)
    made: dict = {
        "organiser_id": 1,
        "audience": announcements.Audience("everyone"),
        "texts": texts,
        "original_language": next(iter(texts)),
        "photo": None,
        "confirm": False,
        "urgent": False,
        "send_at": runtime.clock(),
        "now": runtime.clock(),
    } | overrides
    return announcements.create(runtime.database, **made)
