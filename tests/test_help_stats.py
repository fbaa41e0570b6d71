"""The month's figures of help and services: hours count in the month they were given, corrections included."""

from datetime import datetime

from bot.exports import spreadsheet
from bot.telegram_emulation.local_bot import LocalBot
from storage import help_stats, hours, posts, talks
from storage.posts import HELPED
from tests.conftest import Clock
from tests.journeys import database, member_id, signed_up
from tests.test_help_news import published

NOVEMBER = (datetime.fromisoformat("2026-11-01T00:00+01:00"), datetime.fromisoformat("2026-12-01T00:00+01:00"))
DECEMBER = (datetime.fromisoformat("2026-12-01T00:00+01:00"), datetime.fromisoformat("2027-01-01T00:00+01:00"))


async def test_a_correction_in_a_later_month_changes_the_month_the_hours_were_given(
    local_bot: LocalBot, clock: Clock
) -> None:
    ann = await signed_up(local_bot, "Ann", user_id=1, language="English")
    ben = await signed_up(local_bot, "Ben", user_id=2, language="English")
    olga = await signed_up(local_bot, "Olga", user_id=900, language="English")
    db = database(local_bot)
    ann_id, ben_id, olga_id = [await member_id(local_bot, person) for person in (ann, ben, olga)]
    lawn = await published(local_bot, ann, "Who can mow my lawn?")
    talks.react(db, lawn.id, ben_id, "I have a mower.", clock.now)
    posts.end(db, lawn.id, ann_id, HELPED, ben_id, clock.now)
    _answer, given = hours.for_post(db, lawn.id, ann_id, 4, clock.now)  # 2 hours in November
    assert given is not None

    clock.advance(days=10)  # December: an organiser makes it 1 hour
    hours.correct(db, given.id, olga_id, 2, clock.now)

    assert (await help_stats.month_figures(db, *NOVEMBER)).halves == 2
    assert (await help_stats.month_figures(db, *DECEMBER)).halves == 0  # never a negative month


def test_a_file_for_excel_keeps_text_that_looks_like_a_formula_as_text_but_numbers_as_numbers() -> None:
    rows = spreadsheet([["=SUM(A1)", "-3 hours", -3, 1.5]]).decode("utf-8-sig").strip()
    assert rows.split(";") == ["'=SUM(A1)", "'-3 hours", "-3", "1.5"]
