"""Records of five kinds, actors, tags, typed links and their history: models, writes
(services), reads (selectors), pages and admin."""
