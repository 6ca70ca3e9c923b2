"""The shared decks a browser remembers: read as far as they make sense, newest first, short."""

from game.decks import my_decks


def test_opened_decks_are_remembered_newest_first_without_repeats():
    mine = my_decks.remember([], "KTB4WQ", "Djur")
    mine = my_decks.remember(mine, "ABC234", "Mat")
    mine = my_decks.remember(mine, "ktb 4wq", "Djur igen")  # opened again: moved up, with its new title
    assert mine == [{"code": "KTB4WQ", "title": "Djur igen"}, {"code": "ABC234", "title": "Mat"}]


def test_stored_lists_edited_by_hand_are_read_as_far_as_they_make_sense():
    stored = [
        {"code": "KTB4WQ", "title": "Djur"},
        {"code": "not a code", "title": "x"},
        "KTB4WQ",
        {"code": "ABC234"},  # no title: the code stands in
        {"code": "KTB4WQ", "title": "twice"},
        None,
    ]
    assert my_decks.load(stored) == [{"code": "KTB4WQ", "title": "Djur"}, {"code": "ABC234", "title": "ABC234"}]
    assert my_decks.load({"code": "KTB4WQ"}) == my_decks.load(None) == my_decks.load("x") == []


def test_the_list_stays_short():
    mine = []
    for n in range(my_decks.MOST + 5):
        code = "ABCDEF"[: 6 - len(str(n))] + str(n).translate(str.maketrans("01", "AB"))
        mine = my_decks.remember(mine, code, f"Deck {n}")
    assert len(mine) == my_decks.MOST and mine[0]["title"] == f"Deck {my_decks.MOST + 4}"
