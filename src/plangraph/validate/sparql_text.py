"""Reading the text of a SPARQL-based constraint (sh:select) for the compiled engine
(validate/compiler.py): the prefixes it declares, what SHACL forbids in it, and the aggregates
whose value depends on the order of the rows. A shape the engine cannot check is an
UnsupportedShape error naming it."""

from __future__ import annotations

import re

from rdflib import OWL, RDF, Graph
from rdflib.namespace import SH

from ..errors import PlangraphError


class UnsupportedShape(PlangraphError):
    """The compiled engine cannot check a shape: it says so instead of skipping it."""


def _unsupported(shape, what: str) -> UnsupportedShape:
    return UnsupportedShape(
        f"bộ máy SPARQL chưa hỗ trợ ràng buộc của shape {shape.n3()}: {what} / "
        f"shape {shape.n3()}: {what} is not supported by the compiled SPARQL engine",
        "kiểm tra bằng --engine pyshacl, hoặc bổ sung vào validate/compiler.py kèm kiểm thử / "
        "validate with --engine pyshacl, or add the component to validate/compiler.py with its test",
    )


_AGGREGATES_IN_ORDER = re.compile(r"\b(GROUP_CONCAT|SAMPLE)\s*\(", re.I)
# The focus nodes of a shape with one target class, written as a marker (validate/compiler.py)
# and replaced by the class and its subclasses of the store being validated.
TARGET_MARKER = re.compile(r"«\?this a (<[^>]+>)»")
_OUTER_WHERE = re.compile(r"\bWHERE\s*\{", re.I)
_SELECT = re.compile(r"\bSELECT\b", re.I)
ORDER_COUNT = "pgsh_order"
# What SHACL (and pySHACL) forbid in a SPARQL-based constraint (SHACL 5.3.1, pre-binding).
_FORBIDDEN = re.compile(r"(?<![\w:?$-])(MINUS|VALUES|SERVICE)\b", re.I)


def _prefixes(g: Graph, node) -> str:
    declares = set()
    ontologies = set(g.subjects(RDF.type, OWL.Ontology))
    for holder in g.objects(node, SH.prefixes):
        own = set(g.objects(holder, SH.declare))
        declares |= own if own and holder in ontologies else own | {d for o in ontologies for d in g.objects(o, SH.declare)}
    lines = {}
    for d in declares:
        lines[str(g.value(d, SH.prefix))] = str(g.value(d, SH.namespace))
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(lines.items()))


def _without_strings(text: str) -> str:
    """The query with its string literals and IRIs blanked (same length), so that keywords
    and brackets inside them are not read as syntax."""
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|<[^<>\s]*>',
                  lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], text)


def _closing(text: str, start: int) -> int:
    """The index of the bracket closing the one at `start` (strings already blanked)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in "({":
            depth += 1
        elif text[i] in ")}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _check_select(text: str, shape) -> None:
    """Refuse what SHACL forbids in a SPARQL-based constraint and pySHACL refuses: MINUS,
    VALUES, SERVICE, and a nested SELECT that does not project $this."""
    plain = _without_strings(text)
    found = _FORBIDDEN.search(plain)
    if found:
        raise _unsupported(shape, f"{found.group(1).upper()} in sh:select (SHACL forbids it in SPARQL constraints)")
    for nested in list(_SELECT.finditer(plain))[1:]:
        where = _OUTER_WHERE.search(plain, nested.end())
        projection = plain[nested.end():where.start() if where else len(plain)]
        if not re.search(r"[?$]this\b", projection):
            raise _unsupported(shape, "a nested SELECT in sh:select that does not select $this")


def _order_counts(query: str) -> tuple[str, ...] | None:
    """For each GROUP_CONCAT(x) / SAMPLE(x) of the outer projection, `(COUNT(DISTINCT x) AS
    ?pgsh_orderN)`: where it counts at most one value, the aggregate is the same in whatever
    order the rows come. None when such an aggregate is used anywhere else (subqueries,
    HAVING): then every reported focus node is evaluated again on its own."""
    plain = _without_strings(query)
    select, where = _SELECT.search(plain), _OUTER_WHERE.search(plain)
    if select is None or where is None:
        return None
    if _AGGREGATES_IN_ORDER.search(plain, where.end()):
        return None
    counts = []
    for found in _AGGREGATES_IN_ORDER.finditer(plain, select.end(), where.start()):
        opening = found.end() - 1
        closing = _closing(plain, opening)
        if closing < 0:
            return None
        inner = plain[opening + 1:closing]
        depth, cut = 0, len(inner)
        for i, ch in enumerate(inner):  # the expression ends at the top-level ";" (separator)
            depth += ch in "({"
            depth -= ch in ")}"
            if ch == ";" and depth == 0:
                cut = i
                break
        expression = query[opening + 1:opening + 1 + cut].strip()
        expression = re.sub(r"^DISTINCT\b", "", expression, flags=re.I).strip()
        counts.append(f"(COUNT(DISTINCT {expression}) AS ?{ORDER_COUNT}{len(counts)})")
    return tuple(counts)


def _scoped(query: str, targets: str, shape, extra: str = "") -> str:
    """The query evaluated for the focus nodes only: their pattern joined first into its outer
    WHERE. The rows of the focus nodes stay the same; without it a cross-plan rule would also
    compare every record of the other plans' context with every other. `extra` is added to
    the outer projection."""
    match = _OUTER_WHERE.search(query)
    if match is None:
        raise _unsupported(shape, "an sh:select without WHERE {")
    head = f"{query[:match.start()]}{extra} " if extra else query[:match.start()]
    focus = targets if TARGET_MARKER.fullmatch(targets) else f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}"
    return f"{head}{query[match.start():match.end()]} {focus} {query[match.end():]}"
