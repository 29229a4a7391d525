from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from records.core.names import skeleton


def default_display_name(user):
    """The one rule for the public name of a user who never chose one: the part of their
    e-mail address before the @. Never the whole address: the name is shown on their
    requests, and an address there would be harvested."""
    return user.get_username().split("@")[0]


class ProfileQuerySet(models.QuerySet):
    def for_user(self, user):
        """``user``'s profile, made with ``default_display_name`` if they have none."""
        profile, _created = self.get_or_create(
            user=user, defaults={"display_name": default_display_name(user)}
        )
        return profile


class Profile(models.Model):
    """What a requester shows and what they keep private.

    Only ``display_name`` (a pseudonym is fine) is ever public. The real name and postal
    address go into the letters sent to public bodies (the law asks for them) and nowhere
    else.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        _("public name"),
        max_length=100,
        help_text=_("Shown on your requests. A pseudonym is fine."),
    )
    real_name = models.CharField(
        _("full name (private)"),
        max_length=200,
        blank=True,
        help_text=_("Only in the letters sent to public bodies, which the law requires."),
    )
    postal_address = models.TextField(
        _("postal address (private)"),
        max_length=1000,
        blank=True,
        help_text=_("Only in letters to public bodies; never shown on the site."),
    )
    language = models.CharField(
        _("language of e-mails"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    # What the public name looks like (records.core.names.skeleton): no two requesters
    # may have names that pass for each other.
    name_skeleton = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.name_skeleton = skeleton(self.display_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_skeleton"}
        super().save(*args, **kwargs)

    @classmethod
    def name_taken(cls, name, *, user=None):
        """Whether another requester's public name looks like ``name``."""
        others = cls.objects.filter(name_skeleton=skeleton(name))
        if user is not None and user.pk is not None:
            others = others.exclude(user=user)
        return others.exists()
