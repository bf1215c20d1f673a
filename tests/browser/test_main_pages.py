"""Every main page in the browser: axe-core finds nothing serious, and a person can look.

axe-core (bundled with axe-playwright-python, never downloaded) checks each page
against WCAG 2.1 AA. The same walk writes screenshots/<page>-<width>.png at desktop
and phone widths: not committed, but made by every run, so that a change to a
template or the stylesheet can be judged by eye.
"""

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import DESKTOP, NARROW
from tests.browser.pages import log_in, ongoing_demo_assignment, visit_main_pages

BLOCKING = {"serious", "critical"}
PAGES = [
    "logga-in",
    "oversikt",
    "uppdrag",
    "uppdrag-detalj",
    "forandringar",
    "budget",
    "sammanstallning",
    "aviseringar",
    "andra-status-med-fel",
]


def blocking_violations(page):
    """axe-core's serious and critical findings on the page, one readable line each."""
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


def walk(page, assignment):
    """Show the login page, log in as handläggare and show the rest; yield each page's name."""
    page.context.clear_cookies()
    page.goto("/konto/logga-in/")
    yield "logga-in"
    log_in(page, "handlaggare")
    yield from visit_main_pages(page, assignment)


def test_main_pages_pass_axe_and_are_photographed_at_two_widths(page, demo, screenshots):
    assignment = ongoing_demo_assignment()
    violations, written = {}, []

    def photograph(name):
        path = screenshots / f"{name}-{page.viewport_size['width']}.png"
        page.screenshot(path=path, full_page=True)
        written.append(path)

    for name in walk(page, assignment):
        violations[name] = blocking_violations(page)
        photograph(name)
    page.set_viewport_size(NARROW)
    for name in walk(page, assignment):
        photograph(name)

    assert list(violations) == PAGES
    assert {name: found for name, found in violations.items() if found} == {}
    assert [path.name for path in written] == [
        f"{name}-{viewport['width']}.png" for viewport in [DESKTOP, NARROW] for name in PAGES
    ]
    assert all(path.stat().st_size > 10_000 for path in written)
