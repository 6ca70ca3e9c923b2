"""Speech in and out: a browser recording prepared for Whisper, the model loaded and run, a class's
clips heard together (the batcher), and a card's word spoken to the learner."""
