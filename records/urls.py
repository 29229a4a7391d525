from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("records/", views.RecordListView.as_view(), name="record-list"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("r/<str:public_id>/", views.RecordDetailView.as_view(), name="record"),
    path("r/<str:public_id>/files/<int:pk>/text/", views.FileTextView.as_view(), name="file-text"),
    path("r/<str:public_id>/files/<int:pk>/<path:name>", views.file_view, name="file"),
    path("captures/<int:pk>/", views.CaptureView.as_view(), name="capture"),
    path("captures/<int:pk>/warc/", views.capture_warc, name="capture-warc"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("actors/", views.ActorListView.as_view(), name="actor-list"),
    path("actors/<str:slug>/", views.ActorDetailView.as_view(), name="actor"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("tags/<str:slug>/", views.TagDetailView.as_view(), name="tag"),
]
