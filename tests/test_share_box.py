"""Sharing is one deck for its life: the first share makes the class code, the next ones update that
deck, and only "Share as a new deck" makes another code — through the share box's own handlers,
against the real deck store."""

from __future__ import annotations

import warnings

from deck_files import small_deck_zip
from test_ui import component

from app import build_app
from game.config import Settings
from game.decks import uploads
from game.decks.session_files import SessionFiles
from game.texts import say


def handlers(demo, name: str) -> list:
    """Every event handler of that name, in the order the page wired them."""
    return [f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == name]


def deck_upload(tmp_path, words) -> uploads.Upload:
    folder = tmp_path / "in"
    folder.mkdir(parents=True)
    received = uploads.receive([small_deck_zip(folder, words=words)], SessionFiles(tmp_path / "uploads"), None)
    assert received.deck is not None
    return received


def by_id(demo, result: dict) -> dict:
    return {getattr(block, "elem_id", None): value for block, value in result.items()}


def quietly(handler, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gr.Warning outside an event is a Python warning
        return handler(*args)


def test_sharing_again_updates_the_same_deck_and_a_copy_is_asked_for(tmp_path, tiny_model_dir):
    demo = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))
    share, copy = handlers(demo, "on_share")  # "Share with the class", then "Share as a new deck"
    reword = handlers(demo, "reword")[0]  # the teacher typed a code or a key
    base = "http://localhost:7860/"
    three = deck_upload(tmp_path, None)
    first = by_id(demo, share(three, "", "", "sv", base))
    code, key = first["edit-code"], first["edit-key"]
    assert len(code) == 6 and key and code in first["share"].replace(" ", "")

    # The button now names the deck it updates, and the copy button shows.
    button = by_id(demo, reword("sv", code, key))
    assert button["publish-btn"]["value"] == say("sv", "publish_update", code=f"{code[:3]} {code[3:]}")
    assert button["publish-copy-btn"]["visible"] is True
    assert by_id(demo, reword("sv", "", ""))["publish-copy-btn"]["visible"] is False

    two = deck_upload(tmp_path / "v2", [("hund", "hund.png", "dog"), ("katt", "katt.png", "cat")])
    again = by_id(demo, share(two, code, key, "sv", base))
    assert set(again) == {"share"}, "an update keeps the code, the key and the edit link as they are"
    assert "Uppdaterad" in again["share"] and f"?deck={code}" in again["share"]
    copied = by_id(demo, copy(two, code, key, "sv", base))
    assert copied["edit-code"] != code and copied["edit-key"] != key
    assert code.replace(" ", "") in copied["share"].replace(" ", "")  # says the earlier deck stays
    assert say("sv", "copied", old=f"{code[:3]} {code[3:]}") in copied["share"]


def test_a_new_upload_leaves_what_was_shared_on_screen(tmp_path, tiny_model_dir):
    demo = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))
    (on_upload,) = handlers(demo, "on_upload")
    shown = on_upload([str(small_deck_zip(tmp_path))], None, "sv")
    assert component(demo, "share") not in shown and component(demo, "edit-link") not in shown


def test_a_wrong_key_leaves_the_shared_deck_on_screen(tmp_path, tiny_model_dir):
    demo = build_app(Settings(model=str(tiny_model_dir), data_dir=tmp_path / "data"))
    share, _ = handlers(demo, "on_share")
    three = deck_upload(tmp_path, None)
    first = by_id(demo, share(three, "", "", "sv", "http://localhost/"))
    result = quietly(share, three, first["edit-code"], "not-the-key", "sv", "http://localhost/")
    assert result == {"__type__": "update"}  # gr.skip(): the code and link on screen stay
