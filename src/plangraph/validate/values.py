"""pySHACL's tests of one value node (pyshacl/constraints/core), on the rdflib terms its oxigraph
backend makes of store terms. The compiled engine runs them on the values its queries find
may fail, so that ill-typed literals, regular expressions and literal order are judged exactly
as pySHACL judges them."""

from __future__ import annotations

import re
from typing import Callable

from rdflib import RDF, RDFS, XSD, BNode, Literal, URIRef

from ..errors import PlangraphError


# pySHACL's tests for one value node (constraints/core), on rdflib terms.

def datatype_ok(datatype) -> Callable:
    from decimal import Decimal
    from datetime import date, datetime, time

    native = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
              XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}

    def ok(v) -> bool:
        if not isinstance(v, Literal):
            return False
        if v.datatype == datatype:
            if getattr(v, "ill_typed", None) is True:
                return False
            return datatype not in native or isinstance(v.value, native[datatype])
        if datatype == RDFS.Literal:
            return True
        if datatype == RDFS.Datatype and v.datatype:
            return True
        if v.datatype is None and v.language is None and datatype == XSD.string:
            return isinstance(v.value, native[XSD.string])
        if datatype == RDF.langString and v.language:
            return isinstance(v.value, native[RDF.langString])
        return False
    return ok


def _as_string(v) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


def min_length_ok(n: int) -> Callable:
    return lambda v: n == 0 or (not isinstance(v, BNode) and len(_as_string(v)) >= n)


def pattern_ok(pattern: Literal, flags) -> Callable:
    re_flags = 0
    if flags is not None:
        text = str(flags.value).lower()
        re_flags |= re.I if "i" in text else 0
        re_flags |= re.M if "m" in text else 0
    source = str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
    matcher = re.compile(source, re_flags)
    return lambda v: not isinstance(v, BNode) and bool(matcher.match(_as_string(v)) or matcher.search(_as_string(v)))


def min_inclusive_ok(minimum: Literal) -> Callable:
    min_is_string = isinstance(minimum.value, str)

    def ok(v) -> bool:
        from pyshacl.rdfutil.compare import compare_literal  # only for the rare value SPARQL leaves open

        if not isinstance(v, Literal) or min_is_string != isinstance(v.value, str):
            return False
        try:
            return compare_literal(v, minimum) >= 0
        except (TypeError, NotImplementedError):
            return False
    return ok


def languages_ok(languages: set[str]) -> Callable:
    def ok(v) -> bool:
        if not isinstance(v, Literal) or not v.language:
            return False
        lang = str(v.language).lower()
        return "*" in languages or lang in languages or lang.split("-")[0] in languages
    return ok


def less_or_equal_ok(v, other) -> bool:
    """sh:lessThanOrEquals as pySHACL compares a value node with a value of the other property."""
    if isinstance(v, BNode) or isinstance(other, BNode):
        raise PlangraphError("sh:lessThanOrEquals không so sánh được nút trống / cannot compare a blank node",
                             "dùng IRI hoặc literal / give the values IRIs or literals")

    def plain(x):
        if isinstance(x, URIRef):
            return str(x), True
        if isinstance(x, Literal) and isinstance(x.value, str):
            return x.value, True
        return x, False

    a, a_str = plain(v)
    b, b_str = plain(other)
    return a_str == b_str and bool(a <= b)
