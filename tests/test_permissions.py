"""One permissions module (records.core.permissions), tested against each role: what each
one may read and do, as the functions answer it and as the site and the admin show it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from records.core import permissions
from records.models import Attachment, FOIRequest, Record, Status
from tests.conftest import login_with_second_factor
from tests.factories import DocumentFactory, UserFactory
from tests.foi_helpers import requester, sent_request

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "requester", "stranger", "contributor", "editor", "editor_password_only"]


@pytest.fixture
def world():
    owner = requester()
    published = sent_request(owner, title="Javni zahtev")
    embargoed = sent_request(
        owner,
        title="Zahtev pod embargom",
        embargo_until=timezone.localdate() + timedelta(days=30),
    )
    draft = DocumentFactory(title="Nacrt dokumenta", status=Status.DRAFT)
    people = {"anonymous": None, "requester": owner}
    people["stranger"] = requester("eve@example.org", display_name="Eve")
    for role, group in (
        ("contributor", "Contributors"),
        ("editor", "Editors"),
        ("editor_password_only", "Editors"),
    ):
        people[role] = UserFactory(is_staff=True)
        people[role].groups.add(Group.objects.get(name=group))
    return {"people": people, "published": published, "embargoed": embargoed, "draft": draft}


def client_for(world, role):
    client = Client()
    user = world["people"][role]
    if role in ("contributor", "editor"):
        login_with_second_factor(client, user)
    elif user is not None:
        client.force_login(user)
    return client


def user_for(world, role):
    """The user as a request sees it (with the two-factor check done or not)."""
    user = world["people"][role]
    if user is None:
        return AnonymousUser()
    user.is_verified = lambda: role in ("contributor", "editor")
    return user


# role -> (published, embargoed, draft document) the role may open
READS = {
    "anonymous": (True, False, False),
    "requester": (True, True, False),
    "stranger": (True, False, False),
    "contributor": (True, False, True),
    "editor": (True, True, True),
    "editor_password_only": (True, False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_what_on_the_site_and_in_the_queryset(world, role):
    client = client_for(world, role)
    user = user_for(world, role)
    readable = permissions.readable_records(Record.objects.all(), user)
    for record, expected in zip(
        (world["published"], world["embargoed"], world["draft"]), READS[role], strict=True
    ):
        status = client.get(record.get_absolute_url()).status_code
        assert (status == 200) is expected, (role, record.title, status)
        assert readable.filter(pk=record.pk).exists() is expected
        assert permissions.can_read_record(user, record) is expected
        assert (
            permissions.readable_records(FOIRequest.objects.all(), user)
            .filter(pk=record.pk)
            .exists()
            is expected
        ) or not isinstance(record, FOIRequest)


MANAGES = {
    "anonymous": False,
    "requester": True,
    "stranger": False,
    "contributor": False,
    "editor": True,
    "editor_password_only": False,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_acts_on_a_request(world, role):
    user = user_for(world, role)
    foi = world["published"]
    assert permissions.can_manage_request(user, foi) is MANAGES[role]
    assert permissions.can_set_any_status(user) is (role == "editor")
    assert permissions.can_see_requester(user, foi) is (role in ("requester", "editor"))
    assert permissions.can_review_files(user, foi) is (role in ("requester", "editor"))
    page = client_for(world, role).get(foi.get_absolute_url()).content.decode()
    assert ('name="status"' in page) is MANAGES[role]


@pytest.mark.parametrize("role", ROLES)
def test_who_changes_a_bodys_contact_data(world, role):
    user = user_for(world, role)
    assert permissions.can_change_body_contact(user) is (role == "editor")
    assert permissions.can_confirm_body_contact(user) is (role == "editor")


@pytest.mark.parametrize(
    ("role", "status"),
    [("contributor", 302), ("editor", 200), ("editor_password_only", 302), ("stranger", 302)],
)
def test_who_opens_an_embargoed_request_in_the_admin(world, role, status):
    url = reverse("admin:records_foirequest_change", args=[world["embargoed"].pk])
    response = client_for(world, role).get(url)
    assert response.status_code == status
    assert ("Zahtev pod embargom" in response.content.decode()) is (status == 200)


@pytest.mark.parametrize("role", ROLES)
def test_held_files_follow_the_same_rule(world, role, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from records.files.storage import attach

    foi = world["published"]
    held = attach(foi, SimpleUploadedFile("resenje.txt", b"Resenje za Anu"), name="resenje.txt")
    Attachment.objects.filter(pk=held.pk).update(public=False)
    user = user_for(world, role)
    sees = permissions.visible_files(Attachment.objects.all(), user).filter(pk=held.pk).exists()
    assert sees is (role in ("requester", "editor"))
    assert Attachment.objects.visible_to(user).filter(pk=held.pk).exists() is sees
