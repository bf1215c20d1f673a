"""Files to import, made in the test itself: XLSX with openpyxl, CSV with the csv module."""

import csv
import io
import re
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from assignments.models import Assignment, DeadlineChange
from budget.models import BudgetRow
from tests.register.reading import visible_text

UPLOAD = reverse("imports:upload")
PREVIEW = reverse("imports:preview")

# The header row as the export writes it, plus the columns only an import list has.
HEADER = [
    "Diarienummer", "Titel", "Beskrivning", "Status", "Ansvarig nämnd/förvaltning",
    "Kommissionsområde", "Beslutsdatum", "Beslutets diarienummer", "Planerat avslut",
]
BUDGET_HEADER = ["År", "Budgetrad", "Kontoklass", "Budget (kr)", "Utfall (kr)"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def assignment_row(reference="STK-2014-501", **values):
    """One row under HEADER: an ongoing assignment of Stadskontoret in area 1."""
    row = {
        "Diarienummer": reference,
        "Titel": f"Importerat uppdrag {reference}",
        "Beskrivning": "",
        "Status": "pågående",
        "Ansvarig nämnd/förvaltning": "Stadskontoret",
        "Kommissionsområde": "1",
        "Beslutsdatum": date(2014, 3, 5),
        "Beslutets diarienummer": "STK-2013-145",
        "Planerat avslut": "under 2017",
    }
    row.update(values)
    return [row[column] for column in HEADER]


def xlsx_file(rows, header=HEADER, name="uppdrag.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_TYPE)


def csv_bytes(rows, header=HEADER, delimiter=";", bom=True):
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v
                         for v in row])
    return (("\ufeff" if bom else "") + text.getvalue()).encode()


def csv_file(rows, header=HEADER, name="uppdrag.csv", **options):
    return SimpleUploadedFile(name, csv_bytes(rows, header, **options), content_type="text/csv")


def upload(client, file):
    """Upload `file` as the form does and follow to the page the user lands on."""
    return client.post(UPLOAD, {"file": file}, follow=True)


def hidden(response, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    return match[1] if match else None


def confirm(client, preview):
    """Press the preview's import button."""
    return client.post(
        PREVIEW, {"token": hidden(preview, "token"), "digest": hidden(preview, "digest")},
        follow=True,
    )


def force_confirm(client, preview):
    """Post a confirmation although the page offers none, as a crafted request could."""
    token = preview.request["QUERY_STRING"].removeprefix("token=")
    return client.post(
        PREVIEW, {"token": token, "digest": preview.context["plan"].digest}, follow=True
    )


def text(response):
    """What the user reads, with non-breaking spaces as plain ones."""
    return visible_text(response).replace("\xa0", " ")


def register_state():
    """Every count an import could change: rows and their history."""
    return {
        "assignments": Assignment.objects.count(),
        "assignment history": Assignment.history.count(),
        "deadline changes": DeadlineChange.history.count(),
        "budget rows": BudgetRow.objects.count(),
        "budget history": BudgetRow.history.count(),
    }
