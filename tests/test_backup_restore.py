"""The backup procedure (bench/backup_restore.sh, README "Backups") restores the archive whole.

Records with files, an FOI request, links and a draft are committed; the script dumps the
test database (pg_dump -Fc) and copies MEDIA_ROOT; a fresh, empty database (created and
dropped here) and an empty folder receive the restore (pg_restore, migrate, the files);
the JSON Lines export of the restored database, run in its own process, is identical to
the one taken before, and every restored file has its SHA-256.
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from psycopg import sql

from records.files.storage import attach
from records.models import Record, Relation, Status
from records.records.services import export_jsonl
from tests.factories import (
    ActorFactory,
    DocumentFactory,
    FOIRequestFactory,
    LinkFactory,
    StatementFactory,
)

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "backup_restore.sh"

# pg_dump reads from another connection: the records must be committed (transactional_db).
pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def url(settings_dict, name):
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@pytest.fixture
def empty_database():
    """A new, empty database with a unique name, dropped afterwards."""
    name = f"nadzor_restore_{uuid.uuid4().hex[:12]}"
    admin = url(connection.settings_dict, "postgres")
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield url(connection.settings_dict, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def run(action, folder, database_url, media_root):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "MANAGE": f"{sys.executable} manage.py",
    }
    result = subprocess.run(  # noqa: S603 -- our own script, fixed arguments
        [str(SCRIPT), action, str(folder)], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, (action, result.stdout, result.stderr)
    return result.stdout


def export_of(database_url, media_root):
    """The export of ``database_url``, by the export command in a process of its own."""
    result = subprocess.run(
        [sys.executable, "manage.py", "export_records"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_a_backup_restores_into_an_empty_database_with_an_identical_export(
    transactional_db, settings, tmp_path, empty_database
):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    body = ActorFactory(name="Ministarstvo unutrašnjih poslova")
    statement = StatementFactory(public_id="minister", title="1,000 cameras", tags=["cameras"])
    contract = DocumentFactory(public_id="contract", title="Ugovor", actors=[(body, "author")])
    FOIRequestFactory(
        public_id="foi",
        title="Zahtev",
        public_body=body,
        received_on=timezone.localdate() - timedelta(days=30),
    )
    draft = DocumentFactory(public_id="draft", title="Leak", status=Status.DRAFT)
    LinkFactory(source=contract, target=statement, relation=Relation.CONTRADICTS, note="No.")
    LinkFactory(source=draft, target=contract, relation=Relation.CITES)
    attach(contract, ContentFile(b"%PDF-1.4 not really\n"), name="ugovor.pdf")
    attach(contract, ContentFile("Одговор: 1.000 камера.\n".encode()), name="odgovor.txt")
    attach(draft, ContentFile(b"leaked bytes\n"), name="leak.txt")
    before = "".join(export_jsonl(Record.objects.all()))
    assert before.count("\n") == 4 and '"sha256"' in before

    backup = tmp_path / "backup"
    started = time.monotonic()
    run("backup", backup, url(connection.settings_dict, connection.settings_dict["NAME"]), media)
    assert (backup / "nadzor.dump").read_bytes().startswith(b"PGDMP")  # pg_dump -Fc
    restored_media = tmp_path / "restored-media"
    output = run("restore", backup, empty_database, restored_media)
    seconds = time.monotonic() - started
    assert "4 records, identical export" in output

    assert export_of(empty_database, restored_media) == before
    for path in media.rglob("*"):
        if path.is_file():
            copy = restored_media / path.relative_to(media)
            assert copy.read_bytes() == path.read_bytes(), path
    print(f"backup and restore of {len(before.splitlines())} records: {seconds:.1f} s")


def test_restore_refuses_a_database_that_is_not_empty(transactional_db, tmp_path):
    (tmp_path / "backup").mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": url(connection.settings_dict, connection.settings_dict["NAME"]),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "MANAGE": f"{sys.executable} manage.py",
    }
    result = subprocess.run(  # noqa: S603 -- our own script, fixed arguments
        [str(SCRIPT), "restore", str(tmp_path / "backup")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "restore into an empty one" in result.stderr


@pytest.fixture
def s3_server():
    """moto's S3-compatible server (from PyPI) on loopback, in a process of its own."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 -- this interpreter, fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    yield endpoint
    server.terminate()
    server.wait(timeout=20)


def _bucket(endpoint, name):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=name)
    return client


def test_a_backup_of_s3_files_restores_into_an_empty_bucket_and_verifies_the_copy(
    transactional_db, settings, tmp_path, empty_database, s3_server
):
    """The files live in a bucket: the backup holds them (not an empty archive), and the
    restore puts them in a new bucket and verifies that copy, not the live bucket."""
    from django.core.files.storage import default_storage
    from django.utils.functional import empty

    live = _bucket(s3_server, "nadzor-live")
    restored = _bucket(s3_server, "nadzor-restored")
    s3 = {
        "FILE_STORAGE": "s3",
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ACCESS_KEY_ID": "test",
        "AWS_S3_SECRET_ACCESS_KEY": "test",
    }
    options = {
        "bucket_name": "nadzor-live",
        "endpoint_url": s3_server,
        "region_name": "us-east-1",
        "access_key": "test",
        "secret_key": "test",
        "file_overwrite": False,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    default_storage._wrapped = empty
    try:
        contract = DocumentFactory(public_id="contract", title="Ugovor")
        attach(contract, ContentFile(b"%PDF-1.4 contract bytes\n"), name="ugovor.pdf")
        attach(contract, ContentFile("Одговор.\n".encode()), name="odgovor.txt")
    finally:
        default_storage._wrapped = empty
    live_keys = sorted(o["Key"] for o in live.list_objects_v2(Bucket="nadzor-live")["Contents"])
    assert len(live_keys) == 2

    backup = tmp_path / "backup"
    database = url(connection.settings_dict, connection.settings_dict["NAME"])
    environ = {**os.environ, **s3, "MANAGE": f"{sys.executable} manage.py"}
    for action, target, bucket in (
        ("backup", database, "nadzor-live"),
        ("restore", empty_database, "nadzor-restored"),
    ):
        result = subprocess.run(  # noqa: S603 -- our own script, fixed arguments
            [str(SCRIPT), action, str(backup)],
            env={**environ, "DATABASE_URL": target, "AWS_STORAGE_BUCKET_NAME": bucket},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, (action, result.stdout, result.stderr)
    import tarfile

    with tarfile.open(backup / "media.tar") as archive:
        assert sorted(archive.getnames()) == live_keys  # not an empty archive
    copies = restored.list_objects_v2(Bucket="nadzor-restored")["Contents"]
    assert sorted(o["Key"] for o in copies) == live_keys
    assert "1 records, identical export" in result.stdout

    # verify_files checked the restored bucket: a file altered there is found by a new
    # check against the restored copy, while the live bucket is untouched.
    live.put_object(Bucket="nadzor-restored", Key=live_keys[0], Body=b"altered")
    check = subprocess.run(
        [sys.executable, "manage.py", "verify_files"],
        cwd=ROOT,
        env={
            **environ,
            "DATABASE_URL": empty_database,
            "AWS_STORAGE_BUCKET_NAME": "nadzor-restored",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode != 0 and "altered" in (check.stdout + check.stderr).lower()
