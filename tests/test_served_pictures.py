"""Each card's picture is prepared once, under a name that does not give the answer away."""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

from game.config import ROOT
from game.decks.media import display_picture
from game.pictures.served import PictureFiles

HUND = ROOT / "assets" / "decks" / "djur" / "hund.png"
KATT = ROOT / "assets" / "decks" / "djur" / "katt.png"


def test_a_picture_is_prepared_once_and_shown_as_the_learner_sees_it(tmp_path):
    pictures = PictureFiles(tmp_path / "served")
    first = pictures(HUND)
    assert pictures(HUND) == first
    assert "hund" not in Path(first).name
    served = Image.open(first)
    assert served.size == display_picture(HUND).size
    assert served.tobytes() == display_picture(HUND).tobytes()


def test_learners_asking_at_once_share_one_file(tmp_path):
    pictures = PictureFiles(tmp_path / "served")
    with ThreadPoolExecutor(8) as pool:
        paths = set(pool.map(lambda _: pictures(KATT), range(32)))
    assert len(paths) == 1
    assert list((tmp_path / "served").iterdir()) == [Path(paths.pop())]


def test_a_replaced_picture_is_prepared_again(tmp_path):
    picture = tmp_path / "bild.png"
    Image.new("RGB", (40, 20), "red").save(picture)
    pictures = PictureFiles(tmp_path / "served")
    before = pictures(picture)
    Image.new("RGB", (20, 40), "blue").save(picture)
    os.utime(picture, ns=(1, 1))  # a new mtime even on a coarse clock
    assert pictures(picture) != before


def test_the_least_recently_shown_go_first(tmp_path):
    pictures = PictureFiles(tmp_path / "served", capacity=1)
    hund = pictures(HUND)
    pictures(KATT)
    assert not Path(hund).exists()
    assert len(list((tmp_path / "served").iterdir())) == 1
    pictures.close()
    assert not (tmp_path / "served").exists()
