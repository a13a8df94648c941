"""The one mapping from a compliance status to the words and the colour a reader sees.

Reports (tables, bar charts, the matrix grid, the legend) and the admin's status columns all
draw a status through this module, so "partially complied" is the same amber everywhere and
an obligation never judged reads as "Not assessed yet", never as a bare dash or a 0.
"""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from tracker.choices import ComplianceStatus

# How reports write "no judgement holds" in their tables and hashes (a stable code, like
# the statuses' own values); the reader sees NOT_ASSESSED's words instead.
NOT_ASSESSED_CODE = "not assessed"


@dataclass(frozen=True)
class StatusStyle:
    code: str
    label: str
    # Background of badges and bars; every one keeps white text above WCAG AA's 4.5:1.
    colour: str

    @property
    def css_class(self) -> str:
        return "status-" + self.code.replace(" ", "-").replace("_", "-")


# In the order the legend lists them: from met, through pending, to unmet and unclear.
_COLOURS = {
    ComplianceStatus.COMPLIED: "#1a7f37",
    ComplianceStatus.PARTIALLY_COMPLIED: "#8a5a00",
    ComplianceStatus.IN_PROGRESS: "#0b63c4",
    ComplianceStatus.NOT_YET_DUE: "#17727a",
    ComplianceStatus.NOT_COMPLIED: "#b42318",
    ComplianceStatus.DISPUTED: "#7e3fc9",
    ComplianceStatus.UNKNOWN: "#5a6470",
}
# Not a colour of its own: an outlined, uncoloured badge, so that it cannot be read as any
# judgement, 0 % included.
NOT_ASSESSED_COLOUR = "#ffffff"
NOT_ASSESSED = _("Not assessed yet")


def palette() -> list[StatusStyle]:
    """Every status as the legend lists it, "not assessed" last (labels in the reader's
    language, so build it per request)."""
    return [
        *(StatusStyle(code.value, str(code.label), colour) for code, colour in _COLOURS.items()),
        StatusStyle(NOT_ASSESSED_CODE, str(NOT_ASSESSED), NOT_ASSESSED_COLOUR),
    ]


def style_of(code: str | None) -> StatusStyle | None:
    """The style of a status code (None or NOT_ASSESSED_CODE: not assessed); None for a value
    that is no status."""
    if code is None or code == NOT_ASSESSED_CODE:
        return StatusStyle(NOT_ASSESSED_CODE, str(NOT_ASSESSED), NOT_ASSESSED_COLOUR)
    if code not in ComplianceStatus.values:
        return None
    status = ComplianceStatus(code)
    return StatusStyle(status.value, str(status.label), _COLOURS[status])


def status_label(code: str | None) -> str:
    style = style_of(code)
    return style.label if style else str(code)


def status_badge(code: str | None, suffix: str = "") -> SafeString:
    """The status as words on its colour; ``suffix`` (a level, a date) follows the words."""
    style = style_of(code)
    if style is None:
        return format_html("{}", code)
    return format_html(
        '<span class="status-badge {}" data-status="{}">{}{}</span>',
        style.css_class,
        style.code,
        style.label,
        suffix,
    )


def stylesheet() -> str:
    """The badges' colours as CSS (served as a file: the Content-Security-Policy refuses
    inline styles)."""
    rules = [
        ".status-badge { display: inline-block; padding: 0.05rem 0.45rem; "
        "border-radius: 0.6rem; font-size: 0.85em; white-space: nowrap; }"
    ]
    for style in palette():
        if style.colour == NOT_ASSESSED_COLOUR:
            look = "background: #fff; color: #222; border: 1px dashed #57606a;"
        else:
            look = f"background: {style.colour}; color: #fff;"
        rules.append(f".{style.css_class} {{ {look} }}")
    return "\n".join(rules) + "\n"
