"""The link graph on a record page: the record, the records that link to it and the records
it links to, each edge labelled by how it reads ("cites", "is contradicted by").

Two layouts are computed, both deterministic: a wide one in three columns (links in on the
left, the record in the middle, links out on the right) and a narrow one for phones, stacked
(links in above the record, links out below, along one line). The page shows one or the other
by width, from CSS alone. Both come from the list ``records.records.selectors.record_links`` already
made for the page's text list, so drawing costs no query. The template
(``records/_link_graph.html``) only places what this module measured; Django's autoescaping
covers every title and label.
"""

from dataclasses import dataclass, field

from django.utils.text import Truncator

from records.core.transliteration import in_reader_script

# At most this many neighbours are drawn; the list below the diagram has them all.
MAX_NEIGHBOURS = 12


def wrap(text, width, count=2):
    """``text`` in at most ``count`` lines of at most ``width`` characters, cut with "…"."""
    words = str(text).split()
    lines, current, i = [], "", 0
    while i < len(words) and len(lines) < count:
        candidate = f"{current} {words[i]}" if current else words[i]
        if len(candidate) <= width:
            current, i = candidate, i + 1
        elif current:
            lines.append(current)
            current = ""
        else:  # one word longer than a line: split it
            lines.append(words[i][:width])
            words[i] = words[i][width:]
    if current and len(lines) < count:
        lines.append(current)
        current = ""
    if current or i < len(words):
        rest = " ".join(filter(None, [current, *words[i:]]))
        lines[-1] = Truncator(f"{lines[-1]} {rest}").chars(width)
    return lines


@dataclass
class GraphNode:
    record: object
    direction: str  # "incoming" or "outgoing"
    labels: list = field(default_factory=list)

    @property
    def full_label(self):
        """How the edge reads: "cites", or "cites, supports" for two links to one record."""
        return ", ".join(str(label) for label in self.labels)


@dataclass
class Placed:
    """A node where one layout puts it, with its edge and the edge's label."""

    node: GraphNode
    x: int
    y: int
    lines: list  # the title, wrapped
    path: str
    label: list  # its lines
    label_x: int
    label_y: int
    label_anchor: str = "start"
    kind_lines: list = field(default_factory=list)  # the kind's name, wrapped to the box

    @property
    def record(self):
        return self.node.record

    @property
    def label_cut(self):
        return " ".join(self.label) != self.node.full_label

    @property
    def label_ys(self):
        """The label's lines, the last one just above the edge."""
        last = len(self.label) - 1
        return [(line, self.label_y - 13 * (last - i)) for i, line in enumerate(self.label)]

    @property
    def kind_ys(self):
        return [(line, self.y + 16 + KIND_LINE * i) for i, line in enumerate(self.kind_lines)]

    @property
    def text_x(self):
        return self.x + 12

    @property
    def title_ys(self):
        top = self.y + 33 + KIND_LINE * (len(self.kind_lines) - 1)
        return [(line, top + 15 * i) for i, line in enumerate(self.lines)]


# A kind's name is drawn in 10-unit bold (``.graph-kind``): about this wide a character,
# measured on DejaVu Sans Bold, the widest of the fonts the CSS names (wider letters
# such as "Ш" or "M" are offset by narrow ones such as "i" or "j").
KIND_CHAR_WIDTH = 6.6
KIND_LINE = 12  # the height of a kind's second line
BOX_PADDING = 18  # the bar and the margins either side of the text


def kind_lines(record, box_width):
    """The name of ``record``'s kind, in as many lines (at most two) as a box fits."""
    return wrap(record.get_kind_display(), int((box_width - BOX_PADDING) / KIND_CHAR_WIDTH))


def _title(record, reader):
    return in_reader_script(record.title, record.language, reader) if reader else record.title


@dataclass
class Layout:
    name: str  # "wide" or "narrow": the CSS shows one of them
    record: object = None
    width: int = 0
    height: int = 0
    node_width: int = 0
    node_height: int = 58
    centre_x: int = 0
    centre_y: int = 0
    centre_width: int = 0
    centre_height: int = 66
    centre_lines: list = field(default_factory=list)
    centre_kind_lines: list = field(default_factory=list)
    placed: list = field(default_factory=list)
    headings: list = field(default_factory=list)  # [(which, x, y, anchor)]

    @property
    def centre_kind_ys(self):
        return [
            (line, self.centre_y + 18 + KIND_LINE * i)
            for i, line in enumerate(self.centre_kind_lines)
        ]

    @property
    def centre_title_ys(self):
        top = self.centre_y + 36 + KIND_LINE * (len(self.centre_kind_lines) - 1)
        return [(line, top + 16 * i) for i, line in enumerate(self.centre_lines)]

    def fit_kinds(self, nodes):
        """Wrap every kind's name to its box ("Zahtev za pristup informacijama" does not
        fit on one line of a 170-unit box) and make the boxes tall enough for the most
        lines any of them needs. Returns each node's lines, by ``id(node)``."""
        lines = {id(node): kind_lines(node.record, self.node_width) for node in nodes}
        self.node_height += KIND_LINE * max((len(v) - 1 for v in lines.values()), default=0)
        self.centre_kind_lines = kind_lines(self.record, self.centre_width)
        self.centre_height += KIND_LINE * (len(self.centre_kind_lines) - 1)
        return lines


@dataclass
class LinkGraph:
    record: object
    incoming: list
    outgoing: list
    incoming_count: int
    outgoing_count: int
    layouts: list = field(default_factory=list)

    @property
    def nodes(self):
        return [*self.incoming, *self.outgoing]

    @property
    def shown(self):
        return len(self.incoming) + len(self.outgoing)

    @property
    def hidden(self):
        return self.incoming_count + self.outgoing_count - self.shown


def _neighbours(links, direction):
    """One node per neighbour and direction, in the order of ``links`` (relation, then date);
    two relations to the same record share its node and its edge."""
    nodes = {}
    for link_direction, label, _link, other in links:
        if link_direction != direction:
            continue
        node = nodes.setdefault(other.pk, GraphNode(record=other, direction=direction))
        if label not in node.labels:
            node.labels.append(label)
    return list(nodes.values())


def _quotas(n_in, n_out, limit):
    """How many of each side to draw: half each, and what one side leaves to the other."""
    out_shown = min(n_out, max(limit // 2, limit - n_in))
    in_shown = min(n_in, limit - out_shown)
    return in_shown, out_shown


def link_graph(record, links, *, limit=MAX_NEIGHBOURS, reader=None):
    """The laid-out graph of ``record`` and ``links`` (``record_links(record)``), or None
    when there is nothing to draw. Titles are wrapped as the ``reader`` (the page's
    language) sees them: Serbian in their script."""
    incoming = _neighbours(links, "incoming")
    outgoing = _neighbours(links, "outgoing")
    if not incoming and not outgoing:
        return None
    in_shown, out_shown = _quotas(len(incoming), len(outgoing), limit)
    graph = LinkGraph(
        record=record,
        incoming=incoming[:in_shown],
        outgoing=outgoing[:out_shown],
        incoming_count=len(incoming),
        outgoing_count=len(outgoing),
    )
    graph.layouts = [_wide(graph, reader), _narrow(graph, reader)]
    return graph


# Wide: three columns. Sizes are in the SVG's user units, about CSS pixels at full width.
NODE_WIDTH = 170
CENTRE_WIDTH = 190
GAP = 120  # between a column and the centre: room for the edges' labels
BUS = 20  # where a column's edges meet, this far from the centre node
ROW_PITCH = 70
TOP = 28  # room for the column headings


def _wide(graph, reader=None):
    layout = Layout("wide", record=graph.record, node_width=NODE_WIDTH, centre_width=CENTRE_WIDTH)
    layout.centre_lines = wrap(_title(graph.record, reader), 21)
    kinds = layout.fit_kinds(graph.nodes)
    pitch = ROW_PITCH + layout.node_height - Layout.node_height  # taller boxes, same gap
    rows = max(len(graph.incoming), len(graph.outgoing), 1)
    body = max((rows - 1) * pitch + layout.node_height, layout.centre_height)
    layout.height = TOP + body + 4
    layout.centre_y = TOP + (body - layout.centre_height) // 2
    centre_mid = layout.centre_y + layout.centre_height // 2
    layout.centre_x = NODE_WIDTH + GAP if graph.incoming else 0
    right_x = layout.centre_x + CENTRE_WIDTH + GAP
    layout.width = right_x + NODE_WIDTH if graph.outgoing else layout.centre_x + CENTRE_WIDTH

    def column_top(n):
        return TOP + (body - ((n - 1) * pitch + layout.node_height)) // 2

    if graph.incoming:
        layout.headings.append(("incoming", 0, 14, "start"))
    bus_in = layout.centre_x - BUS
    for i, node in enumerate(graph.incoming):
        y = column_top(len(graph.incoming)) + i * pitch
        mid = y + layout.node_height // 2
        layout.placed.append(
            Placed(
                node,
                x=0,
                y=y,
                lines=wrap(_title(node.record, reader), 20),
                # From the neighbour to the shared bus, then into the record (the arrow).
                path=f"M{NODE_WIDTH} {mid}H{bus_in}V{centre_mid}H{layout.centre_x - 3}",
                label=wrap(node.full_label, 17),
                label_x=NODE_WIDTH + 6,
                label_y=mid - 5,
                kind_lines=kinds[id(node)],
            )
        )

    if graph.outgoing:
        layout.headings.append(("outgoing", layout.width, 14, "end"))
    bus_out = layout.centre_x + CENTRE_WIDTH + BUS
    for i, node in enumerate(graph.outgoing):
        y = column_top(len(graph.outgoing)) + i * pitch
        mid = y + layout.node_height // 2
        layout.placed.append(
            Placed(
                node,
                x=right_x,
                y=y,
                lines=wrap(_title(node.record, reader), 20),
                path=f"M{bus_out - BUS} {centre_mid}H{bus_out}V{mid}H{right_x - 3}",
                label=wrap(node.full_label, 17),
                label_x=right_x - 6,
                label_y=mid - 5,
                label_anchor="end",
                kind_lines=kinds[id(node)],
            )
        )
    return layout


# Narrow: one column along a line on the left, links in above the record, links out below.
NARROW_WIDTH = 360
TRUNK_X = 10
NARROW_NODE_X = 30
NARROW_PITCH = 88  # the edge's label, the node, a gap


def _narrow(graph, reader=None):
    node_width = NARROW_WIDTH - NARROW_NODE_X
    layout = Layout("narrow", record=graph.record, width=NARROW_WIDTH, node_width=node_width)
    layout.centre_width = NARROW_WIDTH
    layout.centre_lines = wrap(_title(graph.record, reader), 40)
    kinds = layout.fit_kinds(graph.nodes)
    pitch = NARROW_PITCH + layout.node_height - Layout.node_height
    y = 0
    placed_in = []
    if graph.incoming:
        layout.headings.append(("incoming", NARROW_NODE_X, 14, "start"))
        y = 22
        for node in graph.incoming:
            placed_in.append((node, y))
            y += pitch
    layout.centre_y = y
    centre_bottom = y + layout.centre_height
    for node, top in placed_in:
        layout.placed.append(
            _narrow_node(
                layout,
                node,
                top,
                kinds,
                reader,
                path=lambda mid: f"M{NARROW_NODE_X} {mid}H{TRUNK_X}V{layout.centre_y - 3}",
            )
        )
    y = centre_bottom + 8
    if graph.outgoing:
        y += 6
        layout.headings.append(("outgoing", NARROW_NODE_X, y + 14, "start"))
        y += 22
        for node in graph.outgoing:
            layout.placed.append(
                _narrow_node(
                    layout,
                    node,
                    y,
                    kinds,
                    reader,
                    path=lambda mid: f"M{TRUNK_X} {centre_bottom}V{mid}H{NARROW_NODE_X - 3}",
                )
            )
            y += pitch
    layout.height = y
    return layout


def _narrow_node(layout, node, top, kinds, reader, *, path):
    """A neighbour in the narrow column: its edge's label at ``top``, its box below it;
    ``path(mid)`` draws the edge to the box's middle."""
    mid = top + 18 + layout.node_height // 2
    return Placed(
        node,
        x=NARROW_NODE_X,
        y=top + 18,
        lines=wrap(_title(node.record, reader), 42),
        path=path(mid),
        label=wrap(node.full_label, 46, 1),
        label_x=NARROW_NODE_X + 2,
        label_y=top + 13,
        kind_lines=kinds[id(node)],
    )
