"""Settings: defaults, then an optional YAML file, then environment variables (which win).

SAGDET_MODEL   Whisper checkpoint: a hub id or a local directory
SAGDET_PRECISION  auto / fp32 / bf16 / int8 for the speech model (auto: bf16 where the CPU has it)
SAGDET_DECKS   folder of deck files
SAGDET_WINDOW  seconds of audio the speech model hears at once (auto, the default: 10 for a stock 30 s checkpoint,
               a checkpoint's own window when it was trained on a shorter one; see game/speech/window.py)
SAGDET_SPEECH_URL    a transcription engine speaking OpenAI's audio API (vLLM: http://HOST:PORT/v1); unset: the
                     model runs in this process (game/speech/engine.py)
SAGDET_SPEECH_MODEL  the model the engine serves (default: SAGDET_MODEL)
SAGDET_SPEECH_KEY    the engine's API key, if it wants one: from the environment only, never a file
SAGDET_THREADS CPU threads for the speech model (0: torch's choice, one per core)
SAGDET_MODEL_NICE  how much lower the speech model's CPU priority is than the page's (default 10; 0: the same)
SAGDET_CONFIG  settings file (default: sagdet.yaml beside app.py, if present)
SAGDET_DATA_DIR      folder for what must survive a restart: published decks (on a Space: /data, if persistent)
SAGDET_DATABASE_URL  PostgreSQL for several replicas (postgresql+psycopg://...); unset: SQLite in SAGDET_DATA_DIR
SAGDET_RESULTS_DAYS  days the class's answers on shared decks are kept (default 90; 0: none are kept)
SAGDET_UPLOADS_MB    disk for teachers' uploads and editor files, all sessions together (default 2048)
SAGDET_DECK_CACHE_MB disk for shared decks unpacked to be played (default 1024; a deck in play is kept)
SAGDET_PROXIES reverse proxies in front of the app that add X-Forwarded-For (default: 1 on a Space, else 0)
SAGDET_BROWSER_SECRET  the key for what the page keeps in learners' browsers (unset: made once in SAGDET_DATA_DIR)
SAGDET_DRAIN_SECONDS   after SIGTERM, seconds the replica still serves while GET /health answers 503, so a load
                       balancer takes it out first (default 5; 0: stop at once; game/shutdown.py)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PRECISIONS = ("auto", "fp32", "bf16", "int8")
DEFAULT_MODEL = "fimster/whisper-small-sv-SE"
DEFAULT_CONFIG = ROOT / "sagdet.yaml"


@dataclass(frozen=True)
class Settings:
    model: str = DEFAULT_MODEL
    precision: str = "auto"
    speech_url: str = ""  # empty: the model runs in this process
    speech_model: str = ""  # empty: the same name as `model`
    window: int | str = "auto"  # seconds, or auto: game.speech.window's default for the checkpoint
    decks: Path = ROOT / "assets" / "decks"
    round_length: int = 10
    threads: int = 0
    model_nice: int = 10  # typed answers and moves get the cores first while the model hears (Linux)
    data_dir: Path = ROOT / "data"
    database_url: str = ""  # empty: a SQLite file in data_dir
    proxies: int | None = None  # None: 1 on a Hugging Face Space (its proxy), 0 elsewhere
    browser_secret: str = ""  # empty: game.ui.browser_secret keeps one in data_dir
    results_days: int = 90  # the class's answers on shared decks are removed after this; 0: not kept at all
    drain_seconds: int = 5  # after SIGTERM: /health says 503 and the replica serves on this long, then stops
    uploads_mb: int = 2048  # teachers' uploads and editor files on the disk, every session together
    deck_cache_mb: int = 1024  # shared decks unpacked to be played; the least recently opened go first


class SettingsError(ValueError):
    pass


ENV = {"model": "SAGDET_MODEL", "precision": "SAGDET_PRECISION", "decks": "SAGDET_DECKS", "threads": "SAGDET_THREADS"}
ENV |= {"window": "SAGDET_WINDOW", "speech_url": "SAGDET_SPEECH_URL", "speech_model": "SAGDET_SPEECH_MODEL"}
ENV |= {"data_dir": "SAGDET_DATA_DIR", "database_url": "SAGDET_DATABASE_URL", "proxies": "SAGDET_PROXIES"}
ENV["browser_secret"] = "SAGDET_BROWSER_SECRET"
ENV |= {"results_days": "SAGDET_RESULTS_DAYS", "model_nice": "SAGDET_MODEL_NICE"}
ENV["drain_seconds"] = "SAGDET_DRAIN_SECONDS"
ENV |= {"uploads_mb": "SAGDET_UPLOADS_MB", "deck_cache_mb": "SAGDET_DECK_CACHE_MB"}


def load_settings(env: Mapping[str, str] = os.environ) -> Settings:
    settings = Settings()
    config_path = Path(env["SAGDET_CONFIG"]) if env.get("SAGDET_CONFIG") else DEFAULT_CONFIG
    if env.get("SAGDET_CONFIG") or config_path.is_file():
        settings = replace(settings, **_read_config(config_path))
    overrides = {name: env[var] for name, var in ENV.items() if env.get(var)}
    settings = replace(settings, **_typed(overrides, "environment"))
    return settings


def read_yaml_mapping(path: Path, error: type[Exception] = SettingsError) -> dict:
    """A YAML file of `key: value` lines, or `error` saying what is wrong with it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise error(f"{path}: expected `key: value` lines")
    return data


def _read_config(path: Path) -> dict:
    data = read_yaml_mapping(path)
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingsError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return _typed(data, str(path))


def _typed(values: Mapping, source: str) -> dict:
    out = {}
    for name, value in values.items():
        if name in ("decks", "data_dir"):
            out[name] = Path(str(value)).expanduser()
        elif name in ("database_url", "browser_secret", "speech_model"):
            out[name] = str(value)
        elif name == "speech_url":
            if not str(value).startswith(("http://", "https://")):
                raise SettingsError(f"{source}: speech_url must start with http:// or https://, not {value!r}")
            out[name] = str(value)
        elif name == "precision":
            if str(value) not in PRECISIONS:
                raise SettingsError(f"{source}: precision must be one of {', '.join(PRECISIONS)}, not {value!r}")
            out[name] = str(value)
        elif name == "window":
            out[name] = _window(value, source)
        elif name == "round_length":
            if not isinstance(value, int) or value < 1:
                raise SettingsError(f"{source}: round_length must be a whole number ≥ 1, not {value!r}")
            out[name] = value
        elif name in (
            "threads",
            "proxies",
            "results_days",
            "model_nice",
            "drain_seconds",
            "uploads_mb",
            "deck_cache_mb",
        ):
            if not str(value).isdigit():  # the environment gives text, the YAML file a number
                raise SettingsError(f"{source}: {name} must be a whole number ≥ 0, not {value!r}")
            if name == "model_nice" and int(value) > 19:  # Linux's lowest priority is 19 steps down
                raise SettingsError(f"{source}: model_nice must be from 0 to 19, not {value!r}")
            out[name] = int(value)
        else:
            out[name] = resolve_model(str(value))
    return out


def _window(value, source: str) -> int | str:
    from game.speech.window import MIN_SECONDS

    if str(value).strip().lower() == "auto":
        return "auto"
    if not str(value).strip().isdigit() or int(value) < MIN_SECONDS:
        raise SettingsError(
            f"{source}: window must be auto or a whole number of seconds from {MIN_SECONDS} "
            f"(the longest answer said slowly) up to the checkpoint's own (30 for published ones), not {value!r}"
        )
    return int(value)


def resolve_model(value: str) -> str:
    """A local directory becomes an absolute path; anything else is taken as a hub id."""
    expanded = Path(value).expanduser()
    if expanded.is_dir():
        return str(expanded.resolve())
    return value
