import pytest
from rapidfuzz import fuzz

from game.round.judge import (
    THRESHOLDS,
    Outcome,
    Thresholds,
    accepted_forms,
    char_diff,
    judge,
    judge_with_article,
)
from game.swedish import collapse_repeats, normalise, strip_article


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Hund.", "hund"),
        ("  HUND!!  ", "hund"),
        ("en  hund,", "en hund"),
        ("Äpple?", "äpple"),
        ("A\u0308pple", "äpple"),  # decomposed Ä (as some keyboards send it) -> composed ä
        ("«tåg»", "tåg"),
        ("jord-gubbe", "jord gubbe"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_normalise_keeps_swedish_letters_distinct():
    assert normalise("ÅÄÖ") == "åäö"
    assert normalise("äpple") != normalise("apple")


@pytest.mark.parametrize(
    "text, expected",
    [("en hund", "hund"), ("ett äpple", "äpple"), ("en", "en"), ("ettan", "ettan"), ("hund", "hund")],
)
def test_strip_article(text, expected):
    assert strip_article(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("hund hund", "hund"), ("hund hund hund", "hund"), ("en hund en hund", "en hund"), ("hund katt", "hund katt")],
)
def test_collapse_repeats(text, expected):
    assert collapse_repeats(text) == expected


@pytest.mark.parametrize("heard", ["hund", "Hund.", "en hund", "En hund!", "hund hund", "ett hund", " HUND "])
def test_whisper_variants_of_the_word_are_right(heard):
    assert judge(heard, "hund").outcome is Outcome.RIGHT


def test_also_accepted_counts_as_right():
    verdict = judge("Mobil.", "telefon", ["mobil", "mobiltelefon"])
    assert verdict.outcome is Outcome.RIGHT
    assert verdict.closest == "mobil"


def test_word_written_with_article_in_deck():
    assert judge("hund", "en hund").outcome is Outcome.RIGHT
    assert judge("en hund", "en hund").outcome is Outcome.RIGHT


def test_missing_dots_is_almost_not_right():
    verdict = judge("apple", "äpple")
    assert verdict.outcome is Outcome.ALMOST
    assert verdict.closest == "äpple"


def test_a_different_word_is_wrong():
    assert judge("katt", "hund").outcome is Outcome.WRONG
    assert judge("", "hund").outcome is Outcome.WRONG
    assert judge("...", "hund").outcome is Outcome.WRONG


def test_two_different_words_are_not_right():
    assert judge("katt hund", "hund").outcome is not Outcome.RIGHT


def test_accepted_forms_order_and_articles():
    assert accepted_forms("en hund", ["Vovve"]) == ["hund", "en hund", "vovve"]


class TestThresholdEdges:
    """Each threshold is inclusive: exactly at it counts, just below does not."""

    def test_default_thresholds(self):
        assert Thresholds(right=100.0, almost=60.0) == THRESHOLDS

    def test_right_needs_an_exact_match(self):
        assert fuzz.ratio("hundar", "hunda") < 100
        assert judge("hunda", "hundar").outcome is Outcome.ALMOST

    def test_almost_exactly_at_threshold(self):
        assert fuzz.ratio("abcde", "abcxy") == 60.0
        assert judge("abcxy", "abcde").outcome is Outcome.ALMOST

    def test_just_below_almost_is_wrong(self):
        score = fuzz.ratio("abcdefghij", "abcdefxyzw")  # 6 of 10 shared = 60.0
        assert score == 60.0
        score_below = fuzz.ratio("abcdefghijk", "abcdefxyzwq")  # 6 of 11 shared = 54.5
        assert score_below < 60.0
        assert judge("abcdefxyzwq", "abcdefghijk").outcome is Outcome.WRONG

    def test_custom_thresholds(self):
        strict = Thresholds(right=100.0, almost=90.0)
        assert judge("apple", "äpple", thresholds=strict).outcome is Outcome.WRONG
        lenient = Thresholds(right=80.0, almost=50.0)
        assert judge("apple", "äpple", thresholds=lenient).outcome is Outcome.RIGHT


def test_char_diff_marks_the_differing_letters():
    heard, target = char_diff("Apple.", "äpple")
    assert [(s.text, s.differs) for s in heard] == [("a", True), ("pple", False)]
    assert [(s.text, s.differs) for s in target] == [("ä", True), ("pple", False)]


def test_char_diff_of_a_dropped_letter():
    heard, target = char_diff("en hun", "hund")
    assert "".join(s.text for s in heard) == "hun"
    assert [(s.text, s.differs) for s in target] == [("hun", False), ("d", True)]


@pytest.mark.parametrize(
    "heard, outcome, said",
    [
        ("en hund", Outcome.RIGHT, "en"),
        ("En hund.", Outcome.RIGHT, "en"),
        ("ett hund", Outcome.ALMOST, "ett"),  # the noun is known, its gender not yet
        ("hund", Outcome.ALMOST, ""),
        ("en hunt", Outcome.ALMOST, "en"),
        ("en katt", Outcome.WRONG, "en"),
        ("en", Outcome.WRONG, ""),  # a lone "en" is not an article before a noun
    ],
)
def test_article_mode_judges_noun_and_article_separately(heard, outcome, said):
    verdict = judge_with_article(heard, "hund", "en")
    assert verdict.outcome is outcome
    assert verdict.article.said == said and verdict.article.expected == "en"
    assert verdict.article.right is (said == "en")


def test_article_mode_keeps_the_noun_score():
    verdict = judge_with_article("ett hund", "hund", "en")
    assert verdict.score == 100 and verdict.closest == "hund"
    assert judge_with_article("ett äpple ett äpple", "äpple", "ett").outcome is Outcome.RIGHT
