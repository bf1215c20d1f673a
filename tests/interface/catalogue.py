"""A small reader of our gettext .po files, enough to check that every message is translated."""

import ast
from dataclasses import dataclass, field
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ("sv", "en")


@dataclass
class Entry:
    msgctxt: str = ""
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict = field(default_factory=dict)  # index ("" or "0", "1", …) → text
    fuzzy: bool = False
    line: int = 0

    @property
    def translated(self):
        """Every form has a text, and gettext would use it (it skips fuzzy entries)."""
        forms = 2 if self.msgid_plural else 1
        return not self.fuzzy and len(self.msgstr) == forms and all(self.msgstr.values())

    @property
    def key(self):
        """The msgid as a compiled catalogue stores it: with its context, if any."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt else self.msgid

    @property
    def label(self):
        return f"line {self.line}: {self.msgid!r}"


def po_path(language, root=LOCALE):
    return Path(root) / language / "LC_MESSAGES" / "django.po"


def read_po(path):
    """The entries of a .po file, header and obsolete (#~) entries left out."""
    entries = []
    for line_number, lines in _blocks(path):
        if any(line.startswith("#~") for line in lines):
            continue
        entry, target = Entry(line=line_number), None
        for line in lines:
            if line.startswith("#,") and "fuzzy" in line:
                entry.fuzzy = True
            elif line.startswith('"'):
                _append(entry, target, ast.literal_eval(line))
            elif not line.startswith("#"):
                target, _space, text = line.partition(" ")
                _append(entry, target, ast.literal_eval(text), new=True)
        if entry.msgid:
            entries.append(entry)
    return entries


def _blocks(path):
    """Runs of non-blank lines (a .po file's entries) with the number of their first line."""
    block, start = [], 0
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate([*lines, ""], 1):
        if line.strip():
            block, start = [*block, line.strip()], start or number
        elif block:
            yield start, block
            block, start = [], 0


def _append(entry, target, text, new=False):
    if target in ("msgctxt", "msgid", "msgid_plural"):
        setattr(entry, target, getattr(entry, target) + text)
    else:  # msgstr or msgstr[n]
        index = target.partition("[")[2].rstrip("]")
        entry.msgstr[index] = ("" if new else entry.msgstr.get(index, "")) + text
