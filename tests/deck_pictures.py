"""The tests' name for benchmarks/pictures.py (a learner tells the card from its picture)."""

from benchmarks.pictures import PictureIndex, bundled_pictures  # noqa: F401
