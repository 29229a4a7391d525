"""Account pages: sign-up, log-in, profile, deletion, two-factor check."""
