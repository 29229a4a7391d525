"""Public pages of records, actors, tags, the timeline, charts and feeds."""
