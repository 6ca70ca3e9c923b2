"""The class's results through the API: two learners play a shared deck with nicknames at the same
moment, and `/class_results` gives the teacher exactly what they did; a wrong key gets nothing."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from conftest import espeak
from deck_files import small_deck_zip
from deck_pictures import bundled_pictures
from gradio_client import Client, handle_file

from benchmarks.page import Page
from game.api import FEEDBACK, PICTURE, SUMMARY
from game.swedish import normalise

PICTURES = bundled_pictures()
DECK = [("hund", "hund.png", "dog"), ("katt", "katt.png", "cat"), ("häst", "hast.png", "horse")]
SAID_INSTEAD = "fisk"  # a word the tiny test model knows (it learnt the `vardag` deck's), not in the shared deck
OUTCOMES = {"Rätt!": "right", "Nästan!": "almost", "Inte riktigt": "wrong", "hoppade över": "skipped"}


@pytest.fixture
def server(app_server):
    """The session's app: each test publishes a deck of its own, and reads only that deck's results."""
    return app_server


class Learner:
    """A program playing one round of the shared deck; it notes every answer as the teacher should see it."""

    def __init__(self, url: str, nickname: str, together: threading.Barrier, clips: dict):
        self.page, self.nickname, self.together, self.clips = Page(url), nickname, together, clips
        self.did: list[tuple] = []  # (word, outcome, try, hints, spoken, heard)
        self.hints = 0

    def __call__(self, api_name: str, *args):
        return self.page(*args, api_name=api_name)

    @property
    def word(self) -> str:
        return PICTURES.word_for(self.page[PICTURE])

    def answered(self, spoken: bool, heard: str) -> str:
        feedback = self.page[FEEDBACK]
        outcome = next(value for text, value in OUTCOMES.items() if text in feedback)
        tries = 1 + sum(1 for did in self.did if did[0] == self.word)
        self.did.append((self.word, outcome, tries, self.hints, spoken, heard))
        return outcome

    def typed(self, text: str) -> str:
        self("/answer_typed", text, None)
        return self.answered(False, text)

    def spoken(self, word: str) -> str | None:
        """None when nothing was heard (a notice, not a verdict: no answer)."""
        self("/answer_spoken", self.clips[word], None)
        if "<q>" not in self.page[FEEDBACK]:
            return None
        return self.answered(True, self.page[FEEDBACK].split("<q>")[1].split("</q>")[0])

    def play(self, code: str, plan) -> None:
        self.together.wait()  # both rounds start at the same moment, and their first answers come together
        self("/start_round", code, 10, None, False, "sv", "", self.nickname, None)
        turn = 0
        while not self.page[SUMMARY]:
            if turn == 0:
                self.together.wait()
            plan(self, turn)
            turn += 1
            self.hints = 0
            self("/next_card", None)


def alva(me: Learner, turn: int) -> None:
    """A hint then right; wrong then right on trying again; a skip; then right when the word comes back."""
    if turn == 0:
        me("/hint_length", None, "")
        me.hints = 1
        me.typed(me.word)
    elif turn == 1:
        assert me.typed("xyzzy") == "wrong"
        me("/try_again", None)
        me.typed(f"En {me.word}.")
    elif turn == 2:
        me("/skip", None)
        me.did.append((me.word, "skipped", 1 + sum(d[0] == me.word for d in me.did), 0, False, ""))
    else:
        me.typed(me.word)


def bo(me: Learner, turn: int) -> None:
    """Says another word at the first card, then types every word right."""
    if turn == 0 and me.spoken(SAID_INSTEAD) not in (None, "right"):
        return
    me.typed(me.word)


def expected(learners: list[Learner]) -> tuple[dict, dict, dict]:
    """What the teacher should see, counted from what the programs did."""
    everything = [did for me in learners for did in me.did]
    words = {}
    for word in {did[0] for did in everything}:
        first = [did for did in everything if did[0] == word and did[2] == 1]
        words[word] = (sum(did[0] == word for did in everything), len(first), sum(d[1] == "right" for d in first))
    people = {me.nickname: (len({d[0] for d in me.did if d[1] == "right"}), 1, len(me.did), True) for me in learners}
    heard = {}
    for word, outcome, _, _, spoken, text in everything:  # spoken and typed misses alike, each marked
        if outcome in ("wrong", "almost") and normalise(text) != word:
            heard.setdefault(word, Counter())[normalise(text), not spoken] += 1
    return words, people, {w: sorted(c.items(), key=lambda i: (-i[1], i[0][1], i[0][0])) for w, c in heard.items()}


def test_two_learners_at_the_same_moment_and_the_teacher_sees_what_they_did(server, tmp_path):
    teacher = Client(server.url, verbose=False)
    shared = teacher.predict([handle_file(small_deck_zip(tmp_path, words=DECK))], api_name="/publish_deck")
    code, key = shared["code"], shared["edit_key"]
    clips = {SAID_INSTEAD: handle_file(espeak(SAID_INSTEAD, tmp_path / "fisk.wav"))}
    teacher.predict(clips[SAID_INSTEAD], SAID_INSTEAD, api_name="/check_answer")  # waits until the model is loaded
    together = threading.Barrier(2)
    learners = [Learner(server.url, "Alva", together, clips), Learner(server.url, "Bo", together, clips)]
    with ThreadPoolExecutor(2) as pool:
        played = [pool.submit(me.play, code, plan) for me, plan in zip(learners, (alva, bo))]
        for done in played:
            done.result()

    figures = teacher.predict(key, code, api_name="/class_results")
    words, people, heard = expected(learners)
    assert figures["answers"] == sum(len(me.did) for me in learners) >= 9
    assert any(did[4] for did in learners[1].did), "no spoken answer was heard: nothing to say instead"
    assert {w["word"]: (w["answers"], w["first_tries"], w["first_try_right"]) for w in figures["words"]} == words
    got_people = {
        p["learner"]: (p["words_right"], p["rounds"], p["answers"], p["nickname"]) for p in figures["learners"]
    }
    assert got_people == people
    got_heard = {
        w: [((h["heard"], h["typed"]), h["times"]) for h in found] for w, found in figures["heard_instead"].items()
    }
    assert got_heard == heard
    assert any(h["typed"] for found in figures["heard_instead"].values() for h in found)  # Alva's "xyzzy"
    assert [w["first_try_percent"] for w in figures["words"]] == sorted(
        w["first_try_percent"] for w in figures["words"]
    )

    today = figures["learners"][0]["last_played"][:10]
    assert teacher.predict(key, code, today, today, api_name="/class_results")["answers"] == figures["answers"]
    assert teacher.predict(key, code, "2000-01-01", "2000-01-02", api_name="/class_results")["answers"] == 0
    with pytest.raises(Exception, match="ÅÅÅÅ-MM-DD"):
        teacher.predict(key, code, "igår", "", api_name="/class_results")


def test_a_wrong_key_gets_nothing_and_a_built_in_deck_keeps_no_answers(server, tmp_path):
    teacher = Client(server.url, verbose=False)
    shared = teacher.predict([handle_file(small_deck_zip(tmp_path))], api_name="/publish_deck")
    code, key = shared["code"], shared["edit_key"]
    learner = Page(server.url)
    learner(code, 3, None, False, "sv", "", "", None, api_name="/start_round")  # no nickname: anonymous
    learner(PICTURES.word_for(learner[PICTURE]), None, api_name="/answer_typed")
    learner("vardag", 3, None, False, "sv", "", "Alva", None, api_name="/start_round")
    learner("xyzzy", None, api_name="/answer_typed")

    with pytest.raises(Exception, match="stämmer inte") as wrong:
        teacher.predict(key[:-2] + "xx", code, api_name="/class_results")
    assert "hund" not in str(wrong.value) and "katt" not in str(wrong.value)
    figures = teacher.predict(key, code, api_name="/class_results")
    (anonymous,) = figures["learners"]
    assert figures["answers"] == 1 and anonymous["nickname"] is False and len(anonymous["learner"]) == 16


def test_the_class_live_on_the_board_as_json_names_only_when_asked(server, tmp_path):
    """Three learners miss their first word at the same moment; `/class_live` counts them, lists the
    words missed with what was typed instead, and names them only when asked; a wrong key or code
    gets nothing, as with `/class_results`."""
    teacher = Client(server.url, verbose=False)
    shared = teacher.predict([handle_file(small_deck_zip(tmp_path, words=DECK))], api_name="/publish_deck")
    code, key = shared["code"], shared["edit_key"]
    assert teacher.predict(key, code, api_name="/class_live") | {"since": ""} == {
        "code": code,
        "since": "",
        "learners": 0,
        "answers": 0,
        "hardest": [],
    }
    together = threading.Barrier(3)

    def misses_first(nickname: str) -> str:
        me = Page(server.url)
        me(code, 3, None, False, "sv", "", nickname, None, api_name="/start_round")
        word = PICTURES.word_for(me[PICTURE])
        together.wait()
        me(word[::-1], None, api_name="/answer_typed")
        return word

    with ThreadPoolExecutor(3) as pool:
        missed = Counter(pool.map(misses_first, ("Alva", "Bo", "")))

    live = teacher.predict(key, code, api_name="/class_live")
    assert (live["learners"], live["answers"]) == (3, 3) and "nicknames" not in live
    assert "Alva" not in str(live) and "Bo" not in str(live)
    assert {w["word"]: (w["first_try_percent"], w["first_tries"]) for w in live["hardest"]} == {
        word: (0, times) for word, times in missed.items()
    }
    for word in live["hardest"]:
        assert word["instead"] == [{"answer": word["word"][::-1], "times": missed[word["word"]], "typed": True}]
    named = teacher.predict(key, code, True, api_name="/class_live")
    assert named["nicknames"] == ["Alva", "Bo"] and named["learners"] == 3
    assert teacher.predict(key, code, False, "2000-01-01", api_name="/class_live")["learners"] == 3

    with pytest.raises(Exception, match="stämmer inte") as wrong:
        teacher.predict(key[:-2] + "xx", code, True, api_name="/class_live")
    assert not any(secret in str(wrong.value) for secret in ("Alva", *missed))
    with pytest.raises(Exception, match="stämmer inte"):
        teacher.predict(key, "ZZZ999" if code != "ZZZ999" else "ZZZ998", api_name="/class_live")


def test_a_word_renamed_between_rounds_is_not_counted_twice(server, tmp_path):
    """Alva says all three words right, the teacher renames "hund" to "hunden", she says all three again:
    three of three words right (it said four), and the old word's answer is named as no longer in the deck."""
    teacher = Client(server.url, verbose=False)
    shared = teacher.predict([handle_file(small_deck_zip(tmp_path, words=DECK))], api_name="/publish_deck")
    code, key = shared["code"], shared["edit_key"]

    def round_all_right(card_word: dict) -> None:
        alva = Page(server.url)
        alva(code, 3, None, False, "sv", "", "Alva", None, api_name="/start_round")
        while not alva[SUMMARY]:
            alva(card_word.get(word := PICTURES.word_for(alva[PICTURE]), word), None, api_name="/answer_typed")
            alva(None, api_name="/next_card")

    round_all_right({})
    renamed = [("hunden", "hund.png", "dog"), *DECK[1:]]
    (tmp_path / "renamed").mkdir()
    teacher.predict(
        key, code, [handle_file(small_deck_zip(tmp_path / "renamed", words=renamed))], api_name="/update_deck"
    )
    round_all_right({"hund": "hunden"})

    figures = teacher.predict(key, code, api_name="/class_results")
    (alva,) = figures["learners"]
    assert (alva["words_right"], alva["answers"], alva["rounds"]) == (3, 6, 2)
    assert figures["words_gone"] == [{"word": "hund", "answers": 1}]
    assert sorted(w["word"] for w in figures["words"]) == sorted(w for w, _, _ in renamed)


def test_the_date_filters_examples_are_this_months(server):
    """They showed November's first and last days whatever the month."""
    import json
    import urllib.request

    with urllib.request.urlopen(server.url + "config", timeout=60) as response:
        config = json.load(response)
    shown = {  # the filter's two boxes, known by their labels
        c["props"]["label"]: c["props"].get("placeholder")
        for c in config["components"]
        if c["props"].get("label") in ("Från (ÅÅÅÅ-MM-DD)", "Till (ÅÅÅÅ-MM-DD)")
    }
    today = date.today()
    assert shown == {"Från (ÅÅÅÅ-MM-DD)": today.replace(day=1).isoformat(), "Till (ÅÅÅÅ-MM-DD)": today.isoformat()}
