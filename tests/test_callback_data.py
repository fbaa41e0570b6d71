"""Callback data: made and read in one place, every argument checked, never longer than Telegram allows."""

from datetime import date

import pytest

from bot.callbacks import MAX_ID, MalformedCallback, exactly, pack, parse, pattern


def test_pack_and_parse_round_trip() -> None:
    data = pack("org", "mark", 42, 7, 0, 1)
    assert data == "org:mark:42:7:0:1"
    callback = parse(data)
    assert (callback.area, callback.action, callback.args) == ("org", "mark", (42, 7, 0, 1))
    assert parse("org:month:202612").args == (date(2026, 12, 1),)
    assert parse("plan:day:20261212").args == (date(2026, 12, 12),)


@pytest.mark.parametrize(
    "parts",
    [
        ("act", "card", "naïef"),  # not a number
        ("act", "card", 0),  # ids start at 1
        ("act", "card", MAX_ID + 1),
        ("act", "rsvp", 1),  # no such button
        ("act", "card"),  # too few arguments
        ("lang", "set", "xx"),  # a language we do not ship
    ],
)
def test_pack_refuses_a_button_the_codec_does_not_know(parts) -> None:
    with pytest.raises(ValueError):
        pack(*parts)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "act",
        "act:card",
        "act:card:1:2",
        "act::1",
        "a" * 65,
        "ω:x:1",
        "act:card:99999999999999999999",  # would overflow SQLite's integers
        "act:card:-1",
        "act:card:0x10",
        "act:list:10001",
        "org:month:999912",  # a year that makes no sense
        "org:month:000001",
        "org:month:202613",
        "plan:day:20260231",  # no such day
        "plan:weeks:0",
        "org:role:5:2",  # on/off only
        "me:toggle:everything",
        "reg:back:nowhere",
    ],
)
def test_parse_refuses_data_we_did_not_make(data) -> None:
    with pytest.raises(MalformedCallback):
        parse(data)


def test_a_handler_pattern_matches_only_data_the_codec_reads() -> None:
    card = pattern("act", "card")
    assert card("act:card:12")
    assert not card("act:card:99999999999999999999")
    assert not card("act:cards:12")
    assert not card("act:yes:12")
    assert pattern("act", "yes", "no")("act:no:3")
    back_from_name = exactly("reg", "back", "name")
    assert back_from_name("reg:back:name") and not back_from_name("reg:back:consent")
