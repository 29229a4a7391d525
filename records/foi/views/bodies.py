"""The directory of public bodies: search, each body's details and record, and what
signed-in users suggest to its editors."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from records.core.ratelimits import over_limit, too_many_requests
from records.foi import directory
from records.foi.directory import BodyFilter, listed_bodies
from records.foi.forms import SuggestionForm
from records.foi.selectors import public_requests
from records.foi.stats import BodyStats, body_statistics
from records.models import Follow


class BodyListView(ListView):
    template_name = "foi/body_list.html"
    context_object_name = "bodies"

    def get_queryset(self):
        self.filterset = BodyFilter(self.request.GET, queryset=listed_bodies())
        return self.filterset.qs.select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter=self.filterset, **kwargs)
        stats = body_statistics()
        context["rows"] = [(body, stats.get(body.pk) or BodyStats()) for body in context["bodies"]]
        context["searched"] = any(self.request.GET.get(key) for key in ("q", "kind"))
        return context


class BodyDetailView(DetailView):
    template_name = "foi/body_detail.html"
    context_object_name = "body"
    slug_url_kwarg = "slug"

    def get_object(self, queryset=None):
        return get_object_or_404(listed_bodies().select_related("parent"), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        body = self.object
        user = self.request.user
        return super().get_context_data(
            stats=body_statistics([body.pk]).get(body.pk) or BodyStats(),
            requests=public_requests().filter(public_body=body).order_by("-sent_on", "-pk")[:50],
            children=listed_bodies().filter(parent=body),
            following=user.is_authenticated
            and Follow.objects.filter(user=user, body=body).exists(),
            today=timezone.localdate(),
            **kwargs,
        )


class SuggestView(LoginRequiredMixin, FormView):
    """ "Suggest a body" (no slug) or "report a wrong address" (a body's slug): kept for the
    editors' queue in the admin; the directory changes only when an editor accepts it."""

    template_name = "foi/body_suggest.html"
    form_class = SuggestionForm

    def dispatch(self, request, *args, **kwargs):
        slug = kwargs.get("slug")
        self.body = get_object_or_404(listed_bodies(), slug=slug) if slug else None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "body": self.body}

    def get_context_data(self, **kwargs):
        return super().get_context_data(body=self.body, **kwargs)

    def post(self, request, *args, **kwargs):
        if over_limit(request, group="suggest", rate=settings.FILING_RATE, key="user_or_ip"):
            return too_many_requests(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            directory.suggest(user=self.request.user, body=self.body, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Thank you. An editor will check it; the directory changes once they accept it."),
        )
        return redirect(self.body.get_body_url() if self.body else "foi:body-list")
