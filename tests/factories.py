"""factory_boy factories that build records, actors, tags and whole linked graphs."""

import factory
from django.contrib.auth import get_user_model

from records.core.dates import PartialDate
from records.models import (
    Actor,
    ActorKind,
    Deployment,
    Document,
    FOIRequest,
    Language,
    Link,
    Question,
    QuestionLink,
    QuestionRelation,
    RecordActor,
    Relation,
    Response,
    Role,
    Statement,
    Status,
    Tag,
    Technology,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"tag {n}")


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        django_get_or_create = ["name", "kind"]

    name = factory.Sequence(lambda n: f"Actor {n}")
    kind = ActorKind.PUBLIC_BODY


class RecordFactory(factory.django.DjangoModelFactory):
    """A published record; pass ``status=Status.DRAFT`` for an unpublished one."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Record number {n}")
    summary = "A summary."
    body = "Some *Markdown* body."
    language = Language.EN
    status = Status.PUBLISHED
    date = factory.LazyFunction(lambda: PartialDate.parse("2019-03-21").start)
    date_precision = PartialDate.parse("2019-03-21").precision

    @factory.post_generation
    def tags(self, create, names):
        if create and names:
            self.tags.set([TagFactory(name=name) for name in names])

    @factory.post_generation
    def actors(self, create, actors):
        """``actors=[(actor, role), ...]``."""
        for actor, role in actors or []:
            RecordActor.objects.create(record=self, actor=actor, role=role)


class DocumentFactory(RecordFactory):
    class Meta:
        model = Document


class FOIRequestFactory(RecordFactory):
    class Meta:
        model = FOIRequest


class StatementFactory(RecordFactory):
    class Meta:
        model = Statement

    venue = "Press conference"


class ResponseFactory(RecordFactory):
    class Meta:
        model = Response


class DeploymentFactory(RecordFactory):
    class Meta:
        model = Deployment

    technology = Technology.CCTV
    place = "Belgrade"
    latitude = "44.816667"
    longitude = "20.466667"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    slug = factory.Sequence(lambda n: f"question-{n}")
    title_sr = factory.Sequence(lambda n: f"Gde se čuvaju podaci {n}?")
    title_en = factory.Sequence(lambda n: f"Where is the data stored {n}?")
    status = Status.PUBLISHED


class QuestionLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionLink

    question = factory.SubFactory(QuestionFactory)
    record = factory.SubFactory(FOIRequestFactory)
    relation = QuestionRelation.ASKS


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Link

    source = factory.SubFactory(DocumentFactory)
    target = factory.SubFactory(StatementFactory)
    relation = Relation.CITES
    note = ""


def safe_city_graph():
    """A small linked story: a statement, a document contradicting it, a response, a draft."""
    mup = ActorFactory(name="Ministarstvo unutrašnjih poslova", kind=ActorKind.PUBLIC_BODY)
    share = ActorFactory(name="SHARE Fondacija", kind=ActorKind.CIVIL_SOCIETY)
    statement = StatementFactory(
        public_id="minister-1000-cameras",
        title="Minister announces 1,000 cameras",
        actors=[(mup, Role.SPEAKER)],
        tags=["cameras"],
    )
    opinion = DocumentFactory(
        public_id="commissioner-opinion",
        title="Commissioner's opinion on the DPIA",
        actors=[(mup, Role.SUBJECT)],
        tags=["dpia", "cameras"],
    )
    analysis = ResponseFactory(
        public_id="share-analysis",
        title="SHARE analysis of the DPIA",
        language=Language.SR_LATN,
        actors=[(share, Role.AUTHOR)],
        tags=["dpia"],
    )
    draft = DocumentFactory(public_id="secret-draft", title="Unpublished leak", status=Status.DRAFT)
    links = {
        "contradicts": LinkFactory(
            source=opinion, target=statement, relation=Relation.CONTRADICTS, note="Says no basis"
        ),
        "responds": LinkFactory(source=analysis, target=opinion, relation=Relation.RESPONDS_TO),
        "to_draft": LinkFactory(source=analysis, target=draft, relation=Relation.CITES),
        "from_draft": LinkFactory(source=draft, target=statement, relation=Relation.SUPPORTS),
    }
    return {
        "statement": statement,
        "opinion": opinion,
        "analysis": analysis,
        "draft": draft,
        "mup": mup,
        "share": share,
        "links": links,
    }
