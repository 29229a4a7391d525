"""The index of adjacent word pairs per language, so a phrase under a language filter reads
only its own records' entries (PostgreSQL only; see records.search.backends). Building
both took 10 minutes at 1,000,000 records."""

from django.db import migrations

from records.migrations._postgres import postgres_statements
from records.search.backends import LANGUAGE_PAIRS_INSTALL, LANGUAGE_PAIRS_UNINSTALL


class Migration(migrations.Migration):
    dependencies = [("records", "0018_file_withdrawn_event")]

    operations = [postgres_statements(LANGUAGE_PAIRS_INSTALL, LANGUAGE_PAIRS_UNINSTALL)]
