"""The compilation as an XLSX: a sheet of changes, then one per section of assignments."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from malmo_ks.tables import Column, Table, completion


def compilation_tables(compilation):
    """The page's sections in its order: the changes, then one sheet per section."""
    entry_columns = [
        Column(_("Status"), 14),
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
            capfirst(section.short_label),
            entry_columns,
            section.entries,
            lambda entry: (
                entry.status_label,
                entry.unit,
                entry.treatment,
                entry.report_date,
                entry.report_summary,
                completion(entry.planned_completion, entry.planned_completion_is_year),
                entry.outcome,
                _("Overdue") if entry.is_overdue else "",
            ),
        )
        for section in compilation.sections
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
    return [changes, *tables]


def _assignment_sheet(title, columns, items, cells):
    """A sheet of `items` that each name their assignment by diarienummer and title first.

    The rest of a row is `cells(item)`, under `columns`.
    """
    return Table(
        title,
        [Column(_("Diarienummer"), 16), Column(_("Title"), 50), *columns],
        [(item.reference, item.title, *cells(item)) for item in items],
    )
