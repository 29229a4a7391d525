"""The archive's data model: records of four kinds, actors, tags, links and history."""

from records.models.choices import (
    ActorKind,
    DocumentType,
    Kind,
    Language,
    Relation,
    ResponseType,
    Role,
    Status,
)
from records.models.files import (
    Attachment,
    CaptureState,
    FilePage,
    FileState,
    StoredFile,
    WebCapture,
)
from records.models.history import Action, Revision
from records.models.records import (
    KIND_MODELS,
    Document,
    FOIRequest,
    Link,
    Record,
    RecordActor,
    Response,
    Statement,
    generate_public_id,
)
from records.models.taxonomy import Actor, Tag

__all__ = [
    "KIND_MODELS",
    "Action",
    "Actor",
    "ActorKind",
    "Attachment",
    "CaptureState",
    "Document",
    "DocumentType",
    "FOIRequest",
    "FilePage",
    "FileState",
    "Kind",
    "Language",
    "Link",
    "Record",
    "RecordActor",
    "Relation",
    "Response",
    "ResponseType",
    "Revision",
    "Role",
    "Statement",
    "Status",
    "StoredFile",
    "Tag",
    "WebCapture",
    "generate_public_id",
]
