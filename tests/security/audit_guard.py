"""A guard against writes that bypass the history: bulk QuerySet writes from app code.

`QuerySet.update()`, `bulk_create()` and `bulk_update()` write rows without the
per-object signals simple-history records from, and a bulk `delete()` records
no user or reason. On a history-tracked model, app code must go through the
model verbs instead; a test that reaches such a call fails, naming it.
"""

import sys
from contextlib import contextmanager

from django.db.models import QuerySet
from simple_history.manager import HistoryManager

GUARDED = ["update", "delete", "bulk_create", "bulk_update"]
APP_MODULES = ("assignments", "budget", "demo", "imports", "malmo_ks", "reports")
# Frames to look past to find who asked: Django's managers, related managers and
# queryset internals, and this guard itself.
PASS_THROUGH = ("django", __name__)


def _within(module: str, packages) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in packages)


def is_history_tracked(model) -> bool:
    return isinstance(getattr(model, "history", None), HistoryManager)


def _calling_module(frame) -> str:
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if not _within(module, PASS_THROUGH):
            return module
        frame = frame.f_back
    return ""


def _guarded(name, original):
    def guard(queryset, *args, **kwargs):
        caller = _calling_module(sys._getframe(1))
        if is_history_tracked(queryset.model) and _within(caller, APP_MODULES):
            raise AssertionError(
                f"{caller} calls {queryset.model.__name__}.objects...{name}(), which writes "
                "a history-tracked model without history: use the model's verbs"
            )
        return original(queryset, *args, **kwargs)

    guard.__name__ = guard.__qualname__ = name
    guard.__wrapped__ = original
    return guard


@contextmanager
def no_untracked_bulk_writes():
    """Install the guard on QuerySet for as long as the block runs."""
    originals = {name: getattr(QuerySet, name) for name in GUARDED}
    for name, original in originals.items():
        setattr(QuerySet, name, _guarded(name, original))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(QuerySet, name, original)
