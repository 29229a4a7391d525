"""Serving attached files, their text, and web captures."""
