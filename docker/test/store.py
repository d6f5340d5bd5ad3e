#!/usr/bin/env python3
"""Reads a sweep store (sweep.sqlite) from the host, read-only, for docker/test/container-test.sh.

  store.py query STORE SQL             prints the rows, tab-separated
  store.py all-done-once STORE COUNT   exits 1 unless the store holds COUNT trials, each done, with exactly one result
  store.py first-dispatch STORE        the time the first trial was handed to a worker (seconds since the epoch)
"""
import datetime
import os
import sqlite3
import sys


def connect(path):
    if not os.path.isfile(path):
        sys.exit(f"store.py: no store at {path}")
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)


def main(arguments):
    if len(arguments) < 2:
        sys.exit(__doc__)
    command, path = arguments[0], arguments[1]
    if command == "query" and len(arguments) == 3:
        for row in connect(path).execute(arguments[2]):
            print("\t".join("" if value is None else str(value) for value in row))
    elif command == "all-done-once" and len(arguments) == 3:
        expected = int(arguments[2])
        database = connect(path)
        trials = database.execute("SELECT id, state, attempt, worker FROM trial WHERE in_current_spec").fetchall()
        results = dict(database.execute("SELECT trial_id, COUNT(*) FROM result GROUP BY trial_id").fetchall())
        problems = []
        if len(trials) != expected:
            problems.append(f"{len(trials)} trials, expected {expected}")
        for trial_id, state, attempt, worker in trials:
            if state != "done":
                problems.append(f"trial {trial_id} is {state} (worker {worker}, attempt {attempt})")
            if results.get(trial_id, 0) != 1:
                problems.append(f"trial {trial_id} has {results.get(trial_id, 0)} results")
        orphans = set(results) - {trial[0] for trial in trials}
        if orphans:
            problems.append(f"results for unknown trials: {sorted(orphans)}")
        if problems:
            sys.exit(f"store.py: {path}: " + "; ".join(problems))
        attempts = ", ".join(f"{worker}×{attempt}" for _, _, attempt, worker in trials)
        print(f"store.py: {len(trials)} trials, every one done with exactly one result (worker×attempts: {attempts})")
    elif command == "first-dispatch" and len(arguments) == 2:
        row = connect(path).execute("SELECT MIN(started_at) FROM trial").fetchone()
        if row[0] is None:
            sys.exit(f"store.py: {path}: no trial was started")
        started = datetime.datetime.fromisoformat(row[0]).replace(tzinfo=datetime.timezone.utc)
        print(f"{started.timestamp():.3f}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
