"""A round of the game: the cards and their order, judging an answer, hints, the learner's progress
across visits, what the learner reads, and a learner's move that ties them together. No Gradio."""
