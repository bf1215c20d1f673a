"""The `per` query parameter: which past date a page shows, or an error to show."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

PARAM = "per"


@dataclass(frozen=True)
class AsOf:
    """The date asked for, if any; `error` is set when the parameter was unreadable."""

    day: date | None = None
    error: str = ""

    @property
    def is_past(self):
        return self.day is not None


def parse_as_of(request) -> AsOf:
    """Read `?per=2016-12-31`. A bad or future date is reported, never a 500."""
    raw = request.GET.get(PARAM, "").strip()
    if not raw:
        return AsOf()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return AsOf(error=_("“%(value)s” is not a date. Write it as 2016-12-31.") % {"value": raw[:40]})
    if day >= timezone.localdate():
        return AsOf()
    return AsOf(day=day)
