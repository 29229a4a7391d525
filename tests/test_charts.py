"""The link graph on record pages and the charts page: what they draw, what they count, what
they leave out, and that they need neither inline styles nor scripts."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from records.models import FOIStatus, Kind, Relation, Status
from records.records.charts import nice_step
from records.records.graph import MAX_NEIGHBOURS, link_graph, wrap
from records.records.selectors import record_links
from tests.factories import (
    ActorFactory,
    DocumentFactory,
    FOIRequestFactory,
    LinkFactory,
    ResponseFactory,
    StatementFactory,
    safe_city_graph,
)

pytestmark = pytest.mark.django_db


def _svg(html, index=0):
    return re.findall(r"<svg\b.*?</svg>", html, re.S)[index]


def _titles(svg):
    return [unescape(t) for t in re.findall(r"<title\b[^>]*>(.*?)</title>", svg, re.S)]


def _edge_labels(svg):
    """The edges' labels, their lines joined again."""
    texts = re.findall(r'<text class="graph-label"[^>]*>(.*?)</text>', svg, re.S)
    return [
        unescape(" ".join(re.findall(r"<tspan[^>]*>(.*?)</tspan>", text, re.S))) for text in texts
    ]


def assert_no_inline_style_or_script(html):
    """No style attribute and no inline script; script files (the record page's citation
    button) are no part of what is drawn and need no exception to the CSP."""
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)
    for figure in re.findall(r"<figure\b.*?</figure>", html, re.S):
        assert "<script" not in figure  # the drawings themselves are plain SVG


# The link graph -------------------------------------------------------------------------------


def test_the_graph_draws_the_neighbours_with_their_relations_and_links(client):
    story = safe_city_graph()
    html = client.get(story["opinion"].get_absolute_url()).content.decode()
    svg = _svg(html)
    # Outgoing with the relation's label, incoming with its inverse.
    for layout in (svg, _svg(html, 1)):  # wide, and narrow for phones
        assert sorted(_edge_labels(layout)) == ["contradicts", "is responded to by"]
    for other in (story["statement"], story["analysis"]):
        assert f'href="{other.get_absolute_url()}"' in svg
        assert other.title in _titles(svg)
    # The neighbours are coloured by kind; the record itself sits in the middle, unlinked.
    assert 'class="graph-node kind-statement"' in svg
    assert 'class="graph-node kind-response"' in svg
    assert 'class="graph-centre kind-document"' in svg
    assert f'href="{story["opinion"].get_absolute_url()}"' not in svg
    # The caption summarises it, and the text list stays.
    assert 'aria-labelledby="graph-caption"' in svg
    caption = re.search(r'<figcaption id="graph-caption">(.*?)</figcaption>', html, re.S)
    assert "links to 1 record." in caption.group(1)
    assert "linked from 1 record." in caption.group(1)
    assert 'class="link-list"' in html
    assert_no_inline_style_or_script(html)


def test_the_graph_leaves_out_unpublished_neighbours(client):
    story = safe_city_graph()
    for record in (story["analysis"], story["statement"]):
        html = client.get(record.get_absolute_url()).content.decode()
        assert "Unpublished leak" not in html
        assert story["draft"].get_absolute_url() not in html
    # The statement's only incoming links: the opinion (published) and the draft (not).
    svg = _svg(client.get(story["statement"].get_absolute_url()).content.decode())
    assert svg.count('class="graph-node ') == 1


def test_a_record_without_links_has_no_graph(client):
    lonely = DocumentFactory()
    html = client.get(lonely.get_absolute_url()).content.decode()
    assert "<svg" not in html and "No linked records yet." in html


def test_the_graph_escapes_titles_and_truncates_long_ones(client):
    hub = StatementFactory(title="Hub")
    long_title = "<b>A very long title</b> that goes on & on about cameras in Belgrade"
    LinkFactory(source=DocumentFactory(title=long_title), target=hub, relation=Relation.CITES)
    svg = _svg(client.get(hub.get_absolute_url()).content.decode())
    assert "<b>" not in svg
    assert "&lt;b&gt;A very long title&lt;/b&gt; that goes on &amp; on" in svg  # in <title>
    assert "…</tspan>" in svg  # shortened in the node


def _boxes(svg):
    """Each neighbour's box as drawn: its rectangle, its kind's lines and its title's lines,
    each line with its baseline."""
    boxes = []
    for node in re.findall(r'<g class="graph-node .*?</g>', svg, re.S):
        box = re.search(r'class="graph-box" x="\d+" y="(\d+)" width="(\d+)" height="(\d+)"', node)
        y, width, height = map(int, box.groups())
        lines = {}
        for name in ("graph-kind", "graph-title"):
            text = re.search(rf'<text class="{name}"[^>]*>(.*?)</text>', node, re.S)
            lines[name] = [
                (int(ty), unescape(line))
                for ty, line in re.findall(r'<tspan x="\d+" y="(\d+)">(.*?)</tspan>', text[1])
            ] or [(int(re.search(r'y="(\d+)"', text[0])[1]), unescape(text[1]))]  # one line
        boxes.append((y, width, height, lines["graph-kind"], lines["graph-title"]))
    return boxes


@pytest.mark.parametrize("prefix", ["", "/sr-latn", "/sr"])
def test_the_graphs_kind_names_fit_in_their_boxes_in_every_language(client, prefix):
    """ "Zahtev za pristup informacijama" is wider than a node: it takes two lines, the box
    grows to hold them, and the title moves down below them."""
    hub = StatementFactory(public_id="hub", title="Hub")
    LinkFactory(source=FOIRequestFactory(title="Koliko kamera"), target=hub)
    LinkFactory(source=hub, target=ResponseFactory(title="Odgovor"))
    html = client.get(f"{prefix}/r/hub/").content.decode()
    for layout in (_svg(html, 0), _svg(html, 1)):  # wide, and narrow for phones
        kinds = set()
        for y, width, height, kind, title in _boxes(layout):
            kinds.add(" ".join(line for _y, line in kind))
            for _y, line in kind:
                # 10-unit bold: about 0.66 of the size a letter on average in the page's fonts,
                # and the text starts 12 units into the box.
                assert 12 + len(line) * 6.6 <= width, (line, width)
            baselines = [ty for ty, _line in kind + title]
            assert baselines == sorted(baselines) and len(set(baselines)) == len(baselines)
            assert y < baselines[0] and baselines[-1] < y + height
        foi = {"": "FOI request", "/sr-latn": "Zahtev za pristup informacijama"}
        assert foi.get(prefix, "Захтев за приступ информацијама") in kinds


def test_the_graph_caps_the_neighbours_and_says_how_many_more(client):
    hub = StatementFactory(title="Hub")
    for i in range(10):
        LinkFactory(source=hub, target=DocumentFactory(title=f"Cited {i}"), relation=Relation.CITES)
    for i in range(8):
        critic = ResponseFactory(title=f"Critic {i}")
        LinkFactory(source=critic, target=hub, relation=Relation.CONTRADICTS)
    html = client.get(hub.get_absolute_url()).content.decode()
    svg = _svg(html)
    assert svg.count('class="graph-node ') == MAX_NEIGHBOURS
    # Both sides are drawn, half each.
    assert svg.count('class="graph-node kind-document"') == MAX_NEIGHBOURS // 2
    assert svg.count('class="graph-node kind-response"') == MAX_NEIGHBOURS // 2
    assert set(_edge_labels(svg)) == {"is contradicted by", "cites"}
    caption = re.search(r'<figcaption id="graph-caption">(.*?)</figcaption>', html, re.S).group(1)
    assert "links to 10 records" in caption and "linked from 8 records" in caption
    assert "shows 12, and 6 more are listed below" in caption
    # The list below still has every one of them.
    assert html.count('<li><span class="kind') >= 18


def test_one_side_takes_what_the_other_leaves():
    hub = StatementFactory()
    for _ in range(15):
        LinkFactory(source=hub, target=DocumentFactory(), relation=Relation.CITES)
    LinkFactory(source=DocumentFactory(), target=hub, relation=Relation.SUPPORTS)
    graph = link_graph(hub, record_links(hub))
    assert (len(graph.outgoing), len(graph.incoming)) == (11, 1)
    assert graph.hidden == 4


def test_two_relations_to_one_record_share_a_node():
    a, b = StatementFactory(), DocumentFactory()
    LinkFactory(source=a, target=b, relation=Relation.CITES)
    LinkFactory(source=a, target=b, relation=Relation.SUPPORTS)
    graph = link_graph(a, record_links(a))
    assert len(graph.outgoing) == 1 and graph.outgoing[0].full_label == "cites, supports"


def test_the_layouts_are_deterministic_and_inside_their_view_boxes():
    hub = StatementFactory()
    for _ in range(5):
        LinkFactory(source=hub, target=DocumentFactory())
        LinkFactory(source=DocumentFactory(), target=hub)
    first = link_graph(hub, record_links(hub))
    second = link_graph(hub, record_links(hub))
    assert [layout.name for layout in first.layouts] == ["wide", "narrow"]
    for one, other in zip(first.layouts, second.layouts, strict=True):
        assert [(p.x, p.y, p.path) for p in one.placed] == [
            (p.x, p.y, p.path) for p in other.placed
        ]
        assert len(one.placed) == 10
        for placed in one.placed:
            assert placed.x >= 0 and placed.x + one.node_width <= one.width
            assert placed.y >= 0 and placed.y + one.node_height <= one.height
        boxes = sorted((p.x, p.y) for p in one.placed)
        assert len(set(boxes)) == 10  # no two nodes on top of each other
        assert one.centre_y + one.centre_height <= one.height


CUT = "1,000 cameras in Be…"


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Short", 20, ["Short"]),
        ("Minister announces 1,000 cameras here", 20, ["Minister announces", "1,000 cameras here"]),
        ("Minister announces 1,000 cameras in Belgrade", 20, ["Minister announces", CUT]),
        ("Supercalifragilisticexpialidocious", 10, ["Supercalif", "ragilisti…"]),
        ("", 10, []),
    ],
)
def test_titles_wrap_in_two_lines_at_most(text, width, lines):
    assert wrap(text, width) == lines


def test_the_graph_adds_no_query_per_neighbour(client):
    hub = StatementFactory()

    def queries():
        with CaptureQueriesContext(connection) as context:
            client.get(hub.get_absolute_url())
        return len(context.captured_queries)

    LinkFactory(source=hub, target=DocumentFactory())
    few = queries()
    for _ in range(15):
        LinkFactory(source=hub, target=DocumentFactory())
        LinkFactory(source=ResponseFactory(), target=hub)
    assert queries() == few


# The charts page ------------------------------------------------------------------------------


def _year_table(html):
    table = re.search(r'<caption id="years-table-caption">.*?</table>', html, re.S).group(0)
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">(\d{4})</th>(.*?)</tr>", table, re.S):
        rows[int(row[0])] = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row[1])]
    return rows


def test_records_per_year_by_kind_count_only_published_records(client):
    for _ in range(3):
        DocumentFactory(date=date(2019, 3, 1), date_precision=3)
    StatementFactory(date=date(2019, 6, 1), date_precision=3)
    ResponseFactory(date=date(2021, 1, 1), date_precision=1)
    DocumentFactory(date=date(2021, 5, 5), date_precision=3, status=Status.DRAFT)
    DocumentFactory(date=date(2030, 1, 1), date_precision=1, status=Status.REVIEW)
    DocumentFactory(date=None, date_precision=None)
    html = client.get(reverse("records:charts")).content.decode()
    rows = _year_table(html)
    kinds = [kind for kind, _label in Kind.choices]
    # 2030 (in review) is not there; 2020 has nothing, so it is on the axis but not in the table.
    assert sorted(rows) == [2019, 2021]
    assert rows[2019][kinds.index(Kind.DOCUMENT)] == 3
    assert rows[2019][kinds.index(Kind.STATEMENT)] == 1
    assert rows[2019][-1] == 4
    assert ">2020</text>" in _svg(html, 0)
    only_a_response = [0] * len(kinds)
    only_a_response[kinds.index(Kind.RESPONSE)] = 1
    assert rows[2021] == [*only_a_response, 1]  # one column per kind, then the total
    svg = _svg(html, 0)
    titles = _titles(svg)
    assert "2019 · Document: 3" in titles
    assert "2019 · Government statement: 1" in titles
    assert "2021 · Civil-society response: 1" in titles
    assert not any("2030" in title for title in titles)
    assert "5 dated records" in html and "1 record without a date is not shown" in html
    assert 'role="img" aria-labelledby="years-caption"' in svg
    assert_no_inline_style_or_script(html)


def _foi(public_body, *, received, answered=None, foi_status=FOIStatus.AWAITING_RESPONSE, **fields):
    return FOIRequestFactory(
        public_body=public_body,
        foi_status=foi_status,
        sent_on=received,
        received_on=received,
        answered_on=answered,
        **fields,
    )


def test_foi_outcomes_and_median_days_per_body(client):
    mup = ActorFactory(name="Ministarstvo unutrašnjih poslova")
    city = ActorFactory(name="Grad Beograd")
    start = date.today() - timedelta(days=200)
    _foi(mup, received=start, answered=start + timedelta(days=4), foi_status=FOIStatus.SUCCESSFUL)
    _foi(mup, received=start, answered=start + timedelta(days=10), foi_status=FOIStatus.SUCCESSFUL)
    _foi(mup, received=start, answered=start + timedelta(days=60), foi_status=FOIStatus.SUCCESSFUL)
    _foi(mup, received=start, answered=start + timedelta(days=7), foi_status=FOIStatus.REFUSED)
    _foi(mup, received=start)  # overdue
    _foi(city, received=date.today())  # waiting
    # Not counted: unpublished, embargoed, never sent.
    _foi(
        city,
        received=start,
        answered=start + timedelta(days=90),
        foi_status=FOIStatus.SUCCESSFUL,
        status=Status.DRAFT,
    )
    FOIRequestFactory(public_body=city, status=Status.EMBARGOED, received_on=start)
    FOIRequestFactory(public_body=city, foi_status=FOIStatus.DRAFT)

    html = client.get(reverse("records:charts")).content.decode()
    outcomes = re.search(r'id="outcomes-table-caption".*?</table>', html, re.S).group(0)
    rows = dict(re.findall(r'>([^<>]+)</a></th>((?:<td class="num">\d+</td>)+)', outcomes))
    numbers = {name: [int(n) for n in re.findall(r"\d+", cells)] for name, cells in rows.items()}
    # requests, in time, late, refused, overdue, waiting or other
    assert numbers["Ministarstvo unutrašnjih poslova"] == [5, 2, 1, 1, 1, 0]
    assert numbers["Grad Beograd"] == [1, 0, 0, 0, 0, 1]
    assert html.index("Ministarstvo unutrašnjih poslova") < html.index("Grad Beograd")

    outcomes_svg = _titles(_svg(html, 1))
    assert "Ministarstvo unutrašnjih poslova · answered in time: 2" in outcomes_svg
    assert "Ministarstvo unutrašnjih poslova · answered late: 1" in outcomes_svg
    assert "Ministarstvo unutrašnjih poslova · refused: 1" in outcomes_svg
    assert "Ministarstvo unutrašnjih poslova · overdue: 1" in outcomes_svg
    assert "Grad Beograd · waiting or other: 1" in outcomes_svg

    # Days to answer 4, 7, 10, 60: the median is 8.5. The city has answered nothing.
    medians = re.search(r'id="medians-table-caption".*?</table>', html, re.S).group(0)
    cells = r'poslova</a></th><td class="num">4</td><td class="num">8.5<'
    assert re.search(cells, medians)
    assert "Grad Beograd" not in medians
    assert "Ministarstvo unutrašnjih poslova: median 8.5 days, 4 answers" in _titles(_svg(html, 2))
    assert_no_inline_style_or_script(html)


def test_the_charts_page_is_in_the_navigation_and_empty_archives_say_so(client):
    html = client.get(reverse("records:home")).content.decode()
    assert f'href="{reverse("records:charts")}"' in html
    page = client.get(reverse("records:charts")).content.decode()
    assert "No dated records are published yet." in page
    assert "No public FOI requests yet." in page
    assert "<svg" not in page


def test_the_charts_page_costs_a_fixed_number_of_queries(client):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("records:charts")).status_code == 200
        return len(context.captured_queries)

    body = ActorFactory()
    DocumentFactory()
    _foi(body, received=date(2024, 1, 1))
    few = queries()
    for year in range(2010, 2020):
        StatementFactory(date=date(year, 1, 1), date_precision=1)
        _foi(
            ActorFactory(),
            received=date(year, 1, 1),
            answered=date(year, 1, 9),
            foi_status=FOIStatus.SUCCESSFUL,
        )
    assert queries() == few


def test_the_charts_page_in_serbian_keeps_its_coordinates_machine_readable(client):
    body = ActorFactory()
    start = date(2024, 1, 1)
    _foi(body, received=start, answered=start + timedelta(days=3), foi_status=FOIStatus.SUCCESSFUL)
    _foi(body, received=start, answered=start + timedelta(days=4), foi_status=FOIStatus.SUCCESSFUL)
    html = client.get("/sr-latn/charts/").content.decode()
    for svg in re.findall(r"<svg\b.*?</svg>", html, re.S):
        for value in re.findall(r'\b(?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', svg):
            float(value)  # never "12,5"


@pytest.mark.parametrize(("largest", "step"), [(0, 1), (3, 1), (9, 5), (40, 10), (1234, 500)])
def test_nice_steps(largest, step):
    assert nice_step(largest) == step
