"""FOI requests under Serbia's Law on Free Access to Information of Public Importance:
deadlines, letters, e-mail in and out, reminders and per-body statistics."""
