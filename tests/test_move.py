"""A learner's moves through the plain-Python layer the UI calls."""

import random
from datetime import date

import numpy as np
import pytest

from game.config import ROOT
from game.decks.deck import load_deck
from game.results.answers import Player
from game.round import hints, move, rounds
from game.round.progress import Progress
from game.round.rounds import start_round
from game.speech.listener import Listener
from game.speech.loading import BackgroundModel
from game.speech.pronounce import Pronouncer

DECK = load_deck(ROOT / "assets" / "decks" / "vardag.yaml")


def new_round(length=3):
    return start_round(DECK, length, random.Random(0))


def test_typed_right_answer():
    game = new_round()
    word = game.current.word
    after, html = move.answer_text(game, word.upper() + "!")
    assert after.score == 1 and after.answered
    assert "Rätt!" in html and word in html


def test_typed_almost_shows_highlighted_spelling():
    game = start_round(DECK, order=[[card.word for card in DECK.cards].index("äpple")])
    _after, html = move.answer_text(game, "apple")
    assert "Nästan!" in html and "<mark>ä</mark>pple" in html and "<mark>a</mark>pple" in html
    assert "kommer tillbaka" in html


def test_a_skipped_card_stays_on_screen_with_its_verdict_until_next():
    game = new_round()
    card = game.current
    after, html = move.skip_card(game)
    assert after.current == card and after.answered and card.word in html and "hoppade över" in html
    assert move.answer_text(after, card.word)[0] == after  # no answer to a skipped card
    assert rounds.next_card(after).current != card


def test_typed_wrong_answer_names_the_word():
    game = new_round()
    _after, html = move.answer_text(game, "xyzzy")
    assert "Inte riktigt" in html and game.current.word in html and "xyzzy" in html


@pytest.mark.parametrize("spoken", [False, True])
def test_the_verdict_on_screen_is_said_again_in_the_other_language(spoken):
    """Switching language mid-verdict: the same verdict, worded in English, spoken or typed as it was."""
    game = start_round(DECK, order=[[card.word for card in DECK.cards].index("äpple")])
    after, swedish = move.answer_text(game, "apple", spoken=spoken)
    assert move.verdict_again(after, "sv") == swedish
    english = move.verdict_again(after, "en")
    _, expected = move.answer_text(game, "apple", spoken=spoken, lang="en")
    assert english == expected and "Almost!" in english and "Nästan" not in english
    skipped, _ = move.skip_card(game)
    assert "skipped" in move.verdict_again(skipped, "en")
    assert move.verdict_again(game, "en") == "" and move.verdict_again(None, "en") == ""  # no verdict yet


def test_empty_typed_answer_asks_again_and_loses_nothing():
    game = new_round()
    after, html = move.answer_text(game, "   ")
    assert after == game and "Skriv ordet" in html


def test_a_huge_typed_answer_is_neither_judged_nor_kept():
    game = start_round(DECK, order=[0, 1])
    who = Player(code=DECK.id, learner="Alva", named=True, round="r1")
    done = move.play_typed(game, "hund" * 1_250_000, Progress(), TODAY, "sv", who)
    assert done.after == game and done.answers == () and done.learner == Progress()
    assert "för långt (högst 160 tecken)" in done.message
    longest = move.play_typed(game, game.current.word.ljust(move.MAX_TYPED_CHARS), Progress(), TODAY, "sv", who)
    assert longest.answers and longest.answers[0].outcome == "right"  # up to the bound it is an answer


def test_html_is_escaped():
    game = new_round()
    _, html = move.answer_text(game, "<script>alert(1)</script>")
    assert "<script>" not in html


def test_recording_of_silence_keeps_the_card(tiny_model_dir):
    model = BackgroundModel(str(tiny_model_dir))
    model.wait(60)
    game = new_round()
    after, html = move.answer_recording(game, (48000, np.zeros(48000, dtype=np.int16)), Listener(model, ["hund"]))
    assert after == game and "Jag hörde inget" in html


def test_recording_is_transcribed_and_judged(tiny_model_dir):
    model = BackgroundModel(str(tiny_model_dir))
    model.wait(60)
    listener = Listener(model, [a for c in DECK.cards for a in c.answers])
    game = new_round()
    t = np.arange(48000) / 48000
    speechlike = (np.sin(2 * np.pi * 180 * t) * 12000).astype(np.int16)
    after, html = move.answer_recording(game, (48000, speechlike), listener)
    assert after.answered and after.attempts[-1].heard == listener.hear((48000, speechlike))
    assert html


def test_recording_without_a_model_keeps_the_card(tmp_path):
    model = BackgroundModel(str(tmp_path / "missing"))
    model.wait(60)
    game = new_round()
    tone = (np.sin(np.arange(16000) / 5) * 10000).astype(np.int16)
    after, html = move.answer_recording(game, (16000, tone), Listener(model, ["hund"]))
    assert after == game and "Taligenkänningen fungerar inte just nu" in html and "missing" not in html
    _, html = move.answer_recording(game, (16000, tone), Listener(model, ["hund"]), lang="en")
    assert "Speech recognition is not available right now" in html


def test_check_answer_is_stateless(tiny_model_dir):
    model = BackgroundModel(str(tiny_model_dir))
    model.wait(60)
    listener = Listener(model, ["hund"])
    result = move.check_answer((16000, np.zeros(16000, dtype=np.float32)), "hund", listener, {})
    assert result["verdict"] == "nothing_heard" and "Jag hörde inget" in result["message"]


class Heard:
    """A listener that heard these texts, one per call; it keeps the words it was asked to listen for."""

    def __init__(self, *texts: str):
        self.texts, self.asked = list(texts), []

    def hear(self, recording, answers, wait):
        self.asked.append(tuple(answers))
        return self.texts.pop(0)


def test_check_answer_with_articles_judges_noun_and_article_apart():
    listener = Heard("Ett äpple.", "ett hund", "vovve")
    results = [
        move.check_answer(None, word, listener, {"hund": ("vovve",)}) for word in ("ett äpple", "en hund", "hund")
    ]
    assert [(r["verdict"], r["article"]) for r in results] == [
        ("right", {"said": "ett", "expected": "ett", "right": True}),
        ("almost", {"said": "ett", "expected": "en", "right": False}),
        ("right", None),  # no article asked for: none judged
    ]
    assert listener.asked == [("ett äpple",), ("en hund", "vovve"), ("hund", "vovve")]


@pytest.mark.parametrize("word", ["", "   ", None, "hund " * 40, "x" * 10_000, "en stor brun hund"])
def test_a_word_no_deck_could_hold_is_refused_before_listening(word):
    with pytest.raises(move.BadWord):
        move.asked_word(word)


def test_a_word_is_tidied_before_it_is_checked():
    assert move.asked_word("  en   hund ") == "en hund"


def test_a_card_missed_twice_is_still_said_to_come_back():
    game = new_round()
    card = game.current
    missed, html = move.answer_text(game, "xyzzy")
    assert "kommer tillbaka" in html
    again, html = move.answer_text(rounds.try_again(missed), "xyzzy")
    assert card in [again.cards[i] for i in again.queue[1:]] and "kommer tillbaka" in html
    _, html = move.skip_card(rounds.try_again(again))
    assert "Det kommer tillbaka" in html


TODAY = date(2026, 12, 7)


def test_one_move_decides_the_round_the_message_the_progress_and_the_class_answers():
    game = start_round(DECK, order=[0, 1])
    word = game.current.word
    who = Player(code=DECK.id, learner="Alva", named=True, round="r1")

    done = move.play_typed(game, word, Progress(), TODAY, "sv", who)

    assert done.before == game and done.after.answered and "Rätt!" in done.message
    assert done.learner_before == Progress() and done.learner.xp > 0  # the right answer is scored
    assert [(a.learner, a.word, a.outcome) for a in done.answers] == [("Alva", word, "right")]


def test_a_move_gives_the_class_nothing_off_the_shared_deck_or_when_nothing_was_answered():
    game = start_round(DECK, order=[0, 1])
    elsewhere = Player(code="KTB4WQ", learner="Alva", named=True, round="r1")
    assert move.play_typed(game, game.current.word, Progress(), TODAY, "sv", elsewhere).answers == ()
    assert move.play_typed(game, game.current.word, Progress(), TODAY, "sv").answers == ()  # not a shared deck
    asked_again = move.play_typed(game, "  ", Progress(), TODAY, "sv", Player(DECK.id, "Alva", True, "r1"))
    assert asked_again.after == game and asked_again.answers == () and asked_again.learner == Progress()


def test_a_hint_is_paid_for_in_the_move_and_keeps_the_message_it_had_nothing_to_add_to():
    game = start_round(DECK, order=[0, 1])
    rich = Progress(xp=50)
    first = move.play_hint(game, hints.LENGTH, rich, Pronouncer(program=""), "on screen", "sv")
    assert first.after.hints == (hints.LENGTH,) and first.learner == rich and first.message == "on screen"  # free
    second = move.play_hint(first.after, hints.FIRST_LETTER, rich, Pronouncer(program=""), "on screen", "sv")
    assert second.learner.xp == rich.xp - hints.COST[hints.FIRST_LETTER] and second.learner_before == rich
