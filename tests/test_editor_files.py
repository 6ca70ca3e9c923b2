"""The editor's own files and its table: tokens, never paths, from the browser; problems by card and field."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from deck_files import png, wav
from PIL import Image

from game.decks import editor_files
from game.decks.archive import load_upload
from game.decks.deck import load_deck
from game.decks.editor import Row, draft_zip
from game.decks.editor_files import EditorFiles, RefusedFile
from game.decks.session_files import SessionFiles
from game.ui.editor_table import draft_of, problems_markdown, problems_of, table_rows, table_value

ORIENTATION = 0x0112


def sideways_photo(path: Path) -> Path:
    image = Image.new("RGB", (300, 200), "white")
    image.paste((255, 0, 0), (0, 0, 100, 200))  # a red band on the left, as stored
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    image.save(path, "JPEG", exif=exif.tobytes())
    return path


def test_a_phone_photo_gets_a_token_and_is_kept_upright_and_square(tmp_path):
    files = EditorFiles.new(SessionFiles(tmp_path))
    files, token = files.add_picture(sideways_photo(tmp_path / "photo.jpg"))
    assert token == "foto-1"
    kept = Path(files.path(token))
    assert kept.parent == files.folder and kept.suffix == ".png"
    with Image.open(kept) as image:
        assert image.width == image.height
        top_middle = image.convert("RGB").getpixel((image.width // 2, image.height // 4))
        assert top_middle[0] > 200 and top_middle[1] < 60  # the red band is now on top: turned upright
    files, second = files.add_picture(png(tmp_path / "b.png"))
    assert second == "foto-2" and files.path("foto-1") == str(kept)


def test_only_this_sessions_tokens_and_library_pictures_reach_a_file(tmp_path):
    files, token = EditorFiles.new(SessionFiles(tmp_path)).add_recording(wav(tmp_path / "hund.wav"))
    secret = tmp_path / "secret.png"
    png(secret)
    typed = [
        Row(word="hund", picture=str(secret), recording=token),  # a server path typed into the table
        Row(word="katt", picture="emoji:🐈", recording="../../etc/passwd"),
        Row(word="räv", picture="foto-9"),
    ]
    draft, unknown = draft_of("Djur", "", typed, files)
    assert [row.picture for row in draft.rows] == ["", "emoji:🐈", ""]
    assert draft.rows[0].recording == files.path(token) and draft.rows[1].recording == ""
    assert [(p.row, p.field) for p in unknown] == [(1, "picture"), (2, "recording"), (3, "picture")]


def test_an_opened_deck_keeps_its_own_copies_of_pictures_and_recordings(tmp_path):
    folder = tmp_path / "deck"
    png(folder / "d" / "hund.png")
    wav(folder / "d" / "hund.wav")
    (folder / "d.yaml").write_text("title: D\ncards:\n  - word: hund\n    image: hund.png\n    audio: hund.wav\n")
    files, draft = EditorFiles.new(SessionFiles(tmp_path)).open_deck(load_deck(folder / "d.yaml"))
    row = draft.rows[0]
    assert (row.picture, row.recording) == ("foto-1", "ljud-1")
    (folder / "d" / "hund.png").unlink()  # the deck it came from is replaced meanwhile
    built, _ = draft_of(draft.title, "", list(draft.rows), files)
    deck = load_upload([draft_zip(built, tmp_path / "d.zip")], tmp_path / "out")
    assert deck.cards[0].audio is not None and deck.cards[0].image.is_file()


def test_table_rows_skip_empty_lines_and_take_what_the_browser_sends():
    value = table_value([Row(word="hund", translation="dog")], "sv")
    value["data"] += [["", "", "", "", "", "", ""], [None, None]]
    assert table_rows(value) == [Row(word="hund", translation="dog")]
    assert table_rows(None) == [] and table_rows([["katt"]]) == [Row(word="katt")]


def test_problems_are_named_by_card_and_field_in_the_pages_language(tmp_path):
    rows = [Row(word="hund", article="en", picture="emoji:🐕"), Row(word="katt", article="den", picture="foto-3")]
    problems = problems_of("", "", rows, EditorFiles.new(SessionFiles(tmp_path)), "sv")
    assert {(p.row, p.field) for p in problems} >= {(0, "title"), (2, "article"), (2, "picture")}
    text = problems_markdown(problems, rows, "sv")
    assert "**Kort 2 (katt)** · Bild: “foto-3” är ingen bild här." in text
    assert "**Kortleken** · Kortlekens namn: Ge kortleken ett namn." in text
    english = problems_markdown(problems_of("", "", rows, None, "en"), rows, "en")
    assert "**Card 2 (katt)** · Article (en/ett):" in english


def test_an_empty_deck_says_so_and_a_good_one_has_no_problems(tmp_path):
    assert [p.message for p in problems_of("T", "", [], None, "sv")] == ["Kortleken har inga kort än."]
    rows = [Row(word="hund", translation="dog", picture="emoji:🐕")]
    assert problems_of("T", "A1", rows, EditorFiles.new(SessionFiles(tmp_path)), "sv") == []
    assert problems_markdown([], rows, "en") == "✓ No problems — press **Use this deck**."


def test_the_picture_column_shows_each_picture_and_gives_back_its_reference(tmp_path):
    files, token = EditorFiles.new(SessionFiles(tmp_path)).add_picture(png(tmp_path / "foto.png"))
    secret = tmp_path / "secret.png"
    png(secret)
    rows = [Row(word="hund", picture="emoji:🐕"), Row(word="katt", picture=token), Row(word="räv", picture=str(secret))]
    value = table_value(rows, "sv", files)
    shown = [cells[5] for cells in value["data"]]
    assert shown[0].startswith("![emoji:🐕](data:image/webp;base64,") and shown[1].startswith(f"![{token}](data:")
    assert shown[2] == str(secret)  # a path is never read for the browser, only this session's files
    assert table_rows(value) == rows
    with Image.open(io.BytesIO(base64.b64decode(shown[0].split("base64,")[1].rstrip(")")))) as small:
        assert max(small.size) == 48


def test_what_is_not_a_picture_or_a_recording_is_refused_before_it_is_copied(tmp_path):
    """Issue 26: the editor's picture and recording events copied 20 MB of anything, a program named .png too."""
    files = EditorFiles.new(SessionFiles(tmp_path))
    program = tmp_path / "bild.png"
    program.write_bytes(b"MZ" + bytes(20 * 1024 * 1024))
    with pytest.raises(RefusedFile) as refused:
        files.add_picture(program)
    assert refused.value.text("sv") == "“bild.png” är ingen bild som går att läsa (använd PNG, JPEG eller WebP)"
    with pytest.raises(RefusedFile) as refused:
        files.add_recording(wav(tmp_path / "lång.wav", seconds=12))
    assert "12.0 s" in refused.value.text("en")
    with pytest.raises(RefusedFile):
        files.add_recording(program)
    assert not list(files.folder.iterdir())  # nothing of them was kept


def test_one_session_keeps_at_most_a_decks_worth_of_files(tmp_path, monkeypatch):
    monkeypatch.setattr(editor_files, "MOST_BYTES", 3 * 1024)
    files, _ = EditorFiles.new(SessionFiles(tmp_path)).add_recording(wav(tmp_path / "a.wav", seconds=0.05))  # 1.6 kB
    with pytest.raises(RefusedFile) as refused:
        files.add_recording(wav(tmp_path / "b.wav", seconds=0.05))
    assert "MB" in refused.value.text("en") and len(files.files) == 1
