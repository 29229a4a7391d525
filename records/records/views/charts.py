from django.views.generic import TemplateView

from records.records.charts import body_charts, records_per_year


class ChartsView(TemplateView):
    """Records per year by kind, FOI outcomes per body, median days to answer: server-drawn
    SVG, each with a table of the same numbers."""

    template_name = "records/charts.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(years=records_per_year(), bodies=body_charts(), **kwargs)
