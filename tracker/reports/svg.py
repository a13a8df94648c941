"""Bar charts drawn by the server as inline SVG: no script, no external asset, prints well."""

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
