"""The recipe of docs/dask.md on a local Dask cluster (two worker processes on loopback): the same results as `run`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_cli import cli
from test_jobs import batch, results, store_rows

pytestmark = pytest.mark.slow


def _extract(job: tuple[str, str], out: str) -> str:
    from extractor.work import extract_to_folder

    path, name = job
    return extract_to_folder(path, out, name=name)


def _map_on_a_cluster(src: Path, out: Path) -> list[str]:
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    from extractor.discover import discover

    found = discover([src])  # as docs/dask.md does it (with recursive=True there)
    jobs = [(str(path), found.names[path]) for path in found.files]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        assert all(addr.startswith("tcp://127.0.0.1:") for addr in client.scheduler_info()["workers"])
        return db.from_sequence(jobs, npartitions=4).map(_extract, out=str(out)).compute()


def test_a_dask_bag_over_file_paths_then_review_sync_gives_what_run_gives(tmp_path):
    src = batch(tmp_path)  # the corpus twice and an empty file
    lines = _map_on_a_cluster(src, tmp_path / "cluster")
    assert sum(line.startswith("error:") for line in lines) == 1 and any("empty.txt: empty file" in l for l in lines)
    synced = cli("review", "sync", tmp_path / "cluster")
    ran = cli("run", src, "--out", tmp_path / "run", "--jobs", "1", check=False)
    # The same summary, but for the file the workers could not read (`run` counts it, `sync` never saw it).
    summary = synced.stderr.splitlines()[-1].replace(" in the store", "")
    assert ran.stderr.splitlines()[-3] == summary + "; 1 file(s) failed"
    assert results(tmp_path / "cluster") == results(tmp_path / "run")
    assert store_rows(tmp_path / "cluster") == store_rows(tmp_path / "run")


def test_review_sync_applies_the_decisions_in_force(tmp_path):
    import json

    src = batch(tmp_path)
    ran = tmp_path / "run"
    cli("run", src, "--out", ran, check=False)
    flags = json.loads(cli("review", "list", "--db", ran, "--json").stdout)
    cost = next(f for f in flags if f["check"] == "card.cost")
    cli("review", "fix", cost["id"], "--field", "2", "--value", "9.99", "--db", ran, "--reviewer", "ann")
    # The cluster writes fresh results beside a copy of the store; sync applies the decision.
    cluster = tmp_path / "cluster"
    cluster.mkdir()
    shutil.copy(ran / "review.sqlite", cluster / "review.sqlite")
    _map_on_a_cluster(src, cluster)
    cli("review", "sync", cluster)
    cli("run", src, "--out", ran, check=False)  # the same decisions, re-applied by `run`
    assert results(cluster) == results(ran)
    assert store_rows(cluster) == store_rows(ran)
    fixed = json.loads((cluster / f"{cost['document']}.json").read_text(encoding="utf-8"))
    assert [c["path"] for c in fixed["corrections"]] == [cost["fields"][1]["key"]]
