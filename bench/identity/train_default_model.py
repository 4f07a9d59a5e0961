"""Train the model shipped in src/pactum/data/identity/default_model.json.

    .venv/bin/python bench/identity/train_default_model.py --records 100000 --seed 1

m-probabilities from the generator's labels (seed 1, the tuning seed), u from random pairs of different persons,
the prior from the labelled pair count. The online search uses it until a model trained on the
store's own records (with officers' verified links) is activated.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pactum.identity.generator import NAME_POPULATIONS, Generator
from pactum.services.identity.training import model_from_labelled
from pactum.store.engines.identity_linkage import duckdb_api


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--names", choices=NAME_POPULATIONS, default=NAME_POPULATIONS[0])
    ap.add_argument("--out", type=Path, default=Path("src/pactum/data/identity/default_model.json"))
    args = ap.parse_args()
    model = model_from_labelled(Generator(seed=args.seed, names=args.names).records(args.records), duckdb_api(),
                                label=f"generator seed {args.seed} ({args.names} names)")
    args.out.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
