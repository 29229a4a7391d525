from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from records.api import foi, views
from records.api.docs import api_docs

app_name = "api"

urlpatterns = [
    path("records/", views.RecordListAPIView.as_view(), name="record-list"),
    path("records/<str:public_id>/", views.RecordDetailAPIView.as_view(), name="record-detail"),
    path("requests/", foi.RequestListAPIView.as_view(), name="request-list"),
    path("requests/<str:public_id>/", foi.RequestDetailAPIView.as_view(), name="request-detail"),
    path("bodies/", foi.BodyListAPIView.as_view(), name="body-list"),
    path("export.jsonl", views.export_view, name="export"),
    # The OpenAPI 3 schema of the above, and browsable docs that read it.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
]
