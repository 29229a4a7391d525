"""The directory of public bodies: which bodies it lists, how a requester searches it, and
how an editor takes up a user's suggestion (nothing changes before that)."""

import django_filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from records.models import (
    Actor,
    ActorKind,
    BodyKind,
    BodySuggestion,
    SuggestionKind,
    SuggestionState,
    published_q,
)
from records.search.normalise import search_name


def public_bodies():
    return Actor.objects.filter(kind=ActorKind.PUBLIC_BODY).order_by("name")


def listed_bodies():
    """Public bodies the directory shows: those on published records, those that came
    into the archive through the directory (on no record, or with directory details),
    but not one named only on unpublished records (that would reveal the draft)."""
    return public_bodies().filter(
        Q(pk__in=Actor.objects.filter(published_q("records__")).values("pk"))
        | ~Q(pk__in=Actor.objects.filter(records__isnull=False).values("pk"))
        | ~Q(foi_email="")
        | ~Q(postal_address="")
        | ~Q(contact_source="")
    )


class BodyFilter(django_filters.FilterSet):
    """The directory's search: a name in either script, with or without diacritics (the
    search's normaliser, ``search_name``), in Serbian or English, and a kind of body."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), field_name="body_kind", choices=BodyKind.choices, empty_label=_("Any")
    )

    class Meta:
        model = Actor
        fields = []

    def filter_name(self, queryset, name, value):
        for word in search_name(value[:300]).split():
            queryset = queryset.filter(search_name__contains=word)
        return queryset


@transaction.atomic
def suggest(*, user, body=None, **details):
    """Keep a signed-in user's suggestion for the editors' queue; the directory is
    unchanged until an editor accepts it."""
    suggestion = BodySuggestion(
        user=user,
        body=body,
        kind=SuggestionKind.CORRECTION if body else SuggestionKind.NEW_BODY,
        **details,
    )
    suggestion.full_clean()
    suggestion.save()
    return suggestion


@transaction.atomic
def accept_suggestion(suggestion, *, user, today=None):
    """Apply ``suggestion`` to the directory: create the body, or set the details it gives
    (an empty one leaves the body's as it is). Its source and today's date become the
    body's "where the contact data come from" and "last checked"."""
    suggestion = BodySuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.state != SuggestionState.PENDING:
        raise ValidationError(_("This suggestion was already decided."))
    changes = suggestion.changes()
    if suggestion.kind == SuggestionKind.NEW_BODY:
        if public_bodies().filter(name=changes["name"]).exists():
            raise ValidationError(
                _("A public body named “%(name)s” exists already.") % {"name": changes["name"]}
            )
        body = Actor(kind=ActorKind.PUBLIC_BODY)
    else:
        body = suggestion.body
    for field, value in changes.items():
        # A suggested name is the body's Serbian name; the actor's name follows it.
        setattr(body, "name_sr" if field == "name" else field, value)
    body.contact_source = suggestion.source
    body.contact_checked_on = today or timezone.localdate()
    body.full_clean(exclude=["slug"] if body.pk is None else None)
    body.save()
    suggestion.body = body
    suggestion.state = SuggestionState.ACCEPTED
    suggestion.decided_by, suggestion.decided_at = user, timezone.now()
    suggestion.save(update_fields=["body", "state", "decided_by", "decided_at"])
    return body


@transaction.atomic
def reject_suggestion(suggestion, *, user):
    updated = BodySuggestion.objects.filter(pk=suggestion.pk, state=SuggestionState.PENDING).update(
        state=SuggestionState.REJECTED, decided_by=user, decided_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("This suggestion was already decided."))
