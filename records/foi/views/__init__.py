"""Public pages of FOI requests and public bodies."""
