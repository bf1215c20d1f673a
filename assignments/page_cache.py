"""Cached pages: the overview, list and detail are read far more often than the register changes.

Their HTML is kept in Django's cache under a key made of the register's version,
today's date, the language and the address asked for. Every tracked write ends
in a history record, and accounts (whose names the pages show) are saved or
deleted; when the transaction commits, the version moves on, so the next
request misses the cache and computes the page afresh from the database. Pages
of earlier versions are never read again and expire.

A view reads the version before anything else: data read first could be older
than the version and would be kept under it.

The version moves after the commit, not inside the write's transaction: a
counter updated inside it would be a lock every write takes, and an import
holding it while it waits for an assignment that another write holds would
deadlock. A reader between the commit and the move may store the new state
under the old version, which nobody reads after the move; should a process die
in between, REGISTER_CACHE_SECONDS bounds how long a page can lag.

Only what is the same for every reader goes into a cached fragment: links that
depend on the reader's permissions stay outside it.

Figures of quarters that have ended are also kept across versions: a history
record dated in the current quarter leaves every ended quarter as it was. Only
one dated before the quarter began (back-dated, as `load_demo` writes the
history of 2014–2017) can change one, so only such writes move `past_number` on.
"""

import hashlib
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from .models import RegisterVersion

SINGLETON = 1


def current_version():
    """The register's version as text: one query.

    None when the row is missing (migration 0006 makes it; a database emptied by
    hand or by a flush between tests has none). Reading never makes it, a page
    view writes nothing; the next committed write does.
    """
    row = RegisterVersion.objects.filter(pk=SINGLETON).first()
    return None if row is None else str(row)


def move_on(back_dated=False):
    """Retire every cached page, and with `back_dated` every cached past figure too."""
    changes = {"number": F("number") + 1}
    if back_dated:
        changes["past_number"] = F("past_number") + 1
    if not RegisterVersion.objects.filter(pk=SINGLETON).update(**changes):
        RegisterVersion.objects.get_or_create(pk=SINGLETON)


def register_changed(history_instance=None, **kwargs):
    """A history record was written: the version moves on once its transaction commits."""
    dated = None if history_instance is None else history_instance.history_date
    transaction.on_commit(partial(_committed, dated))


def _committed(dated):
    """Back-dated or not is decided at the commit: the quarter may have ended since."""
    move_on(back_dated=dated is not None and dated < _quarter_began())


def _quarter_began():
    today = timezone.localdate()
    return timezone.make_aware(datetime(today.year, (today.month - 1) // 3 * 3 + 1, 1))


def kept(version, name, compute, *parts):
    """`compute()`, kept under the register version `version` and `parts` (None: not kept)."""
    if version is None:
        return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return cache.get_or_set(f"{name}:{version}:{digest}", compute,
                            settings.REGISTER_CACHE_SECONDS)


def unless_back_dated(name, compute, *parts):
    """`compute()`, kept until a back-dated write: for figures of ended quarters only."""
    row = RegisterVersion.objects.filter(pk=SINGLETON).values_list(
        "generation", "past_number"
    ).first()
    return kept(None if row is None else "{}.{}".format(*row), f"past-{name}", compute, *parts)


def account_changed(sender, update_fields=None, **kwargs):
    """Names of case officers and authors show on cached pages; a login changes none.

    Deleting an account empties the references to it without a history record.
    """
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    register_changed()


def page_context(request):
    """What a template needs for `{% cache page_cache_seconds "name" page_cache_key %}`,
    and the version for figures the view keeps itself (`kept`).

    Without a version there is nothing to key by: nothing is cached.
    """
    version = current_version()
    if version is None:
        return {"register_version": None, "page_cache_key": "", "page_cache_seconds": 0}
    parts = (
        version,
        timezone.localdate().isoformat(),
        translation.get_language(),
        request.get_full_path(),
    )
    return {
        "register_version": version,
        "page_cache_key": "|".join(parts),
        "page_cache_seconds": settings.REGISTER_CACHE_SECONDS,
    }
