"""The national-scale benchmark: 5 real plans, 330 and 3,321 synthetic ones, every engine
side by side in one run. Writes build/bench/national.json and prints the markdown table
that goes into docs/PERFORMANCE.md.

    .venv/bin/python bench/national.py [--wards 5,330,3321] [--repeat 5] [--engines ...]

Same as `plangraph bench --wards 5,330,3321`, plus the JSON kept on disk. Takes about
half an hour on a 2-core machine (most of it rdflib at 330 and validation at 3,321).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from plangraph.bench import ENGINES, bench, check_options  # noqa: E402
from plangraph.bench_report import dumps, to_markdown  # noqa: E402
from plangraph.config import settings  # noqa: E402
from plangraph.errors import PlangraphError  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wards", default="5,330,3321")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--work-dir", type=Path, default=ROOT / "build" / "bench")
    ap.add_argument("--no-app", action="store_true")
    args = ap.parse_args()
    try:
        scales, engines = check_options(args.wards, args.engines, args.repeat)
    except PlangraphError as exc:
        ap.error(f"{exc.message} ({exc.hint})" if exc.hint else exc.message)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    out = args.work_dir / "national.json"

    def keep(result: dict) -> None:  # after each scale, so a stopped run keeps what it measured
        tmp = out.with_suffix(".json.tmp")
        tmp.write_text(dumps(result), encoding="utf-8")
        tmp.replace(out)

    result = bench(settings(), scales, engines, args.repeat, args.work_dir, app=not args.no_app,
                   progress=lambda m: print(m, file=sys.stderr, flush=True), partial=keep)
    print(to_markdown(result))


if __name__ == "__main__":
    main()
