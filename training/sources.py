"""Where (audio, text) pairs come from, each read as a `datasets` table of `audio`, `text` and
`speaker` (who said it, "" where the source does not say; held-out clips are drawn by speaker).

Offline, from folders laid out as their makers ship them:
- a Common Voice release (Mozilla's download, the `sv-SE` folder): `train.tsv`, `dev.tsv`,
  `test.tsv` (tab-separated, a header row, `client_id`, `path` and `sentence` among the columns)
  and `clips/*.mp3`;
- FLEURS `sv_se` (the `data/sv_se` folder of google/fleurs): `train.tsv`, `dev.tsv`, `test.tsv`
  (no header: id, file name, raw transcription, transcription, words, samples, gender) and
  `audio/train.tar.gz` … unpacked into `audio/train/*.wav` …;
- a manifest: `metadata.jsonl` / `metadata.csv` (or such a file itself), one row per clip with
  `audio` (a path relative to the manifest), `sentence` and, if known, `speaker`.
From the hub (or a local copy of a hub set, e.g. NST's parquet files) through `datasets`.

`check_source` opens a source the way training will, so a dry run finds a wrong folder.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from training.audio import read_audio
from training.config import DataSpec

CV_TABLES = {"train": "train.tsv", "validation": "dev.tsv", "dev": "dev.tsv", "test": "test.tsv"}
FLEURS_SPLITS = {"train": "train", "validation": "dev", "dev": "dev", "test": "test"}
FLEURS_COLUMNS = ("id", "file_name", "raw_transcription", "transcription", "words", "num_samples", "gender")
MANIFESTS = ("metadata.jsonl", "metadata.csv")
SPEAKER_COLUMNS = ("client_id", "speaker_id", "speaker")  # Common Voice's, then common names elsewhere

COLUMNS = ("audio", "text", "speaker")
Row = tuple[str, str, str]  # audio path, text, speaker ("" when unknown)


class SourceError(Exception):
    """A source that cannot be read, said so that the maintainer knows what to fix."""


def _fleurs_root(path: Path) -> Path:
    return path / "sv_se" if (path / "sv_se").is_dir() else path


def layout(spec: DataSpec) -> str:
    """`common_voice`, `fleurs` or `manifest` for a local source; "" for a hub set."""
    spec = spec.resolved()
    if spec.name == "hub" or not spec.path:
        return ""
    path = Path(spec.path).expanduser()
    if path.is_file() or any((path / name).is_file() for name in MANIFESTS):
        return "manifest"
    if (path / "clips").is_dir():
        return "common_voice"
    if (_fleurs_root(path) / "audio").is_dir():
        return "fleurs"
    if spec.name in ("common_voice", "fleurs", "local"):
        return spec.name if spec.name != "local" else "manifest"
    return ""  # e.g. a local copy of a hub set's parquet files: `datasets` reads it


def _table(path: Path) -> Path:
    if not path.is_file():
        raise SourceError(f"{path.parent} has no {path.name}")
    return path


def _common_voice_rows(root: Path, split: str, text_column: str) -> list[Row]:
    table = _table(root / CV_TABLES.get(split, f"{split}.tsv"))
    with open(table, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"path", text_column} - set(reader.fieldnames or ())
        if missing:
            raise SourceError(f"{table} has no column {', '.join(sorted(missing))}")
        return [(str(root / "clips" / row["path"]), row[text_column], row.get("client_id") or "") for row in reader]


def _fleurs_rows(root: Path, split: str, text_column: str) -> list[Row]:
    root = _fleurs_root(root)
    folder = FLEURS_SPLITS.get(split, split)
    table = _table(root / f"{folder}.tsv")
    audio = root / "audio" / folder
    if not audio.is_dir():
        archive = root / "audio" / f"{folder}.tar.gz"
        hint = f": unpack it first (tar -xzf {archive} -C {archive.parent})" if archive.is_file() else ""
        raise SourceError(f"FLEURS audio folder {audio} is missing{hint}")
    text_at = FLEURS_COLUMNS.index(text_column if text_column in FLEURS_COLUMNS else "raw_transcription")
    rows: dict[str, str] = {}  # a clip is listed once per file name, as the hub's loader reads it
    with open(table, encoding="utf-8", newline="") as f:
        for number, cells in enumerate(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            if len(cells) != len(FLEURS_COLUMNS):
                raise SourceError(f"{table} line {number}: {len(cells)} columns, FLEURS has {len(FLEURS_COLUMNS)}")
            rows.setdefault(str(audio / cells[1]), cells[text_at])
    return [(audio, text, "") for audio, text in rows.items()]  # FLEURS's tables name no speaker


def _manifest_rows(path: Path, audio_column: str, text_column: str) -> list[Row]:
    manifest = path if path.is_file() else next((path / n for n in MANIFESTS if (path / n).is_file()), None)
    if manifest is None:
        raise SourceError(
            f"{path} has no {' or '.join(MANIFESTS)}, and is neither a Common Voice release (clips/) "
            "nor a FLEURS folder (audio/)"
        )
    if manifest.suffix == ".csv":
        with open(manifest, encoding="utf-8", newline="") as f:
            records = list(csv.DictReader(f))
    else:
        records = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    for number, record in enumerate(records, start=1):
        if audio_column not in record or text_column not in record:
            raise SourceError(f"{manifest} row {number} has no `{audio_column}` or `{text_column}`")
    return [(str(manifest.parent / r[audio_column]), str(r[text_column]), _speaker(r)) for r in records]


def _speaker(record: dict) -> str:
    return next((str(record[c]) for c in SPEAKER_COLUMNS if record.get(c)), "")


def local_rows(spec: DataSpec) -> list[Row]:
    """(audio path, text, speaker) for every clip a local source lists, in its order."""
    spec = spec.resolved()
    kind, path = layout(spec), Path(spec.path).expanduser().resolve()
    if kind == "common_voice":
        rows = _common_voice_rows(path, spec.split, spec.text_column)
    elif kind == "fleurs":
        rows = _fleurs_rows(path, spec.split, spec.text_column)
    else:
        rows = _manifest_rows(path, spec.audio_column, spec.text_column)
    return rows[: spec.max_samples] if spec.max_samples else rows


def load_source(spec: DataSpec, streaming: bool = False):
    """A dataset (a stream with `streaming`) with three columns: `audio` (undecoded), `text` and `speaker`."""
    import datasets

    spec = spec.resolved()
    if layout(spec):
        rows = local_rows(spec)
        ds = datasets.Dataset.from_dict({name: [row[i] for row in rows] for i, name in enumerate(COLUMNS)})
        return ds.to_iterable_dataset() if streaming else ds
    ds = datasets.load_dataset(spec.path, spec.config or None, split=spec.split, streaming=streaming)
    ds = ds.cast_column(spec.audio_column, datasets.Audio(decode=False))
    speaker = next((c for c in SPEAKER_COLUMNS if c in (ds.column_names or ())), None)
    ds = ds.select_columns([spec.audio_column, spec.text_column, *([speaker] if speaker else [])])
    renames = {spec.audio_column: "audio", spec.text_column: "text", speaker: "speaker"}
    ds = ds.rename_columns({old: new for old, new in renames.items() if old and old != new})
    if not speaker:
        ds = ds.map(lambda row: {"speaker": ""})
    if spec.max_samples:
        ds = ds.take(spec.max_samples) if streaming else ds.select(range(min(spec.max_samples, len(ds))))
    return ds


@dataclass(frozen=True)
class Opened:
    """What opening a source found: how many clips it lists (None: a hub set that does not say)."""

    clips: int | None
    summary: str


def check_source(spec: DataSpec) -> Opened:
    """Open a source as training will (its table, its first clip; a hub set's builder and its
    columns) or raise SourceError."""
    spec = spec.resolved()
    if layout(spec):
        rows = local_rows(spec)
        if not rows:
            raise SourceError("it lists no clips")
        first = rows[0][0]
        if not Path(first).is_file():
            raise SourceError(f"its first clip {first} is missing")
        try:
            samples, rate = read_audio(first)
        except Exception as exc:  # soundfile's errors name no common base class worth catching
            raise SourceError(f"its first clip {first} cannot be decoded: {exc}") from exc
        return Opened(len(rows), f"{len(rows)} clips listed; the first ({len(samples) / rate:.1f} s) decodes")
    return _check_hub(spec)


def _check_hub(spec: DataSpec) -> Opened:
    import datasets

    what = f"the folder {spec.path}" if Path(spec.path).expanduser().is_dir() else f"the hub set {spec.path}"
    try:
        builder = datasets.load_dataset_builder(spec.path, spec.config or None)
    except Exception as exc:  # offline, gated, missing, or a loading script recent `datasets` refuses
        raise SourceError(
            f"{what} cannot be loaded by datasets {datasets.__version__}: "
            f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        ) from exc
    splits = builder.info.splits
    if splits and spec.split not in splits:
        raise SourceError(f"{what} has no split {spec.split!r} (it has {', '.join(splits)})")
    stream = datasets.load_dataset(spec.path, spec.config or None, split=spec.split, streaming=True)
    columns = stream.column_names or list(next(iter(stream)))  # a parquet set names them without a read
    for role, column, setting in (
        ("audio", spec.audio_column, "audio_column"),
        ("text", spec.text_column, "text_column"),
    ):
        if column not in columns:
            raise SourceError(
                f"{what} has no column `{column}` for the {role} (it has {', '.join(columns)}): "
                f"name its {role} column with `{setting}:` in this entry"
            )
    clips = splits[spec.split].num_examples if splits and splits[spec.split].num_examples else None
    listed = f"{clips} clips listed; " if clips else ""
    return Opened(
        clips,
        f"{listed}datasets {datasets.__version__} can load it, with `{spec.audio_column}` and `{spec.text_column}`",
    )


def content_key(spec: DataSpec, raw) -> str:
    """A digest of what a source holds, for the feature cache: for a local source its clips' paths,
    texts, sizes and modification times (a replaced release at the same path is a new key)."""
    if not layout(spec):
        return getattr(raw, "_fingerprint", "") or ""
    digest = hashlib.sha256()
    for audio, text, speaker in zip(raw["audio"], raw["text"], raw["speaker"]):
        stat = Path(audio).stat() if Path(audio).is_file() else None
        digest.update(json.dumps([audio, text, speaker, stat and stat.st_size, stat and stat.st_mtime_ns]).encode())
    return digest.hexdigest()
