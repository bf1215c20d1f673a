"""A handläggare's working day in the browser: find an assignment, record its treatment, see it."""

from playwright.sync_api import expect

from tests.browser.pages import log_in, ongoing_demo_assignment


def test_handlaggare_filters_the_list_changes_status_and_sees_it_in_the_timeline(
    page, live_server, demo
):
    assignment = ongoing_demo_assignment()
    log_in(page, "handlaggare")

    page.goto("/uppdrag/")
    page.get_by_label("Status", exact=True).select_option(label="pågående")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_role("status").filter(has_text="uppdrag")).to_have_text("2 uppdrag")
    rows = page.get_by_role("table", name="Uppdrag").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="avslutad")).to_have_count(0)

    page.get_by_role("link", name=assignment.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{assignment.reference} {assignment.title}"
    )
    page.get_by_role("link", name="Ändra status").click()
    page.get_by_label("Ny status").select_option(label="lägesrapport")
    page.get_by_label("Sammanträdesdatum").fill("2016-11-02")
    page.get_by_label("Paragraf").fill("312")
    page.get_by_label("Ändringsorsak").fill("Lägesrapporten behandlades i KS.")
    page.get_by_role("button", name="Spara statusen").click()

    expect(page).to_have_url(f"{live_server.url}/uppdrag/{assignment.pk}/")
    expect(page.get_by_role("status")).to_have_text("Statusen är nu: lägesrapport.")
    latest = page.locator("ol.timeline > li").last
    expect(latest).to_contain_text("Status: pågående → lägesrapport")
    expect(latest).to_contain_text("Behandling bakom statusen: – → KS 2016-11-02 § 312")
    expect(latest).to_contain_text("Hanna Lind")
    expect(latest).to_contain_text("Lägesrapporten behandlades i KS.")
    assignment.refresh_from_db()
    assert assignment.status == assignment.Status.STATUS_REPORT
