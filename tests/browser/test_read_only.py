"""A politician reads everything and is offered nothing to change."""

from playwright.sync_api import expect

from tests.browser.pages import log_in, ongoing_demo_assignment

# The write pages of an assignment, by the last part of their URL.
WRITE_LINKS = ", ".join(
    f'a[href$="/{path}/"]'
    for path in ["nytt", "andra", "status", "lagesrapport", "behandling", "deadline", "ateroppna"]
)


def expect_no_edit_controls(page):
    expect(page.locator(WRITE_LINKS)).to_have_count(0)
    # Only the header's two forms post: logging out and choosing the language; beside
    # them an assignment's page may offer to follow it, which changes nothing in the register.
    expect(page.locator('form[method="post"]:not([action$="/bevaka/"])')).to_have_count(2)


def test_politician_finds_no_edit_controls(page, demo):
    assignment = ongoing_demo_assignment()
    log_in(page, "politiker")

    page.goto("/uppdrag/")
    expect(page.get_by_role("table", name="Uppdrag").locator("tbody tr")).to_have_count(31)
    expect(page.get_by_role("link", name="Nytt uppdrag")).to_have_count(0)
    expect_no_edit_controls(page)

    page.get_by_role("link", name=assignment.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(assignment.title)
    expect(page.get_by_role("heading", name="Tidslinje")).to_be_visible()
    expect(page.get_by_role("navigation", name="Åtgärder")).to_have_count(0)
    for label in [
        "Ändra uppgifter",
        "Ändra status",
        "Flytta planerat avslut",
        "Lägg till lägesrapport",
        "Registrera behandling",
    ]:
        expect(page.get_by_role("link", name=label)).to_have_count(0)
    expect_no_edit_controls(page)

    page.goto("/budget/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget 2016")
    expect(page.get_by_role("link", name="Lägg till en budgetrad")).to_have_count(0)
    expect_no_edit_controls(page)
