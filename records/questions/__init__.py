"""Open questions: what the public still does not know, and the records that answer it."""
