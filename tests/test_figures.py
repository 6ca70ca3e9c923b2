"""The teacher's figures from the class's answers, and the answers a round's moves give."""

import csv
import io
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from game.decks.deck import Card, Deck
from game.results.answers import Answer, Player, anonymous_id, answers_of_move, clean_nickname, player
from game.results.figures import (
    by_learner,
    by_word,
    example_days,
    heard_instead,
    parse_day,
    retention_start,
    summary,
    time_zone,
    to_csv,
    within,
)
from game.round import rounds
from game.round.judge import judge

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def answer(learner="Alva", word="hund", outcome="right", try_number=1, heard="hund", at=MONDAY, **more) -> Answer:
    values = {"named": True, "round": "r1", "hints": 0, "spoken": True}
    return Answer(
        learner=learner, word=word, outcome=outcome, try_number=try_number, heard=heard, at=at, **values | more
    )


def test_a_words_first_try_rate_counts_only_first_answers_and_lists_the_hardest_first():
    answers = [
        answer("Alva", "hund", "right"),
        answer("Bo", "hund", "wrong", heard="hönd"),
        answer("Bo", "hund", "right", try_number=2),  # a second try: not a first-try right
        answer("Cy", "hund", "right", round="r9"),
        answer("Alva", "katt", "almost", heard="kat"),
        answer("Bo", "katt", "skipped", heard="", spoken=False),
        answer("Alva", "räv", "right"),
    ]
    words = {r.word: r for r in by_word(answers)}
    assert (words["hund"].first_tries, words["hund"].first_try_right, words["hund"].first_try_percent) == (3, 2, 67)
    assert words["hund"].answers == 4
    assert words["katt"].first_try_percent == 0 and words["räv"].first_try_percent == 100
    assert [r.word for r in by_word(answers)] == ["katt", "hund", "räv"]


def test_per_learner_words_right_rounds_and_last_played():
    answers = [
        answer("Alva", "hund", round="a1", at=MONDAY),
        answer("Alva", "hund", round="a2", at=MONDAY + timedelta(days=1)),  # the same word again: one word
        answer("Alva", "katt", "wrong", round="a2", at=MONDAY + timedelta(days=1, minutes=1)),
        answer("3f2a", "hund", round="b1", named=False, at=MONDAY + timedelta(hours=1)),
    ]
    alva, anonymous = by_learner(answers)
    assert (alva.learner, alva.words_right, alva.rounds, alva.answers) == ("Alva", 1, 2, 3)
    assert alva.last_played == MONDAY + timedelta(days=1, minutes=1)
    assert (anonymous.learner, anonymous.named, anonymous.rounds) == ("3f2a", False, 1)


def test_heard_instead_counts_what_was_said_or_typed_most_often_first_typed_marked():
    answers = [
        *[answer(f"L{i}", "hund", "wrong", heard="Hönd.") for i in range(3)],
        answer("L9", "hund", "almost", heard="hönd"),
        answer("L8", "hund", "wrong", heard="hand"),
        answer("L7", "hund", "wrong", heard="hand", spoken=False),  # typed: counted apart, marked
        answer("L6", "hund", "almost", heard="hund"),  # the word itself (its article missing)
        answer("L5", "hund", "right", heard="hund"),
        answer("L4", "katt", "skipped", heard="", spoken=False),
    ]
    assert heard_instead(answers) == {"hund": [("hönd", 4, False), ("hand", 1, False), ("hand", 1, True)]}
    assert heard_instead([answer(heard=f"h{i}", outcome="wrong") for i in range(9)], kept=2) == {
        "hund": [("h0", 1, False), ("h1", 1, False)]
    }


def test_typed_misses_are_on_screen_marked_as_typed():
    """They were left out of "what the class said instead" without a word."""
    from game.ui.class_results_view import heard_markdown

    answers = [answer("Bo", "hund", "wrong", heard="hönd"), answer("Cy", "hund", "wrong", heard="hnud", spoken=False)]
    assert heard_markdown(answers, "sv").endswith("<em>hönd</em> en gång, <em>hnud</em> skrivet en gång")
    assert heard_markdown(answers, "en").endswith("<em>hönd</em> once, <em>hnud</em> typed once")


SIX = ("hund", "katt", "räv", "häst", "ko", "gris")


def test_a_word_renamed_since_is_not_counted_twice_and_its_answers_are_accounted_for():
    """Alva said all six words right, then the teacher renamed "hund" to "hunden" and she said that right
    too: she has said six of the deck's six words right, not seven, and the old word's answers are named."""
    from game.ui.class_results_view import gone_markdown, learner_table

    before = [answer("Alva", word, round="a1") for word in SIX]
    after = [answer("Alva", "hunden", round="a2", at=MONDAY + timedelta(days=1))]
    now = {"hunden", *SIX[1:]}
    (alva,) = by_learner(before + after, now)
    assert (alva.words_right, alva.answers) == (6, 7)
    assert by_learner(before + after)[0].words_right == 7  # without the deck's words: every word answered
    figures = summary(before + after, now)
    assert figures["words_gone"] == [{"word": "hund", "answers": 1}]
    assert "hund" not in {w["word"] for w in figures["words"]} and figures["answers"] == 7
    assert figures["learners"][0]["words_right"] == 6
    table = learner_table(before + after, "sv", words=now)
    assert table.columns[1] == "Ord rätt (av 6)" and table.iloc[0, 1] == 6
    assert gone_markdown(before + after, now, "sv").startswith("1 svar gällde ord som kortleken inte längre har")
    assert "*hund*" in gone_markdown(before + after, now, "en") and gone_markdown(before, set(SIX), "sv") == ""


def test_the_date_filters_examples_are_this_month():
    assert example_days(date(2026, 12, 7)) == ("2026-12-01", "2026-12-07")
    assert example_days(date(2027, 1, 1)) == ("2027-01-01", "2027-01-01")


def test_the_date_filter_keeps_whole_days_in_utc():
    answers = [answer(at=MONDAY + timedelta(days=d, hours=14)) for d in range(4)]  # Mon 23:00 .. Thu 23:00 UTC
    assert len(within(answers, date(2026, 11, 24), date(2026, 11, 25))) == 2
    assert len(within(answers, since=date(2026, 11, 25))) == 2
    assert len(within(answers, until=date(2026, 11, 23))) == 1
    assert within(answers) == answers
    assert parse_day(" 2026-11-24 ") == date(2026, 11, 24) and parse_day("") is None
    with pytest.raises(ValueError):
        parse_day("24/11")


def test_the_date_filter_and_the_table_use_the_teachers_time_zone():
    """Stockholm is UTC+1 in November: an answer at 23:30 UTC on Monday was given on Tuesday there."""
    from game.ui.class_results_view import learner_table

    late = answer(at=datetime(2026, 11, 23, 23, 30, tzinfo=UTC))
    stockholm = time_zone("Europe/Stockholm")
    assert within([late], until=date(2026, 11, 23)) == [late]  # a Monday in UTC
    assert within([late], until=date(2026, 11, 23), zone=stockholm) == []
    assert within([late], since=date(2026, 11, 24), zone=stockholm) == [late]
    assert learner_table([late], "sv", stockholm).iloc[0, -1] == "2026-11-24 00:30"
    assert learner_table([late], "sv").iloc[0, -1] == "2026-11-23 23:30"


@pytest.mark.parametrize("name", ["", None, "Nope/Zone", "Europe", "../etc/passwd", "a\x00b", "x" * 5000, "Europe/"])
def test_a_time_zone_the_server_does_not_know_is_utc(name):
    assert time_zone(name) == UTC


def test_retention_starts_the_given_days_back():
    assert retention_start(MONDAY, 90) == MONDAY - timedelta(days=90)


def test_the_summary_is_plain_json_values():
    figures = summary([answer(), answer("Bo", outcome="wrong", heard="hönd")])
    assert figures["answers"] == 2
    assert figures["words"] == [
        {"word": "hund", "answers": 2, "first_tries": 2, "first_try_right": 1, "first_try_percent": 50}
    ]
    assert [row["learner"] for row in figures["learners"]] == ["Bo", "Alva"]
    assert figures["learners"][0]["last_played"] == "2026-11-23T09:00:00+00:00"
    assert figures["heard_instead"] == {"hund": [{"heard": "hönd", "times": 1, "typed": False}]}
    assert figures["words_gone"] == []


def test_csv_has_every_answer_oldest_first_and_no_formulas():
    later = answer("=HYPERLINK(1)", "katt", "wrong", heard="+kat", at=MONDAY + timedelta(hours=1))
    skipped = answer("Bo", "räv", "skipped", heard="", spoken=False, at=MONDAY + timedelta(hours=2))
    anonymous = answer("3f2a1b0c9d8e7f60", "ko", named=False, at=MONDAY + timedelta(hours=3))
    rows = list(csv.DictReader(io.StringIO(to_csv([later, skipped, answer(), anonymous]))))
    assert [r["word"] for r in rows] == ["hund", "katt", "räv", "ko"]
    assert rows[1]["learner"] == rows[1]["nickname"] == "'=HYPERLINK(1)" and rows[1]["heard"] == "'+kat"
    assert [r["answered"] for r in rows] == ["spoken", "spoken", "skipped", "spoken"]
    assert (rows[3]["learner"], rows[3]["nickname"]) == ("3f2a1b0c9d8e7f60", "")  # anonymous: no nickname
    assert rows[0] | {} == {
        "time_utc": "2026-11-23T09:00:00+00:00",
        "learner": "Alva",
        "nickname": "Alva",
        "round": "r1",
        "word": "hund",
        "outcome": "right",
        "try": "1",
        "hints": "0",
        "answered": "spoken",
        "heard": "hund",
    }


def test_nicknames_are_cleaned_and_anonymous_ids_kept_only_when_made_here():
    assert clean_nickname("  Alva \n  B.\x00 ") == "Alva B."
    assert len(clean_nickname("x" * 100)) == 30 and clean_nickname(None) == ""
    made = anonymous_id(None)
    assert len(made) == 16 and anonymous_id(made) == made
    assert anonymous_id("<script>") != "<script>" and anonymous_id(made) != anonymous_id(None)
    assert player("ABC234", "  ", made).learner == made and not player("ABC234", "", made).named
    assert player("ABC234", "Alva", made).learner == "Alva" and player("ABC234", "Alva", made).named


DECK = Deck(id="ABC234", title="Djur", cards=tuple(Card(word=w, image=None) for w in ("hund", "katt", "räv")))


def test_a_rounds_moves_give_its_answers_with_try_numbers_and_hints():
    who = Player("ABC234", "Alva", True, "r1")
    game = rounds.start_round(DECK, order=[0, 1, 2], rng=random.Random(0))
    moves = []

    def move(after, spoken=False):
        nonlocal game
        moves.append(answers_of_move(game, after, who, spoken, MONDAY))
        game = after

    move(rounds.answer(game, judge("hönd", "hund")), spoken=True)  # a miss: "try again" is offered
    move(rounds.try_again(game))  # no answer
    move(rounds.answer(rounds.take_hint(game, "first_letter"), judge("hund", "hund")))
    move(rounds.next_card(game))
    move(rounds.skip(game))
    got = [a for answers in moves for a in answers]
    assert [(a.word, a.outcome, a.try_number, a.hints, a.spoken, a.heard) for a in got] == [
        ("hund", "almost", 1, 0, True, "hönd"),
        ("hund", "right", 2, 1, False, "hund"),
        ("katt", "skipped", 1, 0, False, ""),
    ]
    assert {(a.learner, a.named, a.round, a.at) for a in got} == {("Alva", True, "r1", MONDAY)}
    assert [len(m) for m in moves] == [1, 0, 1, 0, 1]


def test_old_csv_downloads_are_cleared_without_breaking_a_new_one(tmp_path, monkeypatch):
    """Each download is a folder of its own; one older than an hour is removed (it once made the view fail)."""
    import os

    from game.ui import class_results_view

    monkeypatch.setattr(class_results_view, "CSV_FOLDER", tmp_path)
    old = tmp_path / "tmp-old"
    old.mkdir()
    (old / "klassresultat-ABC123.csv").write_text("x")
    hour_ago = old.stat().st_mtime - class_results_view.CSV_KEPT_S - 60
    os.utime(old, (hour_ago, hour_ago))
    path = class_results_view.csv_file("ABC123", [])
    assert Path(path).is_file() and not old.exists()


@pytest.mark.parametrize("zone", ["UTC", "Europe/Stockholm", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_the_first_and_last_days_a_calendar_has_are_no_bound_at_all(zone):
    """`until` 9999-12-31 raised OverflowError (the day after it does not exist), and year 1 in a zone
    east of UTC cannot be compared with UTC times: both are simply no bound."""
    answers = [answer(at=MONDAY + timedelta(days=d)) for d in range(3)]
    assert within(answers, date.min, date.max, time_zone(zone)) == answers
    assert within(answers, since=date(1, 1, 2), until=date(9999, 12, 30), zone=time_zone(zone)) == answers
