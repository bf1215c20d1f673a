"""The register's own exports import back unchanged: the hand-over loses nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.imports.files import force_confirm, register_state, text, upload

pytestmark = pytest.mark.django_db


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "url, file_name, rows",
    [
        (reverse("assignments:export", args=["xlsx"]), "uppdrag.xlsx", 31),
        (reverse("assignments:export", args=["csv"]), "uppdrag.csv", 31),
        (reverse("budget:export", args=["xlsx"]) + "?ar=2016", "budget.xlsx", None),
        (reverse("budget:export", args=["csv"]) + "?ar=2016", "budget.csv", None),
    ],
    ids=["assignments xlsx", "assignments csv", "budget xlsx", "budget csv"],
)
def test_an_export_of_the_demo_register_imports_back_as_all_unchanged(
    client, administrator, demo, url, file_name, rows
):
    client.force_login(administrator)
    exported = download(client, url)
    before = register_state()

    preview = upload(client, SimpleUploadedFile(file_name, exported))
    page = text(preview)

    assert "0 rader med fel" in page, page
    assert "0 nya rader" in page and "0 ändrade rader" in page
    assert "Inget att importera: varje rad stämmer redan med registret." in page
    if rows:
        assert f"{rows} oförändrade rader" in page
    force_confirm(client, preview)
    assert register_state() == before
