"""The code's structure keeps its rules: one place decides what is public, templates hold no
domain logic, and imports sit at the top of their modules (the import layers themselves are
checked by `lint-imports`, see pyproject.toml)."""

import ast
import enum
import re
from pathlib import Path

from django.db import models as django_models

import records.models

ROOT = Path(__file__).resolve().parent.parent
CODE = ROOT / "records"
TEMPLATES = ROOT / "templates"


def python_modules():
    for path in sorted(CODE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def enclosing_functions(tree):
    """``{node: "Class.function"}`` for every node inside a function or class body."""
    owners = {}

    def visit(node, owner):
        for child in ast.iter_child_nodes(node):
            name = owner
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{owner}.{child.name}" if owner else child.name
            owners[child] = name
            visit(child, name)

    visit(tree, "")
    return owners


# Where a record's status may be compared: the one rule and the querysets built on it. A
# question has a status of its own, decided by its own queryset.
STATUS_RULES = {
    ("records/records/models/records.py", "published_q"),
    ("records/records/models/records.py", "RecordQuerySet.visible_to"),
    ("records/records/models/records.py", "Record.Meta"),  # the CHECK of valid statuses
    ("records/records/models/records.py", "FOIRequestQuerySet.embargo_ended"),
    ("records/questions/models.py", "QuestionQuerySet.published"),
    # Who may read what: the permissions module (published, embargoed, previewable).
    ("records/core/permissions.py", "_previewable"),
    ("records/core/permissions.py", "readable_records_filter"),
    ("records/questions/models.py", "Question.Meta"),
}
FILTERS = {"filter", "exclude", "get", "Q", "get_object_or_404", "Exists", "Count"}


def is_status_lookup(name):
    return re.fullmatch(r"(\w+__)?status(__in|__exact)?", name) is not None


def test_no_record_is_filtered_on_its_status_outside_the_one_rule():
    found = []
    for path, tree in python_modules():
        owners = enclosing_functions(tree)
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called not in FILTERS:
                continue
            for keyword in node.keywords:
                if keyword.arg and is_status_lookup(keyword.arg):
                    owner = owners.get(node, "")
                    if (relative, owner) not in STATUS_RULES:
                        found.append(f"{relative}:{node.lineno} ({owner}) {keyword.arg}=")
    assert not found, (
        "Filter records through Record.objects.published(), published_q(), "
        "FOIRequest.objects.public()/overdue()/embargo_ended(), not on status:\n" + "\n".join(found)
    )


def domain_choice_values():
    """Every value of every choice list of the models (statuses, kinds, directions...)."""
    values = set()
    for name in dir(records.models):
        choices = getattr(records.models, name)
        if isinstance(choices, type) and issubclass(choices, django_models.Choices):
            values |= {str(member.value) for member in choices if isinstance(member, enum.Enum)}
    return values


def test_templates_compare_no_domain_choice_strings():
    values = domain_choice_values()
    assert {"published", "draft", "in", "out", "deployment", "answered"} <= values
    compared = re.compile(r"""(?:==|!=|\bin)\s*["']([^"']+)["']|["']([^"']+)["']\s*(?:==|!=)""")
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for tag in re.findall(r"{%\s*(?:if|elif)\b(.*?)%}", line):
                for match in compared.finditer(tag):
                    value = match.group(1) or match.group(2)
                    if value in values:
                        found.append(f"{path.relative_to(ROOT)}:{lineno}: {value!r}")
    assert not found, (
        "Ask the model (foi.is_draft, message.is_incoming, ...), not its stored value:\n"
        + "\n".join(found)
    )


# Imports inside a function, each for a reason that a top-level import cannot meet.
FUNCTION_LEVEL_IMPORTS = {
    # Django's documented place to connect signals: once every app is loaded.
    ("records/apps.py", "RecordsConfig.ready"),
    # Files and records refer to each other (who may review a request's files).
    ("records/files/models.py", "may_review"),
    ("records/files/models.py", "AttachmentQuerySet.visible_to"),
}


def test_imports_sit_at_the_top_of_their_module():
    found = []
    for path, tree in python_modules():
        owners = enclosing_functions(tree)
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            inside = owners.get(node)
            if (
                isinstance(node, ast.Import | ast.ImportFrom)
                and inside
                and (relative, inside) not in FUNCTION_LEVEL_IMPORTS
            ):
                found.append(f"{relative}:{node.lineno} in {inside}")
    assert not found, "Move these imports to the top of their module:\n" + "\n".join(found)
