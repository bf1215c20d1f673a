"""The language switch in the header: English on request, and back to Swedish."""

from playwright.sync_api import expect

from tests.browser.pages import log_in
from tests.conftest import PASSWORD


def test_english_can_be_chosen_in_the_header_and_swedish_chosen_back(page, live_server, politiker):
    log_in(page, politiker.username, PASSWORD)
    page.goto("/uppdrag/?status=pagaende")

    page.get_by_label("Språk").select_option(label="English")
    page.get_by_role("button", name="Byt").click()

    expect(page).to_have_url(f"{live_server.url}/uppdrag/?status=pagaende")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assignments")
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Overview")
    expect(page.get_by_label("Status", exact=True)).to_have_value("pagaende")

    page.get_by_label("Language").select_option(label="Svenska")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppdrag")


def test_english_can_be_chosen_on_the_login_page_and_stays_after_logging_in(
    page, live_server, politiker
):
    page.goto("/uppdrag/")
    expect(page).to_have_url(f"{live_server.url}/konto/logga-in/?next=/uppdrag/")

    page.get_by_label("Språk").select_option(label="English")
    page.get_by_role("button", name="Byt").click()

    expect(page).to_have_url(f"{live_server.url}/konto/logga-in/?next=/uppdrag/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Username").fill(politiker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/uppdrag/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assignments")
