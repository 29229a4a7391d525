from django.urls import path

from records.api import views

app_name = "api"

urlpatterns = [
    path("records/", views.RecordListAPIView.as_view(), name="record-list"),
    path("records/<str:public_id>/", views.RecordDetailAPIView.as_view(), name="record-detail"),
    path("export.jsonl", views.export_view, name="export"),
]
