from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from records.models.choices import ActorKind, Status
from records.search.normalise import search_name


class PublicTaxonomyQuerySet(models.QuerySet):
    def in_public_records(self):
        """Only what appears on at least one published record: a name that appears only
        on drafts would reveal that the draft exists. EXISTS, not a join with DISTINCT:
        checking one tag must not read every record that carries it (0.4-1.5 s)."""
        relation = self.model._meta.get_field("records")
        published = relation.related_model.objects.filter(
            status=Status.PUBLISHED, **{relation.field.name: models.OuterRef("pk")}
        )
        return self.filter(models.Exists(published))


def unique_slug(model, text, *, max_length=80):
    """A URL slug for ``text`` that no other row of ``model`` has (Cyrillic is kept)."""
    base = slugify(text, allow_unicode=True)[: max_length - 6].strip("-") or "x"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)

    objects = PublicTaxonomyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Tag, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("records:tag", kwargs={"slug": self.slug})


class Actor(models.Model):
    """A public body, company, civil-society organisation or person behind records."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=ActorKind.choices)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    website = models.URLField(_("website"), blank=True, max_length=500)
    # For public bodies: where FOI requests go, and where appeals against them go.
    foi_email = models.EmailField(_("FOI e-mail address"), blank=True, max_length=254)
    # Set when a message to ``foi_email`` came back undeliverable; editors check the
    # address and clear it (see the admin's list filter).
    foi_email_bounced_at = models.DateTimeField(
        _("FOI e-mail returned undeliverable"), null=True, blank=True
    )
    foi_email_bounce_reason = models.CharField(_("why it was returned"), max_length=500, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True, max_length=1000)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent body"),
    )
    appeals_to_commissioner = models.BooleanField(
        _("appeals go to the Commissioner"),
        default=True,
        help_text=_(
            "Untick for the six bodies of Art. 22(2) (National Assembly, President, "
            "Government, Supreme Court, Constitutional Court, Republic Public Prosecutor): "
            "against them the route is an administrative dispute."
        ),
    )
    # The name in Latin script without diacritics, for spelling suggestions in search.
    search_name = models.CharField(max_length=300, editable=False, blank=True, default="")

    objects = PublicTaxonomyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            # The importer matches actors by name and kind, so that pair must be unique.
            models.UniqueConstraint(fields=["name", "kind"], name="actor_unique_name_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=ActorKind.values), name="actor_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Actor, self.name, max_length=120)
        self.search_name = search_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("records:actor", kwargs={"slug": self.slug})

    def get_body_url(self):
        return reverse("foi:body", kwargs={"slug": self.slug})

    @property
    def is_public_body(self):
        return self.kind == ActorKind.PUBLIC_BODY
