"""Tables for Excel users and for checking: stable, documented columns (docs/EXPORTS.md).

Dates are ISO 8601 and numbers use a decimal point in CSV and JSON; the xlsx file keeps
numbers and dates typed so Excel formats them for Vietnamese readers.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import URIRef

from .errors import PlangraphError
from .query.params import is_iri
from .store import Store
from .store.base import values_block


PREFIXES = """PREFIX pg: <https://w3id.org/plangraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

QUERIES: dict[str, tuple[list[str], str]] = {
    "indicators": (
        ["ward", "province", "plan", "no", "group", "name", "concept", "comparator", "value", "value_max", "unit",
         "periodicity", "target_year", "responsible_units", "leader", "source_file", "source_line", "quote"],
        """SELECT ?ward ?province ?plan ?no ?group ?name ?concept ?comparator ?value ?value_max ?unit ?periodicity
       ?target_year ?leads ?advisers ?leader ?source_file ?source_line ?quote WHERE {
  { SELECT ?i (GROUP_CONCAT(DISTINCT ?lu; separator=";") AS ?leads) WHERE {
      # @ward ?i pg:inPlan/pg:forUnit
      ?i a pg:Indicator .
      OPTIONAL { ?i pg:leadUnit ?lead }
      BIND(COALESCE(?lead, <urn:x-plangraph:none>) AS ?lead_key)
      OPTIONAL { ?lead_key skos:prefLabel ?lu }
    } GROUP BY ?i }
  { SELECT ?i (GROUP_CONCAT(DISTINCT ?au; separator=";") AS ?advisers) (SAMPLE(?ld) AS ?leader) WHERE {
      # @ward ?i pg:inPlan/pg:forUnit
      ?i a pg:Indicator .
      OPTIONAL { ?i pg:responsibleUnit ?adviser }
      BIND(COALESCE(?adviser, <urn:x-plangraph:none>) AS ?adviser_key)
      OPTIONAL { ?adviser_key skos:prefLabel ?au }
      OPTIONAL { ?i pg:directedBy ?director }
      BIND(COALESCE(?director, <urn:x-plangraph:none>) AS ?director_key)
      OPTIONAL { ?director_key skos:prefLabel ?ld }
    } GROUP BY ?i }
  # @ward ?w
  ?i pg:inPlan ?p ; rdfs:label ?name ; pg:ordinal ?ord ; pg:comparator ?cmp ; pg:source ?src .
  FILTER(lang(?name) = "vi")
  ?p pg:forUnit ?w ; rdfs:label ?plan . FILTER(lang(?plan) = "vi")
  ?w skos:prefLabel ?ward ; pg:province ?pv . ?pv skos:prefLabel ?province . FILTER(lang(?province) = "vi")
  ?cmp skos:prefLabel ?comparator . FILTER(lang(?comparator) = "vi")
  # Required patterns before the OPTIONALs: after them, the source's line was read as a table
  # of every source in the store. The source's file name is looked up from the row, then
  # required: joined (a few thousand file names against every source), it made Oxigraph read
  # the OPTIONALs below as tables too.
  ?src pg:lineStart ?source_line .
  OPTIONAL { ?src pg:sourceFile ?sf }
  BIND(COALESCE(?sf, <urn:x-plangraph:none>) AS ?sf_key)
  OPTIONAL { ?sf_key pg:fileName ?source_file }
  FILTER(BOUND(?source_file))
  # One triple pattern per OPTIONAL, each label keyed on a placeholder where the value is
  # missing, so that Oxigraph looks it up from the row rather than joining a table of the
  # whole store's groups, concepts, units and periodicities.
  OPTIONAL { ?i pg:number ?no }
  OPTIONAL { ?i pg:inGroup ?g }
  BIND(COALESCE(?g, <urn:x-plangraph:none>) AS ?g_key)
  OPTIONAL { ?g_key rdfs:label ?group }
  OPTIONAL { ?i pg:concept ?c }
  BIND(COALESCE(?c, <urn:x-plangraph:none>) AS ?c_key)
  OPTIONAL { ?c_key skos:prefLabel ?concept . FILTER(lang(?concept) = "vi") }
  OPTIONAL { ?i pg:targetValue ?value }
  OPTIONAL { ?i pg:targetValueMax ?value_max }
  OPTIONAL { ?i pg:unitOfMeasure ?um }
  BIND(COALESCE(?um, <urn:x-plangraph:none>) AS ?um_key)
  OPTIONAL { ?um_key skos:prefLabel ?unit . FILTER(lang(?unit) = "vi") }
  OPTIONAL { ?i pg:periodicity ?pd }
  BIND(COALESCE(?pd, <urn:x-plangraph:none>) AS ?pd_key)
  OPTIONAL { ?pd_key skos:prefLabel ?periodicity . FILTER(lang(?periodicity) = "vi") }
  OPTIONAL { ?i pg:targetYear ?target_year }
  OPTIONAL { ?src pg:quote ?quote }
} ORDER BY ?province ?ward ?ord""",
    ),
    "documents": (
        ["iri", "number", "doc_type", "issuer", "scope", "date", "dates_seen", "cited_by", "citation_count"],
        """SELECT ?iri ?number ?doc_type ?issuer ?scope ?date ?dates_seen ?cited_by ?citation_count WHERE {
  { SELECT ?iri (GROUP_CONCAT(DISTINCT ?wn; separator=";") AS ?cited_by) (COUNT(DISTINCT ?c) AS ?citation_count) WHERE {
      ?c a pg:Citation ; pg:citedDocument ?iri ; pg:citingDocument/pg:forUnit ?w .
      # Each ward's name, followed by its province where wards of the graph share the name
      # (names recur across provinces: two such wards would read as one).
      { SELECT ?w ?wn WHERE {
          { SELECT DISTINCT ?w ?name WHERE { ?p0 pg:forUnit ?w . ?w skos:prefLabel ?name } }
          OPTIONAL { SELECT ?name (COUNT(DISTINCT ?w2) AS ?bearers) WHERE {
              { SELECT DISTINCT ?w2 ?name WHERE { ?p2 pg:forUnit ?w2 . ?w2 skos:prefLabel ?name } }
            } GROUP BY ?name }
          OPTIONAL { ?w pg:province ?pv . ?pv skos:prefLabel ?province . FILTER(lang(?province) = "vi") }
          BIND(IF(COALESCE(?bearers > 1, false) && BOUND(?province), CONCAT(STR(?name), " (", STR(?province), ")"),
                  STR(?name)) AS ?wn)
        } }
    } GROUP BY ?iri }
  OPTIONAL { SELECT ?iri (GROUP_CONCAT(DISTINCT STR(?sd); separator=";") AS ?dates_seen) WHERE {
      ?c2 a pg:Citation ; pg:citedDocument ?iri ; pg:statedDate ?sd .
    } GROUP BY ?iri }
  ?iri pg:docNumber ?number .
  OPTIONAL { ?iri pg:docType/skos:prefLabel ?doc_type . FILTER(lang(?doc_type) = "vi") }
  OPTIONAL { ?iri pg:issuer ?b . ?b rdfs:label ?issuer . FILTER(lang(?issuer) = "vi") }
  OPTIONAL { ?iri pg:scope/skos:prefLabel ?scope . FILTER(lang(?scope) = "vi") }
  OPTIONAL { ?iri pg:docDate ?date }
} ORDER BY DESC(?citation_count) ?number""",
    ),
    "citations": (
        ["ward", "plan", "document_iri", "number", "stated_date", "stated_issuer", "role", "section", "source_line", "quote",
         "province"],
        """SELECT ?ward ?plan ?document_iri ?number ?stated_date ?stated_issuer ?role ?section ?source_line ?quote ?province WHERE {
  # @ward ?w
  ?c a pg:Citation ; pg:citingDocument ?p ; pg:citedDocument ?document_iri ; pg:statedNumber ?number ;
     pg:citationRole ?r ; pg:source ?src .
  ?r skos:prefLabel ?role . FILTER(lang(?role) = "vi")
  ?p pg:forUnit ?w ; rdfs:label ?plan . FILTER(lang(?plan) = "vi")
  ?w skos:prefLabel ?ward .
  ?src pg:lineStart ?source_line .
  OPTIONAL { ?w pg:province ?pv }
  BIND(COALESCE(?pv, <urn:x-plangraph:none>) AS ?pv_key)
  OPTIONAL { ?pv_key skos:prefLabel ?province . FILTER(lang(?province) = "vi") }
  # The required patterns before the OPTIONALs: the source's line, required after them, was
  # joined as a table of every line in the store (446 ms for the five plans' 95 rows, now 3 ms).
  # One triple pattern per OPTIONAL, the section's path keyed on a placeholder where there is
  # no section, so each value is looked up from the row.
  OPTIONAL { ?c pg:statedDate ?stated_date }
  OPTIONAL { ?c pg:statedIssuer ?stated_issuer }
  OPTIONAL { ?c pg:inSection ?sn }
  BIND(COALESCE(?sn, <urn:x-plangraph:none>) AS ?sn_key)
  OPTIONAL { ?sn_key pg:sectionPath ?section }
  OPTIONAL { ?src pg:quote ?quote }
} ORDER BY ?ward ?province ?w ?source_line ?number""",
    ),
    "tasks": (
        ["ward", "no", "kind", "name", "lead_unit", "coordinating_units", "timeframe", "deadline", "output", "leader",
         "implements", "source_line", "quote", "province"],
        """SELECT ?ward ?no ?kind ?name ?lead_unit ?coordinating_units ?timeframe ?deadline ?output ?leader ?implements ?source_line ?quote
       ?province WHERE {
  { SELECT ?t (SAMPLE(?lu) AS ?lead_unit) (GROUP_CONCAT(DISTINCT ?cu; separator=";") AS ?coordinating_units)
           (SAMPLE(?ld) AS ?leader) (GROUP_CONCAT(DISTINCT ?dn; separator=";") AS ?implements) WHERE {
      # @ward ?t pg:inPlan/pg:forUnit
      ?t a pg:Task .
      OPTIONAL { ?t pg:leadUnit/skos:prefLabel ?lu }
      OPTIONAL { ?t pg:coordinatingUnit/skos:prefLabel ?cu }
      OPTIONAL { ?t pg:directedBy/skos:prefLabel ?ld }
      OPTIONAL { ?t pg:implements/pg:docNumber ?dn }
    } GROUP BY ?t }
  # @ward ?w
  ?t pg:inPlan/pg:forUnit ?w ; rdfs:label ?name ; pg:taskKind/skos:prefLabel ?kind ; pg:source ?src .
  FILTER(lang(?kind) = "vi")
  ?w skos:prefLabel ?ward .
  ?src pg:lineStart ?source_line .  # required patterns before the OPTIONALs (see citations)
  OPTIONAL { ?w pg:province ?pv }
  BIND(COALESCE(?pv, <urn:x-plangraph:none>) AS ?pv_key)
  OPTIONAL { ?pv_key skos:prefLabel ?province . FILTER(lang(?province) = "vi") }
  OPTIONAL { ?t pg:number ?no }
  OPTIONAL { ?t pg:timeframe ?timeframe }
  OPTIONAL { ?t pg:deadline ?deadline }
  OPTIONAL { ?t pg:expectedOutput ?output }
  OPTIONAL { ?src pg:quote ?quote }
} ORDER BY ?ward ?province ?w ?source_line""",
    ),
    "units": (
        ["ward", "unit", "kind", "aliases", "indicators", "tasks", "province"],
        """SELECT ?ward ?unit ?kind ?aliases ?indicators ?tasks ?province WHERE {
  { SELECT ?u (GROUP_CONCAT(DISTINCT ?al; separator=";") AS ?aliases) WHERE {
      # @ward ?u pg:unitOf
      { ?u a pg:WardUnit } UNION { ?u a pg:LeaderRole }
      OPTIONAL { ?u skos:altLabel ?al }
    } GROUP BY ?u }
  # Each count over the assignments on its own, joined by unit: counted beside the aliases, in
  # OPTIONALs of several patterns, it took twice as long at 3,321 plans (41.6 s, now 19.1 s).
  OPTIONAL { SELECT ?u (COUNT(DISTINCT ?ind) AS ?indicator_count) WHERE {
      # @ward ?u pg:unitOf
      ?a pg:assignee ?u ; pg:assignedTo ?ind . ?ind a pg:Indicator .
    } GROUP BY ?u }
  OPTIONAL { SELECT ?u (COUNT(DISTINCT ?task) AS ?task_count) WHERE {
      # @ward ?u pg:unitOf
      ?a2 pg:assignee ?u ; pg:assignedTo ?task . ?task a pg:Task .
    } GROUP BY ?u }
  BIND(COALESCE(?indicator_count, 0) AS ?indicators)
  BIND(COALESCE(?task_count, 0) AS ?tasks)
  # @ward ?w
  ?u skos:prefLabel ?unit ; pg:unitOf ?w ; a ?cls .
  ?w skos:prefLabel ?ward .
  OPTIONAL { ?w pg:province ?pv }
  BIND(COALESCE(?pv, <urn:x-plangraph:none>) AS ?pv_key)
  OPTIONAL { ?pv_key skos:prefLabel ?province . FILTER(lang(?province) = "vi") }
  VALUES (?cls ?kind) { (pg:WardUnit "đơn vị") (pg:LeaderRole "lãnh đạo") }
} ORDER BY ?ward ?province ?w ?kind ?unit""",
    ),
}
# Display labels (group, concept, comparator, unit, periodicity, kind, role, scope) are the
# Vietnamese preferred labels of the vocabularies.


@dataclass
class Table:
    kind: str
    columns: list[str]
    rows: list[dict[str, Any]]


# `# @ward` lines: with a ward, `# @ward ?w` becomes `VALUES ?w { <ward> }` (the query's own
# ward variable) and `# @ward ?x p1/p2` (in a sub-SELECT without one) becomes
# `VALUES ?scope_ward { <ward> } ?x p1 ?scope_1 . ?scope_1 p2 ?scope_ward .`, so every part of
# the query, its aggregating sub-SELECTs too, reads that ward's records only; without a ward
# they stay comments and the query reads every ward. Written as property paths, or as a path
# beside the ward variable, the same scope made Oxigraph read whole tables (18 s for one ward's
# indicators at 3,321 plans, 21-25 ms as written here).
_WARD_MARK = re.compile(r"^(\s*)# @ward (\?\w+)(?: (\S+))?$", re.M)


def _for_ward(query: str, ward_iri: str) -> str:
    def place(m: re.Match[str]) -> str:
        indent, var, path = m.group(1), m.group(2), m.group(3)
        if path is None:
            return indent + values_block(var[1:], [URIRef(ward_iri)])
        steps = path.split("/")
        nodes = [var, *(f"?scope_{k}" for k in range(1, len(steps))), "?scope_ward"]
        patterns = " ".join(f"{a} {step} {b} ." for a, step, b in zip(nodes, steps, nodes[1:]))
        return f"{indent}{values_block('scope_ward', [URIRef(ward_iri)])} {patterns}"

    return _WARD_MARK.sub(place, query)


def export_table(store: Store, kind: str, ward_iri: str | None = None) -> Table:
    """The export `kind`; with `ward_iri`, that ward's rows only (the rows of the whole export
    whose records belong to that ward: wards are told apart by IRI, since names recur across
    provinces). The documents export has no ward."""
    if kind not in QUERIES:
        raise PlangraphError(f"unknown export {kind!r}", f"choose one of: {', '.join(QUERIES)}")
    columns, query = QUERIES[kind]
    if ward_iri is not None:
        if not _WARD_MARK.search(query):
            raise PlangraphError(f"the {kind} export has no ward", "export it whole")
        if not is_iri(ward_iri):
            raise PlangraphError(f"not a ward IRI: {ward_iri[:80]!r}", "pass the ward's IRI")
        query = _for_ward(query, ward_iri)
    result = store.select(PREFIXES + query)
    rows = []
    for raw in result.values():
        if "responsible_units" in columns:
            raw["responsible_units"] = _lead_first(raw.get("leads"), raw.get("advisers"))
        rows.append({c: raw.get(c) for c in columns})
    return Table(kind, columns, rows)


def _lead_first(leads: str | None, advisers: str | None) -> str | None:
    """Responsible units, ";"-separated: lead units first, then advising units, each once."""
    names: list[str] = []
    for group in (leads, advisers):
        for name in sorted((group or "").split(";")):
            if name and name not in names:
                names.append(name)
    return ";".join(names) or None


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral() or True else str(v)
    if isinstance(v, date):
        return v.isoformat()
    return v


def write_table(table: Table, fmt: str, output: Path | None) -> None:
    if fmt == "xlsx":
        if output is None:
            raise PlangraphError("xlsx needs a file", "pass --output FILE.xlsx")
        to_xlsx(table, output)
        return
    text = to_csv(table) if fmt == "csv" else to_json(table)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def to_csv(table: Table) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=table.columns, lineterminator="\n")
    w.writeheader()
    for row in table.rows:
        w.writerow({k: "" if v is None else _plain(v) for k, v in row.items()})
    return buf.getvalue()


def to_json(table: Table) -> str:
    def conv(v: Any) -> Any:
        if isinstance(v, Decimal):
            return float(v)
        if isinstance(v, date):
            return v.isoformat()
        return v

    return json.dumps([{k: conv(v) for k, v in row.items()} for row in table.rows], ensure_ascii=False, indent=2) + "\n"


def to_xlsx(table: Table, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = table.kind
    ws.append(table.columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        ws.append([float(v) if isinstance(v, Decimal) else v for v in (row.get(c) for c in table.columns)])
    for i, col in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        width = max([len(col)] + [len(str(r.get(col) or "")) for r in table.rows[:200]])
        ws.column_dimensions[letter].width = min(60, max(8, width + 2))
        for cell in ws[letter][1:]:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.##"
            elif isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    tmp = path.with_suffix(path.suffix + ".tmp")
    wb.save(tmp)
    tmp.replace(path)
