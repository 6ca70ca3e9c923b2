"""Decks: the YAML format and its checks (problems said to a teacher in plain words), pictures and
recordings, uploads, the editor's drafts and files, and the store of published decks."""
