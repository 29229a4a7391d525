"""Signal handlers that re-index a record whenever what it says changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from records.models import (
    KIND_MODELS,
    Actor,
    Attachment,
    FOIMessage,
    FOIRequest,
    Record,
    RecordActor,
    RedactionRule,
    Tag,
)
from records.search.indexing import index_records


def _record_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_records([instance.pk])


for _model in (Record, *KIND_MODELS.values()):
    post_save.connect(_record_saved, sender=_model, dispatch_uid=f"search-index-{_model.__name__}")


@receiver([post_save, post_delete], sender=Attachment, dispatch_uid="search-index-attachment")
@receiver([post_save, post_delete], sender=RecordActor, dispatch_uid="search-index-actor-role")
def _actor_role_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        index_records([instance.record_id])


@receiver(m2m_changed, sender=Record.tags.through, dispatch_uid="search-index-tags")
def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        index_records([instance.pk])
    elif pk_set:
        index_records(pk_set)


@receiver(pre_save, sender=Actor, dispatch_uid="search-index-actor-rename-check")
@receiver(pre_save, sender=Tag, dispatch_uid="search-index-tag-rename-check")
def _remember_old_name(sender, instance, raw=False, **kwargs):
    instance._name_before_save = (
        None
        if raw or instance.pk is None
        else sender.objects.filter(pk=instance.pk).values_list(*sender.SEARCHED_NAMES).first()
    )


@receiver(post_save, sender=Actor, dispatch_uid="search-index-actor-rename")
@receiver(post_save, sender=Tag, dispatch_uid="search-index-tag-rename")
def _renamed(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_name_before_save", None)
    after = tuple(getattr(instance, field) for field in sender.SEARCHED_NAMES)
    if raw or created or before is None or before == after:
        return
    index_records(instance.records.order_by().values_list("pk", flat=True))


@receiver([post_save, post_delete], sender=FOIMessage, dispatch_uid="search-index-foi-message")
def _message_changed(sender, instance, raw=False, **kwargs):
    """A message's text is searched with its request (an editor may correct it)."""
    if not raw:
        index_records([instance.request_id])


@receiver([post_save, post_delete], sender=RedactionRule, dispatch_uid="search-index-redaction")
def _redaction_changed(sender, instance, raw=False, **kwargs):
    """A redaction rule hides words from the correspondence: from its search too."""
    if raw:
        return
    requests = FOIRequest.objects.order_by()
    if instance.request_id:
        requests = requests.filter(pk=instance.request_id)
    elif instance.public_body_id:
        requests = requests.filter(public_body_id=instance.public_body_id)
    index_records(requests.values_list("pk", flat=True))
