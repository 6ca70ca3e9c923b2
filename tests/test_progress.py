"""Progress across visits, as plain Python with an injected clock (`today`)."""

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from game.decks.deck import Card, Deck
from game.round import progress, rounds
from game.round.judge import judge
from game.round.progress import BOXES, Progress, WordProgress, current_streak, dump, finish_round, load, plan_round

MONDAY = dt.date(2026, 11, 16)
TUESDAY, WEDNESDAY, FRIDAY = (MONDAY + dt.timedelta(days=n) for n in (1, 2, 4))
DECK = Deck(
    id="djur",
    title="Djur",
    cards=tuple(Card(w, Path(f"{w}.png")) for w in ["hund", "katt", "häst", "ko", "gris", "får"]),
)


def test_a_right_answer_moves_the_word_up_and_a_miss_sends_it_back():
    p = progress.record_answer(Progress(), "djur", "hund", "right", MONDAY, xp=10)
    assert p.words["djur/hund"] == WordProgress(box=2, due=TUESDAY.isoformat(), seen=1, right=1)
    p = progress.record_answer(p, "djur", "hund", "right", TUESDAY, xp=5)
    assert p.words["djur/hund"].box == 3 and p.words["djur/hund"].due == (TUESDAY + dt.timedelta(days=3)).isoformat()
    p = progress.record_answer(p, "djur", "hund", "almost", WEDNESDAY, xp=2)
    assert p.words["djur/hund"].box == 1 and p.words["djur/hund"].due == WEDNESDAY.isoformat()
    assert p.xp == 10 + 5 + 2


def said_right_when_due(p: Progress, word: str, times: int) -> Progress:
    """Answer a word right on each day it falls due (the way a learner climbs the boxes)."""
    day = MONDAY
    for _ in range(times):
        p = progress.record_answer(p, "djur", word, "right", day)
        day = dt.date.fromisoformat(p.words[f"djur/{word}"].due)
    return p


def test_the_top_box_is_the_last():
    p = said_right_when_due(Progress(), "ko", BOXES + 3)
    assert p.words["djur/ko"].box == BOXES


class TestDailyStreak:
    def test_days_in_a_row(self):
        p = finish_round(Progress(), MONDAY)
        p = finish_round(p, MONDAY)  # a second round the same day
        assert p.streak == 1
        p = finish_round(p, TUESDAY)
        assert p.streak == 2 and current_streak(p, TUESDAY) == 2
        assert current_streak(p, WEDNESDAY) == 2  # still alive the next day, before playing
        assert current_streak(p, FRIDAY) == 0  # a whole day missed

    def test_a_gap_starts_again_at_one(self):
        p = finish_round(finish_round(Progress(), MONDAY), TUESDAY)
        assert finish_round(p, FRIDAY).streak == 1

    def test_across_midnight_and_month_ends(self):
        p = finish_round(Progress(), dt.date(2026, 11, 30))
        assert finish_round(p, dt.date(2026, 12, 1)).streak == 2


class TestPlanning:
    def test_new_learner_gets_new_words(self):
        order = plan_round(Progress(), DECK, 4, MONDAY, random.Random(0))
        assert len(order) == len(set(order)) == 4

    def test_due_reviews_come_before_new_and_not_due_words(self):
        p = Progress()
        for word in ("hund", "katt"):
            p = progress.record_answer(p, "djur", word, "wrong", MONDAY)  # due today
        for word in ("häst", "ko", "gris"):
            p = progress.record_answer(p, "djur", word, "right", MONDAY)  # due tomorrow
        order = plan_round(p, DECK, 3, MONDAY, random.Random(1))
        words = {DECK.cards[i].word for i in order}
        assert {"hund", "katt"} <= words and "får" in words  # the two reviews, then the one new word

    def test_weakest_words_first(self):
        p = Progress()
        p = progress.record_answer(p, "djur", "hund", "right", MONDAY)
        p = progress.record_answer(p, "djur", "katt", "wrong", MONDAY)
        p = progress.record_answer(p, "djur", "katt", "wrong", MONDAY)
        p = progress.record_answer(p, "djur", "ko", "wrong", MONDAY)
        assert [DECK.cards[i].word for i in progress.weakest(p, DECK, 2)] == ["katt", "ko"]

    def test_mastery(self):
        assert progress.mastery(Progress(), DECK) == 0
        p = Progress()
        for card in DECK.cards:
            p = said_right_when_due(p, card.word, BOXES)
        assert progress.mastery(p, DECK) == 100.0


class TestStoredData:
    def test_round_trip_through_json(self):
        p = finish_round(progress.record_answer(Progress(), "djur", "hund", "right", MONDAY), MONDAY)
        assert load(json.loads(json.dumps(dump(p)))) == p

    @pytest.mark.parametrize("stored", [None, "", "garbage", 42, [], {"version": 99, "xp": 5}, {"xp": "many"}])
    def test_missing_or_unreadable_data_starts_fresh(self, stored):
        p = load(stored)
        assert p.words == {} and p.streak == 0 and isinstance(p.xp, int)

    def test_edited_data_is_cleaned_word_by_word(self):
        stored = {
            "version": 1,
            "xp": -5,
            "streak": 3,
            "last_day": "igår",
            "words": {
                "djur/hund": {"box": 99, "due": "2026-11-16", "seen": 2, "right": 1},
                "djur/katt": "trasig",
                "ingen-snedstreck": {"box": 2},
                "djur/ko": {"box": "två"},
            },
        }
        p = load(stored)
        assert p.xp == 0 and p.last_day == "" and p.streak == 3
        assert p.words == {
            "djur/hund": WordProgress(box=BOXES, due="2026-11-16", seen=2, right=1),
            "djur/ko": WordProgress(box=1, due="", seen=0, right=0),
        }

    def test_data_without_a_version_is_read_as_the_first(self):
        assert load({"xp": 30, "words": {}}).xp == 30


def test_a_played_round_updates_progress_move_by_move():
    from game.round import rounds
    from game.round.judge import judge

    game = rounds.start_round(DECK, 2, order=[0, 1])
    p = Progress()
    after = rounds.answer(game, judge("hund", "hund"))
    p = progress.after_move(p, game, after, MONDAY)
    assert p.words["djur/hund"].box == 2 and p.xp == 10 and p.streak == 0
    game, after = after, rounds.next_card(after)
    p = progress.after_move(p, game, after, MONDAY)
    assert p.xp == 10  # "next" scores nothing
    game, after = after, rounds.next_card(rounds.skip(after))  # katt skipped: it comes back once
    p = progress.after_move(p, game, after, MONDAY)
    assert p.words["djur/katt"].box == 1 and not after.over and p.xp == 10
    game, after = after, rounds.next_card(rounds.answer(after, judge("katt", "katt")))
    p = progress.after_move(p, game, after, MONDAY)
    assert after.over and p.streak == 1 and p.last_day == MONDAY.isoformat() and p.xp == 10 + 5
    assert p.words["djur/katt"] == WordProgress(box=2, due=TUESDAY.isoformat(), seen=2, right=1)


def test_article_rounds_plan_only_words_with_an_article():
    cards = tuple(
        Card(w, Path(f"{w}.png"), article="ett" if w != "springa" else "") for w in ("äpple", "springa", "hus")
    )
    deck = Deck(id="d", title="D", cards=cards)
    learner = progress.Progress()
    for word in ("äpple", "springa", "hus"):
        learner = progress.record_answer(learner, "d", word, "wrong", MONDAY)
    plan = progress.plan_round(learner, deck, 10, MONDAY, random.Random(1), articles=True)
    assert sorted(plan) == [0, 2]
    assert sorted(progress.weakest(learner, deck, 10, articles=True)) == [0, 2]
    assert sorted(progress.plan_round(learner, deck, 10, MONDAY, random.Random(1))) == [0, 1, 2]


def test_a_word_climbs_one_box_a_day_at_most():
    p = progress.record_answer(Progress(), "djur", "katt", "wrong", MONDAY)
    p = progress.record_answer(p, "djur", "katt", "right", MONDAY)  # try again: due today -> box 2
    p = progress.record_answer(p, "djur", "katt", "right", MONDAY)  # its return in the round: not due
    assert p.words["djur/katt"] == WordProgress(box=2, due=TUESDAY.isoformat(), seen=3, right=2)
    p = progress.record_answer(p, "djur", "katt", "right", TUESDAY)
    assert p.words["djur/katt"].box == 3
    p = progress.record_answer(p, "djur", "katt", "almost", TUESDAY)
    assert p.words["djur/katt"] == WordProgress(box=1, due=TUESDAY.isoformat(), seen=5, right=3)


def nested(depth: int, kind=list):
    """A value nested `depth` deep, built without recursion."""
    value = kind()
    for _ in range(depth):
        value = [value] if kind is list else {"a": value}
    return value


class TestExtremeStoredData:
    """README: stored progress never stops the game — whatever the browser kept, `load` reads what it can."""

    @pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e400"])
    def test_non_finite_numbers_count_as_missing(self, text):
        stored = json.loads(
            f'{{"xp": {text}, "streak": {text}, '
            f'"words": {{"djur/hund": {{"box": {text}, "seen": {text}, "right": {text}}}}}}}'
        )
        p = load(stored)
        assert (p.xp, p.streak) == (0, 0) and p.words == {"djur/hund": WordProgress()}

    @pytest.mark.parametrize(
        "value",
        [
            pytest.param(10**400, id="10**400"),
            pytest.param(-(10**400), id="-10**400"),
            1e308,
            -1e308,
            -5,
            -0.0,
            2.5,
            "7",
            "",
            True,
            None,
            [3],
            {"n": 3},
            pytest.param(10**5000, id="10**5000"),
            pytest.param(nested(100_000), id="deep-list"),
            pytest.param(nested(100_000, dict), id="deep-dict"),
        ],
    )
    def test_any_value_in_any_field(self, value):
        assert load({"version": value, "xp": 3}).xp in (0, 3)
        p = load(
            {
                "xp": value,
                "streak": value,
                "last_day": value,
                "words": {"djur/hund": dict.fromkeys(("box", "due", "seen", "right"), value), 1: {}, "djur/ko": value},
            }
        )
        assert 0 <= p.xp <= 10**9 and 0 <= p.streak <= 10**9 and p.last_day == ""
        for word in p.words.values():
            assert 1 <= word.box <= BOXES and word.due == "" and 0 <= word.right <= word.seen <= 10**9

    @pytest.mark.parametrize("right", [50, pytest.param(10**400, id="10**400"), 1e308])
    def test_right_answers_never_outnumber_answers(self, right):
        assert load({"words": {"djur/hund": {"seen": 3, "right": right}}}).words["djur/hund"].right == 3

    def test_thousands_of_words(self):
        stored = {
            "words": {f"d{i}/ord{i}": {"box": 2, "due": "2026-11-16", "seen": 2, "right": 1} for i in range(5000)}
        }
        assert dump(load(stored))["words"] == stored["words"]

    @pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
    def test_stored_dates_at_the_ends_of_the_calendar(self, day):
        """A word due in year 9999 would never come back: a due date further ahead than any interval is due now."""
        p = load({"streak": 7, "last_day": day, "words": {"djur/hund": {"box": 3, "due": day, "seen": 2, "right": 2}}})
        assert current_streak(p, MONDAY) == 0 and finish_round(p, MONDAY).streak == 1
        assert progress.is_due(p.words["djur/hund"], MONDAY)
        assert DECK.cards[plan_round(p, DECK, 1, MONDAY, random.Random(0))[0]].word == "hund"
        p = progress.record_answer(p, "djur", "hund", "right", MONDAY)
        assert p.words["djur/hund"] == WordProgress(
            box=4, due=(MONDAY + dt.timedelta(days=7)).isoformat(), seen=3, right=3
        )


@pytest.mark.parametrize("today", [dt.date.min, dt.date.max - dt.timedelta(days=10), dt.date.max], ids=str)
def test_every_function_works_at_the_ends_of_the_calendar(today):
    """A learner's clock can say anything: dates near either end of the calendar must not overflow."""
    p = load(
        {
            "xp": 5,
            "streak": 3,
            "last_day": "5000-01-01",
            "words": {
                "djur/hund": {"box": 4, "due": "0001-01-01", "seen": 3, "right": 3},
                "djur/katt": {"box": 2, "due": "9999-12-31", "seen": 1, "right": 1},
            },
        }
    )
    assert current_streak(p, today) == 0
    assert len(plan_round(p, DECK, 3, today, random.Random(0))) == 3 and progress.weakest(p, DECK, 2)
    assert progress.mastery_table(p, [DECK]) == [{"deck": "Djur", "mastery": round(100 * 6 / 30, 1)}]
    for word in ("hund", "katt", "ko"):
        p = progress.record_answer(p, "djur", word, "right", today)
        assert today.isoformat() <= p.words[f"djur/{word}"].due
    p = progress.record_answer(p, "djur", "gris", "wrong", today)
    p = finish_round(p, today)
    assert p.last_day == today.isoformat() and p.streak == 1 and current_streak(p, today) == 1
    assert load(json.loads(json.dumps(dump(p)))) == p


class TestLearnerDay:
    @pytest.mark.parametrize(
        "sent, expected",
        [
            ("2026-11-16", MONDAY),
            ("2026-11-17", TUESDAY),
            ("2026-11-18", WEDNESDAY),
            ("2026-11-14", dt.date(2026, 11, 14)),
            ("2026-11-19", MONDAY),
            ("2026-11-13", MONDAY),
            ("9999-12-31", MONDAY),
            ("0001-01-01", MONDAY),  # clock off
            (None, MONDAY),
            ("", MONDAY),
            ("igår", MONDAY),
            ("2026-02-30", MONDAY),
            (" 2026-11-17", MONDAY),
            ("2026-W47-2", MONDAY),
            ("20261117", MONDAY),
            ("2026-11-17T23:59", MONDAY),
            (20261117, MONDAY),
            (float("nan"), MONDAY),
            (["2026-11-17"], MONDAY),
            pytest.param(nested(100_000), MONDAY, id="deep-list"),
        ],
    )
    def test_only_a_real_date_near_the_servers_counts(self, sent, expected):
        assert progress.learner_day(sent, MONDAY) == expected

    @pytest.mark.parametrize(
        "server, sent, expected",
        [
            (dt.date.min, "0001-01-03", dt.date(1, 1, 3)),
            (dt.date.min, "0001-01-04", dt.date.min),
            (dt.date.min, "nonsense", dt.date.min),
            (dt.date.max, "9999-12-29", dt.date(9999, 12, 29)),
            (dt.date.max, "9999-12-28", dt.date.max),
            (dt.date.max, None, dt.date.max),
        ],
    )
    def test_at_the_ends_of_the_calendar(self, server, sent, expected):
        assert progress.learner_day(sent, server) == expected


@pytest.mark.parametrize(
    "server, days",
    [
        (dt.date.min, ["0001-01-01", "0001-01-02"]),
        (dt.date.max, ["9999-12-30", "9999-12-31"]),
    ],
    ids=["first-days", "last-days"],
)
def test_rounds_on_two_days_at_the_ends_of_the_calendar(server, days):
    """The whole flow, as the app runs it: the learner's date, stored progress in, answers, the round's end, stored out."""
    stored = None
    for sent in days:
        today = progress.learner_day(sent, server)
        assert today.isoformat() == sent
        p = load(stored)
        assert len(plan_round(p, DECK, 4, today, random.Random(0))) == 4
        for word, outcome, xp in [
            ("hund", "right", 10),
            ("katt", "right", 10),
            ("ko", "almost", 2),
            ("får", "wrong", 0),
        ]:
            p = progress.record_answer(p, "djur", word, outcome, today, xp)
        stored = json.loads(json.dumps(dump(finish_round(p, today))))
    p = load(stored)
    assert p.streak == 2 and current_streak(p, today) == 2 and p.last_day == days[-1]
    assert {w: p.words[f"djur/{w}"].box for w in ("hund", "katt", "ko", "får")} == {
        "hund": 3,
        "katt": 3,
        "ko": 1,
        "får": 1,
    }
    assert p.xp == 2 * (10 + 10 + 2)


def play_round(moves: list[str]) -> Progress:
    """A learner's XP after a round of DECK's first four words, played by the app's own moves:
    each item is the moves on one card ("w" wrong, "r" right, "s" skip, "h" a hint, "a" try again)."""
    from game.round import rounds
    from game.round.judge import judge

    def move(game, letter: str):
        word = game.current.word
        if letter in "wr":
            return rounds.answer(game, judge(word if letter == "r" else "xyzzy", word))
        if letter == "s":
            return rounds.skip(game)
        return rounds.take_hint(game, "length") if letter == "h" else rounds.try_again(game)

    learner, game = Progress(), rounds.start_round(DECK, 4, order=[0, 1, 2, 3])
    for card_moves in moves:
        for letter in card_moves:
            after = move(game, letter)
            learner, game = progress.after_move(learner, game, after, MONDAY), after
        after = rounds.next_card(game)
        learner, game = progress.after_move(learner, game, after, MONDAY), after
    assert game.over
    return learner


def test_xp_rewards_knowing_a_word_not_failing_at_it():
    clean = play_round(["r", "r", "r", "r"])
    # The messy round: one word never said right (three tries, then its return), one
    # right after a hint, one skipped then right on its return, one right after a try again.
    messy = play_round(["wawaw", "hr", "s", "war", "w", "r"])
    assert clean.xp == 4 * 10
    assert messy.xp == 5 + 5 + 5 < clean.xp


def test_a_word_said_right_after_a_hint_counts_but_does_not_climb():
    p = progress.record_answer(Progress(), "djur", "hund", "right", MONDAY, xp=5, hinted=True)
    assert p.words["djur/hund"] == WordProgress(box=1, due=MONDAY.isoformat(), seen=1, right=1)
    p = progress.record_answer(p, "djur", "hund", "right", TUESDAY)  # unaided the next day: it climbs
    assert p.words["djur/hund"].box == 2
    # Through a round: hearing the word (the card's free hint) and repeating it does not move it up.
    game = rounds.take_hint(rounds.start_round(DECK, 1, order=[0]), "hear")
    after = rounds.answer(game, judge("hund", "hund"))
    assert progress.after_move(Progress(), game, after, MONDAY).words["djur/hund"].box == 1


def test_the_deck_answered_last_is_kept_for_the_next_visit():
    deck = Deck(id="KTB4WQ", title="Klassens", cards=(Card(word="hund", image=Path("hund.png")),))
    game = rounds.start_round(deck, 1, random.Random(0))
    after = rounds.answer(game, judge("hund", "hund"))
    learner = progress.after_move(Progress(), game, after, dt.date(2026, 12, 7))
    assert learner.last_deck == "KTB4WQ" and load(json.loads(json.dumps(dump(learner)))).last_deck == "KTB4WQ"
    assert progress.after_move(Progress(), None, game, dt.date(2026, 12, 7)).last_deck == ""  # started, not answered
    assert load({"last_deck": ["KTB4WQ"]}).last_deck == "" and len(load({"last_deck": "K" * 10_000}).last_deck) == 64


def test_a_class_deck_played_is_charted_beside_the_built_in_ones():
    """The learner's chart shows the class's deck they played, from their own progress."""
    cards = tuple(Card(word=w, image=Path(f"{w}.png")) for w in ("hund", "katt", "räv", "uggla"))
    class_deck = Deck(id="KTB4WQ", title="Klassens djur", cards=cards)
    game = rounds.start_round(class_deck, order=[0])
    after = rounds.answer(game, judge("hund", "hund"))
    learner = load(json.loads(json.dumps(dump(progress.after_move(Progress(), game, after, dt.date(2026, 12, 7))))))
    built_in = Deck(id="djur", title="Djur", cards=cards)
    table = progress.mastery_table(learner, [built_in])
    box = learner.words["KTB4WQ/hund"].box
    assert table == [{"deck": "Djur", "mastery": 0.0}, {"deck": "Klassens djur", "mastery": round(100 * box / 20, 1)}]
    assert (
        load({"decks": {"X": {"title": ["not", "text"]}}}).decks == {}
    )  # an edited store is read as far as it makes sense
