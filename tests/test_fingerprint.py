"""The trained test model is reused only while everything that produces it is the same, and the
machine's cache keeps what was made whole and never a half."""

import os
import shutil
import time

import pytest
from conftest import ROOT, made_once, training_fingerprint


def speech_set(folder, word="hund"):
    (folder / "clips").mkdir(parents=True)
    (folder / "clips" / "a.wav").write_bytes(b"RIFF....")
    (folder / "train.jsonl").write_text(f'{{"audio": "clips/a.wav", "sentence": "{word}"}}\n')
    return folder


def test_the_same_speech_anywhere_gives_the_same_fingerprint():
    # One folder sorts before the training code's path, one after: the order of reading must not change.
    before, after = ROOT / ".fingerprint-test-a", ROOT / "zz-fingerprint-test"
    try:
        assert training_fingerprint(speech_set(before)) == training_fingerprint(speech_set(after))
    finally:
        shutil.rmtree(before, ignore_errors=True)
        shutil.rmtree(after, ignore_errors=True)


def test_other_speech_gives_another_fingerprint(tmp_path):
    assert training_fingerprint(speech_set(tmp_path / "a")) != training_fingerprint(speech_set(tmp_path / "b", "katt"))


def make_counted(made: list):
    def make(folder):
        made.append(folder.name)
        folder.mkdir()
        (folder / "model.bin").write_text("weights")

    return make


def test_made_once_and_then_found(tmp_path):
    made = []
    first = made_once(tmp_path, "abc", make_counted(made))
    assert made_once(tmp_path, "abc", make_counted(made)) == first == tmp_path / "abc"
    assert made == ["abc.partial"] and (first / "model.bin").read_text() == "weights"


def test_what_a_killed_run_left_half_made_is_cleared_and_made_again(tmp_path):
    (tmp_path / "abc.partial").mkdir()
    (tmp_path / "abc.partial" / "model.bin").write_text("half")

    def killed(folder):
        folder.mkdir()
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        made_once(tmp_path, "def", killed)
    assert not (tmp_path / "def").exists()  # no key for a half
    assert (made_once(tmp_path, "def", make_counted([])) / "model.bin").read_text() == "weights"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["def", "making.lock"]


def test_other_keys_go_only_beyond_three_and_after_a_day_unused(tmp_path):
    now = time.time()
    ages = {"a": 5, "b": 4, "c": 3, "d": 2, "e": 0.001, "f": 0.002}  # days since last used
    for name, days in ages.items():
        (tmp_path / name).mkdir()
        os.utime(tmp_path / name, (now - days * 86400, now - days * 86400))
    made_once(tmp_path, "new", make_counted([]))
    # Kept: the three most recently used (e, f, d); c, b and a, beyond them and unused for days, are gone.
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["d", "e", "f", "new"]

    for name in ("g", "h", "i", "j"):
        (tmp_path / name).mkdir()  # in use now, by clones on other branches
    made_once(tmp_path, "newer", make_counted([]))
    assert {"g", "h", "i", "j", "new"} <= {p.name for p in tmp_path.iterdir()}
