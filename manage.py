#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

SOURCE_ONLY_COMMANDS = {
    "makemigrations",
    "makemessages",
    "compilemessages",
    "cyrillize_messages",
    "lint_migrations",
}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    if sys.argv[1:2] == ["demo"]:
        # The demo runs on a developer's machine with nothing configured: it gets
        # local defaults of its own, which never apply to any other command.
        os.environ.setdefault("DEBUG", "1")
        os.environ.setdefault("SECRET_KEY", "nadzor-demo-only-insecure-key")
    elif sys.argv[1:2] and sys.argv[1] in SOURCE_ONLY_COMMANDS:
        # These read and write source files only: they never sign, serve or send
        # anything, so a placeholder key spares developers a setting they don't need.
        os.environ.setdefault("SECRET_KEY", "nadzor-source-tooling-placeholder-key-not-for-serving")
        os.environ.setdefault("EMAIL_ALLOW_UNSENT", "1")  # they send no mail either
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
