"""Optimistic locking of versioned records: a stale save is refused, told and merged three-way."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .history_display import (
    ASSIGNMENT_FIELDS,
    EMPTY,
    FieldChange,
    Names,
    field_changes,
    value_label,
    who,
)

# A value no stored field has: the base when the loaded version left no history record.
UNKNOWN = object()


@dataclass(frozen=True)
class Revision:
    """One save made by someone else: who, when, why and which fields it changed."""

    user: str
    when: datetime
    reason: str
    fields: list[FieldChange]


@dataclass(frozen=True)
class Disagreement:
    """A field both people changed, to different values: the stored one and the user's."""

    name: str
    theirs: str
    yours: str


@dataclass(frozen=True)
class Merge:
    """The user's input merged with what was saved since the page was loaded.

    `taken` holds the stored values of fields only the other person changed (the
    user's form gets them); `disagreements` the fields both changed, which the
    user must decide. Fields only the user changed keep the user's input.
    """

    taken: dict = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)


class EditConflict(Exception):
    """The record was saved by someone else after the user's page was loaded."""

    def __init__(self, current_version, revisions, merge=None):
        super().__init__(f"outdated version; the record is at version {current_version}")
        self.current_version = current_version
        self.revisions = revisions
        self.merge = merge


def perform(form, action, record=None, *, versioned=False, told=ASSIGNMENT_FIELDS):
    """Run one user action in one transaction; a conflict or a broken rule lands on the form.

    A `versioned` form saves `record` itself: the row is locked and the version
    the page was loaded with must still be the stored one, else the user's input
    is merged with what was saved (`told` are the fields the refusal describes).
    A parallel request that stored the same unique values first is told like
    any duplicate.
    """
    if not form.is_valid():
        return False
    try:
        with transaction.atomic():
            if versioned:
                ensure_unchanged(
                    record, form.cleaned_data["version"], edited=form.edited(), told=told
                )
            action()
        return True
    except EditConflict as conflict:
        form.refuse_stale(conflict)
    except ValidationError as error:
        form.add_model_errors(error)
    except IntegrityError:
        clash = lost_race(getattr(form, "instance", None))
        if clash is None:
            raise
        form.add_model_errors(clash)
    return False


def ensure_unchanged(obj, loaded_version, *, edited=None, told=ASSIGNMENT_FIELDS):
    """Lock the record's row; refuse if it has moved past `loaded_version`.

    Runs inside `transaction.atomic()`: the lock makes a concurrent save wait
    and then see the first one's new version instead of overwriting it.
    `edited` (from `edited_values`) is what the user's form holds; with it, the
    refusal carries the three-way merge of that input with the stored record.
    `told` are the fields the refusal describes in words.
    """
    model = type(obj)
    current = model._default_manager.select_for_update().get(pk=obj.pk)
    if current.version != loaded_version:
        merge = None if edited is None else three_way(current, loaded_version, edited)
        raise EditConflict(
            current.version, revisions_since(model, obj.pk, loaded_version, told), merge
        )


def lost_race(obj):
    """The ordinary uniqueness error for `obj`, whose save lost a race to a parallel one.

    Called after the IntegrityError, once the losing transaction is rolled back:
    the winner's row is committed by then, so the check the form made before
    saving now finds it and says what clashes, in the same words.
    """
    if obj is not None:
        try:
            obj.validate_unique()
            obj.validate_constraints()
        except ValidationError as error:
            return error
    return None  # not a clash the ordinary checks know: the caller lets it through


def edited_values(form):
    """What a valid ModelForm holds for each of its model fields, comparable with stored values."""
    opts = form.instance._meta
    values = {}
    for name in form._meta.fields:
        model_field = opts.get_field(name)
        if model_field.many_to_many:
            values[name] = frozenset(obj.pk for obj in form.cleaned_data[name])
        else:
            values[name] = getattr(form.instance, model_field.attname)
    return values


def stored_value(obj, name):
    """A field's value on a record or a history record: links as a set of ids."""
    model = getattr(obj, "instance_type", type(obj))  # a history record names its model
    model_field = model._meta.get_field(name)
    if not model_field.many_to_many:
        return getattr(obj, model_field.attname)
    related = getattr(obj, name)
    if model is not type(obj):
        # A history record's links are rows of its own m2m history table.
        target = f"{model_field.m2m_reverse_field_name()}_id"
        return frozenset(related.values_list(target, flat=True))
    return frozenset(related.values_list("pk", flat=True))


def three_way(current, loaded_version, edited):
    """Merge `edited` (the user's input) with `current`, both descended from `loaded_version`.

    As in Taiga and Redmine: a field only the other person changed keeps their
    value, a field only this user changed keeps the user's, and a field both
    changed to different values is a disagreement the user resolves.
    """
    base = (
        type(current)
        .history.filter(id=current.pk, version=loaded_version)
        .order_by("-history_id")
        .first()
    )
    taken, changed_by_both = {}, []
    for name, yours in edited.items():
        theirs = stored_value(current, name)
        original = UNKNOWN if base is None else stored_value(base, name)
        if theirs == yours or theirs == original:
            continue
        if yours == original:
            taken[name] = theirs
        else:
            changed_by_both.append(name)
    return Merge(taken, _disagreements(current, edited, changed_by_both))


def _disagreements(current, edited, names):
    """Both values of each field in `names` as a reader wants them: names, not ids."""
    model = type(current)
    single = [name for name in names if not model._meta.get_field(name).many_to_many]
    typed = model(**{model._meta.get_field(name).attname: edited[name] for name in single})
    labels = Names().collect([current, typed], single).fetch()

    def label(obj, name, value):
        if name in single:
            return value_label(obj, name, labels)
        related = model._meta.get_field(name).related_model
        rows = related._default_manager.filter(pk__in=value).order_by("pk")
        return ", ".join(str(row) for row in rows) or EMPTY

    return [
        Disagreement(
            name,
            label(current, name, stored_value(current, name)),
            label(typed, name, edited[name]),
        )
        for name in names
    ]


def revisions_since(model, pk, version, told=ASSIGNMENT_FIELDS):
    """The saves after `version`, each compared with the record before it.

    Records that kept the version (an assignment's latest report, kept by the report's
    registration) are no one's edit: they are left out, so only the saves are told.
    """
    records = []
    for record in model.history.filter(id=pk, version__gte=version).order_by(
        "version", "history_id"
    ):
        if records and records[-1].version == record.version:
            records[-1] = record
        else:
            records.append(record)
    names = Names().collect(records, told).fetch()
    return [
        Revision(
            user=who(new),
            when=new.history_date,
            reason=new.history_change_reason or "",
            fields=field_changes(new, old, told, names),
        )
        for old, new in zip(records, records[1:])
    ]
