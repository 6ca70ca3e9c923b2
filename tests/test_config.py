from pathlib import Path

import pytest

from game.config import DEFAULT_MODEL, Settings, SettingsError, load_settings


def test_defaults(tmp_path):
    settings = load_settings({"SAGDET_CONFIG": str(_write(tmp_path, ""))})
    assert settings == Settings() and settings.model == DEFAULT_MODEL == "fimster/whisper-small-sv-SE"


def _write(tmp_path, text):
    path = tmp_path / "sagdet.yaml"
    path.write_text(text)
    return path


def test_config_file_sets_the_model_and_a_local_dir_becomes_absolute(tmp_path, monkeypatch):
    (tmp_path / "ckpt").mkdir()
    monkeypatch.chdir(tmp_path)
    settings = load_settings({"SAGDET_CONFIG": str(_write(tmp_path, "model: ckpt\nround_length: 5\n"))})
    assert settings.model == str(tmp_path / "ckpt") and settings.round_length == 5


def test_environment_wins_over_the_file(tmp_path):
    config = _write(tmp_path, "model: from/file\n")
    settings = load_settings({"SAGDET_CONFIG": str(config), "SAGDET_MODEL": "from/env"})
    assert settings.model == "from/env"


def test_unknown_setting_is_an_error(tmp_path):
    with pytest.raises(SettingsError, match=r"unknown setting.*modell"):
        load_settings({"SAGDET_CONFIG": str(_write(tmp_path, "modell: x\n"))})


def test_bad_round_length(tmp_path):
    with pytest.raises(SettingsError, match="round_length"):
        load_settings({"SAGDET_CONFIG": str(_write(tmp_path, "round_length: zero\n"))})


def test_missing_config_file_named_explicitly(tmp_path):
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings({"SAGDET_CONFIG": str(tmp_path / "nope.yaml")})


def test_precision_setting(tmp_path):
    assert load_settings({"SAGDET_CONFIG": str(_write(tmp_path, ""))}).precision == "auto"
    assert load_settings({"SAGDET_CONFIG": str(_write(tmp_path, "precision: int8\n"))}).precision == "int8"
    assert load_settings({"SAGDET_CONFIG": str(_write(tmp_path, "")), "SAGDET_PRECISION": "fp32"}).precision == "fp32"
    with pytest.raises(SettingsError, match="precision must be one of auto, fp32, bf16, int8"):
        load_settings({"SAGDET_CONFIG": str(_write(tmp_path, "")), "SAGDET_PRECISION": "fp8"})


def test_threads_from_the_environment_or_the_file(tmp_path):
    assert load_settings({}).threads == 0
    assert load_settings({"SAGDET_THREADS": "1"}).threads == 1
    assert load_settings({"SAGDET_CONFIG": str(_write(tmp_path, "threads: 2\n"))}).threads == 2
    for bad in ("-1", "two", "1.5"):
        with pytest.raises(SettingsError, match="threads must be a whole number"):
            load_settings({"SAGDET_THREADS": bad})


def test_data_folder_and_database_from_the_environment_or_the_file(tmp_path):
    assert load_settings({}).data_dir == Settings().data_dir and load_settings({}).database_url == ""
    config = _write(tmp_path, "data_dir: ~/sagdet-data\ndatabase_url: postgresql+psycopg://db/decks\n")
    settings = load_settings({"SAGDET_CONFIG": str(config)})
    assert settings.data_dir == Path("~/sagdet-data").expanduser()
    assert settings.database_url == "postgresql+psycopg://db/decks"
    env = {"SAGDET_CONFIG": str(config), "SAGDET_DATA_DIR": "/data", "SAGDET_DATABASE_URL": "postgresql://x/y"}
    assert (load_settings(env).data_dir, load_settings(env).database_url) == (Path("/data"), "postgresql://x/y")


def test_results_are_kept_90_days_unless_set_and_0_keeps_none(tmp_path):
    config = str(_write(tmp_path, ""))
    assert load_settings({"SAGDET_CONFIG": config}).results_days == 90
    assert load_settings({"SAGDET_CONFIG": config, "SAGDET_RESULTS_DAYS": "0"}).results_days == 0
    with pytest.raises(SettingsError, match="results_days"):
        load_settings({"SAGDET_CONFIG": config, "SAGDET_RESULTS_DAYS": "a week"})


def test_a_stopping_replica_drains_5_seconds_unless_set(tmp_path):
    config = str(_write(tmp_path, ""))
    assert load_settings({"SAGDET_CONFIG": config}).drain_seconds == 5
    assert load_settings({"SAGDET_CONFIG": config, "SAGDET_DRAIN_SECONDS": "0"}).drain_seconds == 0
    assert load_settings({"SAGDET_CONFIG": str(_write(tmp_path, "drain_seconds: 20\n"))}).drain_seconds == 20
    with pytest.raises(SettingsError, match="drain_seconds"):
        load_settings({"SAGDET_CONFIG": config, "SAGDET_DRAIN_SECONDS": "a while"})


def test_the_models_priority_is_10_steps_below_the_page_unless_set(tmp_path):
    config = str(_write(tmp_path, ""))
    assert load_settings({"SAGDET_CONFIG": config}).model_nice == 10
    assert load_settings({"SAGDET_CONFIG": config, "SAGDET_MODEL_NICE": "0"}).model_nice == 0
    for bad in ("-5", "20", "low"):
        with pytest.raises(SettingsError, match="model_nice"):
            load_settings({"SAGDET_CONFIG": config, "SAGDET_MODEL_NICE": bad})


def test_window_setting(tmp_path):
    empty = str(_write(tmp_path, ""))
    assert load_settings({"SAGDET_CONFIG": empty}).window == "auto"
    assert load_settings({"SAGDET_CONFIG": empty, "SAGDET_WINDOW": "auto"}).window == "auto"
    assert load_settings({"SAGDET_CONFIG": str(_write(tmp_path, "window: auto\n"))}).window == "auto"
    assert load_settings({"SAGDET_CONFIG": empty, "SAGDET_WINDOW": "12"}).window == 12
    assert load_settings({"SAGDET_CONFIG": str(_write(tmp_path, "window: 30\n"))}).window == 30
    for bad in ("5", "0", "-3", "7.5", "ten"):
        with pytest.raises(SettingsError, match=r"window must be auto or a whole number of seconds from 6 "):
            load_settings({"SAGDET_CONFIG": empty, "SAGDET_WINDOW": bad})
