"""The trained test model is reused only while everything that produces it is the same."""

import shutil

from conftest import ROOT, training_fingerprint


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
