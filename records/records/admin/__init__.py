"""The editors' admin for records, actors and tags."""
