"""Deterministic, readable IRIs under one configurable base, and the document identity rule.

Policy (docs/ARCHITECTURE.md):
- wards:       {base}id/unit/{province}/{kind}-{name}        id/unit/lai-chau/phuong-doan-ket
- provinces:   {base}id/province/{name}                      id/province/lai-chau
- documents with a central issuer code: by number alone      id/doc/57-nq-tw
- documents with a local issuer code: scoped by locality (province, and ward for ward
  bodies) and year when known                               id/doc/lai-chau/2025/96-nq-hdnd
- a plan's records hang under the plan's key                 id/plan/lai-chau/phuong-doan-ket/36-nq-hdnd-2025/indicator/6-3
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from ..config import DEFAULT_BASE
from ..docnumber import DocNumber
from ..text import slug


@dataclass(frozen=True)
class Locality:
    """Where a local body sits: a province, and a ward for ward-level bodies."""

    province: str
    ward: str | None = None  # "phường Đoàn Kết" (kind and name)


class Minter:
    """Mints every IRI of the graph from one base."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base if base.endswith(("/", "#")) else f"{base}/"

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(p for p in parts if p))

    def province(self, name: str) -> URIRef:
        from ..extract.lexicon import FORMER_PROVINCES

        if name in FORMER_PROVINCES:
            return self._iri("id", "province", "former", slug(name))
        return self._iri("id", "province", slug(name))

    def ward(self, province: str, ward: str) -> URIRef:
        """`ward` carries its kind: "phường Trần Phú", "xã Tân Lập", "đặc khu Côn Đảo"."""
        return self._iri("id", "unit", slug(province), slug(ward))

    def former_unit(self, province: str, name: str) -> URIRef:
        return self._iri("id", "unit", slug(province), "former", slug(name))

    def document(self, number: DocNumber, locality: Locality | None, year: int | None = None) -> URIRef:
        """The identity rule. Central numbers name one national document; local numbers are
        unique only within their issuing body, so locality (and year when known) join in."""
        num = slug(number.identity_text)
        if number.level == "central" or locality is None:
            return self._iri("id", "doc", num)
        yr = number.year or year
        return self._iri(
            "id", "doc", slug(locality.province), slug(locality.ward) if locality.ward else "",
            str(yr) if yr else "", num,
        )

    def unnumbered_document(self, locality: Locality, key: str) -> URIRef:
        """A document whose number is blank in its source (e.g. a plan not yet numbered)."""
        return self._iri("id", "doc", slug(locality.province), slug(locality.ward or ""), "unnumbered", slug(key))

    def issuing_body(self, code: str, locality: Locality | None) -> URIRef:
        if locality is None:
            return self._iri("id", "body", slug(code))
        return self._iri("id", "body", slug(locality.province), slug(locality.ward or ""), slug(code))

    def plan_key(self, province: str, ward: str, local: str) -> str:
        return "/".join((slug(province), slug(ward), slug(local)))

    def record(self, plan_key: str, kind: str, local: str) -> URIRef:
        """A record of a plan: indicator, task, citation, section, assignment, excerpt ..."""
        return self._iri("id", "plan", plan_key, kind, slug(local) or "0")

    def ward_unit(self, province: str, ward: str, name: str) -> URIRef:
        return self._iri("id", "unit", slug(province), slug(ward), "org", slug(name))

    def leader_role(self, province: str, ward: str, name: str) -> URIRef:
        return self._iri("id", "unit", slug(province), slug(ward), "role", slug(name))

    def source_file(self, name: str) -> URIRef:
        return self._iri("id", "source", slug(name))
