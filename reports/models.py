"""The read model of the reports: figures kept so that no page recounts the history."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyStatusCount(models.Model):
    """How many assignments had `status` at the end of `day`.

    One row per status and day, from the first day of the history up to a day
    before today (reports.daily_counts). Derived from the assignments' history,
    never edited: a back-dated history record deletes the rows from its day on,
    in its own transaction, and `rebuild_daily_counts` fills them in again.
    """

    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=20)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("daily status count")
        verbose_name_plural = _("daily status counts")
        constraints = [
            # Also the index of "the counts at these days" and of "the last day kept".
            models.UniqueConstraint(fields=["day", "status"], name="daily_status_count_unique"),
        ]

    def __str__(self):
        return f"{self.day} {self.status}: {self.count}"
