"""CPU of the build phase alone: ``python -m bench.build_phase [CASE] [--repeat N]``.

For every scenario of CASE (default ``inputs/default``): scenario data, index
frames and the numpy LP assembly (no foresight pinning, no solve), repeated N
times in one process after the case is loaded; prints one JSON record per
repetition with the CPU seconds of each part summed over the scenarios. For an
old/new comparison run it from each checkout (``PYTHONPATH=<checkout>``),
alternating, and read the minimum.
"""

from __future__ import annotations

import argparse
import json
import time

from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data
from model.formulation.matrix import assemble
from model.pipeline import select_scenarios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case", nargs="?", default="inputs/default")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    case = load_case(args.case)
    names = select_scenarios(case, None)
    for _ in range(args.repeat):
        cpu = {"data": 0.0, "index": 0.0, "assemble": 0.0}
        for name in names:
            t0 = time.process_time()
            data = scenario_data(case, name)
            t1 = time.process_time()
            index = build_index(data)
            t2 = time.process_time()
            assemble(index)
            t3 = time.process_time()
            cpu["data"] += t1 - t0
            cpu["index"] += t2 - t1
            cpu["assemble"] += t3 - t2
        print(json.dumps({**cpu, "total": sum(cpu.values())}))


if __name__ == "__main__":
    main()
