"""What the learner reads after an answer, in Swedish and in English."""

from pathlib import Path

import pytest

from game.decks.deck import Card
from game.round.feedback import verdict_html
from game.round.judge import judge, judge_with_article
from game.texts import en, language, say, sv

APPLE = Card("äpple", Path("apple.png"), translation="apple", article="ett")
CAT = Card("katt", Path("katt.png"), translation="cat", article="en")


def test_vowel_slip_is_named():
    html = verdict_html(judge("apple", APPLE.word), APPLE, will_return=True)
    assert "Nästan!" in html and "Du sa <em>a</em>, ordet har <em>ä</em>." in html


def test_typed_answers_are_told_what_was_written():
    html = verdict_html(judge("apple", APPLE.word), APPLE, will_return=False, spoken=False)
    assert "Du skrev <em>a</em>, ordet har <em>ä</em>." in html and "Du skrev:" in html


def test_double_consonant_slip_is_named_and_explained():
    html = verdict_html(judge("kat", CAT.word), CAT, will_return=False)
    assert "Du sa <em>t</em>, ordet har <em>tt</em>: dubbel konsonant" in html


def test_right_answers_name_no_slips():
    html = verdict_html(judge("katt", CAT.word), CAT, will_return=False)
    assert "Rätt!" in html and "💡" not in html


@pytest.mark.parametrize(
    "heard, expected",
    [
        ("ett äpple", ["Ordet: ✓ <b>äpple</b>", "Artikeln: ✓ <b>ett</b>"]),
        ("en äpple", ["Ordet: ✓ <b>äpple</b>", "Artikeln: ✗ du sa <b>en</b>, det heter <b>ett äpple</b>"]),
        ("äpple", ["Artikeln: ✗ saknas, det heter <b>ett äpple</b>"]),
        ("ett apple", ["Ordet: ✗ det är <b>äpple</b>", "Artikeln: ✓ <b>ett</b>", "Du sa <em>a</em>"]),
    ],
)
def test_article_mode_verdict_speaks_of_noun_and_article(heard, expected):
    html = verdict_html(judge_with_article(heard, APPLE.word, APPLE.article), APPLE, will_return=False)
    for line in expected:
        assert line in html


def test_english_interface():
    html = verdict_html(judge_with_article("en äpple", APPLE.word, APPLE.article), APPLE, False, lang="en")
    assert "Almost!" in html and "Article: ✗ you said <b>en</b>, it is <b>ett äpple</b>" in html
    assert "role='status'" in html  # read out by screen readers in either language


def test_every_text_exists_in_both_languages():
    assert set(en.TEXTS) == set(sv.TEXTS)
    assert say("en", "right") == "Right!" and say("sv", "right") == "Rätt!"


@pytest.mark.parametrize("stored", [None, "", "fr", 3, ["en"]])
def test_unknown_languages_fall_back_to_swedish(stored):
    assert language(stored) == "sv" and say(stored, "right") == "Rätt!"


@pytest.mark.parametrize("module", ["texts/sv", "texts/en"])
def test_no_text_is_written_twice(module):
    """A key given twice in a dict literal silently keeps the last one (it happened: "typed")."""
    import ast
    from collections import Counter

    tree = ast.parse((Path(__file__).parent.parent / "game" / f"{module}.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            keys = Counter(k.value for k in node.value.keys)
            assert [k for k, n in keys.items() if n > 1] == [], node.targets[0].id


@pytest.mark.parametrize("heard", ["Val.", "Val!", " val ", "Val..."])
def test_the_transcripts_full_stop_does_not_double_the_sentences(heard):
    html = verdict_html(judge(heard, CAT.word), CAT, will_return=False)
    said = heard.strip().rstrip(".!")
    assert f"Jag hörde <q>{said}</q>. Ordet är" in html


def test_a_round_counts_words_and_shows_a_return_apart():
    from game.decks.deck import Deck
    from game.round import rounds
    from game.round.feedback import progress_text

    deck = Deck(id="d", title="D", cards=(APPLE, CAT))
    game = rounds.start_round(deck, order=[0, 1])
    assert progress_text(game).startswith("Ord 1 av 2 ·")
    game = rounds.next_card(rounds.answer(game, judge("xyzzy", APPLE.word)))
    assert progress_text(game).startswith("Ord 2 av 2 ·")
    game = rounds.next_card(rounds.answer(game, judge("katt", CAT.word)))
    assert progress_text(game).startswith("Ord 2 av 2 · <i>igen</i>")  # äpple's return
    assert progress_text(game, "en").startswith("Word 2 of 2 · <i>again</i>")
