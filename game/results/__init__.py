"""The class's results on a shared deck: what is kept of an answer, how it is stored and written,
and the teacher's figures worked out from it."""
