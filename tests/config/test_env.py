"""Settings read from the environment accept the documented spellings and fail loudly on the
rest, naming the variable, so a deployment typo stops start-up instead of being guessed at."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_list

# --- env_bool ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "True", "yes", "Yes", "on", "ON", " on "])
def test_a_switch_reads_as_on_in_any_documented_spelling(monkeypatch, raw):
    monkeypatch.setenv("TRACKER_SWITCH", raw)

    assert env_bool("TRACKER_SWITCH", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "FALSE", "no", "No", "off", "Off", " 0\n"])
def test_a_switch_reads_as_off_in_any_documented_spelling(monkeypatch, raw):
    monkeypatch.setenv("TRACKER_SWITCH", raw)

    assert env_bool("TRACKER_SWITCH", True) is False


@pytest.mark.parametrize("default", [True, False])
def test_an_unset_switch_takes_its_default(monkeypatch, default):
    monkeypatch.delenv("TRACKER_SWITCH", raising=False)

    assert env_bool("TRACKER_SWITCH", default) is default


@pytest.mark.parametrize("raw", ["maybe", "ture", "", "2"])
def test_an_unknown_switch_value_stops_start_up_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("TRACKER_SWITCH", raw)

    with pytest.raises(ImproperlyConfigured, match="TRACKER_SWITCH") as caught:
        env_bool("TRACKER_SWITCH", False)

    assert repr(raw) in str(caught.value)


# --- env_list ---------------------------------------------------------------------------------


def test_a_list_is_trimmed_and_empty_items_are_dropped(monkeypatch):
    monkeypatch.setenv("TRACKER_HOSTS", " tracker.example.org , ,api.example.org,, ")

    assert env_list("TRACKER_HOSTS", ["localhost"]) == ["tracker.example.org", "api.example.org"]


def test_an_empty_list_variable_means_no_items(monkeypatch):
    monkeypatch.setenv("TRACKER_HOSTS", "")

    assert env_list("TRACKER_HOSTS", ["localhost"]) == []


def test_an_unset_list_gives_a_copy_of_the_default(monkeypatch):
    monkeypatch.delenv("TRACKER_HOSTS", raising=False)
    default = ["localhost"]

    hosts = env_list("TRACKER_HOSTS", default)
    hosts.append("example.org")

    assert default == ["localhost"]


# --- database_from_url ------------------------------------------------------------------------


def test_a_full_database_url_is_taken_apart():
    settings = database_from_url(
        "postgres://tracker:s3cret@db.internal:6543/tracker_prod?sslmode=require"
    )

    assert settings == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "tracker_prod",
        "USER": "tracker",
        "PASSWORD": "s3cret",
        "HOST": "db.internal",
        "PORT": "6543",
        "OPTIONS": {"sslmode": "require"},
    }


def test_escaped_characters_in_the_user_and_password_are_decoded():
    settings = database_from_url("postgresql://ana%40ngo:p%40ss%3Aw%2Frd@localhost/tracker")

    assert settings["USER"] == "ana@ngo"
    assert settings["PASSWORD"] == "p@ss:w/rd"


def test_a_socket_directory_is_decoded_as_the_host():
    settings = database_from_url("postgres://postgres@%2Fvar%2Frun%2Fpostgresql/tracker")

    assert settings["HOST"] == "/var/run/postgresql"


def test_a_minimal_url_leaves_the_rest_to_libpq_defaults():
    settings = database_from_url("postgres://localhost/tracker")

    assert (settings["USER"], settings["PASSWORD"], settings["PORT"]) == ("", "", "")
    assert settings["OPTIONS"] == {}


def test_a_url_for_another_database_engine_is_refused():
    with pytest.raises(ImproperlyConfigured, match="only PostgreSQL") as caught:
        database_from_url("mysql://tracker:s3cret@localhost:3306/tracker")

    assert "DATABASE_URL" in str(caught.value)
    assert "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    "url",
    ["postgres://tracker@localhost:5432", "postgres://tracker@localhost:5432/"],
    ids=["no-path", "empty-path"],
)
def test_a_url_without_a_database_name_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="must name exactly one database"):
        database_from_url(url)


def test_errors_name_the_variable_the_url_came_from():
    with pytest.raises(ImproperlyConfigured, match="REPORTS_DATABASE_URL"):
        database_from_url("sqlite:///tracker.db", variable="REPORTS_DATABASE_URL")


def test_a_port_that_is_not_a_number_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL is not a valid URL"):
        database_from_url("postgres://tracker@localhost:fivefour/tracker")
