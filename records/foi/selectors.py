"""Which FOI requests count, in one place: every page that lists or counts requests (the
home page, the FOI section, a body's page, the charts, the questions, the API) reads them
from here, so they all agree."""

from django.db.models import Q

from records.models import FOIRequest, FOIStatus, Kind, Record

# Sample letters in the demo carry this tag: they show how a request reads, but were never
# sent, so they are never counted as requests.
EXAMPLE_TAG = "example"


def real_requests():
    """Published requests that are not samples tagged ``example`` (the questions' ledger
    counts these, saying which were not sent)."""
    return FOIRequest.objects.published().exclude(tags__name=EXAMPLE_TAG)


def sent_requests():
    """The requests the archive counts: published, real (``real_requests``) and sent (no
    longer drafts). A request filed on the site is among them at once."""
    return real_requests().exclude(foi_status=FOIStatus.DRAFT)


def public_requests():
    """``sent_requests`` with what the lists show of each."""
    return sent_requests().select_related("public_body", "requester__profile")


def counted_records():
    """The published records the archive's counts and charts are made of: FOI requests
    only as ``sent_requests`` has them."""
    return Record.objects.published().filter(
        ~Q(kind=Kind.FOI_REQUEST) | Q(pk__in=sent_requests().values("pk"))
    )


def in_story(records):
    """``records`` without the FOI requests that are not part of the curated story (those
    filed on the site, until an editor features them): the home page's latest and the
    timeline read from here."""
    return records.exclude(kind=Kind.FOI_REQUEST, foirequest__in_story=False)


def is_example(record):
    return any(tag.name == EXAMPLE_TAG for tag in record.tags.all())
