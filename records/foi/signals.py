"""Keeping each request's copy of its requester's identity current (see
``records.foi.identity``): whenever a request, a profile or an account is saved, and
before an account is deleted, the requester's forms are added to their requests."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from records.foi.scrubbing import remember_requester
from records.models import FOIRequest, Profile


def _remember_all(user):
    for request in FOIRequest.objects.filter(requester=user).select_related(
        "requester", "requester__profile"
    ):
        remember_requester(request)


@receiver(post_save, sender=FOIRequest, dispatch_uid="foi-remember-requester")
def request_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.requester_id:
        remember_requester(instance)


@receiver(post_save, sender=Profile, dispatch_uid="foi-remember-profile")
def profile_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _remember_all(instance.user)


@receiver(post_save, sender=get_user_model(), dispatch_uid="foi-remember-user")
@receiver(pre_delete, sender=get_user_model(), dispatch_uid="foi-remember-user-deleted")
def user_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk:
        _remember_all(instance)
