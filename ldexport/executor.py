"""Where the per-document work runs: in this process, on local worker processes, or on a
Dask cluster.

Converting one document (parse, map, validate, render its files) is a pure function of its
source bytes and file name, so a batch maps `convert_and_render` over the inputs.  Every
executor yields the results **in input order** and keeps only a bounded window of documents
in flight, so the output stays byte-identical whatever runs the work and memory stays flat
however many inputs there are; the dataset writer consumes the stream in the main process.

    with make_executor("local", jobs=2) as executor:
        prefetch = Prefetch(executor, to_convert, iris)
        publish_dataset(inputs, out, iris, convert=prefetch)

`--executor dask --scheduler tcp://host:8786` runs the same work on a Dask distributed
cluster (the optional extra `ldexport[dask]`).
"""

from __future__ import annotations

import gc
import os
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from itertools import chain, islice
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from ldexport.errors import LdexportError
from ldexport.iris import Iris
from ldexport.model import Resolution
from ldexport.sources import pdf
from ldexport.symbols import file_name

if TYPE_CHECKING:
    from ldexport.convert import Converted
    from ldexport.manifest import Manifest, SourceDigests

#: The names `make_executor` knows.
EXECUTORS = ("local", "dask")

#: Documents in flight per worker: submitted ahead of the one the main process waits for.
IN_FLIGHT = 4
#: Results that may wait to be asked for, while the main process waits for an earlier one,
#: so that the other workers go on past a slow document (about 2.3 KiB each when the
#: workers spool what they make, 360 KiB when they send it: 46 MB).
AHEAD = 128


class Failed:
    """An LdexportError raised in a worker, carried back as its message (exceptions with
    several constructor arguments do not always survive pickling)."""

    def __init__(self, message: str) -> None:
        self.message = message


def summary(res: Resolution) -> Resolution:
    """A resolution without its text (parts, footnotes, citations): what the main process
    needs of it once its files are rendered (symbol, session, dates, source, warnings)."""
    return replace(res, parts=(), footnotes=(), citations=())


def render_and_dump(item: Converted, iris: Iris) -> Converted:
    """A conforming document as the main process needs it: its files rendered (with their
    size and sha256), its named graph encoded for the dumps (`dump_pieces`, from the same
    serialised triples as its files), its triples counted; no graph, a `summary` of
    the model.  A document that does not conform keeps only its summary and report.  Raises
    nothing: a rendering error is carried in `render_error`."""
    from ldexport.convert import NO_GRAPH, Converted
    from ldexport.dataset import document_dump, dump_pieces
    from ldexport.manifest import FileInfo
    from ldexport.publish import render_document
    from ldexport.serialize import Serialized

    res = summary(item.resolution)
    if not item.report.conforms:
        return Converted(res, NO_GRAPH, item.report)
    graph = iris.graph(res.symbol)
    try:
        if item.rendered is not None:
            rendered = item.rendered
            dump = document_dump(rendered[f"{file_name(res.symbol)}.ttl"], graph)
        else:
            rdf = Serialized.of(item.content)
            rendered = render_document(item, iris, rdf)
            dump = dump_pieces(graph, rdf)
    except LdexportError as exc:
        return Converted(res, NO_GRAPH, item.report, render_error=str(exc))
    if item.render_error is not None:
        return Converted(res, NO_GRAPH, item.report, render_error=item.render_error)
    return Converted(
        res,
        NO_GRAPH,
        item.report,
        rendered=rendered,
        triples=item.triple_count,
        file_info={name: FileInfo.of_bytes(data) for name, data in rendered.items()},
        dump=dump,
    )


#: In a worker process (`init_worker`), the numbers of inputs converted after which the
#: worker freezes what it holds (`gc.freeze`); empty elsewhere.
_freeze_after: list[int] = []
_converted = 0


def init_worker() -> None:
    """Set up a worker process of `LocalExecutor` for the cyclic garbage collector, which
    took about a tenth of a worker's CPU time (2.0-2.5 ms per document at 2,500 documents):
    after its first input, and again after 200 and 2,000 once its caches have grown,
    `convert_and_render` freezes the objects the worker keeps (modules, compiled shapes and
    schemas, the thesaurus, the IRI caches), so that full collections no longer walk them.
    A text document leaves no cyclic garbage, so the youngest generation is collected once
    100,000 more objects are alive than at the last collection (Python's default is 700):
    a collection walks what is alive, and at 10,000 one fell in the middle of most
    documents, 0.2-0.5 ms a document; now 0.04 ms, a collection every few hundred text
    documents.  Frozen objects are still freed when their last reference goes.

    A worker reads each PDF in a child process of its own (`ldexport.sources.pdf.ISOLATE`):
    the memory pdfminer leaves behind, and its 120,000-340,000 objects of cyclic garbage a
    PDF, go with the child."""
    _freeze_after[:] = [1, 200, 2000]
    gc.set_threshold(100_000, 10, 10)
    pdf.ISOLATE = True


def convert_and_render(
    path: Path, iris: Iris, spool: Path | None = None
) -> list[Converted] | Failed:
    """`convert_file`, then `render_and_dump` of every document: what travels back from a
    worker is the rendered files (bytes), the dump pieces (bytes), the report and a summary
    of the model, never a graph, so that the main process only writes bytes.  Given the
    `spool` folder of the output being written (a worker that sees its file system), the
    worker writes the files and the dump pieces there itself and sends back where they are
    (`ldexport.dataset.spool_files`, `ldexport.dataset.spool_dump`)."""
    from ldexport.convert import convert_file

    global _converted
    try:
        items = [render_and_dump(item, iris) for item in convert_file(path, iris)]
        return items if spool is None else [_spooled(item, spool) for item in items]
    except LdexportError as exc:
        return Failed(str(exc))
    finally:
        _converted += 1
        if _freeze_after and _converted == _freeze_after[0]:
            del _freeze_after[0]
            gc.collect()
            gc.freeze()


def _spooled(item: Converted, folder: Path) -> Converted:
    from ldexport.dataset import DocumentDump, spool_dump, spool_files

    if not isinstance(item.dump, DocumentDump) or item.rendered is None:
        return item
    return replace(
        item,
        rendered=None,
        spooled=spool_files(folder, item.rendered),
        dump=spool_dump(folder, item.dump),
    )


class Executor(Protocol):
    """Maps a picklable function over items; results in input order, a bounded window."""

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class _Base:
    def close(self) -> None:
        pass

    def __enter__(self) -> Any:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _Ordered:
    """Submit items ahead and yield their results in input order.  Up to `window` items are
    being worked on at any time, whichever order they finish in, and up to `ahead` results
    wait to be asked for: a slow item at the head of the line (a PDF of several seconds)
    does not leave the other workers idle once they are done with the rest of the window
    (a window counted from the head left one of two workers idle for 6 s of a 140 s
    publish).  The first window is submitted at once (not at the first `next`), so that the
    workers start while the main process carries over unchanged documents."""

    def __init__(
        self, submit: Callable[[Any], Any], items: Iterable[Any], window: int, ahead: int
    ) -> None:
        self._submit = submit
        self._items = iter(items)
        self._pending: deque[Any] = deque()
        self._window = window
        self._ahead = max(ahead, window)
        self._running = 0  # submitted and not done; done callbacks count down (any thread)
        self._exhausted = False
        self._changed = threading.Condition()
        self._fill(limit=window)  # no further: `Prefetch` adds to the items after this

    def _done(self, _future: Any) -> None:
        with self._changed:
            self._running -= 1
            self._changed.notify()

    def _can_submit(self) -> bool:
        return (
            not self._exhausted
            and self._running < self._window
            and len(self._pending) < self._ahead
        )

    def _fill(self, limit: int | None = None) -> None:
        submitted = 0
        while limit is None or submitted < limit:
            submitted += 1
            with self._changed:
                if not self._can_submit():
                    return
                self._running += 1
            try:
                item = next(self._items, _END)
                future = None if item is _END else self._submit(item)
            except BaseException:
                with self._changed:
                    self._running -= 1
                raise
            if future is None:
                with self._changed:
                    self._running -= 1
                    self._exhausted = True
                return
            self._pending.append(future)
            future.add_done_callback(self._done)  # called at once when done already

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        if not self._pending:
            raise StopIteration
        head = self._pending[0]
        while True:
            self._fill()
            with self._changed:
                if head.done():
                    break
                # until the head is done, or another item is and a worker can take one more
                self._changed.wait_for(lambda: head.done() or self._can_submit())
        self._pending.popleft()
        self._fill()
        return head.result()


_END = object()


def _later(items: list[Any]) -> Iterator[Any]:
    """The items of a list, read when the first one is asked for (not when made)."""
    yield from items


def _ordered(
    submit: Callable[[Any], Any], items: Iterable[Any], window: int, ahead: int = AHEAD
) -> Iterator[Any]:
    return _Ordered(submit, items, window, ahead)


class LocalExecutor(_Base):
    """`jobs` worker processes on this machine; with one job, the work runs in-process."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        if self.jobs == 1:
            return map(fn, items)
        pool = self._processes()

        def submit(item: Any) -> Future[Any]:
            return pool.submit(fn, item)

        return _ordered(submit, items, window=IN_FLIGHT * self.jobs)

    def __enter__(self) -> LocalExecutor:
        """Start the worker processes now, while this process is small: a worker is a fork
        of it, and one started after a publish has read a manifest of 25,000 documents would
        carry a copy of its pages (300 MiB more a worker, by RSS)."""
        if self.jobs > 1:
            pool = self._processes()
            for _ in range(self.jobs):
                pool.submit(os.getpid)
        return self

    def _processes(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=init_worker)
        return self._pool

    def background(self) -> ProcessPoolExecutor | None:
        """The worker processes, for jobs that read and write this machine's files (the
        dataset's shards and the like, once the documents are converted); None with one job."""
        return self._processes() if self.jobs > 1 else None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class DaskExecutor(_Base):
    """The work on a Dask distributed cluster: `scheduler` is its address
    ("tcp://host:8786") or a `distributed.Client` already connected."""

    def __init__(self, scheduler: Any) -> None:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise LdexportError(
                "--executor dask needs Dask distributed: pip install 'ldexport[dask]'"
            ) from exc
        self._own = not isinstance(scheduler, Client)
        self.client = Client(scheduler) if self._own else scheduler  # type: ignore[no-untyped-call]
        workers = self.client.scheduler_info().get("workers", {})
        self.jobs = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        client = self.client

        def submit(item: Any) -> Any:
            return client.submit(fn, item, pure=False)

        return _ordered(submit, items, window=IN_FLIGHT * self.jobs)

    def close(self) -> None:
        if self._own:
            self.client.close()


def make_executor(name: str = "local", jobs: int | None = None, scheduler: Any = None) -> Any:
    """`local` (worker processes, `jobs` of them; default the number of cores) or `dask`
    (the cluster at `scheduler`)."""
    if name == "local":
        return LocalExecutor(jobs)
    if name == "dask":
        if scheduler is None:
            raise LdexportError("--executor dask needs --scheduler ADDRESS")
        return DaskExecutor(scheduler)
    raise LdexportError(f"unknown executor {name!r} (known: {', '.join(EXECUTORS)})")


class Prefetch:
    """A `convert` function for `run_batch` and `publish_dataset` that hands back results
    the executor computed ahead, in the order of `paths` (the inputs expected to need
    converting).  A path asked for that was not expected is converted here; expected paths
    skipped over are dropped.

    `paths` may be the look-ahead itself, a lazy scan of the inputs (`unknown_sources`): the
    first window of paths is sent to the executor as soon as the scan finds them, and the
    scan goes on while they are converted (a re-publish of 25,000 inputs waited 1 s for
    its first changed document after a scan of 1.2 s).  The scan is finished here.

    `spool`: the spool folder of the output being written, when the executor's workers see
    this file system (`convert_and_render`)."""

    def __init__(
        self, executor: Any, paths: Iterable[Path], iris: Iris, spool: Path | None = None
    ) -> None:
        from ldexport.publish import texts_of

        scan = iter(texts_of(paths))  # held as text: all of them, on a first publish
        head = list(islice(scan, IN_FLIGHT * getattr(executor, "jobs", 1)))
        rest: list[str] = []
        fn = partial(convert_and_render, iris=iris, spool=spool)
        self._results = executor.map(fn, map(Path, chain(head, _later(rest))))  # sends `head`
        rest.extend(scan)  # `_later` is read only after this: the window is full
        self._paths: deque[str] = deque(chain(head, rest))
        self._left = Counter(self._paths)

    def __call__(self, path: Path, iris: Iris) -> list[Converted]:
        result: list[Converted] | Failed | None = None
        wanted = str(path)
        if wanted in self._left:
            while self._paths:
                expected = self._paths.popleft()
                self._left[expected] -= 1
                if not self._left[expected]:
                    del self._left[expected]
                got = next(self._results)
                if expected == wanted:
                    result = got
                    break
        if result is None:
            result = convert_and_render(path, iris)
        if isinstance(result, Failed):
            raise LdexportError(result.message)
        return result


def to_convert(inputs: Sequence[Path], out_dir: Path, base_iri: str) -> list[Path]:
    """The inputs `publish` will convert: those whose bytes the previous output (its
    manifest) does not already hold, or remember as failed at the same path.  A guess that
    only decides what is computed ahead."""
    from ldexport.manifest import MANIFEST_NAME, SourceDigests, fingerprint, read_manifest

    previous = read_manifest(out_dir)
    if previous is None or previous.fingerprint != fingerprint(base_iri):
        return list(inputs)
    return list(unknown_sources(inputs, previous, SourceDigests(previous, out_dir / MANIFEST_NAME)))


def unknown_sources(
    inputs: Iterable[Path], previous: Manifest, digests: SourceDigests
) -> Iterator[Path]:
    """`to_convert` against a manifest already read, as a lazy scan (`digests`: a
    `SourceDigests` of it, which keeps the answers for the publish that follows; the
    manifest is asked only about the sources whose sha256 it did not give)."""
    return (
        path
        for path, digest, recorded in digests.ahead(inputs)
        if digest is not None and not recorded and not previous.knows(digest, path)
    )
