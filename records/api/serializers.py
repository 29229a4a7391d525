from rest_framework import serializers

from records.api.schema import links_field
from records.core.markdown import render_markdown
from records.models import Record


class ActorRoleSerializer(serializers.Serializer):
    name = serializers.CharField(source="actor.name")
    name_sr = serializers.CharField(source="actor.name_sr")
    name_en = serializers.CharField(source="actor.name_en")
    short_name = serializers.CharField(source="actor.short_name")
    kind = serializers.CharField(source="actor.kind")
    role = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, ra) -> str:
        return self.context["request"].build_absolute_uri(ra.actor.get_absolute_url())


class RecordSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    date = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    actors = ActorRoleSerializer(source="actor_roles", many=True)

    class Meta:
        model = Record
        fields = ["id", "kind", "title", "summary", "date", "language", "url", "tags", "actors"]

    def get_date(self, record) -> str | None:
        return str(record.partial_date) if record.partial_date else None

    def get_url(self, record) -> str:
        return self.context["request"].build_absolute_uri(record.get_absolute_url())

    def get_tags(self, record) -> list[str]:
        return [tag.name for tag in record.tags.all()]


class RecordDetailSerializer(RecordSerializer):
    body_html = serializers.SerializerMethodField()
    source_url = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta(RecordSerializer.Meta):
        fields = [
            *RecordSerializer.Meta.fields,
            "body",
            "body_html",
            "source_url",
            "published_at",
            "updated_at",
            "links",
        ]

    def get_body_html(self, record) -> str:
        return str(render_markdown(record.body))

    def get_source_url(self, record) -> str | None:
        return record.source_url or None

    @links_field
    def get_links(self, record):
        request = self.context["request"]
        links = []
        for direction, relation_label, link, other in self.context["links"]:
            links.append(
                {
                    "direction": direction,
                    "relation": link.relation,
                    "label": str(relation_label),
                    "note": link.note,
                    "record": {
                        "id": other.public_id,
                        "kind": other.kind,
                        "title": other.title,
                        "url": request.build_absolute_uri(other.get_absolute_url()),
                    },
                }
            )
        return links
