"""Swedish full-text search on SQLite that finds what PostgreSQL's finds.

On PostgreSQL the list searches `websearch_to_tsquery('swedish', text)` in the
Swedish tsvector stored with each assignment (models.SearchDocument,
querysets.search). SQLite has neither, so every SQLite connection gets two SQL
functions that answer the same question in Python: `swedish_document(text)`
makes the stored form of a text (its stems in order, see `document`), which the
assignment's generated column keeps, and `swedish_match(stored, query)` reads
that form against the query, so a search stems the query only, never the rows.
Both use the same Snowball stemmer (the
`snowballstemmer` package, kept below 3 because Snowball 3 stems Swedish words
differently from the PostgreSQL releases of today), the same stop words, and
the websearch syntax that a user may type. The demo on SQLite then shows a
newcomer what production does: "barnens" finds "barn", "översyn" finds "Översyn".

Left out, because PostgreSQL's parser does more than a user searches for: the
extra lexeme it makes of a whole hyphenated word ("barn-unga" is also
"barn-ung"), and its own tokens for e-mail addresses, URLs and signed numbers.
"""

import re
import threading
from collections import defaultdict
from functools import lru_cache

import snowballstemmer

# Snowball's Swedish stop words, the very list PostgreSQL's swedish configuration
# drops (share/tsearch_data/swedish.stop): never indexed, never searched for, but
# they keep their place, so that a phrase "barn i förskolan" needs "förskolan"
# two words after "barn".
STOP_WORDS = frozenset(
    """
    och det att i en jag hon som han på den med var sig för så till är men ett om hade
    de av icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej
    vid kunde något från ut när efter upp vi dem vara vad över än dig kan sina här ha
    mot alla under någon eller allt mycket sedan ju denna själv detta åt utan varit hur
    ingen mitt ni bli blev oss din dessa några deras blir mina samma vilken er sådan
    vår blivit dess inom mellan sådant varför varje vilka ditt vem vilket sitta sådana
    vart dina vars vårt våra ert era vilkas
    """.split()
)

WORD = re.compile(r"\w+")
# websearch syntax: an optional "-" (not), even with a space after it as
# PostgreSQL allows, before a quoted phrase, whose closing quote may be missing,
# or before anything up to the next space or quote.
TERM = re.compile(r'\s*(-?)\s*(?:"([^"]*)"?|([^\s"]+))')

# A Snowball stemmer keeps the word it works on: one per thread (the live
# server of the browser tests answers in threads of its own).
_stemmers = threading.local()


def _stem(word):
    if not hasattr(_stemmers, "swedish"):
        _stemmers.swedish = snowballstemmer.stemmer("swedish")
    return _stemmers.swedish.stemWord(word)


def lexemes(text):
    """(position, stem) of each word of `text` that is no stop word, in order.

    Lower-cased with casefold, so that "Översyn" and "översyn" are one word.
    """
    return [
        (position, _stem(word))
        for position, word in enumerate(WORD.findall(text.casefold()))
        if word not in STOP_WORDS
    ]


@lru_cache(maxsize=256)
def parse(text):
    """The query as alternatives, each a tuple of (negated, phrase) that must all hold.

    As websearch_to_tsquery: all terms must match; "or" between two terms
    starts another alternative; "-" before a term negates it; a quoted phrase,
    or a word with a hyphen such as "STK-2015-102", matches its words in order.
    A term of stop words only drops out; a query of nothing else finds nothing.
    """
    terms = list(TERM.finditer(text))
    alternatives = [[]]
    for index, term in enumerate(terms):
        negated, quoted, bare = term.group(1) == "-", term.group(2), term.group(3)
        if (
            not negated
            and quoted is None
            and bare.casefold() == "or"
            and alternatives[-1]
            and index < len(terms) - 1
        ):
            alternatives.append([])
            continue
        phrase = tuple(lexemes(bare if quoted is None else quoted))
        if phrase:
            alternatives[-1].append((negated, phrase))
    return tuple(tuple(alternative) for alternative in alternatives if alternative)


def _contains(positions, phrase):
    (first, stem), *rest = phrase
    return any(
        all(start + offset - first in positions[other] for offset, other in rest)
        for start in positions[stem]
    )


# Stands for a stop word in a stored document: it keeps the word's place for
# phrases and is no stem (a stem is made of word characters), so nothing finds it.
STOP_PLACE = "-"


def document(text):
    """The stored form of `text`: each word's stem, or STOP_PLACE, in order, space-separated.

    What a tsvector is to PostgreSQL: stemmed once when the row is written, so
    that a search only splits it ("Stöd till barnen" → "stöd - barn").
    """
    return " ".join(
        STOP_PLACE if word in STOP_WORDS else _stem(word)
        for word in WORD.findall((text or "").casefold())
    )


def matches_stored(stored, text):
    """Whether the stored form `stored` (see `document`) is found by the search `text`."""
    alternatives = parse(text)
    if not alternatives:
        return False
    positions = defaultdict(set)
    for position, stem in enumerate((stored or "").split(" ")):
        positions[stem].add(position)
    return any(
        all(_contains(positions, phrase) != negated for negated, phrase in alternative)
        for alternative in alternatives
    )


def matches(text_searched, text):
    """Whether `text_searched` is found by the search `text`, as PostgreSQL would find it."""
    return matches_stored(document(text_searched), text)


def register_on_sqlite(sender, connection, **kwargs):
    """connection_created: give each new SQLite connection `swedish_document` and `swedish_match`.

    Deterministic, as SQLite requires of a function in a generated column. A
    connection without them (the sqlite3 shell) still reads the stored column,
    but cannot write an assignment.
    """
    if connection.vendor == "sqlite":
        create = connection.connection.create_function
        create("swedish_document", 1, document, deterministic=True)
        create("swedish_match", 2, matches_stored, deterministic=True)
