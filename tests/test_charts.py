"""The link graph on record pages: what it draws, what it leaves out, and that it needs
neither inline styles nor scripts."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.graph import MAX_NEIGHBOURS, link_graph, wrap
from records.models import Relation
from records.selectors import record_links
from tests.factories import (
    DocumentFactory,
    LinkFactory,
    ResponseFactory,
    StatementFactory,
    safe_city_graph,
)

pytestmark = pytest.mark.django_db


def _svg(html, index=0):
    return re.findall(r"<svg\b.*?</svg>", html, re.S)[index]


def _titles(svg):
    return [unescape(t) for t in re.findall(r"<title>(.*?)</title>", svg, re.S)]


def assert_no_inline_style_or_script(html):
    assert " style=" not in html
    assert "<script" not in html


# The link graph -------------------------------------------------------------------------------


def test_the_graph_draws_the_neighbours_with_their_relations_and_links(client):
    story = safe_city_graph()
    html = client.get(story["opinion"].get_absolute_url()).content.decode()
    svg = _svg(html)
    # Outgoing with the relation's label, incoming with its inverse.
    assert ">contradicts<" in svg
    assert ">is responded to by<" in svg
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
    assert ">is contradicted by<" in svg and ">cites<" in svg
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
