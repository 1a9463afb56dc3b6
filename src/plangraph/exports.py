"""Tables for Excel users and for checking: stable, documented columns (docs/EXPORTS.md).

Dates are ISO 8601 and numbers use a decimal point in CSV and JSON; the xlsx file keeps
numbers and dates typed so Excel formats them for Vietnamese readers.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import PlangraphError
from .store import Store

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
      ?i a pg:Indicator . OPTIONAL { ?i pg:leadUnit/skos:prefLabel ?lu } } GROUP BY ?i }
  { SELECT ?i (GROUP_CONCAT(DISTINCT ?au; separator=";") AS ?advisers) (SAMPLE(?ld) AS ?leader) WHERE {
      ?i a pg:Indicator .
      OPTIONAL { ?i pg:responsibleUnit/skos:prefLabel ?au }
      OPTIONAL { ?i pg:directedBy/skos:prefLabel ?ld }
    } GROUP BY ?i }
  ?i pg:inPlan ?p ; rdfs:label ?name ; pg:ordinal ?ord ; pg:comparator ?cmp ; pg:source ?src .
  FILTER(lang(?name) = "vi")
  ?p pg:forUnit ?w ; rdfs:label ?plan . FILTER(lang(?plan) = "vi")
  ?w skos:prefLabel ?ward ; pg:province ?pv . ?pv skos:prefLabel ?province . FILTER(lang(?province) = "vi")
  ?cmp skos:prefLabel ?comparator . FILTER(lang(?comparator) = "vi")
  OPTIONAL { ?i pg:number ?no }
  OPTIONAL { ?i pg:inGroup ?g . ?g rdfs:label ?group }
  OPTIONAL { ?i pg:concept ?c . ?c skos:prefLabel ?concept . FILTER(lang(?concept) = "vi") }
  OPTIONAL { ?i pg:targetValue ?value }
  OPTIONAL { ?i pg:targetValueMax ?value_max }
  OPTIONAL { ?i pg:unitOfMeasure ?um . ?um skos:prefLabel ?unit . FILTER(lang(?unit) = "vi") }
  OPTIONAL { ?i pg:periodicity ?pd . ?pd skos:prefLabel ?periodicity . FILTER(lang(?periodicity) = "vi") }
  OPTIONAL { ?i pg:targetYear ?target_year }
  ?src pg:lineStart ?source_line ; pg:sourceFile/pg:fileName ?source_file .
  OPTIONAL { ?src pg:quote ?quote }
} ORDER BY ?province ?ward ?ord""",
    ),
    "documents": (
        ["iri", "number", "doc_type", "issuer", "scope", "date", "dates_seen", "cited_by", "citation_count"],
        """SELECT ?iri ?number ?doc_type ?issuer ?scope ?date ?dates_seen ?cited_by ?citation_count WHERE {
  { SELECT ?iri (GROUP_CONCAT(DISTINCT ?wn; separator=";") AS ?cited_by) (COUNT(DISTINCT ?c) AS ?citation_count) WHERE {
      ?c a pg:Citation ; pg:citedDocument ?iri ; pg:citingDocument/pg:forUnit/skos:prefLabel ?wn .
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
        ["ward", "plan", "document_iri", "number", "stated_date", "stated_issuer", "role", "section", "source_line", "quote"],
        """SELECT ?ward ?plan ?document_iri ?number ?stated_date ?stated_issuer ?role ?section ?source_line ?quote WHERE {
  ?c a pg:Citation ; pg:citingDocument ?p ; pg:citedDocument ?document_iri ; pg:statedNumber ?number ;
     pg:citationRole/skos:prefLabel ?role ; pg:source ?src . FILTER(lang(?role) = "vi")
  ?p pg:forUnit/skos:prefLabel ?ward ; rdfs:label ?plan . FILTER(lang(?plan) = "vi")
  OPTIONAL { ?c pg:statedDate ?stated_date }
  OPTIONAL { ?c pg:statedIssuer ?stated_issuer }
  OPTIONAL { ?c pg:inSection/pg:sectionPath ?section }
  ?src pg:lineStart ?source_line . OPTIONAL { ?src pg:quote ?quote }
} ORDER BY ?ward ?source_line ?number""",
    ),
    "tasks": (
        ["ward", "no", "kind", "name", "lead_unit", "coordinating_units", "timeframe", "deadline", "output", "leader",
         "implements", "source_line", "quote"],
        """SELECT ?ward ?no ?kind ?name ?lead_unit ?coordinating_units ?timeframe ?deadline ?output ?leader ?implements ?source_line ?quote WHERE {
  { SELECT ?t (SAMPLE(?lu) AS ?lead_unit) (GROUP_CONCAT(DISTINCT ?cu; separator=";") AS ?coordinating_units)
           (SAMPLE(?ld) AS ?leader) (GROUP_CONCAT(DISTINCT ?dn; separator=";") AS ?implements) WHERE {
      ?t a pg:Task .
      OPTIONAL { ?t pg:leadUnit/skos:prefLabel ?lu }
      OPTIONAL { ?t pg:coordinatingUnit/skos:prefLabel ?cu }
      OPTIONAL { ?t pg:directedBy/skos:prefLabel ?ld }
      OPTIONAL { ?t pg:implements/pg:docNumber ?dn }
    } GROUP BY ?t }
  ?t pg:inPlan/pg:forUnit/skos:prefLabel ?ward ; rdfs:label ?name ; pg:taskKind/skos:prefLabel ?kind ; pg:source ?src .
  FILTER(lang(?kind) = "vi")
  OPTIONAL { ?t pg:number ?no }
  OPTIONAL { ?t pg:timeframe ?timeframe }
  OPTIONAL { ?t pg:deadline ?deadline }
  OPTIONAL { ?t pg:expectedOutput ?output }
  ?src pg:lineStart ?source_line . OPTIONAL { ?src pg:quote ?quote }
} ORDER BY ?ward ?source_line""",
    ),
    "units": (
        ["ward", "unit", "kind", "aliases", "indicators", "tasks"],
        """SELECT ?ward ?unit ?kind ?aliases ?indicators ?tasks WHERE {
  { SELECT ?u (GROUP_CONCAT(DISTINCT ?al; separator=";") AS ?aliases)
           (COUNT(DISTINCT ?ind) AS ?indicators) (COUNT(DISTINCT ?task) AS ?tasks) WHERE {
      { ?u a pg:WardUnit } UNION { ?u a pg:LeaderRole }
      OPTIONAL { ?u skos:altLabel ?al }
      OPTIONAL { ?a pg:assignee ?u ; pg:assignedTo ?ind . ?ind a pg:Indicator }
      OPTIONAL { ?a2 pg:assignee ?u ; pg:assignedTo ?task . ?task a pg:Task }
    } GROUP BY ?u }
  ?u skos:prefLabel ?unit ; pg:unitOf/skos:prefLabel ?ward ; a ?cls .
  VALUES (?cls ?kind) { (pg:WardUnit "đơn vị") (pg:LeaderRole "lãnh đạo") }
} ORDER BY ?ward ?kind ?unit""",
    ),
}
# Display labels (group, concept, comparator, unit, periodicity, kind, role, scope) are the
# Vietnamese preferred labels of the vocabularies.


@dataclass
class Table:
    kind: str
    columns: list[str]
    rows: list[dict[str, Any]]


def export_table(store: Store, kind: str) -> Table:
    if kind not in QUERIES:
        raise PlangraphError(f"unknown export {kind!r}", f"choose one of: {', '.join(QUERIES)}")
    columns, query = QUERIES[kind]
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
