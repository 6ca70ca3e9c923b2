"""The page as built, without a server: what a learner or teacher sees on arrival."""

import shutil

import gradio as gr

from game.config import ROOT, Settings
from game.ui import build_app


def component(demo: gr.Blocks, elem_id: str):
    return next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == elem_id)


def test_a_broken_deck_is_shown_and_the_rest_still_play(tmp_path, tiny_model_dir):
    shutil.copy(ROOT / "assets" / "decks" / "vardag.yaml", tmp_path / "vardag.yaml")
    shutil.copytree(ROOT / "assets" / "decks" / "vardag", tmp_path / "vardag")
    (tmp_path / "trasig.yaml").write_text("title: Trasig\ncards: []\n")
    demo = build_app(Settings(model=str(tiny_model_dir), decks=tmp_path))
    problems = component(demo, "deck-problems")
    assert problems.visible and f"{tmp_path}/trasig.yaml:2: the deck has no cards" in problems.value
    deck = component(demo, "deck")
    assert [value for _, value in deck.choices] == ["vardag"] and deck.value == "vardag"


def test_no_playable_deck_disables_start(tmp_path, tiny_model_dir):
    demo = build_app(Settings(model=str(tiny_model_dir), decks=tmp_path))
    assert component(demo, "start-btn").interactive is False
