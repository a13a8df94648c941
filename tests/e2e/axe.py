"""axe-core in the page under test: WCAG 2.1 A/AA violations, listed so a person can act on them.

axe-core comes from the npm registry (package.json, package-lock.json; `make install` runs
`npm ci`), never from a CDN: the test reads node_modules/axe-core/axe.min.js and injects it.
The page's Content-Security-Policy forbids injected scripts, so the browser context that runs
axe must be opened with ``bypass_csp=True`` (the ``axe_page`` fixture in tests/e2e/conftest.py).
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# The success criteria of WCAG 2.0 and 2.1 at levels A and AA, as axe tags its rules.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Runs in the page; resolves to plain data (rule, impact, help and each offending element's
# selector and HTML) that Playwright can hand back to Python.
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    rule: v.id,
    impact: v.impact || '',
    help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html})),
  }));
}"""


@dataclass(frozen=True)
class Offender:
    target: str
    html: str


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    nodes: tuple[Offender, ...]

    def describe(self) -> str:
        lines = [f"{self.rule} ({self.impact}): {self.help} - {len(self.nodes)} element(s)"]
        lines += [f"    {node.target}    {node.html[:160]}" for node in self.nodes]
        return "\n".join(lines)


def axe_violations(page: Page) -> list[Violation]:
    """Every WCAG 2.1 A/AA violation axe finds on the page as it is now."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make install` (npm ci) first")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=AXE_SCRIPT)
    found = page.evaluate(RUN_AXE, WCAG_21_AA)
    return [
        Violation(
            rule=v["rule"],
            impact=v["impact"],
            help=v["help"],
            nodes=tuple(Offender(**node) for node in v["nodes"]),
        )
        for v in found
    ]


def violations_report(page: Page) -> list[str]:
    """The page's violations as lines to read: the page, then each rule and its elements."""
    violations = axe_violations(page)
    if not violations:
        return []
    count = sum(len(v.nodes) for v in violations)
    return [f"{page.url}: {count} violation(s)"] + [v.describe() for v in violations]


def assert_no_violations(page: Page) -> None:
    """The page as it is now (after what the test did on it) has no violation."""
    report = violations_report(page)
    assert not report, "\n".join(report)


def assert_no_violations_on(page: Page, urls: list[str]) -> None:
    """Open each URL in turn, run axe, and fail once with every violation of every page."""
    report = []
    for url in urls:
        page.goto(url)
        # The page really is in the browser's language (axe checks only that lang is valid).
        assert page.locator("html").get_attribute("lang") == page.evaluate("navigator.language")
        report += violations_report(page)
    assert not report, "\n".join(report)
