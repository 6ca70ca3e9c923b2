"""Help for a stuck learner: hints (the first on a card free, the rest paid in XP), hearing the
word, trying again."""

from pathlib import Path

import numpy as np
import pytest
import soundfile
from conftest import require_program

from game.decks.deck import Card, Deck
from game.round import hints, move, rounds
from game.round.progress import Progress
from game.speech.pronounce import Pronouncer

HUND = Card("hund", Path("hund.png"), translation="dog", article="en", hint="Den skäller.")
BARE = Card("glass strut", Path("glass.png"))
DECK = Deck(id="t", title="T", cards=(HUND, BARE))
RICH = Progress(xp=20)


def round_on(card: Card, articles: bool = False):
    return rounds.start_round(DECK, order=[DECK.cards.index(card)], articles=articles)


@pytest.mark.parametrize(
    "word, first, count, shape",
    [
        ("hund", True, False, "h …"),
        ("hund", False, True, "_ _ _ _"),
        ("hund", True, True, "h _ _ _"),
        ("glass strut", True, True, "g _ _ _ _ · _ _ _ _ _"),
    ],
)
def test_letter_hints_show_the_shape_of_the_word(word, first, count, shape):
    assert hints.letters(word, first, count) == shape


def test_the_first_hint_is_free_and_each_other_costs_xp_once():
    game, learner = round_on(HUND), RICH
    for kind in hints.TEXT_HINTS:
        game, learner, notice = move.take_hint(game, learner, kind)
        assert not notice
    assert learner.xp == 20 - sum(hints.COST[k] for k in hints.TEXT_HINTS[1:])
    again, same, _ = move.take_hint(game, learner, hints.FIRST_LETTER)
    assert (again, same) == (game, learner)  # shown already: not charged twice
    html = hints.hint_html(game.current, game.hints, "sv")
    assert "h _ _ _" in html and "4 bokstäver" in html and "dog" in html and "Den skäller." in html
    assert "Första bokstaven: h" in html  # for screen readers, which cannot read underscores


def test_a_beginner_with_no_xp_gets_one_hint_on_each_card():
    beginner = Progress(xp=0)
    game, learner, notice = move.take_hint(round_on(HUND), beginner, hints.TRANSLATION)
    assert game.hints == (hints.TRANSLATION,) and learner.xp == 0 and not notice
    after, learner, notice = move.take_hint(game, learner, hints.LENGTH)
    assert after == game and learner.xp == 0 and "kostar 1 XP och du har 0" in notice  # loses nothing
    answered = move.answer_text(game, "hund")[0]
    assert answered.attempts[-1].xp == rounds.XP_HELPED  # the free hint still halves the reward
    nxt = rounds.start_round(DECK, order=[1, 0])
    assert move.hint_cost(nxt, hints.FIRST_LETTER) == 0  # free again on the next card


def test_a_paid_hint_needs_enough_xp_and_loses_nothing_without():
    game = move.take_hint(round_on(HUND), RICH, hints.LENGTH)[0]
    after, learner, notice = move.take_hint(game, Progress(xp=1), hints.TRANSLATION)
    assert after == game and learner.xp == 1 and "kostar 3 XP och du har 1" in notice
    assert move.take_hint(game, Progress(xp=2), hints.FIRST_LETTER)[1].xp == 0


def test_hints_the_card_does_not_have_are_not_given():
    game = round_on(BARE)
    assert move.take_hint(game, RICH, hints.TRANSLATION)[:2] == (game, RICH)
    assert move.take_hint(game, RICH, hints.CLUE)[:2] == (game, RICH)


def test_no_text_hints_once_the_verdict_is_in():
    game = move.answer_text(round_on(HUND), "hund")[0]
    assert move.take_hint(game, RICH, hints.FIRST_LETTER)[:2] == (game, RICH)


def test_which_hints_are_open_is_what_the_buttons_offer():
    game = round_on(HUND)
    assert all(move.hint_open(game, kind) for kind in (*hints.TEXT_HINTS, hints.HEAR))
    game = move.take_hint(game, RICH, hints.LENGTH)[0]
    assert not move.hint_open(game, hints.LENGTH) and move.hint_open(game, hints.FIRST_LETTER)
    assert not move.hint_open(round_on(BARE), hints.CLUE)
    answered = move.answer_text(game, "hund")[0]
    assert [kind for kind in (*hints.TEXT_HINTS, hints.HEAR) if move.hint_open(answered, kind)] == [hints.HEAR]


def test_hear_the_word_from_the_decks_recording(tmp_path):
    rate = 16000
    tone = (np.sin(np.arange(rate) / 3) * 8000).astype(np.int16)
    soundfile.write(tmp_path / "hund.wav", tone, rate)
    card = Card("hund", Path("hund.png"), audio=tmp_path / "hund.wav")
    game = rounds.start_round(Deck(id="r", title="R", cards=(card,)))
    game = rounds.take_hint(game, hints.LENGTH)  # so hearing is not the card's free first hint
    no_espeak = Pronouncer(program="")
    assert no_espeak.can_say(card) and not no_espeak.can_say(HUND)
    after, learner, sound, notice = move.hear_word(game, RICH, no_espeak)
    assert not notice and sound[0] == rate and np.array_equal(sound[1], tone)
    assert learner.xp == 20 - hints.COST[hints.HEAR]
    # hearing it again, or after the verdict, is free
    assert move.hear_word(after, learner, no_espeak)[1].xp == learner.xp
    answered = move.answer_text(game, "hund")[0]
    assert move.hear_word(answered, Progress(), no_espeak)[2] is not None


def test_hear_the_word_synthesised_by_espeak():
    require_program("espeak-ng", "espeak-ng")
    pronouncer = Pronouncer()
    rate, word = pronouncer.sound(HUND)
    _, with_article = pronouncer.sound(HUND, with_article=True)
    assert rate > 8000 and word.dtype == np.int16 and np.abs(word).max() > 1000
    assert len(with_article) > len(word)  # "en hund" is longer than "hund"


def test_nothing_to_play_is_said_and_costs_nothing():
    game = round_on(HUND)
    after, learner, sound, notice = move.hear_word(game, RICH, Pronouncer(program=""))
    assert (after, learner, sound) == (game, RICH, None) and "ingen inspelning" in notice


def test_try_again_after_a_miss_in_article_mode():
    game = round_on(HUND, articles=True)
    missed, html = move.answer_text(game, "ett hund")
    assert "Nästan!" in html and missed.can_try_again
    right, html = move.answer_text(rounds.try_again(missed), "en hund", spoken=True)
    assert "Rätt!" in html and "Artikeln: ✓" in html and right.score == 1
