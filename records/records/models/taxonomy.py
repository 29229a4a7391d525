from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from records.core.choices import ActorKind, BodyKind
from records.core.languages import guess_name_language, reader_language, serbian_script
from records.core.transliteration import in_reader_script, shown_language
from records.search.normalise import search_name


class PublicTaxonomyQuerySet(models.QuerySet):
    def in_public_records(self):
        """Only what appears on at least one published record: a name that appears only
        on drafts would reveal that the draft exists. EXISTS, not a join with DISTINCT:
        checking one tag must not read every record that carries it (0.4-1.5 s)."""
        relation = self.model._meta.get_field("records")
        published = relation.related_model.objects.published().filter(
            **{relation.field.name: models.OuterRef("pk")}
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


class InLanguages:
    """A name written in Serbian (either script) and in English, shown to each reader in
    their language where it is written, else in the other; Serbian in the reader's script.
    Subclasses name the two fields and the fallback."""

    SERBIAN, ENGLISH = "name_sr", "name_en"

    def name_in(self, reader=None):
        """(name, language tag as shown) for a reader of ``reader`` (the page's language)."""
        reader = reader or get_language() or "en"
        serbian, english = getattr(self, self.SERBIAN), getattr(self, self.ENGLISH)
        if not serbian and not english:
            return self.name, "en" if reader.startswith("en") else "sr-Latn"
        if reader_language(serbian, english, reader) == "en":
            return english, "en"
        written = serbian_script(serbian)
        return in_reader_script(serbian, written, reader), shown_language(written, reader)

    @property
    def shown_name(self):
        """The name for the reader of the current page or e-mail."""
        return self.name_in()[0]

    @property
    def shown_lang(self):
        """The ``lang`` of ``shown_name``."""
        return self.name_in()[1]


class Tag(InLanguages, models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_("The tag's key in imports and exports; readers see the labels."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    label_sr = models.CharField(
        _("Serbian label"),
        max_length=100,
        blank=True,
        help_text=_("In either script: readers see it in theirs."),
    )
    label_en = models.CharField(_("English label"), max_length=100, blank=True)

    SERBIAN, ENGLISH = "label_sr", "label_en"
    # What search finds a record by (a change re-indexes the tag's records).
    SEARCHED_NAMES = ("name", "label_sr", "label_en")

    objects = PublicTaxonomyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.shown_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Tag, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("records:tag", kwargs={"slug": self.slug})


class Actor(InLanguages, models.Model):
    """A public body, company, civil-society organisation or person behind records.

    It has a Serbian name (in either script) and an English name, either of which may be
    empty, and a short name or acronym. ``name`` is the one the archive keys it by (in
    imports and exports): the Serbian name, else the English one."""

    name = models.CharField(_("name"), max_length=300, editable=False)
    name_sr = models.CharField(
        _("Serbian name"),
        max_length=300,
        blank=True,
        help_text=_("In either script: readers see it in theirs."),
    )
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    short_name = models.CharField(
        _("short name"), max_length=50, blank=True, help_text=_("An acronym, e.g. MUP.")
    )
    # Set when the name's language was guessed from an older single name and the guess
    # is uncertain; editors see these in the admin, and saving there clears it.
    name_unchecked = models.BooleanField(_("names to check"), default=False)
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
    # For public bodies: the directory's details, and where its contact data come from.
    body_kind = models.CharField(
        _("kind of public body"), max_length=20, choices=BodyKind.choices, blank=True
    )
    contact_source = models.CharField(
        _("source of the contact data"),
        max_length=500,
        blank=True,
        help_text=_("Where the e-mail and postal address come from: a web address or a note."),
    )
    contact_checked_on = models.DateField(_("contact data last checked on"), null=True, blank=True)
    is_test = models.BooleanField(
        _("test body"),
        default=False,
        help_text=_(
            "A body that exists only to try the site (its address is on a reserved test "
            "domain); its page says so."
        ),
    )
    # The names in Latin script without diacritics: the directory's search and spelling
    # suggestions compare these.
    search_name = models.CharField(max_length=700, editable=False, blank=True, default="")

    objects = PublicTaxonomyQuerySet.as_manager()

    SEARCHED_NAMES = ("name_sr", "name_en", "short_name")

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
        return self.shown_name

    def save(self, *args, **kwargs):
        if self.name and not self.name_sr and self.name != self.name_en:
            if not self.name_en:
                # Created from one name (an import, older code): file it under its language.
                language, certain = guess_name_language(self.name)
                setattr(self, "name_sr" if language == "sr" else "name_en", self.name)
                self.name_unchecked = not certain
            elif self._state.adding:
                # Created with a name and an English name: the name is the Serbian one.
                self.name_sr = self.name
        self.name = self.name_sr or self.name_en
        if not self.slug:
            self.slug = unique_slug(Actor, self.name, max_length=120)
        self.search_name = " ".join(
            search_name(n) for n in dict.fromkeys((self.name_sr, self.name_en)) if n
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name", "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("records:actor", kwargs={"slug": self.slug})

    def clean(self):
        if not self.name_sr.strip() and not self.name_en.strip():
            raise ValidationError(_("Give the actor a Serbian name, an English name or both."))

    def get_body_url(self):
        return reverse("foi:body", kwargs={"slug": self.slug})
