"""Charts drawn by the server as inline SVG: no script, no external asset, prints well.

Right to left (Arabic), a chart is mirrored: labels on the right, bars growing leftwards,
time running from right to left. The <svg> carries the page's ``direction``, under which
``text-anchor="end"`` means the label's left edge; so the labels keep the same anchors and only
their x is mirrored, and no label lands on its bar.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import escape
from django.utils.translation import ngettext

from tracker.status_palette import NOT_ASSESSED_COLOUR, style_of

BAR_HEIGHT, GAP, LABEL_WIDTH, CHART_WIDTH = 18, 6, 220, 640
BAR_COLOUR, OUTLINE = "#417690", "#57606a"


@dataclass(frozen=True)
class Canvas:
    """Logical x (from the label side) to drawn x, and the <svg> opening."""

    width: int
    height: int
    rtl: bool

    def x(self, logical: float) -> float:
        return round(self.width - logical if self.rtl else logical, 1)

    def left_of(self, logical: float, width: float) -> float:
        """The drawn left edge of a box that starts at ``logical`` and is ``width`` wide."""
        return round(self.width - logical - width if self.rtl else logical, 1)

    def opening(self, title: str, css_class: str) -> str:
        direction = "rtl" if self.rtl else "ltr"
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
            f'aria-label="{escape(title)}" width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" direction="{direction}">'
            f"<title>{escape(title)}</title>"
        )


def bar_chart(title: str, bars: list[tuple[str, float]], *, rtl: bool = False) -> str:
    """Horizontal bars, one per (label, value), scaled to the largest value.

    A label that is a compliance status is written as its words and its bar takes the
    status's colour (tracker.status_palette), as in the legend beside the chart.
    """
    largest = max((value for _, value in bars), default=0) or 1
    canvas = Canvas(CHART_WIDTH, len(bars) * (BAR_HEIGHT + GAP) + GAP, rtl)
    span = CHART_WIDTH - LABEL_WIDTH - 60
    parts = [canvas.opening(title, "chart")]
    for index, (label, value) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = round(span * value / largest, 1)
        style = style_of(label)
        words, fill = (style.label, style.colour) if style else (label, BAR_COLOUR)
        outline = f' stroke="{OUTLINE}"' if fill == NOT_ASSESSED_COLOUR else ""
        status = f' data-status="{escape(style.code)}"' if style else ""
        parts.append(
            f'<text class="bar-label" x="{canvas.x(LABEL_WIDTH - 6)}" y="{y + BAR_HEIGHT - 5}" '
            f'text-anchor="end" font-size="12">{escape(words)}</text>'
            f'<rect class="bar" x="{canvas.left_of(LABEL_WIDTH, width)}" y="{y}" '
            f'width="{width}" height="{BAR_HEIGHT}" fill="{fill}"{outline}{status} '
            f'data-value="{value}"></rect>'
            f'<text class="bar-value" x="{canvas.x(LABEL_WIDTH + width + 4)}" '
            f'y="{y + BAR_HEIGHT - 5}" font-size="12">{value:g}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# One lane per kind of event; markers are placed by date along a shared horizontal axis.
LANE_HEIGHT, AXIS_HEIGHT, MARK_RADIUS, MAX_TICKS = 24, 28, 5, 7
LANE_COLOURS = ("#417690", "#b5552b", "#5b8c3a", "#8a4f9e", "#c49a1b", "#3a7d8c")


def _next_month(day: datetime.date, step: int) -> datetime.date:
    month = day.month - 1 + step
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def ticks(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, str]]:
    """At most MAX_TICKS (day, label) marks within the span: days over two months or less,
    months over two years or less, years beyond; labels in the reader's language."""
    days = (last - first).days
    months = (last.year - first.year) * 12 + last.month - first.month
    if days <= 62:
        step = max(1, -(-(days + 1) // MAX_TICKS))
        marks = [first + datetime.timedelta(days=n) for n in range(0, days + 1, step)]
        return [(day, formats.date_format(day, "j M")) for day in marks]
    if months <= 24:
        step, tick, shape = -(-(months + 1) // MAX_TICKS), _next_month(first, 0), "M Y"
    else:
        years = -(-(last.year - first.year + 1) // MAX_TICKS)
        step, tick, shape = 12 * years, datetime.date(first.year, 1, 1), "Y"
    marks = []
    while tick <= last:
        if tick >= first:
            marks.append((tick, formats.date_format(tick, shape)))
        tick = _next_month(tick, step)
    return marks


Period = tuple[datetime.date | None, datetime.date | None]


def axis_span(days: list[datetime.date], period: Period) -> tuple[datetime.date, datetime.date]:
    """The axis: the dates of the events within the period (the chosen agreement's span or
    from/to), so a fortnight of events fills the chart; the period itself when none falls in
    it; today when there is nothing at all."""
    low, high = period
    inside = [day for day in days if (low is None or day >= low) and (high is None or day <= high)]
    if inside:
        return min(inside), max(inside)
    first = low or high or datetime.date.today()
    return first, high or first


def timeline_chart(
    title: str,
    events: list[tuple[str, datetime.date]],
    *,
    period: Period = (None, None),
    rtl: bool = False,
) -> str:
    """Events as (lane, date) on one time axis, a lane per label in order of first appearance.

    Events on the same day in the same lane share a marker whose tooltip gives their number.
    Events outside the axis (see axis_span) are not drawn; a line under the axis says how many
    there are (the table lists them).
    """
    first, last = axis_span([day for _, day in events], period)
    drawn = [(lane, day) for lane, day in events if first <= day <= last]
    left_out = len(events) - len(drawn)
    lanes = list(dict.fromkeys(lane for lane, _ in drawn))
    counts = Counter(drawn)
    span_days = (last - first).days or 1
    left, right = LABEL_WIDTH, CHART_WIDTH - 20
    axis_y = len(lanes) * LANE_HEIGHT + GAP
    canvas = Canvas(CHART_WIDTH, axis_y + AXIS_HEIGHT + (18 if left_out else 0), rtl)

    def x(day: datetime.date) -> float:
        # A single day sits in the middle of the axis rather than on its edge.
        share = (day - first).days / span_days if last > first else 0.5
        return canvas.x(left + (right - left) * share)

    parts = [
        canvas.opening(title, "chart timeline"),
        f'<line x1="{canvas.x(left)}" y1="{axis_y}" x2="{canvas.x(right)}" y2="{axis_y}" '
        f'stroke="#666"></line>',
    ]
    for tick, label in ticks(first, last):
        parts.append(
            f'<line x1="{x(tick)}" y1="{GAP}" x2="{x(tick)}" y2="{axis_y + 4}" '
            f'stroke="#ddd"></line>'
            f'<text class="tick" x="{x(tick)}" y="{axis_y + 18}" text-anchor="middle" '
            f'font-size="11" data-date="{tick.isoformat()}">{escape(label)}</text>'
        )
    middle, colour = {}, {}
    for index, lane in enumerate(lanes):
        middle[lane] = GAP + index * LANE_HEIGHT + LANE_HEIGHT / 2
        colour[lane] = LANE_COLOURS[index % len(LANE_COLOURS)]
        parts.append(
            f'<text class="lane" x="{canvas.x(left - 10)}" y="{middle[lane] + 4}" '
            f'text-anchor="end" font-size="12">{escape(lane)}</text>'
        )
    for (lane, day), number in sorted(counts.items(), key=lambda item: (item[0][1], item[0][0])):
        parts.append(
            f'<circle class="event" cx="{x(day)}" cy="{middle[lane]}" r="{MARK_RADIUS}" '
            f'fill="{colour[lane]}" data-date="{day.isoformat()}" data-count="{number}">'
            f"<title>{escape(lane)}: {day.isoformat()} ({number})</title></circle>"
        )
    if left_out:
        note = ngettext(
            "%(count)d event outside this period is not drawn; the table lists it.",
            "%(count)d events outside this period are not drawn; the table lists them.",
            left_out,
        ) % {"count": left_out}
        parts.append(
            f'<text class="left-out" x="{canvas.x(left)}" y="{axis_y + AXIS_HEIGHT + 12}" '
            f'font-size="11">{escape(note)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
