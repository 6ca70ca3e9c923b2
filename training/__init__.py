"""Fine-tune Whisper for Swedish: `python -m training.train --config training/configs/whisper-small-sv.yaml`."""
