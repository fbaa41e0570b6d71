"""Callback data: made and read in one place, never longer than Telegram allows."""

import pytest

from bot.callbacks import MalformedCallback, pack, parse, pattern


def test_pack_and_parse_round_trip() -> None:
    data = pack("act", "rsvp", 42, "yes")
    assert data == "act:rsvp:42:yes"
    callback = parse(data, args=2)
    assert (callback.area, callback.action, callback.int_arg(0), callback.args[1]) == ("act", "rsvp", 42, "yes")


@pytest.mark.parametrize("parts", [("a" * 30, "b" * 30, "c" * 10), ("act", "rsvp", "naïef"), ("act", "x:y")])
def test_pack_refuses_what_telegram_would_refuse(parts) -> None:
    with pytest.raises(ValueError):
        pack(*parts)


@pytest.mark.parametrize("data", [None, "", "act", "act:rsvp", "act:rsvp:1:2", "act::1", "a" * 65, "ω:x:1"])
def test_parse_refuses_data_we_did_not_make(data) -> None:
    with pytest.raises(MalformedCallback):
        parse(data, args=1)


def test_a_number_argument_must_be_a_number() -> None:
    with pytest.raises(MalformedCallback):
        parse("act:rsvp:abc", args=1).int_arg(0)


def test_the_pattern_matches_one_area_and_action() -> None:
    import re

    assert re.match(pattern("lang", "set"), "lang:set:nl")
    assert not re.match(pattern("lang", "set"), "lang:settings:nl")
