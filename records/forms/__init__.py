"""Public forms: accounts and FOI requests (the admin has its own in records.admin)."""
