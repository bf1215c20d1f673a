"""Reads the small part of YAML that docker-compose.yml uses, for the deployment tests.

PyYAML is not a dependency; this reads block mappings, block lists, JSON-style
flow lists, quoted and plain scalars and comments, and refuses anything else
loudly, so a richer compose file fails the tests instead of being misread.
"""

import json
import re

_KEY = re.compile(r"^(?P<key>[A-Za-z0-9_.-]+):(?:\s+(?P<value>.*))?$")


class UnsupportedYaml(ValueError):
    pass


def load(text):
    lines = []
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise UnsupportedYaml(f"line {number}: tab in indentation")
        lines.append((len(raw) - len(raw.lstrip(" ")), stripped, number))
    value, end = _block(lines, 0, lines[0][0] if lines else 0)
    if end != len(lines):
        raise UnsupportedYaml(f"line {lines[end][2]}: unexpected indentation")
    return value


def _block(lines, start, indent):
    """The mapping or list whose lines start at `start` with exactly `indent` spaces."""
    if lines[start][1].startswith("- "):
        return _list(lines, start, indent)
    return _mapping(lines, start, indent)


def _list(lines, index, indent):
    items = []
    while index < len(lines) and lines[index][0] == indent and lines[index][1].startswith("- "):
        items.append(_scalar(lines[index][1][2:], lines[index][2]))
        index += 1
    return items, index


def _mapping(lines, index, indent):
    mapping = {}
    while index < len(lines) and lines[index][0] == indent:
        _indent, content, number = lines[index]
        match = _KEY.match(content)
        if not match:
            raise UnsupportedYaml(f"line {number}: not a `key: value` line: {content!r}")
        key, value = match["key"], match["value"]
        if key in mapping:
            raise UnsupportedYaml(f"line {number}: duplicate key {key!r}")
        index += 1
        if value is None:
            if index < len(lines) and lines[index][0] > indent:
                mapping[key], index = _block(lines, index, lines[index][0])
            else:
                mapping[key] = None
        else:
            mapping[key] = _scalar(value, number)
    if index < len(lines) and lines[index][0] > indent:
        raise UnsupportedYaml(f"line {lines[index][2]}: unexpected indentation")
    return mapping, index


def _scalar(text, number):
    """A plain, quoted or flow-list value; a trailing ` # comment` is dropped from plain ones."""
    if text.startswith(("[", '"')):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise UnsupportedYaml(f"line {number}: {error}") from None
    if text.startswith(("'", "{", "&", "*", "|", ">", "!")):
        raise UnsupportedYaml(f"line {number}: unsupported value {text!r}")
    return text.split(" #", 1)[0].rstrip()
