"""The class on the board: its figures from the answers kept, and the HTML a room reads."""

import re

from test_figures import answer

from game.results.live import as_json, class_now
from game.ui.board_view import live_html, names_html, opened_board, qr_svg


def a_lesson():
    return [
        answer("Alva", "hund", "wrong", heard="hönd"),
        answer("Alva", "hund", "right", try_number=2),
        answer("Bo", "hund", "wrong", heard="hönd"),
        answer("3f2a1b0c9d8e7f60", "hund", "wrong", heard="hnud", spoken=False, named=False),
        answer("Alva", "katt", "right"),
        answer("Bo", "katt", "almost", heard="kat"),
        answer("Bo", "räv", "right"),
        answer("Cy", "gammal", "wrong", heard="x"),  # a word the deck no longer has
    ]


def test_the_board_counts_learners_and_lists_the_words_missed_at_a_first_try_hardest_first():
    now = class_now(a_lesson(), words={"hund", "katt", "räv"})
    assert (now.learners, now.answers) == (4, 8)
    assert now.nicknames == ("Alva", "Bo", "Cy")
    assert [(w.word, w.first_try_percent, w.first_tries) for w in now.hardest] == [("hund", 0, 3), ("katt", 50, 2)]
    assert [tuple(i) for i in now.hardest[0].instead] == [("hönd", 2, False), ("hnud", 1, True)]
    assert class_now(a_lesson(), words={"hund"}, shown=0).hardest == ()
    assert class_now([]).learners == 0 and class_now([]).hardest == ()


def test_the_boards_json_has_nicknames_only_when_asked_for():
    now = class_now(a_lesson(), words={"hund", "katt", "räv"})
    plain = as_json(now)
    assert "nicknames" not in plain and "Alva" not in str(plain)
    assert plain["learners"] == 4 and plain["hardest"][0]["instead"][1] == {"answer": "hnud", "times": 1, "typed": True}
    assert as_json(now, names=True)["nicknames"] == ["Alva", "Bo", "Cy"]


def test_the_boards_html_names_nobody_unless_the_teacher_asks():
    now = class_now(a_lesson(), words={"hund", "katt", "räv"})
    shown = live_html(now, "sv")
    assert "hönd</em> ×2" in shown and "skrev: <em>hnud</em> ×1" in shown
    assert not any(name in shown for name in ("Alva", "Bo", "Cy")) and names_html(now, False, "sv") == ""
    assert "Alva · Bo · Cy · + 1 without a nickname" in re.sub("<[^>]+>", "", names_html(now, True, "en"))
    assert "learners have answered today" in live_html(now, "en")
    assert "Nobody has answered yet" in live_html(class_now([]), "en") and names_html(class_now([]), True, "en") == ""


def test_the_qr_code_is_an_svg_and_the_board_opens_only_with_a_code_and_a_key():
    assert qr_svg("http://127.0.0.1:7860/?deck=KTB4WQ").startswith("<svg")
    arrival = (
        '{"fragment": "deck=KTB4WQ&edit=k3y", "base": "http://h/", "zone": "Europe/Stockholm", "today": "2026-12-07"}'
    )
    code, key, base, today, zone = opened_board(arrival)
    assert (code, key, base, today.isoformat(), zone) == (
        "KTB4WQ",
        "k3y",
        "http://h/",
        "2026-12-07",
        "Europe/Stockholm",
    )
    assert opened_board('{"fragment": "deck=KTB4WQ"}') is None and opened_board("not json") is None
    assert opened_board('{"fragment": "deck=A&edit=b", "base": "javascript:alert(1)"}')[2] == ""
