"""Changes to a public body's contact data wait for an editor's confirmation.

A body's FOI e-mail address decides where requests go, with the requester's name and
postal address and the secret reply address; whoever changes it can read the next
requests and forge the body's replies. So a change is first a proposal, kept here with
who proposed it, and takes effect only when an editor confirms it (``records.foi.contact``).
The rows stay as the log of every change.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContactChangeState(models.TextChoices):
    PENDING = "pending", _("Waiting for an editor")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class ContactChange(models.Model):
    body = models.ForeignKey(
        "records.Actor",
        on_delete=models.CASCADE,
        related_name="contact_changes",
        verbose_name=_("public body"),
    )
    foi_email = models.EmailField(_("new FOI e-mail address"), blank=True, max_length=254)
    postal_address = models.TextField(_("new postal address"), blank=True, max_length=1000)
    previous_foi_email = models.EmailField(
        _("previous FOI e-mail address"), blank=True, max_length=254
    )
    previous_postal_address = models.TextField(
        _("previous postal address"), blank=True, max_length=1000
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ContactChangeState.choices,
        default=ContactChangeState.PENDING,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("change of a body's contact data")
        verbose_name_plural = _("changes of bodies' contact data")
        permissions = [
            ("confirm_contactchange", _("Can confirm a change of a body's contact data"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ContactChangeState.values),
                name="contactchange_state_valid",
            ),
        ]

    def __str__(self):
        return f"{self.body}: {self.foi_email or '—'}"
