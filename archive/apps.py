from django.contrib.admin.apps import AdminConfig


class TwoFactorAdminConfig(AdminConfig):
    """The admin, served by a site that asks staff for a one-time code first."""

    default_site = "archive.admin_site.TwoFactorAdminSite"
