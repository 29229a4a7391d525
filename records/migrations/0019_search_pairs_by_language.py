"""The index of adjacent word pairs per language, so a phrase under a language filter reads
only its own records' entries (PostgreSQL only; see records.search.backends). Building
both took 10 minutes at 1,000,000 records: they are built CONCURRENTLY, outside a
transaction, so editors' saves go on meanwhile."""

from django.db import migrations

from records.migrations._postgres import concurrent_indexes
from records.search.backends import LANGUAGE_PAIRS_INSTALL, LANGUAGE_PAIRS_UNINSTALL


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("records", "0018_file_withdrawn_event")]

    operations = [concurrent_indexes(LANGUAGE_PAIRS_INSTALL, LANGUAGE_PAIRS_UNINSTALL)]
