"""Requester accounts: sign-up, profile, two-factor check."""
