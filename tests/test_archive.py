import io
import stat
import zipfile
from pathlib import Path

import pytest
from deck_files import GOOD_DECK, patch_member, png, write_deck
from PIL import Image

from game.decks import archive
from game.decks.archive import UploadError, export_zip, load_upload
from game.decks.deck import load_deck


def png_bytes(size=(16, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def make_zip(path: Path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            if isinstance(data, zipfile.ZipInfo):
                zf.writestr(data, b"/etc/passwd")
            else:
                zf.writestr(name, data)
    return path


def upload_problems(files, dest, lang: str = "en") -> list[str]:
    with pytest.raises(UploadError) as err:
        load_upload(files, dest)
    return [p.text(lang) for p in err.value.problems]


@pytest.fixture
def dest(tmp_path):
    folder = tmp_path / "session"
    folder.mkdir()
    return folder


GOOD_MEMBERS = {"djur.yaml": GOOD_DECK, "djur/hund.png": png_bytes(), "djur/katt.png": png_bytes()}


@pytest.mark.parametrize(
    "members",
    [
        GOOD_MEMBERS,
        {"djur.yaml": GOOD_DECK, "hund.png": png_bytes(), "katt.png": png_bytes()},  # flat
        {f"Min kortlek/{k}": v for k, v in GOOD_MEMBERS.items()} | {"__MACOSX/._djur.yaml": b"junk"},
    ],
    ids=["deck-folder", "flat", "inside-a-folder"],
)
def test_good_zip_layouts(tmp_path, dest, members):
    deck = load_upload([make_zip(tmp_path / "djur.zip", members)], dest)
    assert deck.id == "djur" and [c.word for c in deck.cards] == ["hund", "katt"]
    assert deck.cards[0].image == dest / "djur" / "hund.png"
    assert all(p.is_relative_to(dest) for p in dest.rglob("*"))


def test_loose_files(tmp_path, dest):
    deck_file = write_deck(tmp_path / "src", GOOD_DECK, name="djur")
    files = [deck_file, *(deck_file.with_suffix("") / n for n in ("hund.png", "katt.png"))]
    deck = load_upload(files, dest)
    assert len(deck.cards) == 2 and (dest / "djur" / "katt.png").is_file()


def symlink_member() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("djur/hund.png")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    "members, expected",
    [
        (GOOD_MEMBERS | {"../../evil.png": png_bytes()}, "../../evil.png: points outside the deck's folder (`..`)"),
        (GOOD_MEMBERS | {"/tmp/evil.png": png_bytes()}, "/tmp/evil.png: has an absolute path"),
        (GOOD_MEMBERS | {"djur/run.sh": b"rm -rf /"}, "djur/run.sh: is not a file type a deck uses"),
        (
            {"djur.yaml": GOOD_DECK, "djur/katt.png": png_bytes(), "link": symlink_member()},
            "djur/hund.png: is a link; upload the file itself",
        ),
        ({"djur/hund.png": png_bytes()}, "upload: must hold exactly one deck file (.yaml); found none"),
        (
            GOOD_MEMBERS | {"mer.yaml": GOOD_DECK},
            "upload: must hold exactly one deck file (.yaml); found djur.yaml, mer.yaml",
        ),
        ({"a/djur.yaml": GOOD_DECK, "b/x.png": png_bytes()}, "b/x.png: is not in the folder of djur.yaml"),
    ],
    ids=["zip-slip", "absolute", "wrong-type", "symlink", "no-deck", "two-decks", "outside-deck-folder"],
)
def test_unsafe_or_confused_zips_are_refused(tmp_path, dest, members, expected):
    found = upload_problems([make_zip(tmp_path / "up.zip", members)], dest)
    assert any(p.startswith(expected) for p in found), found
    assert not (tmp_path / "evil.png").exists() and not Path("/tmp/evil.png").exists()


def test_deck_problems_name_the_file_as_the_teacher_knows_it(tmp_path, dest):
    text = GOOD_DECK.replace("translation: dog", "transaltion: dog")
    found = upload_problems([make_zip(tmp_path / "up.zip", GOOD_MEMBERS | {"djur.yaml": text})], dest)
    assert found == ["djur.yaml:8: unknown field `transaltion` in card 1 — did you mean `translation`?"]


def test_missing_picture_in_upload(tmp_path, dest):
    members = {k: v for k, v in GOOD_MEMBERS.items() if k != "djur/katt.png"}
    found = upload_problems([make_zip(tmp_path / "up.zip", members)], dest)
    assert found == ["djur.yaml:13: `image` in card 2 (katt): `katt.png` not found in djur/"]
    (dest / "again").mkdir()
    found = upload_problems([make_zip(tmp_path / "up.zip", members)], dest / "again", "sv")
    assert found == ["djur.yaml:13: `image` i kort 2 (katt): `katt.png` finns inte i djur/"]


def test_not_a_zip(tmp_path, dest):
    fake = tmp_path / "deck.zip"
    fake.write_bytes(b"not a zip at all")
    assert upload_problems([fake], dest) == ["deck.zip: is not a zip file that can be opened"]


def test_zip_plus_loose_files(tmp_path, dest):
    zipped = make_zip(tmp_path / "up.zip", GOOD_MEMBERS)
    assert upload_problems([zipped, png(tmp_path / "x.png")], dest)[0].startswith("up.zip: upload either one .zip")


def test_too_many_files(tmp_path, dest, monkeypatch):
    monkeypatch.setattr(archive, "MAX_UPLOAD_FILES", 2)
    zipped = make_zip(tmp_path / "up.zip", GOOD_MEMBERS)
    assert "upload: has 3 files; a deck may have at most 2" in upload_problems([zipped], dest)
    assert "uppladdningen: har 3 filer; en kortlek får ha högst 2" in upload_problems([zipped], dest, "sv")


def test_unpacked_size_is_counted_on_real_bytes(tmp_path, dest, monkeypatch):
    monkeypatch.setattr(archive, "MAX_UPLOAD_BYTES", 4000)
    bomb = GOOD_MEMBERS | {"djur/zeros.txt": b"\0" * 100_000}  # compresses to almost nothing
    assert upload_problems([make_zip(tmp_path / "up.zip", bomb)], dest) == ["upload: is bigger than 0 MB unpacked"]


def test_picture_too_large_in_pixels(tmp_path, dest):
    members = GOOD_MEMBERS | {"djur/hund.png": png_bytes((4100, 10))}
    found = upload_problems([make_zip(tmp_path / "up.zip", members)], dest)
    assert found == ["djur.yaml:9: picture `hund.png` is 4100×10 pixels; at most 4096 pixels a side"]


def test_export_round_trips(tmp_path, dest):
    deck = load_upload([make_zip(tmp_path / "djur.zip", GOOD_MEMBERS)], dest)
    zipped = export_zip(deck, tmp_path / "out.zip")
    assert sorted(zipfile.ZipFile(zipped).namelist()) == ["djur.yaml", "djur/hund.png", "djur/katt.png"]
    again = tmp_path / "again"
    again.mkdir()
    reloaded = load_upload([zipped], again)
    assert [(c.word, c.translation, c.also_accepted) for c in reloaded.cards] == [
        (c.word, c.translation, c.also_accepted) for c in deck.cards
    ]
    assert (again / "djur" / "hund.png").read_bytes() == (dest / "djur" / "hund.png").read_bytes()


def test_bundled_deck_exports_and_loads(tmp_path):
    from game.config import ROOT

    deck = load_deck(ROOT / "assets" / "decks" / "djur.yaml")
    dest = tmp_path / "d"
    dest.mkdir()
    assert len(load_upload([export_zip(deck, tmp_path / "djur.zip")], dest).cards) == len(deck.cards)


def test_a_password_protected_member_is_named(tmp_path, dest):
    zipped = patch_member(make_zip(tmp_path / "up.zip", GOOD_MEMBERS), "djur/katt.png", flags=0x1)
    assert upload_problems([zipped], dest) == [
        "djur/katt.png: is protected with a password; make the zip again without a password"
    ]
    assert upload_problems([zipped], dest, "sv") == [
        "djur/katt.png: är skyddad med lösenord; gör om zip-filen utan lösenord"
    ]


def test_a_damaged_member_is_named(tmp_path, dest):
    zipped = patch_member(make_zip(tmp_path / "up.zip", GOOD_MEMBERS), "djur/katt.png", flip_data=True)
    assert upload_problems([zipped], dest) == [
        "djur/katt.png: is damaged inside the zip and cannot be unpacked; make the zip again"
    ]


def test_a_file_and_a_folder_of_the_same_name(tmp_path, dest):
    members = GOOD_MEMBERS | {"djur/x.png": png_bytes(), "djur/x.png/y.png": png_bytes()}
    assert upload_problems([make_zip(tmp_path / "up.zip", members)], dest) == [
        "djur/x.png: is both a file and a folder in the upload; rename one of them"
    ]


def test_a_name_too_long_for_the_file_system(tmp_path, dest):
    name = "djur/" + "a" * 296 + ".png"  # 300 characters in one name: the file system refuses over 255 bytes
    [found] = upload_problems([make_zip(tmp_path / "up.zip", GOOD_MEMBERS | {name: png_bytes()})], dest)
    assert found.startswith("djur/aaa") and found.endswith(".png: has too long a name (300 characters); at most 100")


def test_the_size_limit_is_for_all_the_files_together(tmp_path, dest, monkeypatch):
    deck_file = write_deck(tmp_path / "src", GOOD_DECK, name="djur")
    files = [deck_file, *(deck_file.with_suffix("") / n for n in ("hund.png", "katt.png"))]
    monkeypatch.setattr(archive, "MAX_UPLOAD_BYTES", max(f.stat().st_size for f in files) + 1)
    assert upload_problems(files, dest) == ["upload: is bigger than 0 MB unpacked"]
    members = GOOD_MEMBERS | {"djur/notes.txt": b"x" * archive.MAX_UPLOAD_BYTES}  # each member fits
    assert upload_problems([make_zip(tmp_path / "up.zip", members)], dest) == ["upload: is bigger than 0 MB unpacked"]
