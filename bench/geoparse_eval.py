"""Geoparser accuracy and speed on LGL and GeoWebNews, beside the geotext package as a peer.

Run: ``python -m bench.geoparse_eval [--corpus lgl|geowebnews|all] [--limit N] [--out FILE]``

The corpora are third-party news kept outside the repository (``../shared/eval`` from the
repository root, or ``--eval-dir``); they are read at run time and nothing of them is
written anywhere but the scores. Both systems run in this process over the same texts.

The peer is what a geotext user would build: geotext names cities and countries without
offsets, so every word-bounded occurrence of a returned name is taken as a mention, and it
is geocoded to the first ``Gazetteer.lookup`` candidate of kind settlement (cities) or
country (countries), i.e. the most populous GeoNames entry of that name.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.metrics import (
    MAX_ERROR_KM,
    PRF,
    Geocoding,
    Span,
    best_overlapping,
    error_km,
    geocoding,
    match_spans,
    recognition,
)

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT.parent / "shared" / "eval"
CORPORA = {"lgl": "LGL", "geowebnews": "GeoWebNews"}

# GeoWebNews pragmatic types that name a place (Gritta et al. 2019): literal and
# metonymic uses, modifiers and embedded toponyms count; demonyms, homonyms, languages,
# non-toponyms and locative expressions ("the area") do not.
GWN_TOPONYM_TYPES = frozenset({
    "Literal", "Mixed", "Metonymic", "Coercion", "Literal_Modifier", "Non_Literal_Modifier",
    "Embedded_Literal", "Embedded_Non_Lit",
})

# Published Acc@161 km (per cent) over recognised toponyms.
ANCHORS = {
    "lgl": "Mordecai 3 82.7; CamCoder 76",
    "geowebnews": "Mordecai 3 94.1",
}


@dataclass(frozen=True)
class Located:
    """A span with the point it stands for, gold or predicted."""

    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    geonameid: int | None
    label: str = ""

    @property
    def span(self) -> Span:
        return (self.start, self.end)


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    mentions: tuple[Span, ...]
    toponyms: tuple[Located, ...]
    mention_types: tuple[str, ...] = ()


Parse = Callable[[str], list[Located]]


@dataclass
class Run:
    """One system over one corpus: counts, per-toponym outcomes and the worst cases."""

    system: str
    exact: PRF = PRF()
    fuzzy: PRF = PRF()
    errors: list[float | None] = field(default_factory=list)
    same_id: list[bool | None] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    bare_seconds: float | None = None
    bare_cpu_seconds: float | None = None
    docs: int = 0
    wrong: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    wrong_km: defaultdict[tuple[str, str, str], list[float]] = field(
        default_factory=lambda: defaultdict(list))
    missed: Counter[str] = field(default_factory=Counter)
    spurious: Counter[str] = field(default_factory=Counter)
    type_total: Counter[str] = field(default_factory=Counter)
    type_found: Counter[str] = field(default_factory=Counter)
    reachable: int = 0

    @property
    def scores(self) -> Geocoding:
        return geocoding(self.errors, self.same_id)

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds if self.seconds else 0.0


# --- corpora -------------------------------------------------------------------------------
def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_corpus(directory: Path, limit: int | None = None) -> list[Doc]:
    """Join ``gold.jsonl`` (geocoded toponyms) with ``gold_all.jsonl`` (every mention)."""
    mentions: dict[str, list[dict[str, Any]]] = {}
    for d in read_jsonl(directory / "gold_all.jsonl"):
        mentions[d["id"]] = [
            m for m in d.get("mentions", d.get("toponyms", []))
            if m.get("type") is None or m["type"] in GWN_TOPONYM_TYPES]
    docs = []
    for d in read_jsonl(directory / "gold.jsonl")[:limit]:
        toponyms = tuple(
            Located(t["start"], t["end"], t["name"], t["lat"], t["lon"], t.get("geonameid"))
            for t in d["toponyms"] if t.get("lat") is not None and t.get("lon") is not None)
        ms = mentions.get(d["id"], [])
        docs.append(Doc(d["id"], d["text"], tuple((m["start"], m["end"]) for m in ms),
                        toponyms, tuple(m["type"] for m in ms if m.get("type"))))
    return docs


# --- systems -------------------------------------------------------------------------------
def frontline() -> tuple[Parse, Callable[[str], object]]:
    """Our geoparser, and its bare spaCy pipeline for the speed baseline."""
    from geo.parse.geoparse import Geoparser

    gp = Geoparser()

    def parse(text: str) -> list[Located]:
        return [
            Located(t.start, t.end, t.name, t.lat, t.lon, t.geonameid,
                    f"{t.resolved_name or t.name} [{t.country or '?'} {t.kind} {t.place_id}]")
            for t in gp.parse(text).toponyms
        ]

    return parse, gp.nlp


def geotext_peer() -> Parse:
    from geotext import GeoText

    from geo.gazetteer.default import default_gazetteer

    gaz = default_gazetteer()
    places: dict[tuple[str, str], Located | None] = {}

    def place(name: str, kind: str) -> Located | None:
        if (name, kind) not in places:
            found = gaz.lookup(name, kind=kind, limit=1)
            places[name, kind] = None if not found else Located(
                0, 0, name, found[0].lat, found[0].lon, found[0].geonameid,
                f"{found[0].name} [{found[0].country} {kind} {found[0].id}]")
        return places[name, kind]

    def parse(text: str) -> list[Located]:
        found = GeoText(text)
        kinds = {n: "settlement" for n in found.cities} | {n: "country" for n in found.countries}
        hits = sorted(
            ((m.start(), m.end(), name, kind) for name, kind in kinds.items()
             for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)),
            key=lambda h: (h[0], h[0] - h[1]))
        out: list[Located] = []
        for start, end, name, kind in hits:
            if out and start < out[-1].end:
                continue
            p = place(name, kind) or Located(0, 0, name, None, None, None, f"{name} [unresolved]")
            out.append(Located(start, end, name, p.lat, p.lon, p.geonameid, p.label))
        return out

    return parse


# --- scoring -------------------------------------------------------------------------------
def gold_label(gaz: Any, t: Located) -> str:
    """The gold place as our gazetteer knows it, so that a miss shows whether it was findable."""
    p = gaz.by_id(t.geonameid) if t.geonameid else None
    if p is None:
        return f"{t.geonameid or 'no id'} ({t.lat:.2f}, {t.lon:.2f}) not in gazetteer"
    return f"{p.name} [{p.country} {p.kind} {p.id}]"


def score(run: Run, doc: Doc, pred: list[Located], gaz: Any) -> None:
    spans = [p.span for p in pred]
    run.exact += recognition(doc.mentions, spans, exact=True)
    pairs = match_spans(doc.mentions, spans, exact=False)
    run.fuzzy += PRF(len(pairs), len(spans) - len(pairs), len(doc.mentions) - len(pairs))
    matched = {j for _, j in pairs}
    if doc.mention_types:
        run.type_total.update(doc.mention_types)
        run.type_found.update(doc.mention_types[i] for i, _ in pairs)
    run.spurious.update(p.name for j, p in enumerate(pred) if j not in matched)
    for t in doc.toponyms:
        j = best_overlapping(t.span, spans)
        if j is None:
            run.errors.append(None)
            run.same_id.append(None)
            run.missed[t.name] += 1
            continue
        p = pred[j]
        assert t.lat is not None and t.lon is not None
        err = error_km((t.lat, t.lon), (p.lat, p.lon))
        run.errors.append(err)
        run.same_id.append(None if t.geonameid is None else p.geonameid == t.geonameid)
        run.reachable += err < 161 or any(
            error_km((t.lat, t.lon), (q.lat, q.lon)) < 161 for q in gaz.lookup(t.name))
        if err >= 161:
            key = (t.name, p.label, gold_label(gaz, t))
            run.wrong[key] += 1
            run.wrong_km[key].append(err)


def evaluate(system: str, parse: Parse, docs: list[Doc], gaz: Any,
             nlp: Callable[[str], object] | None = None) -> Run:
    """Parse and score every document; with ``nlp``, time the bare spaCy pass too.

    The two passes alternate document by document, so that whatever else the machine is
    doing weighs on both alike; CPU time is kept beside wall time because it hardly moves
    when other processes share the cores.
    """
    run = Run(system, docs=len(docs))
    bare = [0.0, 0.0]
    preds = []
    for d in docs:
        if nlp is not None:
            t0, c0 = time.perf_counter(), time.process_time()
            nlp(d.text)
            bare[0] += time.perf_counter() - t0
            bare[1] += time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        preds.append(parse(d.text))
        run.seconds += time.perf_counter() - t0
        run.cpu_seconds += time.process_time() - c0
    if nlp is not None:
        run.bare_seconds, run.bare_cpu_seconds = bare
    for d, pred in zip(docs, preds, strict=True):
        score(run, d, pred, gaz)
    return run


# --- report --------------------------------------------------------------------------------
def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def rows(runs: list[Run]) -> list[tuple[str, list[str]]]:
    """Table rows: a label and one cell per system."""
    g = [r.scores for r in runs]
    out = [
        ("recognition, exact span: P", [pct(r.exact.precision) for r in runs]),
        ("  R", [pct(r.exact.recall) for r in runs]),
        ("  F1", [pct(r.exact.f1) for r in runs]),
        ("recognition, overlap: P", [pct(r.fuzzy.precision) for r in runs]),
        ("  R", [pct(r.fuzzy.recall) for r in runs]),
        ("  F1", [pct(r.fuzzy.f1) for r in runs]),
        ("geocoding, recognised gold: n", [f"{s.n_recognised}/{s.n_gold}" for s in g]),
        ("  Acc@161 km", [pct(s.acc161_recognised) for s in g]),
        ("  Acc@25 km", [pct(s.acc25_recognised) for s in g]),
        ("  exact GeoNames id", [f"{pct(s.id_rate)} of {s.n_with_id}" for s in g]),
        ("  same id, yet >= 161 km off", [str(s.far_same_id) for s in g]),
        ("  AUC log error (lower better)", [f"{s.auc:.3f}" for s in g]),
        ("  median error km", [f"{s.median_km:.1f}" for s in g]),
        ("  mean error km", [f"{s.mean_km:.0f}" for s in g]),
        ("  recognised, unresolved", [str(s.n_unresolved) for s in g]),
        ("  ceiling: entry of that name < 161 km",
         [pct(_ratio(r.reachable, s.n_recognised)) for r, s in zip(runs, g, strict=True)]),
        ("geocoding, end-to-end: Acc@161 km", [pct(s.acc161_e2e) for s in g]),
        ("  Acc@25 km", [pct(s.acc25_e2e) for s in g]),
        ("speed: docs/s (wall)", [f"{r.docs_per_s:.1f}" for r in runs]),
        ("  docs per CPU s", [f"{_ratio(r.docs, r.cpu_seconds):.1f}" for r in runs]),
    ]
    if any(r.bare_seconds for r in runs):
        out += [
            ("  bare spaCy docs/s (wall)",
             [f"{_ratio(r.docs, r.bare_seconds):.1f}" if r.bare_seconds else "" for r in runs]),
            ("  bare spaCy docs per CPU s",
             [f"{_ratio(r.docs, r.bare_cpu_seconds):.1f}" if r.bare_seconds else ""
              for r in runs]),
            ("  geoparse / bare spaCy, wall",
             [f"{_ratio(r.seconds, r.bare_seconds):.2f}x" if r.bare_seconds else ""
              for r in runs]),
            ("  geoparse / bare spaCy, CPU",
             [f"{_ratio(r.cpu_seconds, r.bare_cpu_seconds):.2f}x" if r.bare_seconds else ""
              for r in runs]),
        ]
    return out


def _ratio(a: float, b: float | None) -> float:
    return a / b if b else 0.0


def anchor_for(label: str, corpus: str) -> str:
    return ANCHORS[corpus] if label == "  Acc@161 km" else ""


def text_table(corpus: str, docs: list[Doc], runs: list[Run]) -> str:
    head = (f"{CORPORA[corpus]}: {len(docs)} docs, {sum(len(d.mentions) for d in docs)} gold "
            f"mentions, {sum(len(d.toponyms) for d in docs)} with coordinates")
    lines = [head, f"{'':36}" + "".join(f"{r.system:>14}" for r in runs) + "   published"]
    for label, cells in rows(runs):
        anchor = anchor_for(label, corpus)
        lines.append(f"{label:36}" + "".join(f"{c:>14}" for c in cells)
                     + (f"   {anchor}" if anchor else ""))
    return "\n".join(lines)


def markdown_table(corpus: str, docs: list[Doc], runs: list[Run]) -> str:
    lines = [
        f"### {CORPORA[corpus]} ({len(docs)} docs)", "",
        "| metric | " + " | ".join(r.system for r in runs) + " | published |",
        "|---|" + "---:|" * len(runs) + "---|",
    ]
    for label, cells in rows(runs):
        lines.append(f"| {label.strip()} | " + " | ".join(cells)
                     + f" | {anchor_for(label, corpus)} |")
    return "\n".join(lines)


def details(run: Run, n: int) -> str:
    lines = [f"{run.system}: most frequent wrong resolutions (error >= 161 km): "
             "count, median km, name: our pick | gold"]
    for key, c in run.wrong.most_common(n):
        km = statistics.median(run.wrong_km[key])
        shown = "unresolved" if km >= MAX_ERROR_KM else f"{km:.0f}"
        lines.append(f"  {c:4d} {shown:>10}  {key[0]}: {key[1]} | {key[2]}")
    if run.type_total:
        lines.append(f"{run.system}: overlap recall by pragmatic type")
        lines += [f"  {t:22} {pct(run.type_found[t] / n):>5} of {n}"
                  for t, n in run.type_total.most_common()]
    lines.append(f"{run.system}: most frequent missed gold toponyms")
    lines += [f"  {c:4d}  {name}" for name, c in run.missed.most_common(n)]
    lines.append(f"{run.system}: most frequent predictions matching no gold mention")
    lines += [f"  {c:4d}  {name}" for name, c in run.spurious.most_common(n)]
    return "\n".join(lines)


def as_json(run: Run) -> dict[str, Any]:
    return {
        "recognition_exact": {"p": run.exact.precision, "r": run.exact.recall,
                              "f1": run.exact.f1, **asdict(run.exact)},
        "recognition_overlap": {"p": run.fuzzy.precision, "r": run.fuzzy.recall,
                                "f1": run.fuzzy.f1, **asdict(run.fuzzy)},
        "geocoding": asdict(run.scores),
        "seconds": run.seconds,
        "cpu_seconds": run.cpu_seconds,
        "bare_spacy_seconds": run.bare_seconds,
        "bare_spacy_cpu_seconds": run.bare_cpu_seconds,
        "docs_per_s": run.docs_per_s,
    }


# --- main ----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.geoparse_eval", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    ap.add_argument("--limit", type=int, default=None, help="first N documents of each corpus")
    ap.add_argument("--system", choices=["frontline", "geotext", "all"], default="all")
    ap.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    ap.add_argument("--details", type=int, default=15, metavar="N",
                    help="list the N most frequent errors of each kind (0: none)")
    ap.add_argument("--out", type=Path, help="also write the tables (.json, else markdown)")
    args = ap.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be at least 1")

    corpora = list(CORPORA) if args.corpus == "all" else [args.corpus]
    missing = [c for c in corpora if not (args.eval_dir / c / "gold.jsonl").is_file()
               or not (args.eval_dir / c / "gold_all.jsonl").is_file()]
    if missing:
        print(f"evaluation corpora not found under {args.eval_dir} ({', '.join(missing)}): "
              "nothing to measure")
        return 0

    from geo.gazetteer.default import default_gazetteer

    gaz = default_gazetteer()
    systems: list[tuple[str, Parse]] = []
    nlp = None
    if args.system in ("frontline", "all"):
        parse, nlp = frontline()
        systems.append(("Frontline", parse))
    if args.system in ("geotext", "all"):
        systems.append(("geotext", geotext_peer()))
    for _, parse in systems:
        parse("Warm-up in Kyiv, Ukraine, and Paris.")
    if nlp is not None:
        nlp("Warm-up in Kyiv.")

    text_out, md_out, json_out = [], [], {}
    for corpus in corpora:
        docs = load_corpus(args.eval_dir / corpus, args.limit)
        runs = [evaluate(name, parse, docs, gaz, nlp if name == "Frontline" else None)
                for name, parse in systems]
        table = text_table(corpus, docs, runs)
        print(table, "\n", flush=True)
        if args.details:
            for r in runs[:1]:
                print(details(r, args.details), "\n", flush=True)
        text_out.append(table)
        md_out.append(markdown_table(corpus, docs, runs))
        json_out[corpus] = {"docs": len(docs), **{r.system: as_json(r) for r in runs}}
    if args.out:
        body = (json.dumps(json_out, indent=2) if args.out.suffix == ".json"
                else "\n\n".join(md_out) + "\n")
        args.out.write_text(body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
