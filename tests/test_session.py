import random
from pathlib import Path

import pytest

from game import session
from game.deck import Card, Deck
from game.scoring import judge
from game.session import RETRY_GAP, SKIPPED, next_card, skip, start_round, summary

WORDS = ["hund", "katt", "häst", "ko", "gris", "får", "fisk", "mus"]


def make_deck(words=WORDS) -> Deck:
    return Deck(id="test", title="Test", cards=tuple(Card(w, Path(f"{w}.png"), translation=w.upper()) for w in words))


def say(game, text):
    return next_card(session.answer(game, judge(text, game.current.word)))


def right(game):
    return say(game, game.current.word)


def wrong(game):
    return say(game, "xyzzy")


def test_round_picks_distinct_cards_up_to_length():
    game = start_round(make_deck(), 5, random.Random(1))
    assert len(game.queue) == len(set(game.queue)) == 5
    assert game.turn == 1 and game.total_turns == 5


def test_round_length_is_capped_by_deck_size():
    game = start_round(make_deck(WORDS[:3]), 10, random.Random(1))
    assert len(game.queue) == 3


def test_empty_deck_cannot_start():
    with pytest.raises(ValueError):
        start_round(Deck(id="e", title="E", cards=()), 5)


def test_all_right_round():
    game = start_round(make_deck(), 4, random.Random(2))
    for _ in range(4):
        game = right(game)
    assert game.over
    assert game.score == 4 and game.streak == 4 and game.best_streak == 4
    result = summary(game)
    assert result.cards == 4 and all(w.outcomes == ("right",) for w in result.words)


def test_answer_waits_for_next_and_ignores_double_answers():
    game = start_round(make_deck(), 3, random.Random(3))
    answered = session.answer(game, judge(game.current.word, game.current.word))
    assert answered.answered and answered.current == game.current
    again = session.answer(answered, judge("xyzzy", game.current.word))
    assert again == answered  # a second answer to the same card changes nothing
    moved = next_card(answered)
    assert not moved.answered and moved.turn == 2
    assert next_card(moved) == moved  # "next" before answering does nothing


def test_missed_word_comes_back_after_the_gap():
    game = start_round(make_deck(), 6, random.Random(4))
    missed = game.queue[0]
    game = wrong(game)
    assert game.queue.index(missed) == RETRY_GAP
    assert game.total_turns == 7
    for _ in range(RETRY_GAP):
        assert game.queue[0] != missed
        game = right(game)
    assert game.queue[0] == missed and game.is_retry
    game = right(game)
    assert summary(game).words[0].outcomes == ("wrong", "right")


def test_missed_word_near_the_end_comes_back_last():
    game = start_round(make_deck(), 2, random.Random(5))
    game = right(game)
    last = game.queue[0]
    game = wrong(game)
    assert game.queue == (last,)


def test_a_word_comes_back_only_once():
    game = start_round(make_deck(WORDS[:1]), 1, random.Random(6))
    game = wrong(game)
    assert not game.over and game.is_retry
    game = wrong(game)
    assert game.over
    assert summary(game).words[0].outcomes == ("wrong", "wrong")
    assert summary(game).score == 0


def test_almost_counts_as_missed_and_breaks_the_streak():
    game = start_round(make_deck(["äpple", "hund"]), 2, random.Random(0))
    game = right(game) if game.current.word == "hund" else say(game, "apple")
    game = say(game, "apple") if game.current.word == "äpple" else right(game)
    assert game.score == 1 and game.streak == 0 and game.best_streak == 1
    assert game.total_turns == 3  # äpple comes back


def test_skip_moves_on_and_counts_as_missed():
    game = start_round(make_deck(), 3, random.Random(7))
    first = game.queue[0]
    game = skip(game)
    assert game.turn == 2 and not game.answered
    assert game.attempts[-1].outcome == SKIPPED
    assert first in game.queue
    assert game.streak == 0


def test_streaks():
    game = start_round(make_deck(), 8, random.Random(8))
    for move in (right, right, right, wrong, right):
        game = move(game)
    assert game.streak == 1 and game.best_streak == 3


def test_summary_lists_each_word_once_in_play_order():
    game = start_round(make_deck(), 3, random.Random(9))
    order = [game.cards[i].word for i in game.queue]
    game = skip(game)
    while not game.over:
        game = right(game)
    result = summary(game)
    assert [w.card.word for w in result.words] == order
    assert result.words[0].outcomes == (SKIPPED, "right")
    assert result.score == 3 and result.cards == 3


def test_try_again_answers_the_same_card_without_a_new_turn():
    game = start_round(make_deck(), 4, random.Random(5))
    card = game.current
    missed = session.answer(game, judge("xyzzy", card.word))
    assert missed.can_try_again and missed.total_turns == 5  # the miss still comes back later
    again = session.try_again(missed)
    assert not again.answered and again.current == card and again.turn == 1 and again.total_turns == 5
    assert not again.is_retry  # the same turn, not the later return
    said = session.answer(again, judge(card.word, card.word))
    assert said.score == 1 and said.attempts[-1].again and not said.can_try_again
    after = next_card(said)
    assert after.turn == 2 and after.total_turns == 5 and after.tries == 0
    # it comes back once later, as planned after the first miss
    for _ in range(RETRY_GAP):
        after = right(after)
    assert after.current == card and after.is_retry


def test_try_again_is_limited_and_not_after_right_or_skip():
    game = start_round(make_deck(), 3, random.Random(6))
    for _ in range(session.MAX_TRIES - 1):
        game = session.try_again(session.answer(game, judge("xyzzy", game.current.word)))
        assert not game.answered
    game = session.answer(game, judge("xyzzy", game.current.word))
    assert not game.can_try_again and session.try_again(game) == game
    assert summary(next_card(game)).words[0].outcomes == ("wrong",) * session.MAX_TRIES
    fresh = start_round(make_deck(), 3, random.Random(6))
    said = session.answer(fresh, judge(fresh.current.word, fresh.current.word))
    assert session.try_again(said) == said
    assert skip(fresh).tries == 0 and not skip(fresh).can_try_again


def test_hints_belong_to_the_card_on_screen():
    game = start_round(make_deck(), 3, random.Random(7))
    hinted = session.take_hint(session.take_hint(game, "first_letter"), "first_letter")
    assert hinted.hints == ("first_letter",)
    answered = session.answer(hinted, judge(game.current.word, game.current.word))
    assert session.take_hint(answered, "length") == answered  # no hints once the verdict is in
    assert next_card(answered).hints == ()
    assert skip(hinted).hints == ()


def test_article_mode_draws_only_cards_with_an_article():
    cards = tuple(Card(w, Path(f"{w}.png"), article="en" if i % 2 else "") for i, w in enumerate(WORDS))
    deck = Deck(id="a", title="A", cards=cards)
    game = start_round(deck, 10, random.Random(8), articles=True)
    assert game.articles and len(game.queue) == 4 and all(deck.cards[i].article for i in game.queue)
    with pytest.raises(ValueError, match="article"):
        start_round(make_deck(), 3, random.Random(8), articles=True)
