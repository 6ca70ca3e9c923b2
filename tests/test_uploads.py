import zipfile
from pathlib import Path

import pytest
from deck_files import GOOD_DECK, damaged_png, patch_member, png
from PIL import Image

from game.decks import uploads
from game.decks.media import display_picture
from game.decks.problems import Phrase, Problem
from game.decks.session_files import SessionFiles


def zip_deck(path, text=GOOD_DECK):
    folder = path.parent / "src"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("djur.yaml", text)
        for name in ("hund.png", "katt.png"):
            zf.write(png(folder / name), f"djur/{name}")
    return path


def test_a_good_upload_previews_every_card_and_offers_a_zip(tmp_path):
    kept = SessionFiles(tmp_path / "uploads")
    root = kept.root
    upload = uploads.receive([zip_deck(tmp_path / "d.zip")], kept, None)
    assert upload.deck is not None and upload.archive.is_file()
    assert "✓ Djur" in uploads.report(upload) and "2 kort, inga fel" in uploads.report(upload)
    assert "2 cards, no problems" in uploads.report(upload, "en")
    items = uploads.preview(upload)
    assert [caption for _, caption in items] == ["en hund — dog · även: vovve", "katt"]
    assert uploads.preview(upload, "en")[0][1] == "en hund — dog · also: vovve"
    assert all(image.size == (uploads.PREVIEW_SIZE, uploads.PREVIEW_SIZE) for image, _ in items)
    assert upload.folder.parent == root


def test_a_broken_upload_lists_file_line_and_message(tmp_path):
    kept = SessionFiles(tmp_path / "uploads")
    upload = uploads.receive([zip_deck(tmp_path / "d.zip", GOOD_DECK.replace("level", "nivå"))], kept, None)
    assert upload.deck is None and uploads.preview(upload) == []
    assert "djur.yaml:3: okänt fält `nivå` i kortleken" in uploads.report(upload)
    assert "djur.yaml:3: unknown field `nivå` in the deck" in uploads.report(upload, "en")


def test_a_yaml_mistake_in_an_upload_is_reported_in_plain_words(tmp_path):
    kept = SessionFiles(tmp_path / "uploads")
    root = kept.root
    text = GOOD_DECK.replace("    image: hund.png", "      image: hund.png")  # line 9, under `translation: dog`
    upload = uploads.receive([zip_deck(tmp_path / "d.zip", text)], kept, None)
    assert upload.deck is None and list(root.iterdir()) == []
    swedish, english = uploads.report(upload), uploads.report(upload, "en")
    assert (
        "djur.yaml:9: den här raden är indragen mer än `translation:` på rad 8 — låt den börja i samma kolumn"
        in swedish
    )
    assert (
        "djur.yaml:9: this line is indented more than `translation:` on line 8 — start it in the same column" in english
    )
    assert "mapping values" not in swedish + english  # PyYAML's words stay with the problem, for the log
    assert upload.problems[0].detail == "PyYAML ScannerError: mapping values are not allowed here (line 9, column 12)"


def test_a_report_keeps_its_lines_in_one_block_whatever_backticks_they_hold(tmp_path):
    problems = (Problem("djur.yaml", 9, Phrase("yaml_quote_value", char="‘`’", fix='hint: "```hund```"')),)
    report = uploads.report(uploads.Upload(folder=None, problems=problems), "en")
    assert report.splitlines()[1] == report.splitlines()[3] == "````"


def test_each_upload_replaces_the_last_and_nothing_is_left_behind(tmp_path):
    kept = SessionFiles(tmp_path / "uploads")
    root = kept.root
    first = uploads.receive([zip_deck(tmp_path / "a.zip")], kept, None)
    second = uploads.receive([zip_deck(tmp_path / "b.zip")], kept, first)
    assert not first.folder.exists() and second.folder.exists()
    assert uploads.receive(None, kept, second) is None  # the teacher cleared the upload
    assert list(root.iterdir()) == []


def test_pictures_show_upright_at_one_size(tmp_path):
    portrait = tmp_path / "portrait.jpg"
    Image.new("RGB", (300, 600), (255, 0, 0)).save(portrait)
    landscape = tmp_path / "landscape.webp"
    Image.new("RGB", (800, 200), (0, 255, 0)).save(landscape)
    rotated = tmp_path / "rotated.jpg"  # stored landscape, EXIF says: turn it to portrait
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (600, 300), (0, 0, 255)).save(rotated, exif=exif)
    for path in (portrait, landscape, rotated):
        shown = display_picture(path)
        assert shown.size == (512, 512) and shown.mode == "RGBA"
    # Portrait content fills the height and leaves transparent sides.
    upright = display_picture(rotated)
    assert upright.getpixel((256, 5))[3] == 255 and upright.getpixel((5, 256))[3] == 0


def test_a_failed_upload_leaves_nothing_behind(tmp_path):
    kept = SessionFiles(tmp_path / "uploads")
    root = kept.root
    upload = uploads.receive([zip_deck(tmp_path / "d.zip", GOOD_DECK.replace("level", "nivå"))], kept, None)
    assert upload.deck is None and upload.problems and upload.folder is None
    assert list(root.iterdir()) == []
    uploads.discard(upload)  # what Gradio does when the session ends; and again, harmlessly
    uploads.discard(upload)


def zip_members(path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


# Uploads that each stopped today's receive() with an exception (the teacher saw "Error"), or, for
# the damaged pixels, loaded and then failed in the preview.
BROKEN_UPLOADS = {
    "password": "djur.yaml: is protected with a password; make the zip again without a password",
    "bad CRC": "djur/katt.png: is damaged inside the zip and cannot be unpacked; make the zip again",
    "file and folder": "djur/x.png: is both a file and a folder in the upload; rename one of them",
    "name too long": ".png: has too long a name (304 characters); at most 100",
    "damaged pixels": "djur.yaml:9: picture `hund.png` is damaged: its pixels cannot be read",
}


@pytest.mark.parametrize("case", BROKEN_UPLOADS)
def test_every_broken_upload_is_a_readable_problem_and_leaves_nothing(tmp_path, case):
    members = {
        "djur.yaml": GOOD_DECK,
        **{f"djur/{n}": png(tmp_path / n).read_bytes() for n in ("hund.png", "katt.png")},
    }
    if case == "file and folder":
        members |= {"djur/x.png": b"x", "djur/x.png/y.png": b"y"}
    elif case == "name too long":
        members["djur/" + "a" * 300 + ".png"] = b"x"
    elif case == "damaged pixels":
        members["djur/hund.png"] = damaged_png(tmp_path / "bad.png").read_bytes()
    archive = zip_members(tmp_path / "d.zip", members)
    if case == "password":
        patch_member(archive, "djur.yaml", flags=0x1)
    elif case == "bad CRC":
        patch_member(archive, "djur/katt.png", flip_data=True)
    kept = SessionFiles(tmp_path / "uploads")
    root = kept.root
    upload = uploads.receive([archive], kept, None)
    assert upload.deck is None and uploads.preview(upload) == []
    assert BROKEN_UPLOADS[case] in uploads.report(upload, "en")
    assert list(root.iterdir()) == []


def test_an_unexpected_error_is_logged_and_reported_and_leaves_nothing(tmp_path, monkeypatch, caplog):
    def broken(files, dest):
        (dest / "half.png").write_bytes(b"half")
        raise ValueError("a bug")

    monkeypatch.setattr(uploads, "load_upload", broken)
    kept = SessionFiles(tmp_path / "uploads")
    root = kept.root
    upload = uploads.receive([zip_deck(tmp_path / "d.zip")], kept, None)
    assert list(root.iterdir()) == [] and upload.deck is None
    assert "upload: could not be read because of an unexpected error in the game" in uploads.report(upload, "en")
    assert "uppladdningen: kunde inte läsas på grund av ett oväntat fel" in uploads.report(upload, "sv")
    assert "ValueError: a bug" in caplog.text


def test_a_long_report_shows_the_first_problems_and_counts_the_rest():
    problems = tuple(Problem("djur.yaml", n, Phrase("no_cards")) for n in range(1, 3463))
    upload = uploads.Upload(folder=None, problems=problems)
    swedish = uploads.report(upload, "sv")
    assert "3\u00a0462 fel" in swedish and swedish.count("djur.yaml:") == uploads.MAX_SHOWN
    assert f"djur.yaml:{uploads.MAX_SHOWN}: kortleken har inga kort\n… och 3\u00a0412 till\n```" in swedish
    english = uploads.report(upload, "en")
    assert "errors: 3,462." in english and english.endswith("… and 3,412 more\n```")
    assert len(english) < 5000
