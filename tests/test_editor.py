"""The deck editor's core: rows ↔ deck files, pasted lists, problems beside their field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from deck_files import ROOT_DECKS, png, wav
from PIL import Image

from game.decks import editor, media
from game.decks.archive import load_upload
from game.decks.deck import load_deck
from game.decks.editor import (
    DECK,
    Draft,
    FieldProblem,
    PasteError,
    Row,
    check,
    draft_from_deck,
    draft_zip,
    paste_rows,
    prepare_picture,
    write_deck,
)
from game.decks.store import DeckStore
from game.pictures import library

RED, BLUE = (255, 0, 0), (0, 0, 255)


def parsed(text: str) -> list[tuple[str, ...]]:
    return [(r.word, r.article, r.translation, r.clue, r.also) for r in paste_rows(text, pictures=False)]


def test_paste_tabs_articles_and_line_ends():
    text = "ord\töversättning\r\nen hund\tdog\r\n\r\n   \nkatt\ten\tcat\r\nett\täpple\tapple\tfrukt\träppel\n"
    assert parsed(text) == [
        ("hund", "en", "dog", "", ""),
        ("katt", "en", "cat", "", ""),
        ("äpple", "ett", "apple", "frukt", "räppel"),
    ]


def test_paste_without_tabs_tries_semicolon_then_dash():
    text = "Ett  Hus; house\nen bil - car\nsol\nen\n"
    assert parsed(text) == [
        ("Hus", "ett", "house", "", ""),
        ("bil", "en", "car", "", ""),
        ("sol", "", "", "", ""),
        ("en", "", "", "", ""),  # a word alone that is an article stays the word
    ]


def test_paste_fills_in_library_pictures():
    rows = paste_rows("hund\tdog\nxqzzvy\tqqxyzw\n")
    assert rows[0].picture == "bundled:djur/hund.png"
    assert rows[1].picture == ""


def test_too_many_lines_is_a_problem_not_a_crash():
    with pytest.raises(PasteError) as err:
        paste_rows("ord\tword\n" + "hund\tdog\n" * (editor.MAX_CARDS + 1), pictures=False)
    assert "301" in err.value.text("sv") and "högst 300" in err.value.text("sv")
    assert "at most 300 cards" in err.value.text("en")


def test_rows_from_a_table_with_empty_cells():
    row = Row.from_cells(["hund", None, float("nan"), " skäller ", 3])
    assert row == Row(word="hund", clue="skäller", also="3")
    assert Row.from_cells(row.cells()) == row


def card_fields(deck) -> list[tuple]:
    return [(c.word, c.article, c.translation, c.hint, c.also_accepted, c.attribution) for c in deck.cards]


def test_round_trip_through_a_zip(tmp_path):
    draft = Draft(
        'Mina djur: "bästa" #1',
        "A1",
        (
            Row(
                "hund",
                "en",
                "dog",
                "Den skäller.",
                "vovve, hundvalp",
                "bundled:djur/hund.png",
                str(wav(tmp_path / "h.wav")),
            ),
            Row("no", "", "12", "a: b # c", "", str(png(tmp_path / "no.png"))),
            Row("jordgubbe 🍓", "en", "strawberry", picture=str(png(tmp_path / "j.jpg", (40, 20)))),
        ),
    )
    deck = load_upload([draft_zip(draft, tmp_path / "draft.zip")], tmp_path / "dest")
    assert deck.title == draft.title and deck.level == "A1"
    assert card_fields(deck) == [
        ("hund", "en", "dog", "Den skäller.", ("vovve", "hundvalp"), editor.LIBRARY_CREDIT),
        ("no", "", "12", "a: b # c", (), ""),
        ("jordgubbe 🍓", "en", "strawberry", "", (), ""),
    ]
    assert deck.cards[0].image.read_bytes() == (ROOT_DECKS / "djur" / "hund.png").read_bytes()
    assert deck.cards[0].audio.read_bytes() == (tmp_path / "h.wav").read_bytes()
    assert [c.audio for c in deck.cards[1:]] == [None, None]
    assert draft_from_deck(deck).rows[1:] == tuple(
        Row(r.word, r.article, r.translation, r.clue, r.also, str(c.image))
        for r, c in zip(draft.rows[1:], deck.cards[1:])
    )


def test_a_bundled_deck_opens_and_writes_back_the_same(tmp_path):
    original = load_deck(ROOT_DECKS / "vardag.yaml")
    draft = draft_from_deck(original)
    assert draft.rows[0].picture == "bundled:vardag/hund.png" and draft.attribution == original.attribution
    copy = load_deck(write_deck(draft, tmp_path))
    assert (copy.title, copy.description, copy.level, copy.attribution) == (
        original.title,
        original.description,
        original.level,
        original.attribution,
    )
    assert card_fields(copy) == card_fields(original)
    assert [c.image.read_bytes() for c in copy.cards] == [c.image.read_bytes() for c in original.cards]


def test_cards_with_the_same_picture_name_keep_their_own_pictures(tmp_path):
    red, blue = (
        png(tmp_path / "a" / "bild.png", color=(*RED, 255)),
        png(tmp_path / "b" / "bild.png", color=(*BLUE, 255)),
    )
    draft = Draft(
        "Färger", rows=(Row("räv", picture=str(red)), Row("rav", picture=str(blue)), Row("Räv!", picture=str(blue)))
    )
    folder = write_deck(draft, tmp_path / "out").with_suffix("")
    images = [card["image"] for card in yaml.safe_load(folder.with_suffix(".yaml").read_text())["cards"]]
    assert images == ["rav.png", "rav-2.png", "rav-3.png"]
    colours = [Image.open(folder / name).convert("RGB").getpixel((0, 0)) for name in images]
    assert colours == [RED, BLUE, BLUE]


def near(pixel: tuple, colour: tuple) -> bool:
    """The same colour give or take JPEG's rounding."""
    return all(abs(a - b) <= 8 for a, b in zip(pixel, colour))


def phone_photo(path: Path) -> Path:
    """Stored tall, top half red; EXIF orientation 6: turn it a quarter clockwise to show it."""
    stored = Image.new("RGB", (300, 600), BLUE)
    stored.paste(RED, (0, 0, 300, 300))
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(path, exif=exif)
    return path


def assert_upright_square(path: Path) -> None:
    with Image.open(path) as shown:
        assert shown.format == "PNG" and shown.size == (512, 512)
        shown = shown.convert("RGBA")
        assert near(shown.getpixel((500, 256)), RED) and near(shown.getpixel((10, 256)), BLUE)  # red top now right
        assert shown.getpixel((256, 10))[3] == 0  # wider than tall: transparent above


def test_a_phone_photo_comes_out_square_and_upright(tmp_path):
    photo = phone_photo(tmp_path / "IMG_0001.JPG")
    draft = Draft("Foto", rows=(Row("foto", picture=str(photo)), Row("katt", picture="bundled:djur/katt.png")))
    deck = load_deck(write_deck(draft, tmp_path / "out"))
    assert_upright_square(deck.cards[0].image)
    assert deck.cards[1].image.read_bytes() == (ROOT_DECKS / "djur" / "katt.png").read_bytes()


def test_a_photo_prepared_on_arrival_is_written_as_it_is(tmp_path):
    prepared = Path(prepare_picture(phone_photo(tmp_path / "IMG_0002.jpg"), tmp_path))
    assert prepared.parent == tmp_path and prepared.suffix == ".png"
    assert_upright_square(prepared)
    deck = load_deck(write_deck(Draft("Foto", rows=(Row("foto", picture=str(prepared)),)), tmp_path / "out"))
    assert deck.cards[0].image.read_bytes() == prepared.read_bytes()
    broken = tmp_path / "trasig.png"
    broken.write_text("not a picture")
    assert prepare_picture(broken, tmp_path) == str(broken)  # left for check() to say why


def test_a_full_size_phone_photo_is_shrunk_not_refused(tmp_path):
    """8064×6048 pixels and over 5 MB, as a phone saves it: past a deck picture's limits, so the editor
    shrinks it as it arrives; a picture wider than any photo is still left for check() to refuse."""
    size = (8064, 6048)
    sky = Image.linear_gradient("L").resize(size)
    grain = Image.effect_noise(size, 20)  # a camera's grain: about 14 MB as a JPEG
    photo = tmp_path / "IMG_4032.jpg"
    Image.merge("RGB", (grain, sky, sky.transpose(Image.Transpose.ROTATE_180))).save(photo, quality=90)
    assert photo.stat().st_size > media.MAX_IMAGE_BYTES and media.image_problem(photo) is not None
    prepared = Path(prepare_picture(photo, tmp_path))
    with Image.open(prepared) as shown:
        assert (shown.format, shown.size) == ("PNG", (512, 512))
    assert check(Draft("Foto", rows=(Row("foto", picture=str(prepared)),))) == []
    panorama = tmp_path / "panorama.png"
    Image.new("RGB", (media.MAX_PHOTO_SIDE + 1, 8)).save(panorama)
    assert prepare_picture(panorama, tmp_path) == str(panorama)
    (problem,) = check(Draft("Foto", rows=(Row("foto", picture=str(panorama)),)), "en")
    assert "12001×8 pixels" in problem.message


def test_an_emoji_picture_is_drawn(tmp_path):
    if library.Picture("emoji", "🐶", "", "").problem:
        pytest.skip("no Noto Color Emoji font (apt-get install fonts-noto-color-emoji)")
    deck = load_deck(write_deck(Draft("Emoji", rows=(Row("hund", picture="emoji:🐶"),)), tmp_path))
    with Image.open(deck.cards[0].image) as picture:
        assert picture.format == "PNG" and picture.width == picture.height


@pytest.fixture
def broken(tmp_path) -> Draft:
    """Cards with one problem each (card 1 is fine); the title is missing."""
    text = tmp_path / "ko.png"
    text.write_text("not a picture")
    noise = tmp_path / "gris.wav"
    noise.write_text("not a recording")
    rows = (
        Row("hund", "en", "dog", picture="bundled:djur/hund.png"),
        Row("", picture="bundled:djur/katt.png"),
        Row("a" * 41, picture="bundled:djur/katt.png"),
        Row("katt", "den", picture="bundled:djur/katt.png"),
        Row("häst", "en", "horse"),
        Row("ko", picture=str(text)),
        Row("Hund!", picture="bundled:djur/hund.png"),
        Row("gris", also="ko", picture="bundled:djur/hund.png", recording=str(noise)),
    )
    return Draft("", rows=rows)


def test_problems_land_on_their_row_and_field(broken):
    found = check(broken, "en")
    assert [p.row for p in found] == sorted(p.row for p in found)
    where = {(p.row, p.field): p.message for p in found}
    assert len(where) == len(found)
    assert set(where) == {
        (0, "title"),
        (2, "word"),
        (3, "word"),
        (4, "article"),
        (5, "picture"),
        (6, "picture"),
        (7, "word"),
        (8, "recording"),
        (8, "also"),
    }
    assert "word is missing" in where[2, "word"] and "41 characters" in where[3, "word"]
    assert "“den”" in where[4, "article"] and where[5, "picture"].startswith("the card has no picture yet")
    assert "is not a picture" in where[6, "picture"] and "card 1" in where[7, "word"]
    assert "not a recording" in where[8, "recording"] and "card 6" in where[8, "also"]
    assert not any("sagdet-check" in message for message in where.values())
    # The table names the card and column beside each message: no field names of the deck file in it.
    file_fields = ("`word`", "`image`", "`article`", "`audio`", "`hint`", "also_accepted", "in card")
    assert not [message for message in where.values() if any(name in message for name in file_fields)]


def test_problems_in_swedish_by_default(broken):
    swedish = {(p.row, p.field): p.message for p in check(broken)}
    english = {(p.row, p.field): p.message for p in check(broken, "en")}
    assert swedish.keys() == english.keys()
    assert swedish[2, "word"].startswith("ordet saknas") and "samma ord som kort 1" in swedish[7, "word"]
    assert "är ingen bild" in swedish[6, "picture"]


def test_a_good_draft_has_no_problems():
    assert check(Draft("Djur", rows=(Row("hund", "en", "dog", picture="bundled:djur/hund.png"),))) == []


def test_deck_wide_problems(monkeypatch):
    assert check(Draft("Tom"), "en") == [FieldProblem(0, DECK, "the deck has no cards")]
    monkeypatch.setattr(editor, "MAX_CARDS", 2)
    rows = tuple(Row(word, picture="bundled:djur/hund.png") for word in ("a", "b", "c"))
    assert check(Draft("Tre", rows=rows), "en") == [
        FieldProblem(0, DECK, "The deck has 3 cards; a shared deck may have at most 2.")
    ]


def test_a_library_picture_this_server_cannot_draw(monkeypatch, tmp_path):
    monkeypatch.setattr(library, "FONT", tmp_path / "NotoColorEmoji.ttf")
    found = check(Draft("Emoji", rows=(Row("hund", picture="emoji:🐶"),)), "sv")
    assert [(p.row, p.field) for p in found] == [(1, "picture")]
    assert "Noto Color Emoji" in found[0].message and "saknas" in found[0].message


def test_a_published_draft_plays_the_same_words(tmp_path):
    rows = paste_rows("en hund\tdog\nen katt\tcat\nett hus\thouse\n")
    draft = Draft("Delad", "A1", tuple(rows))
    store = DeckStore(tmp_path / "data")
    try:
        published = store.publish([draft_zip(draft, tmp_path / "delad.zip")], caller="t")
        deck = store.open(published.code, caller="t")
    finally:
        store.close()
    assert [(c.article, c.word, c.translation) for c in deck.cards] == [
        ("en", "hund", "dog"),
        ("en", "katt", "cat"),
        ("ett", "hus", "house"),
    ]
    assert all(Path(c.image).is_file() for c in deck.cards)


def test_a_comma_separated_list_is_a_card_for_each_word():
    assert [row.word for row in paste_rows("katt, hund, äpple", pictures=False)] == ["katt", "hund", "äpple"]
    (row,) = paste_rows("hund\tdog\t\tvovve, valp", pictures=False)  # in columns, commas stay in theirs
    assert (row.word, row.also) == ("hund", "vovve, valp")


def test_typed_rows_get_the_picture_pasted_rows_get():
    typed = [Row("hund"), Row("katt", picture="emoji:🐈"), Row("", translation="cat")]
    pictured = editor.with_library_pictures(typed)
    assert pictured[0].picture == paste_rows("hund")[0].picture and pictured[0].picture
    assert pictured[1:] == typed[1:]  # a chosen picture stays; a row without a word gets none
