"""Where the per-document work runs: in this process, on local worker processes, or on a
Dask cluster.

Converting one document (parse, map, validate, render its files) is a pure function of its
source bytes, so a batch maps `convert_and_render` over the inputs.  Every executor yields
the results **in input order** and keeps only a bounded window of documents in flight, so
the output stays byte-identical whatever runs the work and memory stays flat however many
inputs there are; the dataset writer consumes the stream in the main process.

    with make_executor("local", jobs=2) as executor:
        prefetch = Prefetch(executor, to_convert, iris)
        publish_dataset(inputs, out, iris, convert=prefetch)

`--executor dask --scheduler tcp://host:8786` runs the same work on a Dask distributed
cluster (the optional extra `ldexport[dask]`).
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from ldexport.convert import Converted, convert_file
from ldexport.errors import LdexportError
from ldexport.iris import Iris

#: The names `make_executor` knows.
EXECUTORS = ("local", "dask")


class Failed:
    """An LdexportError raised in a worker, carried back as its message (exceptions with
    several constructor arguments do not always survive pickling)."""

    def __init__(self, message: str) -> None:
        self.message = message


def convert_and_render(path: Path, iris: Iris) -> list[Converted] | Failed:
    """`convert_file`, plus the per-document files of every conforming document, rendered
    here so that the main process only writes bytes."""
    from ldexport.publish import render_document

    try:
        items = convert_file(path, iris)
    except LdexportError as exc:
        return Failed(str(exc))
    out = []
    for item in items:
        if item.report.conforms:
            try:
                item = replace(item, rendered=render_document(item, iris))
            except LdexportError as exc:
                item = replace(item, render_error=str(exc))
        out.append(item)
    return out


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


def _ordered(submit: Callable[[Any], Any], items: Iterable[Any], window: int) -> Iterator[Any]:
    """Submit items ahead up to `window` and yield their results in input order."""
    pending: deque[Any] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class LocalExecutor(_Base):
    """`jobs` worker processes on this machine; with one job, the work runs in-process."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        if self.jobs == 1:
            return map(fn, items)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs)
        pool = self._pool

        def submit(item: Any) -> Future[Any]:
            return pool.submit(fn, item)

        return _ordered(submit, items, window=4 * self.jobs)

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

        return _ordered(submit, items, window=4 * self.jobs)

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
    skipped over are dropped."""

    def __init__(self, executor: Any, paths: Sequence[Path], iris: Iris) -> None:
        self._paths: deque[Path] = deque(paths)
        self._left = Counter(paths)
        self._results = executor.map(partial(convert_and_render, iris=iris), self._paths.copy())

    def __call__(self, path: Path, iris: Iris) -> list[Converted]:
        result: list[Converted] | Failed | None = None
        if self._left[path] > 0:
            while self._paths:
                expected = self._paths.popleft()
                self._left[expected] -= 1
                got = next(self._results)
                if expected == path:
                    result = got
                    break
        if result is None:
            result = convert_and_render(path, iris)
        if isinstance(result, Failed):
            raise LdexportError(result.message)
        return result


def to_convert(inputs: Sequence[Path], out_dir: Path, base_iri: str) -> list[Path]:
    """The inputs `publish` will convert: those whose bytes the previous output (its
    manifest) does not already hold.  A guess that only decides what is computed ahead."""
    from ldexport.manifest import fingerprint, read_manifest, sha256_file

    previous = read_manifest(out_dir)
    if previous is None or previous.fingerprint != fingerprint(base_iri):
        return list(inputs)
    known = previous.by_source()
    out = []
    for path in inputs:
        try:
            if sha256_file(path) in known:
                continue
        except OSError:
            continue
        out.append(path)
    return out
