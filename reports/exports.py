"""The compilation as an XLSX: one sheet per status group and one of changes."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from malmo_ks.tables import Column, Table, completion


def compilation_tables(compilation):
    """One sheet per status group and one of changes, with the page's content."""
    entry_columns = [
        Column(_("Responsible unit"), 30),
        Column(_("Latest treatment"), 22),
        Column(_("Latest status report"), 14),
        Column(_("Summary"), 60),
        Column(_("Planned completion"), 16),
        Column(_("Result"), 30),
        Column(_("Overdue"), 12),
    ]
    tables = [
        _assignment_sheet(
            capfirst(group.label),
            entry_columns,
            group.entries,
            lambda entry: (
                entry.unit,
                entry.treatment,
                entry.report_date,
                entry.report_summary,
                completion(entry.planned_completion, entry.planned_completion_is_year),
                entry.outcome,
                _("Overdue") if entry.is_overdue else "",
            ),
        )
        for group in compilation.groups
    ]
    changes = _assignment_sheet(
        _("Changes"),
        [
            Column(_("Kind of change"), 22),
            Column(_("From"), 18),
            Column(_("To"), 18),
            Column(_("Treatment or reason"), 40),
            Column(_("Registered"), 13),
        ],
        compilation.changes,
        lambda row: (row.kind, row.old, row.new, row.note, row.registered),
    )
    return [*tables, changes]


def _assignment_sheet(title, columns, items, cells):
    """A sheet of `items` that each name their assignment by diarienummer and title first.

    The rest of a row is `cells(item)`, under `columns`.
    """
    return Table(
        title,
        [Column(_("Diarienummer"), 16), Column(_("Title"), 50), *columns],
        [(item.reference, item.title, *cells(item)) for item in items],
    )
