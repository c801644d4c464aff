"""Ledger at scale: plan (hash and stage) and record N subject keys (default 10 million) in one
transfer, then compute the window totals, on a real SQLite file (or any SQLAlchemy URL, --db).

Prints the time to hash and stage (export plan), to record (export record: the staged hashes
move into the ledger), to compute the window totals, and the peak RSS, against the targets:
record 10 M keys < 60 s, totals < 5 s, RSS < 1 GB. Run from the repository root:

    .venv/bin/python benchmarks/ledger_bench.py [--keys 10000000] [--db sqlite:///path.db]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from chinacomply.inventory import models, repository
from chinacomply.inventory.store import open_store
from chinacomply.ledger import keys as ledger_keys

TARGETS = {"record": 60.0, "totals": 5.0, "rss_mb": 1024.0}


def canonical_keys(n: int) -> Iterator[str]:
    """n distinct 17-digit resident-ID keys (the form the ledger hashes), generated lazily."""
    return (f"{110105_1960_0101_000 + i:017d}" for i in range(n))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=10_000_000)
    parser.add_argument(
        "--db", default=None, help="SQLAlchemy URL (default: a temporary SQLite file)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'ledger.db'}"
        store = open_store(url)
        key = ledger_keys.load_or_create(Path(tmp) / "ledger.key")
        on = dt.date(2026, 6, 1)

        started = time.perf_counter()
        digests = list(ledger_keys.digests(key, "cn_resident_id", canonical_keys(args.keys)))
        hashed = time.perf_counter() - started
        with store.transaction() as session:
            recipient = repository.recipient(session, "bench", "US")
            system = models.System(name="bench", created_at=repository.now())
            session.add(system)
            session.flush()
            dataset = models.Dataset(
                system_id=system.id,
                source="bench",
                name="bench",
                rows=args.keys,
                subject_key="id",
                subject_type="cn_resident_id",
                individuals=args.keys,
                minors=0,
                sensitive=False,
                profile="pipl",
                scanned_at=repository.now(),
            )
            session.add(dataset)
            session.flush()
            transfer = models.Transfer(
                plan_id="bench",
                dataset_id=dataset.id,
                recipient_id=recipient.id,
                ground=None,
                on=on,
                status="planned",
                exempt_on_ground=False,
                individuals=args.keys,
                new_non_sensitive=args.keys,
                new_sensitive=0,
                carries_sensitive=False,
                carries_non_sensitive=True,
                keys_sha256="-",
                pathway="security_assessment",
                created_at=repository.now(),
                recorded_at=repository.now(),
            )
            session.add(transfer)
            session.flush()
            repository.stage_entries(session, transfer, digests, sensitive=False)
        planned = time.perf_counter() - started

        started = time.perf_counter()
        with store.transaction() as session:
            repository.commit_entries(session, transfer)
            transfer.status = "recorded"
            session.add(transfer)
        recorded = time.perf_counter() - started

        started = time.perf_counter()
        with store.transaction() as session:
            total = repository.window_total(session, (on.year,), False)
        totals = time.perf_counter() - started
        store.close()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert total == args.keys, (total, args.keys)
    print(f"ledger on {url.split('://')[0]}: {args.keys:,} keys")
    print(f"  plan: hash      {hashed:8.1f} s")
    print(f"  plan: + stage   {planned:8.1f} s   (export plan: read, hash, stage)")
    print(
        f"  record          {recorded:8.1f} s   "
        f"target < {TARGETS['record'] * args.keys / 1e7:.0f} s "
        f"(60 s per 10 M)"
    )
    print(f"  window totals   {totals:8.2f} s   target < {TARGETS['totals']:.0f} s")
    print(f"  peak RSS        {rss_mb:8.0f} MB  target < {TARGETS['rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
