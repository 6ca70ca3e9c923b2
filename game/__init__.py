"""Säg det! — a Swedish vocabulary game you speak to."""
