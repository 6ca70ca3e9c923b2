import pytest

from game.swedish import Note, Slip, slips


@pytest.mark.parametrize(
    "said, word, expected",
    [
        ("apple", "äpple", [Note(Slip.VOWEL, "a", "ä")]),
        ("bat", "båt", [Note(Slip.VOWEL, "a", "å")]),
        ("ost", "öst", [Note(Slip.VOWEL, "o", "ö")]),
        ("bor", "bär", [Note(Slip.VOWEL, "o", "ä")]),
        ("mjolk", "mjölk", [Note(Slip.VOWEL, "o", "ö")]),
        ("smor", "smör", [Note(Slip.VOWEL, "o", "ö")]),
        ("säng", "sang", [Note(Slip.VOWEL, "ä", "a")]),  # the other way round is named too
        ("kat", "katt", [Note(Slip.DOUBLE, "t", "tt")]),
        ("mata", "matta", [Note(Slip.DOUBLE, "t", "tt")]),
        ("hunnd", "hund", [Note(Slip.DOUBLE, "nn", "n")]),
        ("flika", "flicka", [Note(Slip.DOUBLE, "k", "ck")]),
        ("mata", "mätta", [Note(Slip.VOWEL, "a", "ä"), Note(Slip.DOUBLE, "t", "tt")]),
    ],
)
def test_named_slips(said, word, expected):
    assert list(slips(said, word)) == expected


@pytest.mark.parametrize(
    "said, word",
    [
        ("hund", "hund"),  # nothing to name
        ("hunt", "hund"),  # a consonant swap is not one of the named slips
        ("bil", "bal"),  # i for a: no å/ä/ö involved
        ("katt", "hatt"),
        ("kort", "korv"),
        ("mamma", "lampa"),  # another word: its mm aligned against lampa's m is no tip about lampa
        ("katten", "kätt"),  # a vowel slip in aligning, but two more sounds differ
        ("sjökolad", "choklad"),
    ],
)
def test_other_mistakes_are_not_named(said, word):
    assert slips(said, word) == ()


def test_the_same_slip_is_named_once():
    assert slips("gron gron", "grön grön") == (Note(Slip.VOWEL, "o", "ö"),)
