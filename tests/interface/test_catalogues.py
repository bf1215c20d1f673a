"""Swedish and English catalogues are complete, compiled, and in step with the code."""

import gettext
import shutil

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.interface.catalogue import LANGUAGES, LOCALE, po_path, read_po

PROJECT = LOCALE.parent
# What `make messages` scans: the apps, the project package and the templates.
SOURCES = ["api", "assignments", "budget", "malmo_ks", "templates"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation_that_gettext_uses(language):
    entries = read_po(po_path(language))

    assert len(entries) > 300
    assert [entry.label for entry in entries if not entry.translated] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    with open(po_path(language).with_suffix(".mo"), "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog

    stale = []
    for entry in read_po(po_path(language)):
        if entry.msgid_plural:
            forms = {(entry.key, int(index)): text for index, text in entry.msgstr.items()}
        else:
            forms = {entry.key: entry.msgstr[""]}
        stale += [entry.label for key, text in forms.items() if catalog.get(key) != text]
    assert stale == [], "run msgfmt (or `make messages`) after editing the .po files"


def test_makemessages_finds_no_untranslated_string(tmp_path, monkeypatch):
    """makemessages on a copy of the code: a new msgid would arrive untranslated."""
    for name in SOURCES:
        shutil.copytree(
            PROJECT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copytree(LOCALE, tmp_path / "locale")
    monkeypatch.chdir(tmp_path)

    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=list(LANGUAGES), verbosity=0)

    untranslated = {
        language: [
            entry.label
            for entry in read_po(po_path(language, tmp_path / "locale"))
            if not entry.translated
        ]
        for language in LANGUAGES
    }
    assert untranslated == {"sv": [], "en": []}


def test_django_s_own_messages_keep_django_s_swedish_beside_the_installed_apps():
    """An installed app's catalogue comes before Django's: Django REST framework words
    "This field is required." otherwise, and every form would follow. Each such clash is
    worded as Django words it (malmo_ks.wording.DJANGO_WORDING)."""
    from pathlib import Path

    import django
    from django.apps import apps
    from django.utils import translation

    def catalogue(directory):
        mo = Path(directory) / "sv" / "LC_MESSAGES" / "django.mo"
        if not mo.exists():
            return {}
        with mo.open("rb") as file:
            return gettext.GNUTranslations(file)._catalog

    core = catalogue(Path(django.__file__).parent / "conf" / "locale")
    clashes = {
        msgid: swedish
        for config in apps.get_app_configs()
        if not config.name.startswith("django.")
        for msgid, text in catalogue(Path(config.path) / "locale").items()
        if isinstance(msgid, str) and msgid and (swedish := core.get(msgid)) not in (None, text)
    }
    assert "This field is required." in clashes  # the app that makes this test matter is there
    with translation.override("sv"):
        assert {msgid: translation.gettext(msgid) for msgid in clashes} == clashes
