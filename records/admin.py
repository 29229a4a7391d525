"""The editors' admin: records of every kind, actors, tags and the editorial log."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from records.files import admin as files_admin  # noqa: F401 -- registers the model admins
from records.foi import admin as foi_admin  # noqa: F401
from records.questions import admin as questions_admin  # noqa: F401
from records.records.admin import records as records_admin  # noqa: F401
from records.records.admin import taxonomy as taxonomy_admin  # noqa: F401

admin.site.site_header = _("Nadzor editors")
admin.site.site_title = _("Nadzor editors")
admin.site.index_title = _("Curate the archive")
