"""Downloads of the assignment list: the page's rows as CSV or XLSX, with its filters and date."""

from django.contrib.auth.decorators import permission_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from malmo_ks import tables

from .. import exports
from ..filters import filter_for_request
from .listing import Listing


@permission_required("assignments.view_assignment", raise_exception=True)
@require_safe
def export_assignments(request, fmt):
    tables.check_format(fmt)
    as_of, filterset = filter_for_request(request)
    if as_of.error:
        return tables.refused(_("The export was not made."), [as_of.error])
    if not filterset.is_valid():
        return tables.refused(
            _("The export was not made: a filter value could not be read. "
              "Correct it on the list page and export again."),
            tables.form_errors(filterset.form),
        )
    # Counted as the list counts them (the kept daily counts when nothing narrows it).
    if fmt == tables.XLSX and (total := Listing(filterset).total) > tables.XLSX_MAX_ROWS:
        return tables.refused(
            _("The Excel file holds at most %(max)s assignments, and the list has %(count)s. "
              "Narrow the list with its filters, or download the CSV file, which holds "
              "them all.") % {"max": tables.XLSX_MAX_ROWS, "count": total}
        )
    return tables.export_response(
        fmt, f"uppdrag-{filterset.day.isoformat()}", [exports.assignment_table(filterset)]
    )
