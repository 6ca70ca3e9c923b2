"""Small corpus folders laid out exactly as their makers ship them, spoken by espeak-ng.

- Common Voice (Mozilla's release, the sv-SE folder): train.tsv, dev.tsv, test.tsv with the
  release's 11 columns and a header; clips/*.mp3 at 48 kHz.
- FLEURS (google/fleurs data/sv_se): train.tsv, dev.tsv, test.tsv with no header and 7 columns
  (id, file name, raw transcription, transcription, words, samples, gender); audio/{split}.tar.gz
  unpacked into audio/{split}/*.wav at 16 kHz.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile
import soxr
from conftest import espeak

CV_COLUMNS = [
    "client_id",
    "path",
    "sentence",
    "up_votes",
    "down_votes",
    "age",
    "gender",
    "accents",
    "variant",
    "locale",
    "segment",
]
CV_SPLITS = {"train": ["hund", "katt", "häst", "fågel", "mjölk"], "dev": ["bröd", "äpple"], "test": ["ost", "smör"]}
# Who said each clip (`client_id`): speakers repeat, across splits too, as in a real release.
CV_SPEAKERS = {"train": ["3f9a", "b71c", "3f9a", "e02d", "b71c"], "dev": ["e02d", "5c44"], "test": ["9d10", "9d10"]}
FLEURS_SPLITS = {"train": ["Solen skiner.", "Vi åker hem."], "dev": ["Det regnar."], "test": ["God natt."]}


def _spoken(text: str, tmp: Path, rate: int) -> np.ndarray:
    samples, source_rate = soundfile.read(espeak(text, tmp / "say.wav"), dtype="float32")
    return soxr.resample(samples, source_rate, rate).astype(np.float32)


def common_voice_release(
    root: Path, splits: dict[str, list[str]] = CV_SPLITS, speakers: dict[str, list[str]] = CV_SPEAKERS
) -> Path:
    (root / "clips").mkdir(parents=True, exist_ok=True)
    for split, sentences in splits.items():
        lines = ["\t".join(CV_COLUMNS)]
        for number, (sentence, speaker) in enumerate(zip(sentences, speakers[split], strict=True)):
            name = f"common_voice_sv-SE_{split}_{number}.mp3"
            soundfile.write(root / "clips" / name, _spoken(sentence, root, 48000), 48000, format="MP3")
            lines.append("\t".join([speaker, name, sentence, "2", "0", "", "", "", "", "sv-SE", ""]))
        (root / f"{split}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "say.wav").unlink()
    return root


def fleurs_release(root: Path, splits: dict[str, list[str]] = FLEURS_SPLITS) -> Path:
    """`root` is data/ of google/fleurs; the set itself is root/sv_se."""
    folder = root / "sv_se"
    for split, sentences in splits.items():
        (folder / "audio" / split).mkdir(parents=True, exist_ok=True)
        lines = []
        for number, raw in enumerate(sentences):
            name = f"{1000 + number}{split}.wav"
            samples = _spoken(raw, root, 16000)
            soundfile.write(folder / "audio" / split / name, samples, 16000)
            normalised = raw.lower().rstrip(".")
            words = " | ".join(normalised.split()) + " |"
            lines.append("\t".join([str(number), name, raw, normalised, words, str(len(samples)), "FEMALE"]))
        (folder / f"{split}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "say.wav").unlink()
    return folder
