"""Public pages. Every query here starts from ``Record.objects.published()``."""

from records.views.actors import ActorDetailView, ActorListView
from records.views.captures import CaptureView, capture_warc
from records.views.charts import ChartsView
from records.views.deployments import DeploymentMapView
from records.views.files import FileTextView, file_view
from records.views.pages import HomeView, PrivacyView
from records.views.questions import QuestionDetailView, QuestionListView
from records.views.records import RecordDetailView, RecordListView, TimelineView
from records.views.search import SearchView
from records.views.tags import TagDetailView, TagListView

__all__ = [
    "ActorDetailView",
    "ActorListView",
    "CaptureView",
    "ChartsView",
    "DeploymentMapView",
    "FileTextView",
    "HomeView",
    "PrivacyView",
    "QuestionDetailView",
    "QuestionListView",
    "RecordDetailView",
    "RecordListView",
    "SearchView",
    "TagDetailView",
    "TagListView",
    "TimelineView",
    "capture_warc",
    "file_view",
]
