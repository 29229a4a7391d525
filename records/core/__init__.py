"""Shared helpers every domain may use: choices, dates, Markdown, paging, rate limits,
transliteration."""
