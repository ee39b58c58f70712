"""The executors (ldexport.executor) change where the work runs, never what is written:
in-process, two local worker processes and a Dask LocalCluster of two workers publish the
same bytes.  Dask distributed is required here (the extra `ldexport[dask]`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from distributed import Client, LocalCluster

from ldexport.dataset import publish_dataset
from ldexport.errors import LdexportError
from ldexport.executor import Failed, LocalExecutor, Prefetch, make_executor, to_convert
from ldexport.iris import Iris
from ldexport.manifest import MANIFEST_NAME, SourceDigests, read_manifest
from ldexport.publish import run_batch

CORPUS = Path(__file__).parent / "data" / "corpus"
#: Text sources of three layouts, one that does not conform (A/RES/80/3) and one that is
#: not a resolution at all; PDFs are left out to keep the test short.
INPUTS = [
    CORPUS / "A_RES_58_136.txt",
    CORPUS / "A_RES_80_10.md",
    CORPUS / "A_RES_80_3.md",
    CORPUS / "A_RES_80_7__raw-extract.txt",
    CORPUS / "S_RES_1590_2005.txt",
    CORPUS / "S_RES_1663_2006.txt",
    CORPUS / "SOURCES.md",
]
EPOCH = "1700000000"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def publish_with(executor: object, out: Path) -> dict[str, bytes]:
    iris = Iris()
    prefetch = Prefetch(executor, to_convert(INPUTS, out, iris.base), iris)
    result = publish_dataset(INPUTS, out, iris, convert=prefetch)
    assert len(result.manifest.documents) == 5
    assert any(o.problems for o in result.outcomes)  # A/RES/80/3 and SOURCES.md
    return tree(out)


@pytest.fixture(scope="module")
def in_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, bytes]]:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path_factory.mktemp("one") / "out"
    with LocalExecutor(1) as executor:
        yield publish_with(executor, out)
    mp.undo()


def test_two_local_workers_write_the_same_bytes(
    in_process: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    with LocalExecutor(2) as executor:
        got = publish_with(executor, tmp_path / "out")
    assert got.keys() == in_process.keys()
    assert [k for k in got if got[k] != in_process[k]] == []


def test_dask_local_cluster_writes_the_same_bytes(
    in_process: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        Client(cluster) as client,
        make_executor("dask", scheduler=client) as executor,
    ):
        got = publish_with(executor, tmp_path / "out")
    assert got.keys() == in_process.keys()
    assert [k for k in got if got[k] != in_process[k]] == []


def test_convert_with_workers_writes_the_same_bytes(tmp_path: Path) -> None:
    iris = Iris()
    outs = []
    for jobs in (1, 2):
        with LocalExecutor(jobs) as executor:
            out = tmp_path / f"j{jobs}"
            outcomes = run_batch(INPUTS, out, iris, convert=Prefetch(executor, INPUTS, iris))
        assert [o.path for o in outcomes] == [str(p) for p in INPUTS]
        outs.append((tree(out), [(o.problems, o.written) for o in outcomes]))
    assert outs[0] == outs[1]


def test_prefetch_converts_a_path_it_did_not_expect(tmp_path: Path) -> None:
    iris = Iris()
    with LocalExecutor(2) as executor:
        prefetch = Prefetch(executor, INPUTS[:2], iris)
        assert prefetch(INPUTS[4], iris)[0].resolution.symbol == "S/RES/1590(2005)"
        assert prefetch(INPUTS[1], iris)[0].resolution.symbol == "A/RES/80/10"  # skips [0]
        with pytest.raises(LdexportError):
            prefetch(INPUTS[6], iris)


def test_prefetch_sends_the_first_window_while_the_look_ahead_goes_on() -> None:
    """The look-ahead may be a lazy scan: what it finds first is converted while it goes on."""
    iris = Iris()
    log: list[tuple[str, Path]] = []

    class Logged:  # the real executor, each path logged as it is sent to a worker
        def __init__(self, executor: LocalExecutor) -> None:
            self.jobs = executor.jobs
            self._executor = executor

        def map(self, fn: object, items: Iterator[Path]) -> Iterator[object]:
            def sent() -> Iterator[Path]:
                for path in items:
                    log.append(("sent", path))
                    yield path

            return self._executor.map(fn, sent())  # type: ignore[arg-type]

    def scan() -> Iterator[Path]:
        for path in paths:
            log.append(("scanned", path))
            yield path

    paths = [*INPUTS[:6], *INPUTS[:6]]  # 12: more than the 8 two workers have in flight
    with LocalExecutor(2) as executor:
        prefetch = Prefetch(Logged(executor), scan(), iris)
        first_sent = [what for what, _ in log].index("sent")
        assert [what for what, _ in log[:first_sent]] == ["scanned"] * 8  # then sent at once
        assert [what for what, _ in log[first_sent : first_sent + 8]] == ["sent"] * 8
        assert log[-1] == ("scanned", paths[-1])  # the scan is finished when it returns
        symbols = [[c.resolution.symbol for c in prefetch(p, iris)] for p in paths]
    assert symbols[:6] == symbols[6:] and symbols[4] == ["S/RES/1590(2005)"]
    assert [p for what, p in log if what == "sent"] == paths


def test_unchanged_inputs_are_not_converted_again(
    in_process: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "out"
    with LocalExecutor(1) as executor:
        publish_with(executor, out)
    # the two inputs that failed are remembered with their problems (same bytes, same path)
    assert to_convert(INPUTS, out, Iris().base) == []
    previous = read_manifest(out)
    assert previous is not None
    digests = SourceDigests(previous, out / MANIFEST_NAME)
    # the manifest gave every sha256 (same path and stat): it need not be asked about them
    assert all(recorded for _, _, recorded in digests.ahead(INPUTS))
    moved = tmp_path / "A_RES_80_3.md"
    moved.write_bytes((CORPUS / "A_RES_80_3.md").read_bytes())
    assert to_convert([*INPUTS, moved], out, Iris().base) == [moved]


def test_the_main_process_of_a_publish_with_workers_loads_no_parser_nor_validator(
    tmp_path: Path,
) -> None:
    """What a worker sends back is read without the modules that made it (they took 0.5 s
    of the main process's start), and the CLI starts without them."""
    import subprocess
    import sys

    heavy = ("pyshacl", "ldexport.validate", "ldexport.parse.structure", "ldexport.mapping")
    script = (
        "import sys, atexit\n"
        f"atexit.register(lambda: print([m for m in {heavy!r} if m in sys.modules]))\n"
        "from ldexport.cli import main\n"
        "main()\n"
    )
    args = ["publish", "-q", "-j", "2", "-o", str(tmp_path / "out"), *map(str, INPUTS[1:3])]
    run = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    assert run.returncode == 1  # A/RES/80/3 does not conform: its lines came back
    assert "A/RES/80/3: " in run.stderr and run.stdout.strip() == "[]"
    assert (tmp_path / "out" / "A_RES_80_10.ttl").is_file()
    run = subprocess.run([sys.executable, "-c", script, "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip().endswith("[]")


def test_unknown_executor_and_missing_scheduler() -> None:
    with pytest.raises(LdexportError, match="unknown executor"):
        make_executor("spark")
    with pytest.raises(LdexportError, match="--scheduler"):
        make_executor("dask")


def test_a_worker_sends_back_bytes_and_a_summary_not_a_graph() -> None:
    import pickle

    from ldexport.convert import NO_GRAPH, convert_file
    from ldexport.executor import convert_and_render

    iris = Iris()
    items = convert_and_render(INPUTS[0], iris)
    assert not isinstance(items, Failed)
    (item,) = pickle.loads(pickle.dumps(items))
    assert item.graph is NO_GRAPH and item.resolution.parts == ()
    assert item.rendered is not None and item.dump is not None and item.file_info is not None
    assert item.triples == item.dump.triples > 0
    (full,) = convert_file(INPUTS[0], iris)
    assert item.triples == len(full.graph)
    # a Converted with its graph still travels whole
    assert len(pickle.loads(pickle.dumps(full)).graph) == len(full.graph)


def test_a_worker_that_sees_the_output_spools_what_it_made_itself(tmp_path: Path) -> None:
    """Given the output's spool folder, a worker writes the files and the dump pieces there
    and sends back where they are: the same bytes as those it would have sent."""
    import pickle

    from ldexport.dataset import DocumentDump, SpooledDump, _unspool, stats_of, terms_bytes
    from ldexport.executor import convert_and_render

    iris = Iris()
    sent = convert_and_render(INPUTS[0], iris)
    spooled = convert_and_render(INPUTS[0], iris, spool=tmp_path)
    assert not isinstance(sent, Failed) and not isinstance(spooled, Failed)
    ((item,), (spooled_item,)) = sent, spooled
    dump, where = item.dump, spooled_item.dump
    assert isinstance(dump, DocumentDump) and isinstance(where, SpooledDump)
    assert (where.graph, where.triples) == (dump.graph, dump.triples)
    assert item.rendered is not None and spooled_item.rendered is None
    assert spooled_item.spooled is not None and spooled_item.spooled.keys() == item.rendered.keys()
    for name, data in item.rendered.items():
        assert (tmp_path / spooled_item.spooled[name]).read_bytes() == data
    assert spooled_item.file_info == item.file_info
    with (tmp_path / where.file).open("rb") as spool:
        plain, gz, stats = _unspool(spool, where.at)
    assert (plain, gz, stats) == (dump.plain, dump.gz, stats_of(terms_bytes(dump.terms)))
    assert len(pickle.dumps(spooled)) < 10_000 < len(pickle.dumps(sent)) / 10


def test_a_publish_with_workers_receives_no_files_nor_dump_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every dump comes back spooled, the files are moved into place, and the spool is gone
    from the published output."""
    from ldexport.dataset import DatasetWriter, SpooledDump
    from ldexport.manifest import FileInfo

    received: list[object] = []
    spool_dump = DatasetWriter._spool_dump

    def spy(self: DatasetWriter, name: str, dump: object) -> None:
        received.append(dump)
        spool_dump(self, name, dump)  # type: ignore[arg-type]

    monkeypatch.setattr(DatasetWriter, "_spool_dump", spy)
    with LocalExecutor(2) as executor:
        result = publish_dataset(INPUTS, tmp_path / "out", Iris(), executor=executor)
    assert len(received) == len(result.manifest.documents) == 5
    assert all(isinstance(dump, SpooledDump) for dump in received)
    assert not (tmp_path / "out" / ".ldexport" / "spool").exists()
    for entry in result.manifest.documents.values():
        for name in entry.files:
            assert FileInfo.of(tmp_path / "out" / name) == result.manifest.files[name]


def test_a_text_document_leaves_no_cyclic_garbage() -> None:
    """What `init_worker` counts on to collect rarely: converting and rendering a text
    document makes no reference cycle, so all it leaves is freed when dropped (in a process
    of its own, where nothing else runs)."""
    import subprocess
    import sys

    texts = [str(p) for p in INPUTS if p.suffix in (".txt", ".md") and p.name != "SOURCES.md"]
    script = f"""
import gc
from ldexport.executor import convert_and_render
from ldexport.iris import Iris
iris = Iris()
paths = {texts!r}
convert_and_render(paths[0], iris)  # the caches filled, the lazy imports done
gc.collect()
gc.disable()
gc.set_debug(gc.DEBUG_SAVEALL)
for path in paths:
    convert_and_render(path, iris)
gc.collect()
print(len(gc.garbage), sorted({{type(o).__name__ for o in gc.garbage}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert len(texts) == 6 and done.stdout.split() == ["0", "[]"], done.stdout


def test_a_republish_with_workers_links_the_unchanged_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files of unchanged documents are hard-linked by the workers (`reuse_later`), a
    few names at a time here: the same bytes as in-process, the same inodes as before."""
    from ldexport.manifest import Staging

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(Staging, "_LINK_BATCH", 2)
    sources = tmp_path / "in"
    sources.mkdir()
    inputs = [sources / p.name for p in INPUTS]
    for src, dst in zip(INPUTS, inputs, strict=True):
        dst.write_bytes(src.read_bytes())
    iris = Iris()
    outs = {}
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}"
        with LocalExecutor(jobs) as executor:
            publish_dataset(inputs, out, iris, executor=executor)
        before = (out / "S_RES_1590_2005.ttl").stat().st_ino
        changed = sources / "A_RES_80_10.md"
        original = changed.read_bytes()
        changed.write_bytes(original + b"\n")
        with LocalExecutor(jobs) as executor:
            result = publish_dataset(inputs, out, iris, executor=executor)
        changed.write_bytes(original)
        assert len(result.unchanged) == 4 and (out / "S_RES_1590_2005.ttl").stat().st_ino == before
        outs[jobs] = tree(out)
    for stats in ("manifest.json", ".ldexport/manifest.sqlite"):  # the sources' mtimes differ
        del outs[1][stats], outs[2][stats]
    assert outs[1] == outs[2]


def test_a_slow_document_at_the_head_does_not_stop_the_other_workers() -> None:
    """Results come in input order, but while the main process waits for a slow first one
    (a PDF of several seconds), the other workers go on with the documents after it: here
    the first item is released only once 40 others are done, five times the window."""
    from concurrent.futures import ThreadPoolExecutor

    from ldexport.executor import _ordered

    done_after_head: list[int] = []
    released = threading.Event()

    def work(item: int) -> str:
        if item == 0:
            return "released" if released.wait(timeout=20) else "blocked"
        done_after_head.append(item)
        if len(done_after_head) == 40:
            released.set()
        return f"item {item}"

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(_ordered(partial(pool.submit, work), range(100), window=8, ahead=64))
    assert results == ["released"] + [f"item {i}" for i in range(1, 100)]


def test_results_waiting_to_be_asked_for_are_bounded() -> None:
    """While the first item is held, the workers run ahead up to `ahead` items and no
    further: the first is released when the other 31 of 32 are done, and no item is ever
    sent while `ahead` results wait to be asked for."""
    from concurrent.futures import ThreadPoolExecutor

    from ldexport.executor import _ordered

    submitted: list[int] = []
    yielded = 0
    others_done = threading.Semaphore(0)

    def work(item: int) -> str:
        if item == 0:
            got_all = all(others_done.acquire(timeout=10) for _ in range(31))
            return "released" if got_all else "blocked"
        if item < 32:
            others_done.release()
        return f"item {item}"

    with ThreadPoolExecutor(max_workers=2) as pool:

        def submit(item: int) -> object:
            # never more than `ahead` waiting, besides the one being handed over
            assert len(submitted) <= yielded + 32
            submitted.append(item)
            return pool.submit(work, item)

        for i, got in enumerate(_ordered(submit, range(1000), window=8, ahead=32)):
            assert got == ("released" if i == 0 else f"item {i}")
            yielded += 1
    assert submitted == list(range(1000))


def _reads_pdfs_in_a_child(_: object) -> bool:
    from ldexport.sources import pdf

    return pdf.ISOLATE


def test_the_workers_read_pdfs_in_a_child_process() -> None:
    """`init_worker` sets it, so that a worker's memory does not grow with each PDF it
    reads (tests/sources/test_sources_pdf.py); this process reads them itself."""
    from ldexport.sources import pdf

    with LocalExecutor(2) as executor:
        assert list(executor.map(_reads_pdfs_in_a_child, range(4))) == [True] * 4
    assert pdf.ISOLATE is False


def test_the_shard_jobs_go_out_a_few_at_a_time(
    in_process: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one shard job ahead, a shard's job is handed out only once all but one of those
    before it are recorded (the main process holds two shards' members at most), and the
    shards are recorded in order: the same bytes."""
    from ldexport import dataset

    events: list[tuple[str, str]] = []
    shard, shard_done = dataset.DatasetWriter._shard, dataset.DatasetWriter._shard_done

    def handed_out(self: dataset.DatasetWriter, name: str, *args: Any) -> Any:
        events.append(("out", name))
        return shard(self, name, *args)

    def recorded(self: dataset.DatasetWriter, name: str, job: Any) -> None:
        events.append(("recorded", name))
        shard_done(self, name, job)

    monkeypatch.setattr(dataset.DatasetWriter, "_shard", handed_out)
    monkeypatch.setattr(dataset.DatasetWriter, "_shard_done", recorded)
    monkeypatch.setattr(dataset, "SHARD_JOBS_AHEAD", 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    with LocalExecutor(2) as executor:
        got = publish_with(executor, tmp_path / "out")
    out = [name for kind, name in events if kind == "out"]
    assert len(out) >= 3 and out == sorted(out)
    assert [name for kind, name in events if kind == "recorded"] == out
    for i, event in enumerate(events):
        if event[0] == "out":
            waiting = sum(1 if kind == "out" else -1 for kind, _ in events[:i])
            assert waiting <= 1, events
    assert got.keys() == in_process.keys()
    assert [k for k in got if got[k] != in_process[k]] == []
