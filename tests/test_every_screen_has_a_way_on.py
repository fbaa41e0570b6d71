"""Every screen has a way on (UX.md): ⬅️ Terug and 🏠 Menu on the language choice, on both delete questions,
and after every file the bot sends, in one short message that says what came."""

from datetime import timedelta

from bot import i18n
from bot.telegram_emulation.local_bot import LocalBot, Person
from tests.journeys import last_file, planned_activity, signed_up, stored
from tests.test_activity_admin import full_activity

nl = i18n.translator("nl")
WAY_ON = ["⬅️ Terug", "🏠 Menu"]
MAIN_MENU_OF_A_VISITOR = ["📝 Lid worden", "🌐 Taal", "❓ Hulp"]
# Every shipped language in its own name and script, in the order of UX.md.
LANGUAGES = ["Nederlands", "English", "Türkçe", "العربية", "Polski", "Українська"]


def here_is_your_file(files: int = 1) -> str:
    return i18n.plural("nl")("Here is your file.", "Here are your files.", files)


def got_files_and_a_way_on(person: Person, files: int = 1) -> None:
    """The files came, then one short message with ⬅️ Terug and 🏠 Menu, and nothing else."""
    kinds = [event.kind for event in person.replies if event.kind != "toast"]
    assert kinds == ["document"] * files + ["message"]
    assert person.last_text == here_is_your_file(files)
    assert person.inline_labels == WAY_ON


async def test_a_newcomer_can_leave_the_language_choice_for_the_menu(local_bot: LocalBot) -> None:
    ann = local_bot.person("Ann", user_id=1, language_code="de")  # a language we do not ship
    await ann.send("/start")
    assert ann.last_text == "🌐 Kies je taal."
    assert ann.inline_labels == [*LANGUAGES, "🏠 Menu"]  # nothing to go back to
    await ann.tap("🏠 Menu")
    assert ann.last_text == "Wat wil je doen? Tik op een knop."
    assert ann.keyboard == MAIN_MENU_OF_A_VISITOR

    await ann.tap("🌐 Taal")  # from the main menu: again only the menu to leave by
    assert ann.inline_labels == [*LANGUAGES, "🏠 Menu"]
    await ann.tap("English")
    assert ann.last_text.startswith("Welcome to the neighbourhood bot")


async def test_the_language_under_my_details_goes_back_to_my_details(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann")
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("🌐 Taal")
    assert ann.last_text == "🌐 Kies je taal."
    assert ann.inline_labels == [*LANGUAGES, *WAY_ON]
    await ann.tap("⬅️ Terug")
    assert ann.last_text.startswith("👤 Mijn gegevens")
    await ann.tap("🌐 Taal")
    await ann.tap("🏠 Menu")
    assert ann.last_text == "Wat wil je doen? Tik op een knop."
    assert (await stored(local_bot, ann)).language == "nl"


async def test_both_delete_questions_go_back_one_step_or_to_the_menu(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot, "Ann")
    first = nl(
        "Do you want to delete your account?\nWe then delete your name and all your details.\n"
        "Your posts and conversations end."
    )
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("🗑️ " + nl("Delete my account"))
    assert ann.last_text == first
    assert ann.inline_labels[-2:] == WAY_ON
    await ann.tap("⬅️ Terug")
    assert ann.last_text.startswith("👤 Mijn gegevens")

    await ann.tap("🗑️ " + nl("Delete my account"))
    await ann.tap("🗑️ " + nl("Yes, delete"))
    assert ann.last_text.startswith(nl("Are you really sure?\nThis cannot be undone. You will no longer be a member."))
    assert ann.inline_labels[-2:] == WAY_ON
    await ann.tap("⬅️ Terug")  # one step back: the first question
    assert ann.last_text == first

    await ann.tap("🗑️ " + nl("Yes, delete"))
    await ann.tap("🏠 Menu")
    assert ann.last_text == "Wat wil je doen? Tik op een knop."
    assert (await stored(local_bot, ann)).first_name == "Ann"  # nothing was deleted


async def test_the_last_organiser_who_cannot_delete_gets_a_way_back(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    await olga.tap("👤 Mijn gegevens")
    await olga.tap("🗑️ " + nl("Delete my account"))
    await olga.tap("🗑️ " + nl("Yes, delete"))
    await olga.tap("🗑️ " + nl("Yes, delete everything"))
    assert olga.last_text.startswith("Je bent de laatste organisator.")
    assert olga.inline_labels == WAY_ON
    await olga.tap("⬅️ Terug")
    assert olga.last_text.startswith("👤 Mijn gegevens")


async def test_after_the_calendar_file_back_to_the_activity(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot)
    activity = await planned_activity(local_bot, "Repair café")
    await ann.press(f"act:card:{activity.id}")
    await ann.tap("📆 In mijn agenda")
    got_files_and_a_way_on(ann)
    assert last_file(local_bot, ann)[0]["file_name"].endswith(".ics")
    await ann.tap("⬅️ Terug")
    assert ann.last_text.startswith("📅 Repair café")
    assert "📆 In mijn agenda" in ann.inline_labels


async def test_after_the_download_back_to_my_details(local_bot: LocalBot) -> None:
    ann = await signed_up(local_bot)
    await ann.tap("👤 Mijn gegevens")
    await ann.tap("📦 " + nl("Download"))
    got_files_and_a_way_on(ann, files=2)
    await ann.tap("⬅️ Terug")
    assert ann.last_text.startswith("👤 Mijn gegevens")
    await ann.tap("📦 " + nl("Download"))
    await ann.tap("🏠 Menu")
    assert ann.last_text == "Wat wil je doen? Tik op een knop."


async def test_after_the_file_of_an_activity_back_to_the_activity(local_bot: LocalBot) -> None:
    olga, _people, _activity = await full_activity(local_bot)
    await olga.tap("📄 Als bestand")
    got_files_and_a_way_on(olga)
    assert last_file(local_bot, olga)[0]["file_name"].endswith(".csv")
    await olga.tap("⬅️ Terug")
    assert olga.last_text.startswith("📅 Buurtlunch")
    assert "👥 Wie komt" in olga.inline_labels


async def test_after_the_file_of_a_month_back_to_that_month(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    await planned_activity(local_bot, starts_in=timedelta(days=1), created_by=olga)
    await olga.press("org:month:now")
    await olga.tap("▶️")
    assert olga.last_text.startswith("📈 december 2026")
    await olga.tap("📄 Als bestand")
    got_files_and_a_way_on(olga)
    await olga.tap("⬅️ Terug")
    assert olga.last_text.startswith("📈 december 2026")


async def test_after_the_members_file_back_to_members(local_bot: LocalBot) -> None:
    olga = await signed_up(local_bot, "Olga", user_id=900)
    await olga.tap("📣 Organiseren")
    await olga.tap("👥 Leden")
    await olga.tap("📄 Alle leden als bestand")
    got_files_and_a_way_on(olga)
    await olga.tap("⬅️ Terug")
    assert olga.last_text.startswith("👥 Leden")
    await olga.tap("📄 Alle leden als bestand")
    await olga.tap("🏠 Menu")
    assert olga.last_text == "Wat wil je doen? Tik op een knop."
