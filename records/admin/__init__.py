"""The editors' admin: records of every kind, actors, tags and the editorial log."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from records.admin import (  # noqa: F401 -- registers the model admins
    bodies,
    files,
    foi,
    questions,
    records,
    taxonomy,
)

admin.site.site_header = _("Nadzor editors")
admin.site.site_title = _("Nadzor editors")
admin.site.index_title = _("Curate the archive")
