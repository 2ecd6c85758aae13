"""Control snapshot benchmark: seconds to import a 50,000-vertex snapshot and to diff two.

Run: ``python -m bench.control``. The snapshots are ``geo.control.synthetic`` fronts three
months apart, drawn with enough vertices that each file holds at least ``VERTICES``. Import
is the whole of ``frontline control import`` after the file is on disk: read, repair, clip,
check and one transaction into a fresh GeoPackage store. Diff is loading both snapshots from
the store and cutting the changed ground by oblast with km². Every settlement is placing all
the gazetteer's settlements of Ukraine in the later snapshot through their R-tree (the
answer of the ``control-places`` collection), and the levels are the web map's three
levels of detail of that snapshot with their lines. Each figure is the best of
``RUNS``; wall and CPU seconds are both printed, since the work runs on one core and CPU
seconds are its cost on a quiet machine.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

VERTICES = 50_000
RUNS = 3
DAYS = (date(2024, 3, 1), date(2024, 6, 1))


def _vertices(path: Path) -> int:
    import shapely
    from shapely.geometry import shape

    doc = json.loads(path.read_text(encoding="utf-8"))
    return sum(int(shapely.get_num_coordinates(shape(f["geometry"])))
               for f in doc["features"])


def _write(folder: Path, day: date) -> tuple[Path, int]:
    from geo.control.synthetic import write_snapshot

    drawn = VERTICES // 2
    while True:
        path = write_snapshot(folder / f"front-{day}.geojson", day, vertices=drawn)
        n = _vertices(path)
        if n >= VERTICES:
            return path, n
        drawn += VERTICES - n + 100


def best(fn: Callable[[int], Any]) -> tuple[float, float, Any]:
    walls, cpus, result = [], [], None
    for i in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn(i)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def main() -> None:
    import shapely

    from geo.control import theatre
    from geo.control.change import changes
    from geo.control.line import line_of_contact
    from geo.control.snapshot import from_files
    from geo.store import open_store

    theatre.border_zone()  # the oblast file loads once per process, not per import
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = [_write(folder, d) for d in DAYS]
        for (path, n), day in zip(files, DAYS, strict=True):
            print(f"snapshot {day}: {n:,} vertices, {path.stat().st_size / 1e6:.1f} MB GeoJSON")

        def import_both(run: int) -> str:
            with open_store(str(folder / f"store-{run}.gpkg")) as store:
                for (path, _), day in zip(files, DAYS, strict=True):
                    store.put_snapshot(from_files([path], day, "bench", "synthetic"))
                return str(folder / f"store-{run}.gpkg")

        wall, cpu, url = best(import_both)
        print(f"import, per snapshot           {wall / 2:.2f} s wall   {cpu / 2:.2f} s CPU")

        def diff(_: int) -> int:
            with open_store(url) as store:
                a, b = (store.snapshot(i.id) for i in store.snapshots())
            assert a is not None and b is not None
            return len(changes(a, b))

        wall, cpu, n = best(diff)
        print(f"diff ({n} pieces by oblast)     {wall:.2f} s wall   {cpu:.2f} s CPU")

        def line(_: int) -> float:
            with open_store(url) as store:
                s = store.snapshot(store.snapshots()[-1].id)
            assert s is not None
            return line_of_contact(s).km

        wall, cpu, km = best(line)
        print(f"line of contact ({km:,.0f} km)     {wall:.2f} s wall   {cpu:.2f} s CPU")

        from api.control_places import settlements
        from maps.control import control_view

        with open_store(url) as store:
            latest = store.snapshot(store.snapshots()[-1].id)
        assert latest is not None
        towns = settlements()
        wall, cpu, _ = best(lambda _: towns.index.sides(latest))
        print(f"every settlement ({len(towns.ids):,})    {wall:.3f} s wall  {cpu:.3f} s CPU")
        wall, cpu, view = best(lambda _: control_view(latest))
        kept = "/".join(f"{sum(int(shapely.get_num_coordinates(g)) for g in lv.areas.values()):,}"
                        for lv in view.levels)
        print(f"levels of detail ({kept} vertices)  {wall:.2f} s wall   {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
