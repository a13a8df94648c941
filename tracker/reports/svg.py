"""Charts drawn by the server as inline SVG: no script, no external asset, prints well."""

import datetime
from collections import Counter

from django.utils.html import escape

BAR_HEIGHT, GAP, LABEL_WIDTH, CHART_WIDTH = 18, 6, 220, 640


def bar_chart(title: str, bars: list[tuple[str, float]]) -> str:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    largest = max((value for _, value in bars), default=0) or 1
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    span = CHART_WIDTH - LABEL_WIDTH - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(title)}" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = round(span * value / largest, 1)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 5}" text-anchor="end" '
            f'font-size="12">{escape(label)}</text>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{width}" '
            f'height="{BAR_HEIGHT}" fill="#417690" data-value="{value}"></rect>'
            f'<text x="{LABEL_WIDTH + width + 4}" y="{y + BAR_HEIGHT - 5}" '
            f'font-size="12">{value:g}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# One lane per kind of event; markers are placed by date along a shared horizontal axis.
LANE_HEIGHT, AXIS_HEIGHT, MARK_RADIUS, MAX_TICKS = 24, 28, 5, 12
LANE_COLOURS = ("#417690", "#b5552b", "#5b8c3a", "#8a4f9e", "#c49a1b", "#3a7d8c")


def _ticks(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """First days of months (of years, over more than two years) within the span: at most
    MAX_TICKS of them."""
    months = (last.year - first.year) * 12 + last.month - first.month
    if months > 24:
        step = 12 * -(-(last.year - first.year + 1) // MAX_TICKS)
        tick = datetime.date(first.year, 1, 1)
    else:
        step = -(-(months + 1) // MAX_TICKS)
        tick = datetime.date(first.year, first.month, 1)
    ticks = []
    while tick <= last:
        if tick >= first:
            ticks.append(tick)
        month = tick.month - 1 + step
        tick = datetime.date(tick.year + month // 12, month % 12 + 1, 1)
    return ticks


def timeline_chart(title: str, events: list[tuple[str, datetime.date]]) -> str:
    """Events as (lane, date) on one time axis, a lane per label in order of first appearance.

    Events on the same day in the same lane share a marker whose tooltip gives their number.
    """
    lanes = list(dict.fromkeys(lane for lane, _ in events))
    counts = Counter(events)
    first = min((day for _, day in events), default=datetime.date.today())
    last = max((day for _, day in events), default=first)
    span_days = (last - first).days or 1
    left, right = LABEL_WIDTH, CHART_WIDTH - 20
    height = len(lanes) * LANE_HEIGHT + AXIS_HEIGHT + GAP

    def x(day: datetime.date) -> float:
        return round(left + (right - left) * (day - first).days / span_days, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" role="img" '
        f'aria-label="{escape(title)}" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    axis_y = len(lanes) * LANE_HEIGHT + GAP
    parts.append(
        f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" stroke="#666"></line>'
    )
    for tick in _ticks(first, last):
        parts.append(
            f'<line x1="{x(tick)}" y1="{GAP}" x2="{x(tick)}" y2="{axis_y + 4}" '
            f'stroke="#ddd"></line>'
            f'<text x="{x(tick)}" y="{axis_y + 18}" text-anchor="middle" '
            f'font-size="11">{tick:%Y-%m}</text>'
        )
    middle, colour = {}, {}
    for index, lane in enumerate(lanes):
        middle[lane] = GAP + index * LANE_HEIGHT + LANE_HEIGHT / 2
        colour[lane] = LANE_COLOURS[index % len(LANE_COLOURS)]
        parts.append(
            f'<text x="{left - 10}" y="{middle[lane] + 4}" text-anchor="end" font-size="12">'
            f"{escape(lane)}</text>"
        )
    for (lane, day), number in sorted(counts.items(), key=lambda item: (item[0][1], item[0][0])):
        parts.append(
            f'<circle class="event" cx="{x(day)}" cy="{middle[lane]}" r="{MARK_RADIUS}" '
            f'fill="{colour[lane]}" data-date="{day.isoformat()}" data-count="{number}">'
            f"<title>{escape(lane)}: {day.isoformat()} ({number})</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)
