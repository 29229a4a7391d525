from django.contrib.auth import views as auth_views
from django.urls import path

from records.accounts.views import accounts
from records.accounts.views.two_factor import TwoFactorView
from records.deployments import views as deployments
from records.deployments.views import DeploymentMapView
from records.files.views.captures import CaptureView, capture_warc
from records.files.views.files import FileTextView, file_view
from records.foi.feeds import BodyFeed, RequestFeed
from records.foi.views import bodies
from records.foi.views import requests as foi
from records.questions.views import QuestionDetailView, QuestionFeed, QuestionListView
from records.records.views import citations, exports
from records.records.views.actors import ActorDetailView, ActorListView
from records.records.views.charts import ChartsView
from records.records.views.pages import HomeView, PrivacyView
from records.records.views.records import RecordDetailView, RecordListView, TimelineView
from records.records.views.tags import TagDetailView, TagListView
from records.search.views import SearchView

app_name = "records"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("records/", RecordListView.as_view(), name="record-list"),
    path("records/export.csv", exports.records_csv, name="records-csv"),
    path("search/", SearchView.as_view(), name="search"),
    path("r/<str:public_id>/", RecordDetailView.as_view(), name="record"),
    path("r/<str:public_id>/cite.<str:fmt>", citations.record_citation, name="record-citation"),
    path("r/<str:public_id>/files/<int:pk>/text/", FileTextView.as_view(), name="file-text"),
    path("r/<str:public_id>/files/<int:pk>/<path:name>", file_view, name="file"),
    path("captures/<int:pk>/", CaptureView.as_view(), name="capture"),
    path("captures/<int:pk>/warc/", capture_warc, name="capture-warc"),
    path("timeline/", TimelineView.as_view(), name="timeline"),
    path("charts/", ChartsView.as_view(), name="charts"),
    path("privacy/", PrivacyView.as_view(), name="privacy"),
    path("map/", DeploymentMapView.as_view(), name="map"),
    path("map/deployments.geojson", deployments.deployments_geojson, name="deployments-geojson"),
    path("map/deployments.csv", deployments.deployments_csv, name="deployments-csv"),
    path("questions/", QuestionListView.as_view(), name="question-list"),
    path("questions/<slug:slug>/", QuestionDetailView.as_view(), name="question"),
    path("questions/<slug:slug>/feed/", QuestionFeed(), name="question-feed"),
    path("actors/", ActorListView.as_view(), name="actor-list"),
    path("actors/<str:slug>/", ActorDetailView.as_view(), name="actor"),
    path("tags/", TagListView.as_view(), name="tag-list"),
    path("tags/<str:slug>/", TagDetailView.as_view(), name="tag"),
]

foi_patterns = (
    [
        path("foi/", foi.RequestListView.as_view(), name="request-list"),
        path("foi/overdue/", foi.RequestListView.as_view(overdue_only=True), name="overdue"),
        path("foi/new/", foi.NewRequestView.as_view(), name="new"),
        path("foi/<str:public_id>/send/", foi.SendView.as_view(), name="send"),
        path(
            "foi/<str:public_id>/messages/<int:message_pk>/classify/",
            foi.ClassifyView.as_view(),
            name="classify",
        ),
        path(
            "foi/<str:public_id>/messages/<int:message_pk>/to-document/",
            foi.ReplyToDocumentView.as_view(),
            name="reply-to-document",
        ),
        path(
            "foi/<str:public_id>/files/<int:pk>/publish/",
            foi.PublishFileView.as_view(),
            name="publish-file",
        ),
        path(
            "foi/<str:public_id>/files/<int:pk>/redact/",
            foi.RedactFileView.as_view(),
            name="redact-file",
        ),
        path(
            "foi/<str:public_id>/files/<int:pk>/withdraw/",
            foi.WithdrawFileView.as_view(),
            name="withdraw-file",
        ),
        path("foi/<str:public_id>/status/", foi.StatusView.as_view(), name="status"),
        path("foi/<str:public_id>/reply/", foi.PostalReplyView.as_view(), name="postal-reply"),
        path("foi/<str:public_id>/appeal/", foi.AppealView.as_view(), name="appeal"),
        path("foi/<str:public_id>/follow/", foi.FollowView.as_view(), name="follow"),
        path("foi/<str:public_id>/feed/", RequestFeed(), name="request-feed"),
        path("bodies/", bodies.BodyListView.as_view(), name="body-list"),
        path("bodies/suggest/", bodies.SuggestView.as_view(), name="body-suggest"),
        path("bodies/<str:slug>/correct/", bodies.SuggestView.as_view(), name="body-correct"),
        path("bodies/<str:slug>/", bodies.BodyDetailView.as_view(), name="body"),
        path("bodies/<str:slug>/follow/", foi.FollowView.as_view(), name="follow-body"),
        path("bodies/<str:slug>/feed/", BodyFeed(), name="body-feed"),
    ],
    "foi",
)

account_patterns = (
    [
        path("signup/", accounts.SignupView.as_view(), name="signup"),
        path("signup/sent/", accounts.SignupSentView.as_view(), name="signup-sent"),
        path("confirm/<str:uidb64>/<str:token>/", accounts.ConfirmView.as_view(), name="confirm"),
        path("login/", accounts.LoginView.as_view(), name="login"),
        path("two-factor/", TwoFactorView.as_view(), name="two-factor"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
        path("password-reset/", accounts.PasswordResetView.as_view(), name="password-reset"),
        path(
            "password-reset/sent/",
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_sent.html"
            ),
            name="password-reset-sent",
        ),
        path(
            "password-reset/<str:uidb64>/<str:token>/",
            accounts.PasswordResetConfirmView.as_view(),
            name="password-reset-confirm",
        ),
        path("", accounts.ProfileView.as_view(), name="profile"),
        path("delete/", accounts.DeleteAccountView.as_view(), name="delete"),
        path("my-data/", accounts.MyDataView.as_view(), name="my-data"),
    ],
    "accounts",
)
