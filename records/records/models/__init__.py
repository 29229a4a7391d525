"""Records (one base table, a child table per kind), links, actors, tags and revisions."""
