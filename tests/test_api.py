"""The running app, driven through its API with gradio_client, as a client program would."""

import re

import pytest
from gradio_client import Client, handle_file

from conftest import espeak
from deck_pictures import bundled_pictures

PICTURES = bundled_pictures()
# Outputs of the round endpoints, in order (layout updates are not part of the API).
PROGRESS, PICTURE, FEEDBACK, TYPED, MIC, SUMMARY = range(6)


@pytest.fixture
def client(app_server):
    return Client(app_server.url, verbose=False)


def test_page_is_served_quickly(app_server):
    # The model loads in the background; the page must not wait for it.
    assert app_server.served_after < 30


def test_endpoints(client):
    names = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/check_answer", "/start_round", "/answer_typed", "/answer_spoken", "/skip", "/next_card"} <= set(names)


def test_check_answer_transcribes_and_judges(client, tmp_path):
    result = client.predict(handle_file(espeak("hund", tmp_path / "hund.wav")), "hund", api_name="/check_answer")
    # The app runs the tiny model trained by training/ on espeak voices: it hears the word.
    assert result == {"word": "hund", "heard": "hund", "verdict": "right", "score": 100.0, "message": "Rätt!",
                      "article": None}


def test_check_answer_with_an_article_judges_noun_and_article_apart(client, tmp_path):
    hund = handle_file(espeak("hund", tmp_path / "hund.wav"))
    result = client.predict(hund, "en hund", api_name="/check_answer")
    assert result == {"word": "en hund", "heard": "hund", "verdict": "almost", "score": 100.0, "message": "Nästan!",
                      "article": {"said": "", "expected": "en", "right": False}}
    result = client.predict(hund, "ett hund", api_name="/check_answer")
    assert result["verdict"] == "almost" and result["article"]["expected"] == "ett"


def test_check_answer_on_silence(client, tmp_path):
    import numpy as np
    import soundfile

    silent = tmp_path / "silent.wav"
    soundfile.write(silent, np.zeros(22050, dtype=np.int16), 22050)
    result = client.predict(handle_file(silent), "katt", api_name="/check_answer")
    assert result["verdict"] == "nothing_heard" and result["message"].startswith("Jag hörde inget")


def _word_in(feedback_html: str) -> str:
    match = re.search(r"<b>(?:(?:en|ett) )?([^<]+)</b>", feedback_html)
    assert match, feedback_html
    return match.group(1)


def test_a_whole_round(client):
    out = client.predict("vardag", 4, None, api_name="/start_round")
    assert out[PROGRESS].startswith("Kort 1/4")
    seen_total = 4
    rounds = 0
    while out[SUMMARY] == "":
        rounds += 1
        assert rounds < 20
        word = PICTURES.word_for(out[PICTURE])
        if rounds == 1:
            out = client.predict(None, api_name="/skip")  # counts as missed: the word comes back
            assert "hoppade över" in out[FEEDBACK] and _word_in(out[FEEDBACK]) == word
            seen_total += 1
            continue
        if rounds == 2:
            out = client.predict("xyzzy", None, api_name="/answer_typed")
            assert "Inte riktigt" in out[FEEDBACK] and _word_in(out[FEEDBACK]) == word
            seen_total += 1
        else:
            out = client.predict(f"En {word.capitalize()}.", None, api_name="/answer_typed")
            assert "Rätt!" in out[FEEDBACK], out[FEEDBACK]
        out = client.predict(None, api_name="/next_card")
        if out[SUMMARY] == "":
            assert re.match(rf"Kort \d+/{seen_total}", out[PROGRESS]), out[PROGRESS]
    assert "Rundan är klar! 4 av 4 ord rätt." in out[SUMMARY]
    assert out[SUMMARY].count("↷ hoppade över") == 1 and out[SUMMARY].count("✗ fel") == 1
    assert "Bästa svit: 4" in out[SUMMARY]
    assert rounds == 6


def test_two_learners_do_not_share_a_round(app_server):
    alice, bob = Client(app_server.url, verbose=False), Client(app_server.url, verbose=False)
    a = alice.predict("vardag", 3, None, api_name="/start_round")
    b = bob.predict("vardag", 5, None, api_name="/start_round")
    assert a[PROGRESS].startswith("Kort 1/3") and b[PROGRESS].startswith("Kort 1/5")
    a = alice.predict(PICTURES.word_for(a[PICTURE]), None, api_name="/answer_typed")
    assert "Poäng: 1" in a[PROGRESS]
    b = bob.predict(None, api_name="/skip")
    assert "Poäng: 0" in b[PROGRESS] and b[PROGRESS].startswith("Kort 2/6")


def test_model_that_cannot_load_leaves_typing_working(broken_model_server, tmp_path):
    client = Client(broken_model_server.url, verbose=False)
    with pytest.raises(Exception, match="kunde inte laddas"):
        client.predict(handle_file(espeak("katt", tmp_path / "katt.wav")), "katt", api_name="/check_answer")
    out = client.predict("vardag", 3, None, api_name="/start_round")
    out = client.predict(PICTURES.word_for(out[PICTURE]), None, api_name="/answer_typed")
    assert "Rätt!" in out[FEEDBACK]


def test_try_again_and_hints_through_the_api(client):
    out = client.predict("vardag", 3, None, api_name="/start_round")
    word = PICTURES.word_for(out[PICTURE])
    out = client.predict("xyzzy", None, api_name="/answer_typed")
    assert "Inte riktigt" in out[FEEDBACK]
    out = client.predict(None, api_name="/try_again")
    assert PICTURES.word_for(out[PICTURE]) == word and out[PROGRESS].startswith("Kort 1/4")
    out = client.predict(None, "", api_name="/hint_length")  # a new learner has no XP to pay with
    assert "kostar 1 XP och du har 0" in out[FEEDBACK]
    out = client.predict(word, None, "en", api_name="/answer_typed")
    assert "Right!" in out[FEEDBACK]
