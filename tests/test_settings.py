"""Settings: defaults, the .env file, and one clear line for each mistake."""

from pathlib import Path

import pytest

from bot.config import SettingError, load_settings

TOKEN = "123456:abc-DEF_ghi"


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings({"BOT_TOKEN": TOKEN}, env_file=tmp_path / "none")
    assert settings.api_base_url == "https://api.telegram.org"
    assert settings.db_path == Path("wijkbot.db")
    assert settings.organiser_ids == frozenset()
    assert str(settings.timezone) == "Europe/Amsterdam"
    assert settings.default_language == "nl"
    assert settings.approval == "auto"
    assert settings.neighbourhoods == ()
    assert (settings.post_days, settings.digest_day, settings.digest_time.isoformat(), settings.timebank) == (
        30,
        0,
        "09:00:00",
        True,
    )


def test_help_and_services_settings(tmp_path: Path) -> None:
    environ = {
        "BOT_TOKEN": TOKEN,
        "WIJKBOT_POST_DAYS": "14",
        "WIJKBOT_DIGEST_DAY": "Friday",
        "WIJKBOT_DIGEST_TIME": "7:30",
        "WIJKBOT_TIMEBANK": "off",
    }
    settings = load_settings(environ, env_file=tmp_path / "none")
    assert (settings.post_days, settings.digest_day, settings.digest_time.isoformat(), settings.timebank) == (
        14,
        4,
        "07:30:00",
        False,
    )


def test_the_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"# wijkbot\nBOT_TOKEN={TOKEN}\nORGANISER_IDS='11, 12'\n"
        "TELEGRAM_API_BASE_URL=http://127.0.0.1:8081/\nWIJKBOT_TIMEZONE=UTC\n"
        "WIJKBOT_APPROVAL=organiser\nWIJKBOT_NEIGHBOURHOODS=Centrum, De Hoogte ,,Noord\n"
    )
    settings = load_settings({"WIJKBOT_TIMEZONE": "Europe/Brussels"}, env_file=env_file)
    assert settings.bot_token == TOKEN
    assert settings.organiser_ids == frozenset({11, 12})
    assert settings.api_base_url == "http://127.0.0.1:8081"
    assert str(settings.timezone) == "Europe/Brussels"
    assert settings.approval == "organiser"
    assert settings.neighbourhoods == ("Centrum", "De Hoogte", "Noord")


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "not a token"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": TOKEN, "ORGANISER_IDS": "12,olga"}, "ORGANISER_IDS"),
        ({"BOT_TOKEN": TOKEN, "ORGANISER_IDS": "١٢"}, "ORGANISER_IDS"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_TIMEZONE": "Mars/Olympus"}, "WIJKBOT_TIMEZONE"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_DEFAULT_LANGUAGE": "de"}, "WIJKBOT_DEFAULT_LANGUAGE"),
        ({"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "api.telegram.org"}, "TELEGRAM_API_BASE_URL"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_DB": "/no/such/folder/w.db"}, "WIJKBOT_DB"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_DB": "."}, "WIJKBOT_DB"),  # a folder, not a file
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_APPROVAL": "yes"}, "WIJKBOT_APPROVAL"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_NEIGHBOURHOODS": "Noord,Noord"}, "WIJKBOT_NEIGHBOURHOODS"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_NEIGHBOURHOODS": "x" * 41}, "WIJKBOT_NEIGHBOURHOODS"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_POST_DAYS": "3"}, "WIJKBOT_POST_DAYS"),  # the keep reminder needs 3 days
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_DIGEST_DAY": "maandag"}, "WIJKBOT_DIGEST_DAY"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_DIGEST_TIME": "24:00"}, "WIJKBOT_DIGEST_TIME"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_TIMEBANK": "yes"}, "WIJKBOT_TIMEBANK"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_IBAN": "NL91ABNA0417164301", "WIJKBOT_IBAN_NAME": "Wijk"}, "WIJKBOT_IBAN"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_IBAN": "NL91ABNA0417164300"}, "WIJKBOT_IBAN_NAME"),  # whose account?
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_SHARE_PRICE": "0"}, "WIJKBOT_SHARE_PRICE"),
        ({"BOT_TOKEN": TOKEN, "WIJKBOT_SHARE_PRICE": "tien"}, "WIJKBOT_SHARE_PRICE"),
    ],
)
def test_a_wrong_setting_is_named_in_one_line(tmp_path: Path, environ: dict, named: str) -> None:
    with pytest.raises(SettingError) as caught:
        load_settings(environ, env_file=tmp_path / "none")
    assert caught.value.name == named
    assert str(caught.value).startswith(f"{named}: ")
    assert "\n" not in str(caught.value)


def test_a_broken_env_file_is_named(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("BOT_TOKEN\n")
    with pytest.raises(SettingError, match=r"\.env: line 1"):
        load_settings({}, env_file=env_file)


def test_the_demo_reads_neither_the_telegram_settings_nor_the_real_database(tmp_path: Path) -> None:
    environ = {
        "BOT_TOKEN": "not a token",
        "TELEGRAM_API_BASE_URL": "nowhere",
        "WIJKBOT_DB": "/no/such/folder/w.db",
        "WIJKBOT_TIMEZONE": "UTC",
    }
    settings = load_settings(environ, env_file=tmp_path / "none", demo_db=str(tmp_path / "demo.db"))
    assert settings.db_path == tmp_path / "demo.db"
    assert settings.bot_token == ""
    assert settings.api_base_url == "https://api.telegram.org"
    assert str(settings.timezone) == "UTC"


@pytest.mark.parametrize("demo_db", ["/no/such/folder/demo.db", "."])
def test_a_wrong_demo_database_names_the_option(tmp_path: Path, demo_db: str) -> None:
    with pytest.raises(SettingError) as caught:
        load_settings({}, env_file=tmp_path / "none", demo_db=demo_db)
    assert caught.value.name == "--db"
    assert "\n" not in str(caught.value)


def test_payments_are_set_with_a_checked_iban(tmp_path: Path) -> None:
    environ = {"BOT_TOKEN": TOKEN, "WIJKBOT_IBAN": "nl91 abna 0417 1643 00", "WIJKBOT_IBAN_NAME": "Wijkcoöperatie"}
    settings = load_settings(environ | {"WIJKBOT_SHARE_PRICE": "25,50"}, env_file=tmp_path / "none")
    assert (settings.iban, settings.iban_name, settings.share_price_cents) == (
        "NL91ABNA0417164300",
        "Wijkcoöperatie",
        2550,
    )
    assert load_settings({"BOT_TOKEN": TOKEN}, env_file=tmp_path / "none").iban is None  # no payments asked
