from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Archive")

    def ready(self):
        from django.db.models.signals import post_migrate

        from records.core import login_limits  # noqa: F401 -- counts failed log-ins
        from records.search import signals  # noqa: F401 -- connects the index handlers
        from records.search.backends import ensure_sqlite_triggers

        post_migrate.connect(
            lambda using, **kwargs: ensure_sqlite_triggers(using),
            sender=self,
            dispatch_uid="records-search-sqlite-triggers",
            weak=False,
        )
