import os
import subprocess
import sys
from pathlib import Path

import pytest
from deck_files import GOOD_DECK, damaged_png, png, wav, write_deck

from game.config import ROOT
from game.decks import deck as deck_module
from game.decks import media
from game.decks import problems as problem_texts
from game.decks.deck import CARD_FIELDS, DECK_FIELDS, DeckError, load_deck, load_decks, main
from game.texts import en, sv

DECKS = ROOT / "assets" / "decks"
CARD = "title: Djur\ncards:\n  - word: hund\n"  # line 3 is the card; its fields follow from line 4


def problems(path: Path) -> list[str]:
    with pytest.raises(DeckError) as err:
        load_deck(path)
    return [str(p) for p in err.value.problems]


def test_bundled_decks_load():
    decks, found = load_decks(DECKS)
    assert found == []
    assert len(decks) >= 1
    for deck in decks:
        assert all(c.translation and c.image.is_file() for c in deck.cards), deck.id


def test_good_deck(tmp_path):
    deck = load_deck(write_deck(tmp_path, GOOD_DECK))
    assert (deck.id, deck.title, deck.level, deck.description) == ("test", "Djur", "A1", "Några djur")
    hund = deck.cards[0]
    assert hund.also_accepted == ("vovve",) and hund.image == tmp_path / "test" / "hund.png"
    assert hund.answers == ("hund", "vovve", "en hund") and hund.hint == "Den skäller."
    assert deck.attribution == "Testbilder, CC0"


def test_pictures_in_subfolders_and_audio(tmp_path):
    png(tmp_path / "test" / "bilder" / "hund.jpg")
    wav(tmp_path / "test" / "ljud" / "hund.wav")
    deck = load_deck(write_deck(tmp_path, CARD + "    image: bilder/hund.jpg\n    audio: ljud/hund.wav\n", pictures=()))
    assert deck.cards[0].audio == tmp_path / "test" / "ljud" / "hund.wav"


# Each broken deck: its text, extra files to create, and the exact line that must be printed.
BROKEN = {
    "yaml syntax": (  # every kind of YAML mistake has its own test in test_yaml_errors.py
        "title: Djur\ncards: [\n",
        {},
        "test.yaml:2: the `[` that starts here is never closed — end it with `]` on the same line, "
        "or, if the value is text, put it in quotes",
    ),
    "a field twice": (  # PyYAML would silently keep the last one
        CARD + "    image: hund.png\n    word: katt\n",
        {},
        "test.yaml:5: `word` appears twice in card 1",
    ),
    "empty file": ("", {}, "test.yaml:1: the deck file is empty"),
    "no cards": ("title: Djur\ncards: []\n", {}, "test.yaml:2: the deck has no cards"),
    "no cards list": ("title: Djur\n", {}, "test.yaml:1: the deck has no `cards:` list"),
    "not a mapping": ("- hund\n- katt\n", {}, "test.yaml:1: the deck must be a mapping of `key: value` lines"),
    "missing title": (
        "cards:\n  - word: hund\n    image: hund.png\n",
        {},
        "test.yaml:1: the deck is missing the required field `title`",
    ),
    "typo in a field": (
        CARD + "    transaltion: dog\n    image: hund.png\n",
        {},
        "test.yaml:4: unknown field `transaltion` in card 1 — did you mean `translation`?",
    ),
    "typo in a deck field": (
        "titel: Djur\ncards: []\n",
        {},
        "test.yaml:1: unknown field `titel` in the deck — did you mean `title`?",
    ),
    "missing word": (
        "title: Djur\ncards:\n  - image: hund.png\n",
        {},
        "test.yaml:3: card 1 is missing the required field `word`",
    ),
    "missing image": (CARD, {}, "test.yaml:3: card 1 (hund) is missing the required field `image`"),
    "wrong type": (
        "title: Djur\ncards:\n  - word: 12\n    image: hund.png\n",
        {},
        "test.yaml:3: `word` in card 1 must be text — put `12` in quotes",
    ),
    "list where text belongs": (
        CARD + "    image: [hund.png]\n",
        {},
        "test.yaml:4: `image` in card 1 (hund) must be text, not a list or mapping",
    ),
    "bad article": (
        CARD + "    image: hund.png\n    article: den\n",
        {},
        "test.yaml:5: `article` in card 1 (hund) must be `en` or `ett`, not `den`",
    ),
    "also_accepted mapping": (
        CARD + "    image: hund.png\n    also_accepted: {a: b}\n",
        {},
        "test.yaml:5: `also_accepted` in card 1 (hund) must be a list of words, e.g. `[vovve, hundvalp]`",
    ),
    "empty word": (
        "title: Djur\ncards:\n  - word:\n    image: hund.png\n",
        {},
        "test.yaml:3: `word` in card 1 is empty",
    ),
    "card not a mapping": (
        "title: Djur\ncards:\n  - hund\n",
        {},
        "test.yaml:3: card 1 must be a mapping of `key: value` lines",
    ),
    "missing picture": (
        CARD + "    image: häst.png\n",
        {},
        "test.yaml:4: `image` in card 1 (hund): `häst.png` not found in {folder}/",
    ),
    "not really a picture": (
        CARD + "    image: fake.png\n",
        {"fake.png": b"this is text"},
        "test.yaml:4: picture `fake.png` is not a picture PIL can read (use PNG, JPEG or WebP)",
    ),
    "truncated picture": (
        CARD + "    image: half.png\n",
        {"half.png": "half"},
        "test.yaml:4: picture `half.png` is not a picture PIL can read (use PNG, JPEG or WebP)",
    ),
    "picture whose pixels are damaged": (
        CARD + "    image: trasig.png\n",
        {"trasig.png": "damaged"},
        "test.yaml:4: picture `trasig.png` is damaged: its pixels cannot be read (save it again from an image program)",
    ),
    "picture too many pixels": (
        CARD + "    image: wide.png\n",
        {"wide.png": (5000, 2)},
        "test.yaml:4: picture `wide.png` is 5000×2 pixels; at most 4096 pixels a side",
    ),
    "not really audio": (
        CARD + "    image: hund.png\n    audio: hund.wav\n",
        {"hund.wav": b"RIFF nonsense"},
        "test.yaml:5: recording `hund.wav` is not a recording soundfile can read (use WAV, FLAC, OGG or MP3)",
    ),
    "audio too long": (
        CARD + "    image: hund.png\n    audio: lång.wav\n",
        {"lång.wav": 11.0},
        "test.yaml:5: recording `lång.wav` is 11.0 s long; at most 10 s",
    ),
    "missing audio": (
        CARD + "    image: hund.png\n    audio: hund.ogg\n",
        {},
        "test.yaml:5: `audio` in card 1 (hund): `hund.ogg` not found in {folder}/",
    ),
    "path escapes with ..": (
        CARD + "    image: ../hemlig.png\n",
        {},
        "test.yaml:4: `image` in card 1 (hund) must stay inside test/ (no `..`)",
    ),
    "absolute path": (
        CARD + "    image: /etc/passwd\n",
        {},
        "test.yaml:4: `image` in card 1 (hund) must be a path inside test/, not an absolute path",
    ),
    "windows absolute path": (
        CARD + "    image: 'C:\\bilder\\hund.png'\n",
        {},
        "test.yaml:4: `image` in card 1 (hund) must be a path inside test/, not an absolute path",
    ),
    "symlink pointing out": (
        CARD + "    image: länk.png\n",
        {"länk.png": "symlink-out"},
        "test.yaml:4: `image` in card 1 (hund): `länk.png` is a link to a file outside test/",
    ),
    "duplicate after normalisation": (
        "title: Djur\ncards:\n  - word: hund\n    image: hund.png\n  - word: 'En Hund!'\n    image: katt.png\n",
        {},
        "test.yaml:5: `En Hund!` is the same answer as card 1 (`hund`)",
    ),
    "also_accepted is another card's word": (
        "title: Djur\ncards:\n  - word: hund\n    image: hund.png\n    also_accepted: [vovve, Katt]\n"
        "  - word: katt\n    image: katt.png\n",
        {},
        "test.yaml:5: `Katt`, accepted for card 1 (hund), is card 2's word (`katt`) — the game could not tell them apart",
    ),
    "word with no letters": (
        "title: Djur\ncards:\n  - word: '!!!'\n    image: hund.png\n",
        {},
        "test.yaml:3: card 1 (!!!): `!!!` has no letters to say",
    ),
    "word too long": (
        "title: Djur\ncards:\n  - word: " + "a" * 41 + "\n    image: hund.png\n",
        {},
        f"test.yaml:3: card 1 ({'a' * 41}): `{'a' * 41}` is 41 characters; an answer may have at most 40",
    ),
    "a sentence is not one answer": (
        "title: Djur\ncards:\n  - word: det är en hund\n    image: hund.png\n",
        {},
        "test.yaml:3: card 1 (det är en hund): `det är en hund` is not one answer; at most 3 words",
    ),
    "nested too deep": (  # PyYAML composes recursively: this was a RecursionError
        "title: Djur\ncards:\n" + "- " * 10_000 + "hund\n",
        {},
        "test.yaml:3: too many levels inside each other here (more than 20); a deck needs only a few — "
        "check the brackets and the indentation",
    ),
    "nested too deep over many lines": (
        "title: Djur\ncards:\n" + "".join(f"{'  ' * level}-\n" for level in range(30)),
        {},
        "test.yaml:22: too many levels inside each other here (more than 20); a deck needs only a few — "
        "check the brackets and the indentation",
    ),
    "a list as a field name": (
        CARD + "    image: hund.png\n    ? [a, b]\n    : c\n",
        {},
        "test.yaml:5: a field name in card 1 must be a word, like `word:` — not a list or mapping",
    ),
    "a repeat inside itself": (  # printing the key was a RecursionError
        "title: Djur\n? &a [*a]\n: x\ncards: []\n",
        {},
        "test.yaml:2: `*a` repeats something that contains itself, so it never ends — remove it",
    ),
    "a character YAML does not allow": (  # was a ReaderError: the teacher saw "Error"
        "title: Djur\ncards:\n  - word: hu\0nd\n",
        {},
        "test.yaml:3: there is an invisible control character here (U+0000) that a deck may not contain — "
        "delete it, e.g. by typing the line again",
    ),
    "alternative too long": (
        CARD + "    image: hund.png\n    also_accepted: [en mycket stor och snäll hund]\n",
        {},
        "test.yaml:5: `also_accepted` in card 1 (hund): `en mycket stor och snäll hund` is not one answer; at most 3 words",
    ),
}


def make_broken(tmp_path: Path, text: str, extras: dict) -> Path:
    path = write_deck(tmp_path / "decks", text)
    folder = path.with_suffix("")
    for name, content in extras.items():
        target = folder / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        elif content == "half":
            png(target, size=(64, 64))
            target.write_bytes(target.read_bytes()[:60])
        elif content == "damaged":
            damaged_png(target)
        elif content == "symlink-out":
            png(tmp_path / "outside.png")
            target.symlink_to(tmp_path / "outside.png")
        elif isinstance(content, tuple):
            png(target, size=content)
        elif isinstance(content, float):
            wav(target, seconds=content)
    return path


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_each_mistake_is_reported_with_file_line_and_message(tmp_path, case):
    text, extras, expected = BROKEN[case]
    path = make_broken(tmp_path, text, extras)
    expected = f"{path.parent}/" + expected.format(folder=path.with_suffix(""))
    assert expected in problems(path)


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_each_mistake_reads_in_swedish_at_the_same_place(tmp_path, case):
    text, extras, _ = BROKEN[case]
    with pytest.raises(DeckError) as err:
        load_deck(make_broken(tmp_path, text, extras))
    for problem in err.value.problems:
        english, swedish = problem.text("en"), problem.text("sv")
        where = english[: english.index(": ")]
        assert swedish.startswith(f"{where}: ") and swedish != english


def test_a_problem_in_swedish_names_the_same_field_and_file(tmp_path):
    text, extras, _ = BROKEN["missing picture"]
    path = make_broken(tmp_path, text, extras)
    with pytest.raises(DeckError) as err:
        load_deck(path)
    assert [p.text("sv") for p in err.value.problems] == [
        f"{path}:4: `image` i kort 1 (hund): `häst.png` finns inte i {path.with_suffix('')}/"
    ]


def test_every_problem_text_is_in_both_languages():
    assert {k for k in sv.TEXTS if k.startswith("problem.")} == {k for k in en.TEXTS if k.startswith("problem.")}
    with pytest.raises(KeyError):
        problem_texts.Phrase("no_such_problem")


def test_check_command_prints_the_same_lines(tmp_path, capsys):
    for case in ("typo in a field", "missing picture"):
        text, extras, _ = BROKEN[case]
        make_broken(tmp_path / case.replace(" ", "-"), text, extras)
    assert (
        main(
            [
                "check",
                str(tmp_path / "typo-in-a-field" / "decks"),
                str(tmp_path / "missing-picture" / "decks" / "test.yaml"),
            ]
        )
        == 1
    )
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{tmp_path}/typo-in-a-field/decks/test.yaml:4: unknown field `transaltion` in card 1 — did you mean `translation`?",
        f"{tmp_path}/missing-picture/decks/test.yaml:4: `image` in card 1 (hund): `häst.png` not found in "
        f"{tmp_path}/missing-picture/decks/test/",
    ]
    assert err.strip() == "2 problems in 2 of 2 decks"


def test_check_command_explains_a_yaml_mistake_and_gives_the_parser_s_words_when_asked(tmp_path):
    path = write_deck(tmp_path, GOOD_DECK.replace("    translation: dog", "    translation dog"))
    explained = f"{path}:8: `translation dog` has no colon after the field name — write `translation: dog`"
    for verbose in ([], ["-v"]):
        result = subprocess.run(
            [sys.executable, "-m", "game.decks.deck", "check", *verbose, str(tmp_path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1 and result.stderr.strip() == "1 problem in 1 of 1 deck"
        if verbose:  # for a maintainer: what PyYAML itself said
            assert result.stdout.splitlines() == [
                explained,
                "    PyYAML ScannerError: while scanning a simple key (line 8, column 5); "
                "could not find expected ':' (line 9, column 5)",
            ]
        else:
            assert result.stdout.splitlines() == [explained]


def test_a_yaml_mistake_is_logged_in_the_parser_s_words(tmp_path, caplog):
    path = write_deck(tmp_path, GOOD_DECK.replace("    translation: dog", "      translation: dog"))
    with caplog.at_level("INFO", logger="game.decks.deck"), pytest.raises(DeckError) as err:
        load_deck(path)
    [problem] = err.value.problems
    assert (problem.line, problem.message.key) == (8, "yaml_indented_more")
    assert f"{path}:8: PyYAML ScannerError: mapping values are not allowed here (line 8, column 18)" in caplog.text


def test_picture_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(media, "MAX_IMAGE_BYTES", 100)
    path = write_deck(tmp_path, CARD + "    image: hund.png\n")
    (path.with_suffix("") / "hund.png").write_bytes(b"\0" * 300)
    assert problems(path) == [f"{path}:4: picture `hund.png` is 0.0 MB; pictures may be at most 0 MB"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_picture(tmp_path):
    path = write_deck(tmp_path, CARD + "    image: hund.png\n")
    (path.with_suffix("") / "hund.png").chmod(0)
    assert problems(path) == [f"{path}:4: picture `hund.png` cannot be read (no permission)"]


def test_every_problem_is_reported_at_once(tmp_path):
    text = "title: Djur\ncards:\n  - word: hund\n  - word: katt\n    image: saknas.png\n"
    assert len(problems(write_deck(tmp_path, text))) == 2


def test_check_command_clean_run(tmp_path):
    write_deck(tmp_path, GOOD_DECK, name="djur")
    write_deck(tmp_path, GOOD_DECK, name="mer")
    result = subprocess.run(
        [sys.executable, "-m", "game.decks.deck", "check", str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.strip() == "2 decks, 4 cards OK"


def test_check_command_defaults_to_the_bundled_decks():
    result = subprocess.run(
        [sys.executable, "-m", "game.decks.deck", "check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("cards OK")


def test_check_command_on_an_empty_folder(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 1
    assert "no deck files" in capsys.readouterr().err


def test_a_broken_deck_is_skipped_and_the_others_load(tmp_path):
    write_deck(tmp_path, GOOD_DECK, name="bra")
    write_deck(tmp_path, "title: Trasig\ncards: []\n", name="trasig")
    decks, found = load_decks(tmp_path)
    assert [d.id for d in decks] == ["bra"]
    assert [str(p) for p in found] == [f"{tmp_path}/trasig.yaml:2: the deck has no cards"]


@pytest.mark.parametrize("guide", ["README.md", "README.sv.md"])
def test_the_documented_example_is_a_valid_deck(tmp_path, guide):
    readme = (DECKS / guide).read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = write_deck(tmp_path, example, name="djur", pictures=("hund.png",))
    png(tmp_path / "djur" / "katt.jpg")
    wav(tmp_path / "djur" / "hund.wav")
    deck = load_deck(path)
    assert [c.word for c in deck.cards] == ["hund", "katt"] and deck.cards[1].attribution.startswith("Foto av Erik")


@pytest.mark.parametrize("guide", ["README.md", "README.sv.md"])
def test_the_teachers_guide_names_every_field(guide):
    readme = (DECKS / guide).read_text(encoding="utf-8")
    assert [f for f in (*DECK_FIELDS, *CARD_FIELDS) if f"| `{f}` |" not in readme] == []


def alias_bomb(width: int, levels: int) -> str:
    """Each level repeats the one below `width` times; the last is used as a field name, so writing the
    name out (as today's checker did, to print it) meets width**levels words."""
    lines = ["title: Djur", "a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "\n".join(lines) + f"\n? *a{levels - 1}\n: x\ncards: []\n"


def test_repeats_that_would_write_out_a_huge_deck_are_refused_at_once(tmp_path):
    # Before the limit: a few seconds and ~100 MB here; the tester's 310-byte version took 23 s and 1.35 GB.
    path = write_deck(tmp_path, alias_bomb(width=28, levels=3))
    assert path.stat().st_size < 500
    assert problems(path) == [
        f"{path}:4: `*a1` repeats so much that the deck, written out in full, would be far too big"
    ]


def test_repeats_used_as_a_field_name_count_in_full(tmp_path):
    text = "title: Djur\nx: &x [a, b, c]\n? *x\n: y\n? *x\n: z\ncards: []\n"
    path = write_deck(tmp_path, text)
    assert deck_module.MAX_NODES > 20  # so the limit is met only when the field names are counted
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(deck_module, "MAX_NODES", 14)
        assert problems(path) == [
            f"{path}:5: `*x` repeats so much that the deck, written out in full, would be far too big"
        ]


def test_too_many_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(deck_module, "MAX_NODES", 100)
    path = write_deck(tmp_path, "title: Djur\ncards:\n" + "  - hund\n" * 200)
    assert problems(path) == [
        f"{path}:100: the deck has more than 100 entries (fields, words and list items) — far more than a deck needs; "
        "is it the right file?"
    ]


def test_a_deck_file_over_the_size_limit_is_not_read(tmp_path):
    path = write_deck(tmp_path, "title: Djur\n# " + "x" * 256 * 1024 + "\ncards: []\n")  # a comment: quick to parse
    assert problems(path) == [
        f"{path}: the deck file is bigger than 256 KB — far more than a deck needs (300 cards take about 60 KB); "
        "is it the right file?"
    ]


def test_a_big_real_deck_is_well_within_the_limits(tmp_path):
    card = (
        "  - word: ord{n}\n    article: en\n    translation: word {n}\n    image: hund.png\n"
        "    also_accepted: [ordet{n}, ett ord{n}]\n    hint: Ett ord som börjar på o, nummer {n}.\n"
        "    attribution: Foto av Erik Svensson, CC BY-SA 4.0\n"
    )
    path = write_deck(tmp_path, "title: Stor\ncards:\n" + "".join(card.format(n=n) for n in range(300)))
    assert path.stat().st_size < 128 * 1024  # half the limit
    assert len(load_deck(path).cards) == 300


def test_a_huge_word_is_quoted_shortened(tmp_path):
    path = write_deck(tmp_path, "title: Djur\ncards:\n  - word: " + "a" * 100_000 + "\n    image: hund.png\n")
    [problem] = problems(path)
    assert len(problem) < 1000 and "is 100000 characters; an answer may have at most 40" in problem


def test_check_command_reports_a_too_deep_deck_without_a_traceback(tmp_path, capsys):
    path = make_broken(tmp_path, *BROKEN["nested too deep"][:2])
    assert main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{path}:3: " + BROKEN["nested too deep"][2].split(": ", 1)[1]]
    assert err.strip() == "1 problem in 1 of 1 deck"
