"""FOI pages: the list of requests, filing, and what a requester or an editor does on a
request's page (send, classify a reply, add a postal reply, appeal, follow)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView

from records.core import permissions
from records.core.ratelimits import over_limit, too_many_requests
from records.foi import letters, services
from records.foi.forms import (
    AppealSentForm,
    ClassifyForm,
    PostalReplyForm,
    PublishFileForm,
    RedactedCopyForm,
    RequestForm,
    SendForm,
    StatusForm,
    WithdrawFileForm,
    public_bodies,
)
from records.foi.selectors import FOIRequestFilter, public_requests
from records.models import (
    Attachment,
    Direction,
    FOIRequest,
    FOIStatus,
    Follow,
    Language,
    Profile,
    SentVia,
    Status,
)


class RequestListView(ListView):
    template_name = "foi/request_list.html"
    paginate_by = 25
    overdue_only = False

    def get_queryset(self):
        params = self.request.GET.copy()
        if self.overdue_only:
            params["overdue"] = "true"
        self.filterset = FOIRequestFilter(params, queryset=public_requests())
        return self.filterset.qs.order_by("-sent_on", "-pk")

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=self.filterset,
            overdue_only=self.overdue_only,
            today=timezone.localdate(),
            query_without_page=query.urlencode(),
            **kwargs,
        )


class NewRequestView(LoginRequiredMixin, FormView):
    """File a request. "Use the template" refills the letter for the chosen body and
    language, "Preview" shows it as the body will get it, "Send" files and sends it."""

    template_name = "foi/new_request.html"
    form_class = RequestForm

    def get_initial(self):
        profile = Profile.objects.filter(user=self.request.user).first()
        body = public_bodies().filter(slug=self.request.GET.get("body")).first()
        language = self.request.GET.get("language")
        if language not in Language.values:
            language = Language.SR_LATN
        return {
            "public_body": body,
            "language": language,
            # A subject to start from (an open question's page links here with one); it is
            # only a starting value, checked like any other on submission.
            "title": self.request.GET.get("title", "").strip()[:300],
            "letter": letters.request_letter(
                body_name=body.name if body else "", language=language
            ),
            "real_name": profile.real_name if profile else "",
            "postal_address": profile.postal_address if profile else "",
        }

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "preview")
        form = self.get_form()
        if action == "template":
            return self._refill(form)
        if not form.is_valid():
            return self.form_invalid(form)
        if action != "send":
            return self.render_to_response(
                self.get_context_data(form=form, preview=self._preview(form.cleaned_data))
            )
        if over_limit(request, group="filing", rate=settings.FILING_RATE, key="user_or_ip"):
            return too_many_requests(request)
        return self.form_valid(form)

    def _refill(self, form):
        """Re-render with the template letter for the chosen body and language."""
        data = form.data.copy()
        body = public_bodies().filter(slug=data.get("public_body")).first()
        language = data.get("language") if data.get("language") in Language.values else "sr-Latn"
        data["letter"] = letters.request_letter(
            body_name=body.name if body else "",
            language=language,
            urgent=bool(data.get("urgent")),
        )
        # Unbound: a fresh letter is no submission, so no errors are shown yet.
        form = self.form_class(initial=data.dict())
        return self.render_to_response(self.get_context_data(form=form, refilled=True))

    def _preview(self, data):
        email = "request-…@" + settings.FOI_EMAIL_DOMAIN
        return {
            "to_body": data["letter"]
            + "\n\n"
            + letters.signature(
                real_name=data["real_name"],
                postal_address=data["postal_address"],
                email_address=email,
            ),
            "public": data["letter"],
        }

    def form_valid(self, form):
        data = form.cleaned_data
        user = self.request.user
        profile = Profile.objects.for_user(user)
        profile.real_name = data["real_name"]
        profile.postal_address = data["postal_address"]
        profile.save(update_fields=["real_name", "postal_address"])
        foi = services.create_request(
            user=user,
            public_body=data["public_body"],
            title=data["title"],
            letter=data["letter"],
            language=data["language"],
            urgent=data["urgent"],
            embargo_until=data["embargo_until"],
            submission_key=data["submission_key"],
        )
        if foi.foi_status != FOIStatus.DRAFT:  # the same form, sent a second time
            messages.info(self.request, _("This request was already sent."))
            return redirect(foi)
        return _send(self.request, foi, data)


def _send(request, foi, data):
    try:
        services.send_request(
            foi,
            user=request.user,
            via=data["sent_via"],
            sent_on=data.get("sent_on"),
            received_on=data.get("received_on"),
        )
    except services.FOIError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(foi)
    except OSError:  # the mail server is down or refused the message
        messages.error(
            request,
            _(
                "The e-mail could not be sent just now. Your request is saved as a draft: try "
                "sending it again in a few minutes."
            ),
        )
        return redirect(foi)
    if data["sent_via"] == SentVia.EMAIL:
        messages.success(request, _("Your request is sent. Replies will appear on this page."))
    else:
        messages.success(
            request, _("Your request is recorded. The deadline runs from its delivery.")
        )
    return redirect(foi)


def managed_request(request, public_id):
    """The request, if ``request.user`` is its requester or an editor; 404 otherwise."""
    foi = get_object_or_404(
        FOIRequest.objects.select_related("public_body", "requester"), public_id=public_id
    )
    if not permissions.can_manage_request(request.user, foi):
        raise Http404
    return foi


class RequestActionView(LoginRequiredMixin, View):
    """A POST on a request's page; shows the form again with its errors if it is wrong."""

    form_class = None

    def post(self, request, public_id, **kwargs):
        self.foi = self.get_request(public_id, **kwargs)
        form = self.get_form()
        if form.is_valid():
            response = self.handle(form, **kwargs)
            if response is not None:
                return response
        return render(
            request,
            "foi/action_form.html",
            {"form": form, "foi": self.foi, "view": self, **self.get_context_data()},
        )

    def handle(self, form, **kwargs):
        """Act on a valid form: the response, or None to show the form with its errors."""
        try:
            self.act(form.cleaned_data, **kwargs)
        except services.FOIError as error:
            form.add_error(None, error)
            return None
        return redirect(self.foi)

    def get_request(self, public_id, **kwargs):
        return managed_request(self.request, public_id)

    def get_form(self):
        return self.form_class(self.request.POST, self.request.FILES)

    def get_context_data(self):
        return {}


class SendView(RequestActionView):
    form_class = SendForm
    heading = gettext_lazy("Send the request")

    def get_form(self):
        return self.form_class(self.request.POST, request=self.foi)

    def handle(self, form, **kwargs):
        # A refusal or a mail server that is down is said on the request's page.
        return _send(self.request, self.foi, form.cleaned_data)


class ClassifyView(RequestActionView):
    form_class = ClassifyForm
    heading = gettext_lazy("Classify the reply")

    def get_form(self):
        return self.form_class(self.request.POST, request=self.foi)

    def act(self, data, message_pk):
        message = get_object_or_404(self.foi.messages, pk=message_pk, direction=Direction.INCOMING)
        services.classify(
            self.foi,
            message,
            status=data["status"],
            user=self.request.user,
            extended_to=data.get("extended_to"),
        )
        messages.success(self.request, _("Thank you: the request's status is updated."))


class StatusView(RequestActionView):
    form_class = StatusForm
    heading = gettext_lazy("Change the status")

    def get_form(self):
        return StatusForm(
            self.request.POST, editor=permissions.can_set_any_status(self.request.user)
        )

    def act(self, data):
        services.change_status(
            self.foi, status=data["status"], user=self.request.user, on=data.get("on")
        )
        messages.success(self.request, _("The request's status is updated."))


class PostalReplyView(RequestActionView):
    form_class = PostalReplyForm
    heading = gettext_lazy("Add a reply that came by post")

    def act(self, data):
        if self.foi.foi_status == FOIStatus.DRAFT:
            raise services.FOIError(_("Send the request first."))
        services.record_message(
            self.foi,
            direction=Direction.INCOMING,
            via=SentVia.POST,
            sent_at=services.moment_of(data["received_on"]),
            subject=data["subject"],
            text=data["text"],
            files=[(upload.name, upload) for upload in data["files"]],
            user=self.request.user,
        )
        messages.success(self.request, _("The reply is added. Now say what it means."))


class FileReviewView(RequestActionView):
    """The requester or an editor decides about a reply's file held for review."""

    def get_request(self, public_id, pk):
        foi = managed_request(self.request, public_id)
        if not permissions.can_review_files(self.request.user, foi):
            raise Http404
        self.attachment = get_object_or_404(foi.attachments, pk=pk)
        return foi

    def get_context_data(self):
        return {"attachment": self.attachment}


class PublishFileView(FileReviewView):
    form_class = PublishFileForm
    heading = gettext_lazy("Publish this file")

    def act(self, data, pk):
        services.publish_file(self.foi, self.attachment, user=self.request.user)
        messages.success(self.request, _("The file is public now."))


class RedactFileView(FileReviewView):
    form_class = RedactedCopyForm
    heading = gettext_lazy("Replace with a redacted copy")

    def act(self, data, pk):
        services.redact_file(self.foi, self.attachment, data["copy"], user=self.request.user)
        messages.success(
            self.request,
            _("The redacted copy is public now; the original stays private."),
        )


class WithdrawFileView(FileReviewView):
    form_class = WithdrawFileForm
    heading = gettext_lazy("Withdraw this file from public view")

    def act(self, data, pk):
        services.withdraw_file(self.foi, self.attachment, user=self.request.user)
        messages.success(
            self.request,
            _("The file is private again: only you and the editors can see it.")
            if self.request.user.pk == self.foi.requester_id
            else _("The file is private again: only the requester and the editors can see it."),
        )


class ReplyToDocumentView(LoginRequiredMixin, View):
    """Editors: make a reply a document record of its own (a draft, with the reply's files,
    linked as answering the request), to curate and publish from the admin."""

    def post(self, request, public_id, message_pk):
        foi = managed_request(request, public_id)
        if not permissions.is_foi_editor(request.user):
            raise Http404
        message = get_object_or_404(foi.messages, pk=message_pk, direction=Direction.INCOMING)
        document = services.reply_to_document(foi, message, user=request.user)
        messages.success(request, _("A draft document record was made from the reply."))
        return redirect("admin:records_document_change", document.pk)


class AppealView(LoginRequiredMixin, View):
    """The appeal to the Commissioner, drafted from the request (or, for the six exempt
    bodies, the administrative-dispute route); and "I sent it"."""

    def get(self, request, public_id):
        foi = managed_request(request, public_id)
        return self.render(
            request, foi, AppealSentForm(initial={"appealed_on": timezone.localdate()})
        )

    def post(self, request, public_id):
        foi = managed_request(request, public_id)
        form = AppealSentForm(request.POST)
        if form.is_valid():
            try:
                services.change_status(
                    foi,
                    status=FOIStatus.APPEALED,
                    user=request.user,
                    on=form.cleaned_data["appealed_on"],
                )
            except services.FOIError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The appeal is recorded in the request's timeline."))
                return redirect(foi)
        return self.render(request, foi, form)

    def render(self, request, foi, form):
        today = timezone.localdate()
        decision = foi.messages.filter(
            direction=Direction.INCOMING, classified_as=foi.foi_status
        ).last()
        letter = letters.appeal_letter(
            foi, decision_text=decision.body if decision else "", today=today
        )
        if request.GET.get("format") == "txt":
            response = HttpResponse(letter, content_type="text/plain; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="zalba-{foi.public_id}.txt"'
            return response
        return render(
            request,
            "foi/appeal.html",
            {
                "foi": foi,
                "letter": letter,
                "form": form,
                "can_appeal": foi.can_appeal(today),
                "to_commissioner": foi.appeals_to_commissioner,
            },
        )


class FollowView(LoginRequiredMixin, View):
    """Follow or stop following a public request or a public body."""

    def post(self, request, public_id=None, slug=None):
        if public_id:
            target = get_object_or_404(FOIRequest.objects.published(), public_id=public_id)
            lookup = {"request": target}
        else:
            target = get_object_or_404(public_bodies(), slug=slug)
            lookup = {"body": target}
        follow = Follow.objects.filter(user=request.user, **lookup).first()
        if follow:
            follow.delete()
            messages.success(request, _("You no longer follow this."))
        else:
            Follow.objects.create(user=request.user, **lookup)
            messages.success(request, _("You will get an e-mail for each new message."))
        return redirect(target.get_absolute_url() if public_id else target.get_body_url())


def request_context(foi, user):
    """What the record page adds for an FOI request: correspondence, timeline, deadlines
    and, for its requester and editors, the forms to act on it."""
    today = timezone.localdate()
    manage = permissions.can_manage_request(user, foi)
    # Each message lists the files ``user`` may see (a reply's files are held for review
    # until the requester or an editor publishes them), and counts those still waiting.
    correspondence = list(
        foi.messages.select_related("bounce_of")
        .annotate(
            pending_files=Count(
                "attachments",
                filter=Q(attachments__public=False, attachments__redacted_copies__isnull=True),
                distinct=True,
            )
        )
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.visible_to(user)
                .select_related("file")
                .prefetch_related("redacted_copies"),
                to_attr="shown_files",
            )
        )
    )
    review = permissions.can_review_files(user, foi)
    for message in correspondence:
        for attachment in message.shown_files:
            # The name this message gave the file (the same bytes may have come before
            # under another name), and what an attached mail carried.
            attachment.name, *attachment.also_named = message.names_of(attachment)
            attachment.contains = message.attachment_contents.get(str(attachment.pk), [])
        if review:
            for attachment in message.shown_files:
                if attachment.held and not attachment.has_public_copy:
                    attachment.publish_form = PublishFileForm(auto_id=f"id_file{attachment.pk}_%s")
                    attachment.redact_form = RedactedCopyForm(auto_id=f"id_file{attachment.pk}_%s")
                attachment.may_withdraw = (
                    attachment.public and message.direction == Direction.INCOMING
                )
    if manage:
        # One classify form per reply, each with its own ids (the names stay the same).
        for message in correspondence:
            if message.direction == Direction.INCOMING:
                message.classify_form = ClassifyForm(auto_id=f"id_message{message.pk}_%s")
    events = foi.events.select_related("message")
    return {
        "foi": foi,
        "today": today,
        "correspondence": correspondence,
        "events": events,
        "can_manage": manage,
        "is_editor": permissions.is_foi_editor(user),
        "is_requester": permissions.is_own_request(user, foi),
        "can_review": review,
        "following": user.is_authenticated
        and Follow.objects.filter(user=user, request=foi).exists(),
        # The forms share a page, so each has its own prefix for ids (not for names).
        "status_form": StatusForm(
            editor=permissions.can_set_any_status(user), auto_id="id_status_%s"
        )
        if manage
        else None,
        "postal_form": PostalReplyForm(auto_id="id_postal_%s") if manage else None,
        "send_form": SendForm(initial={"sent_via": SentVia.EMAIL}, auto_id="id_send_%s")
        if manage
        else None,
        "is_public": foi.status == Status.PUBLISHED,
    }
