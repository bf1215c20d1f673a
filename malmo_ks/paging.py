"""Pages of long lists, as the assignment list and the compilation show them.

Both page with `?sida=N`, PAGE_SIZE rows a page, and both know how many rows
there are before they page (from their counts per status).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 50
PAGE_PARAM = "sida"


class KnownCountPaginator(Paginator):
    """Pages of `rows`, whose number is already known from the counts per status.

    Counting the rows themselves would join every one of them to its unit and
    area, and the pages count per status anyway. A page in the back half is
    read backwards from the end: the database skips the rows after it instead
    of every row before it, so the last page costs what the first does.
    """

    def __init__(self, rows, per_page, count):
        super().__init__(rows, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if bottom <= self.count - top:
            return super().page(number)
        # The ordering always ends in the unique id, so backwards is its exact mirror.
        backwards = self.object_list.reverse()[self.count - top : self.count - bottom]
        return self._get_page(list(backwards)[::-1], number, self)
