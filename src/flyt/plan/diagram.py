"""The Theory of Change as a picture and as its text alternative (pure; no web imports).

`svg()` draws the vision above five columns (resources → activities → outcomes →
results → effects) of boxed, wrapped texts with arrows for the links; an effect tied to a
KPI shows its computed status by colour AND by a symbol and a word, so the picture works
in black and white and for people who do not see colours. `outline()` is the same content
as lists: the page shows it under the picture, and it is what a screen reader reads.

The picture's coordinates are for a 1000-unit-wide viewBox: it scales to any width, and
at 1000 px the texts are 12 px or more. Texts are wrapped by a conservative width metric
(`text_width`, DejaVu Sans-like, the app's font), so a wrapped line fits its box in every
sans-serif font the browser may pick instead. Every text is user input and is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from flyt.i18n import t
from flyt.plan.model import KINDS, Element
from flyt.plan.text import KIND_HEADINGS, STATUS_WORDS
from flyt.plan.view import PlanAt

WIDTH = 1000
MARGIN = 8
GAP = 34  # between columns: the room the arrows curve in
COLUMN = (WIDTH - 2 * MARGIN - (len(KINDS) - 1) * GAP) / len(KINDS)
PAD = 6  # inside a box
SIZE = 12  # an element's text (the least legible size at 1000 px)
LINE = 15  # line height of an element's text
HEADING_SIZE = 14
VISION_SIZE = 15
BOX_GAP = 10  # between boxes in a column
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"

# Fill (light, prints as a light grey), border and symbol of an effect's status.
STATUS_LOOK = {"green": ("#dff3e3", "#1e7b34", "✓"), "yellow": ("#fff4c2", "#8a6d00", "!"),
               "red": ("#fbdde0", "#b3261e", "✕"), None: ("#ffffff", "#555555", "–")}

# Character widths in em, rounded up from DejaVu Sans (the widest common sans-serif).
_NARROW = set("iljftrI.,:;'!|()[]{} -/")
_WIDE = set("mwMWÆæŒœ@%")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width `text` takes at font size `size` by a deliberately generous metric."""
    ems = sum(0.4 if c in _NARROW else 1.0 if c in _WIDE else 0.8 if c.isupper()
              else 0.65 for c in text)
    return ems * size * (1.1 if bold else 1.0)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """`text` in lines no wider than `width` (by `text_width`); a word longer than a line
    is broken inside (with a hyphen), so nothing ever sticks out of its box."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        while text_width(word, size, bold) > width:
            cut = _longest_prefix(word, width, size, bold)
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def _longest_prefix(word: str, width: float, size: float, bold: bool) -> int:
    cut = 1
    while cut < len(word) and text_width(word[:cut + 1] + "-", size, bold) <= width:
        cut += 1
    return cut


@dataclass(frozen=True)
class OutlineItem:
    id: str
    text: str
    kpi: int | None
    status: str | None  # the computed status of an effect with a KPI, else None
    leads_to: tuple[str, ...]  # the texts of the elements this one links to


@dataclass(frozen=True)
class Column:
    kind: str
    heading: str
    items: tuple[OutlineItem, ...]


def outline(view: PlanAt, lang: str) -> list[Column]:
    """The diagram's content as one list per column (the text alternative)."""
    plan = view.plan
    texts = {e.id: e.text for e in plan.elements}
    return [Column(kind, KIND_HEADINGS[kind](lang), tuple(
        OutlineItem(e.id, e.text, e.kpi, view.status(e.id) if e.kpi is not None else None,
                    tuple(texts[x] for x in e.links if x in texts))
        for e in plan.elements if e.kind == kind)) for kind in KINDS]


@dataclass(frozen=True)
class _Box:
    element: Element
    x: float
    y: float
    height: float
    lines: tuple[str, ...]
    badge: str  # "KPI n · ✓ grønn" for an effect with a KPI, else ""


def status_label(status: str | None, lang: str) -> str:
    """The symbol and word of a status («✓ grønn»): never colour alone."""
    return f"{STATUS_LOOK[status][2]} {STATUS_WORDS[status](lang)}"


def _badge(e: Element, view: PlanAt, lang: str) -> str:
    if e.kpi is None:
        return ""
    return (t("plan_pages_kpi", lang).format(n=e.kpi) + " · "
            + status_label(view.status(e.id), lang))


def _layout(view: PlanAt, lang: str, top: float) -> list[_Box]:
    """Boxes column by column; a shorter column is centred against the tallest, so the
    arrows run as level as they can."""
    columns: list[list[_Box]] = []
    for i, kind in enumerate(KINDS):
        x = MARGIN + i * (COLUMN + GAP)
        y = 0.0
        boxes = []
        for e in (e for e in view.plan.elements if e.kind == kind):
            lines = tuple(wrap(e.text, COLUMN - 2 * PAD, SIZE))
            badge = _badge(e, view, lang)
            height = 2 * PAD + LINE * (len(lines) + (1 if badge else 0))
            boxes.append(_Box(e, x, y, height, lines, badge))
            y += height + BOX_GAP
        columns.append(boxes)
    tallest = max((_column_height(c) for c in columns), default=0.0)
    return [_Box(b.element, b.x, b.y + top + (tallest - _column_height(c)) / 2, b.height,
                 b.lines, b.badge) for c in columns for b in c]


def _column_height(boxes: list[_Box]) -> float:
    return boxes[-1].y + boxes[-1].height if boxes else 0.0


def _ports(boxes: dict[str, _Box]) -> dict[tuple[str, str], tuple[float, float]]:
    """For each link, the y where it leaves its source and enters its target: spread along
    the box's edge in the order of the other end, so arrows cross as little as they can."""
    outgoing: dict[str, list[str]] = {}
    incoming: dict[str, list[str]] = {}
    for b in boxes.values():
        for target in b.element.links:
            if target in boxes:
                outgoing.setdefault(b.element.id, []).append(target)
                incoming.setdefault(target, []).append(b.element.id)

    def spread(box: _Box, others: list[str]) -> dict[str, float]:
        ordered = sorted(others, key=lambda o: boxes[o].y + boxes[o].height / 2)
        return {o: box.y + box.height * (k + 1) / (len(ordered) + 1)
                for k, o in enumerate(ordered)}

    leave = {s: spread(boxes[s], ts) for s, ts in outgoing.items()}
    enter = {d: spread(boxes[d], ss) for d, ss in incoming.items()}
    return {(s, d): (leave[s][d], enter[d][s]) for s, ts in outgoing.items() for d in ts}


def _arrows(boxes: dict[str, _Box]) -> list[str]:
    out = []
    for (source, target), (y1, y2) in _ports(boxes).items():
        x1 = boxes[source].x + COLUMN
        x2 = boxes[target].x - 2  # leaves room for the arrow's head
        bend = (x2 - x1) / 2
        out.append(
            f'<path class="toc-link" data-link="{escape(source)} {escape(target)}" '
            f'd="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} '
            f'{x2:.1f},{y2:.1f}" fill="none" stroke="#4a4a4a" stroke-width="1.1" '
            f'marker-end="url(#flyt-toc-arrow)"/>')
    return out


def _box(b: _Box, view: PlanAt) -> str:
    status = view.status(b.element.id) if b.element.kpi is not None else None
    fill, stroke, _ = STATUS_LOOK[status] if b.element.kpi is not None else STATUS_LOOK[None]
    width = 2.5 if b.element.kpi is not None and status else 1.2
    parts = [f'<g class="toc-element" data-element="{escape(b.element.id)}">',
             f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{COLUMN:.1f}" height="{b.height:.1f}" '
             f'rx="4" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>']
    y = b.y + PAD + SIZE
    for line in b.lines:
        parts.append(f'<text x="{b.x + PAD:.1f}" y="{y:.1f}">{escape(line)}</text>')
        y += LINE
    if b.badge:
        parts.append(f'<text class="toc-status" x="{b.x + PAD:.1f}" y="{y:.1f}" '
                     f'font-weight="bold">{escape(b.badge)}</text>')
    parts.append("</g>")
    return "".join(parts)


def svg(view: PlanAt, lang: str) -> str:
    """The Theory of Change as an inline <svg> (see the module's docstring)."""
    vision_lines = wrap(view.plan.vision, WIDTH - 2 * MARGIN - 2 * PAD, VISION_SIZE, bold=True)
    vision_height = 2 * PAD + 19 * len(vision_lines) + 4
    heading_y = MARGIN + vision_height + 24
    boxes = _layout(view, lang, heading_y + 12)
    height = max((b.y + b.height for b in boxes), default=heading_y) + MARGIN
    title = t("plan_pages_toc_title", lang)
    desc = t("plan_pages_toc_desc", lang).format(vision=view.plan.vision)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="toc-diagram" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" preserveAspectRatio="xMidYMin meet" '
        f'aria-labelledby="toc-title toc-desc" font-family="{FONT}" font-size="{SIZE}" '
        f'fill="#000">',
        f'<title id="toc-title">{escape(title)}</title>',
        f'<desc id="toc-desc">{escape(desc)}</desc>',
        '<defs><marker id="flyt-toc-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#4a4a4a"/></marker></defs>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:.0f}" fill="#fff"/>',
        f'<rect class="toc-vision" x="{MARGIN}" y="{MARGIN}" width="{WIDTH - 2 * MARGIN}" '
        f'height="{vision_height}" rx="6" fill="#fff" stroke="#000" stroke-width="1.5"/>',
    ]
    y = MARGIN + PAD + VISION_SIZE + 2
    for line in vision_lines:
        parts.append(f'<text x="{WIDTH / 2}" y="{y:.1f}" text-anchor="middle" '
                     f'font-size="{VISION_SIZE}" font-weight="bold">{escape(line)}</text>')
        y += 19
    for i, kind in enumerate(KINDS):
        x = MARGIN + i * (COLUMN + GAP) + COLUMN / 2
        parts.append(f'<text class="toc-heading" x="{x:.1f}" y="{heading_y:.1f}" '
                     f'text-anchor="middle" font-size="{HEADING_SIZE}" font-weight="bold">'
                     f'{escape(KIND_HEADINGS[kind](lang))}</text>')
    by_id = {b.element.id: b for b in boxes}
    parts += _arrows(by_id)  # under the boxes: a link that skips a column passes behind
    parts += [_box(b, view) for b in boxes]
    parts.append("</svg>")
    return "\n".join(parts)
