"""The open questions and what the archive holds on each."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from records.models import Question


class QuestionListView(ListView):
    template_name = "records/question_list.html"
    context_object_name = "questions"

    def get_queryset(self):
        return Question.objects.visible_to(self.request.user)


class QuestionDetailView(DetailView):
    template_name = "records/question_detail.html"
    context_object_name = "question"

    def get_object(self, queryset=None):
        visible = Question.objects.visible_to(self.request.user)
        return get_object_or_404(visible, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        links = self.object.public_links().select_related("record")
        return super().get_context_data(links=links, **kwargs)
