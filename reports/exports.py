"""The compilation as an XLSX: one sheet per status group and one of changes."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from malmo_ks.tables import Column, Table, completion


def compilation_tables(compilation):
    """One sheet per status group and one of changes, with the page's content."""
    entry_columns = [
        Column(_("Diarienummer"), 16),
        Column(_("Title"), 50),
        Column(_("Responsible unit"), 30),
        Column(_("Latest treatment"), 22),
        Column(_("Latest status report"), 14),
        Column(_("Summary"), 60),
        Column(_("Planned completion"), 16),
        Column(_("Result"), 30),
    ]
    tables = [
        Table(
            capfirst(group.label),
            entry_columns,
            [
                (
                    entry.reference,
                    entry.title,
                    entry.unit,
                    entry.treatment,
                    entry.report_date,
                    entry.report_summary,
                    completion(entry.planned_completion, entry.planned_completion_is_year),
                    entry.outcome,
                )
                for entry in group.entries
            ],
        )
        for group in compilation.groups
    ]
    change_columns = [
        Column(_("Diarienummer"), 16),
        Column(_("Title"), 50),
        Column(_("Kind of change"), 22),
        Column(_("From"), 18),
        Column(_("To"), 18),
        Column(_("Treatment or reason"), 40),
        Column(_("Registered"), 13),
    ]
    changes = [
        (row.reference, row.title, row.kind, row.old, row.new, row.note, row.registered)
        for row in compilation.changes
    ]
    return [*tables, Table(_("Changes"), change_columns, changes)]
