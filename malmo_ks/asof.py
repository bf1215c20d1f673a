"""The `per` query parameter: which past date a page shows, or an error to show."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .dates import parse_iso_date, validate_plausible_date

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
    """Read `?per=2016-12-31`. A bad date, or one before the register, is reported, never a 500.

    A day after today is today: the register cannot be shown ahead of time.
    """
    raw = request.GET.get(PARAM, "").strip()
    if not raw:
        return AsOf()
    try:
        day = parse_iso_date(raw)
    except ValueError:
        return AsOf(error=_("“%(value)s” is not a date. Write it as 2016-12-31.") % {"value": raw[:40]})
    if day >= timezone.localdate():
        return AsOf()
    try:
        validate_plausible_date(day)
    except ValidationError as error:
        return AsOf(error=" ".join(error.messages))
    return AsOf(day=day)
