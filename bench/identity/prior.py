"""The prior estimated on a store (``linkage.estimate_prior``, used by ``pactum identity train``)
against the store's true share of pairs of one person and against the shipped model's prior
scaled to the store's size, on three stores made from one generated data set:

* ``as generated``: every record (the training data's duplication, 1.9 records a person);
* ``few duplicates``: each person's first record, and the second record of one person in ten;
* ``distinct persons``: each person's first record only (true share 0; the estimate keeps its
  floor of one pair).

    .venv/bin/python bench/identity/prior.py --records 100000 --seed 2

Writes bench/results/identity_prior.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from pactum.identity import links as link_rules
from pactum.identity.generator import Generator
from pactum.identity.metrics import share_of_pairs_one_person
from pactum.services.identity import default_model, linkage
from pactum.store.engines.identity_linkage import duckdb_api


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path("bench/results/identity_prior.json"))
    args = ap.parse_args()
    records = Generator(seed=args.seed).records(args.records)
    firsts, second_of = [], {}
    seen: set[str] = set()
    for r in records:
        if r.person_id not in seen:
            firsts.append(r)
            seen.add(r.person_id)
        elif r.person_id not in second_of:
            second_of[r.person_id] = r
    stores = {"as generated": records, "few duplicates": firsts + list(second_of.values())[: len(second_of) // 10],
              "distinct persons": firsts}
    model = default_model()
    results = {}
    for name, store in stores.items():
        frame = linkage.prepare(r.as_row(False) for r in store)
        t0 = time.perf_counter()
        estimated = linkage.estimate_prior(link_rules.for_records(model, len(frame)), duckdb_api(), frame)
        results[name] = {"records": len(frame), "true": share_of_pairs_one_person(r.person_id for r in store), "estimated": estimated,
                         "scaled_shipped": link_rules.prior_for(model, len(frame)),
                         "seconds": round(time.perf_counter() - t0, 1)}
        print(name, results[name], flush=True)
    out = {"benchmark": "identity_prior", "seed": args.seed, "generated_records": args.records,
           "results": results, "machine": f"{platform.machine()}, {os.cpu_count()} cores",
           "load_average_after": [round(x, 2) for x in os.getloadavg()],
           "measured_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "command": f"bench/identity/prior.py --records {args.records} --seed {args.seed}"}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
