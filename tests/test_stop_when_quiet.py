"""When the microphone stops by itself (game/ui/stop_when_quiet.js): its decision, run by Node on
made-up levels, one a frame as the page reads them. The page around it: test_browser.py."""

from __future__ import annotations

import json
import subprocess
from types import SimpleNamespace

import pytest
from conftest import require_program

from game.config import ROOT

SCRIPT = ROOT / "game" / "ui" / "stop_when_quiet.js"
# Feeds the levels (dBFS), a frame apart, and prints when the recording would stop (null: not yet).
FEED = """
const vad = require(process.argv[1]);
const done = vad.quietDetector(0);
const stop = JSON.parse(process.argv[2]).findIndex((level, i) => done(level, (i + 1) * vad.FRAME_MS));
console.log(JSON.stringify({ ...vad, stop: stop < 0 ? null : (stop + 1) * vad.FRAME_MS }));
"""
SILENCE, ROOM, LOUDER_ROOM, VOICE = -100, -65, -53, -25  # a voice near the microphone


def feed(levels: list[float]) -> SimpleNamespace:
    run = subprocess.run(["node", "-e", FEED, str(SCRIPT), json.dumps(levels)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return SimpleNamespace(**json.loads(run.stdout))


@pytest.fixture(scope="module")
def vad() -> SimpleNamespace:
    require_program("node", "nodejs")
    return feed([])


def stops_at(vad, *sounds: tuple[float, int]) -> int | None:
    """`sounds`: (level, milliseconds) one after the other."""
    return feed([level for level, ms in sounds for _ in range(ms // vad.FRAME_MS)]).stop


def test_the_recording_stops_soon_after_the_word(vad):
    word_ends = 300 + 500
    stop = stops_at(vad, (ROOM, 300), (VOICE, 500), (ROOM, 5000))
    assert word_ends + vad.QUIET_AFTER_SPEECH_MS <= stop <= word_ends + vad.QUIET_AFTER_SPEECH_MS + vad.FRAME_MS


def test_a_word_from_the_first_moment_counts(vad):
    stop = stops_at(vad, (VOICE, 500), (SILENCE, 5000))
    assert stop <= 500 + vad.QUIET_AFTER_SPEECH_MS + vad.FRAME_MS


def test_a_pause_inside_the_answer_does_not_end_it(vad):
    """ "en … hund": a pause shorter than the quiet that ends an answer."""
    pause = vad.QUIET_AFTER_SPEECH_MS - 4 * vad.FRAME_MS
    second_word_ends = 300 + pause + 400
    stop = stops_at(vad, (VOICE, 300), (ROOM, pause), (VOICE, 400), (ROOM, 5000))
    assert stop >= second_word_ends + vad.QUIET_AFTER_SPEECH_MS


def test_saying_nothing_stops_at_the_time_limit(vad):
    assert stops_at(vad, (ROOM, vad.NOTHING_SAID_MS + 2000)) == vad.NOTHING_SAID_MS
    assert stops_at(vad, (SILENCE, vad.NOTHING_SAID_MS + 2000)) == vad.NOTHING_SAID_MS


def test_a_tap_on_the_screen_is_not_speech(vad):
    tap = vad.SPEECH_START_MS - vad.FRAME_MS
    assert stops_at(vad, (VOICE, tap), (ROOM, vad.NOTHING_SAID_MS + 2000)) == vad.NOTHING_SAID_MS


def test_a_room_getting_louder_is_not_speech_and_a_word_in_it_still_is(vad):
    assert stops_at(vad, (ROOM, 300), (LOUDER_ROOM, vad.NOTHING_SAID_MS + 2000)) == vad.NOTHING_SAID_MS
    word_ends = 300 + 3000 + 500
    stop = stops_at(vad, (ROOM, 300), (LOUDER_ROOM, 3000), (VOICE, 500), (LOUDER_ROOM, 5000))
    assert word_ends + vad.QUIET_AFTER_SPEECH_MS <= stop <= word_ends + vad.QUIET_AFTER_SPEECH_MS + vad.FRAME_MS


def test_talking_on_is_cut_where_the_server_stops_listening(vad):
    from game.speech.audio import MAX_SECONDS

    assert vad.LONGEST_RECORDING_MS == MAX_SECONDS * 1000
    assert stops_at(vad, (VOICE, vad.LONGEST_RECORDING_MS + 2000)) == vad.LONGEST_RECORDING_MS
