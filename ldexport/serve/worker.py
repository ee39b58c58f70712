"""A SPARQL query worker: one process, one read-only Oxigraph store, one query at a time.

`ldexport serve` starts a few of these (`python -m ldexport.serve.worker STORE CONFIG`) and
talks to each over its stdin and stdout with length-prefixed frames (`read_frame`,
`write_frame`): a job in JSON, answered by a header in JSON and a body.  A query that runs
past the time limit cannot be stopped inside pyoxigraph, and a thread cannot be killed, so
the server kills the whole worker and starts another: that is what the process is for.

At start the worker caps its own address space (`memory_mb`, so a query that would exhaust
the machine's memory kills only this process) and, where the kernel lets it, moves into a
network namespace of its own with no interface but loopback down: even if a query reached
pyoxigraph's SERVICE client (the server refuses SERVICE before that), it could call nobody.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import struct
import sys
from typing import Any, BinaryIO

import pyoxigraph as ox

from ldexport.serve import results

_LENGTH = struct.Struct(">I")
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1


def write_frame(out: BinaryIO, data: bytes) -> None:
    out.write(_LENGTH.pack(len(data)))
    out.write(data)
    out.flush()


def read_frame(inp: BinaryIO) -> bytes | None:
    """The next frame, or None at the end of the stream."""
    head = inp.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    data = inp.read(size)
    return data if len(data) == size else None


def isolate_network() -> bool:
    """Move this process into an empty network namespace; False where that is not allowed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    flags = (CLONE_NEWNET,) if os.geteuid() == 0 else ()
    return any(libc.unshare(flag) == 0 for flag in (*flags, CLONE_NEWUSER | CLONE_NEWNET))


def die_with_parent() -> None:
    """Ask the kernel to kill this worker when the server dies (Linux), so a query that
    never ends cannot outlive it; a worker that is idle also ends at the end of its input."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the server died before the call above
        os._exit(0)


def limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        size = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (size, size))


def run(
    store: ox.Store, job: dict[str, Any], prefixes: dict[str, str]
) -> tuple[dict[str, Any], bytes]:
    """Run one job; the header says the status, the media type and whether it was cut."""
    kwargs: dict[str, Any] = {}
    try:
        if job.get("default_graphs"):
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
        elif job.get("named_graphs"):
            kwargs["default_graph"] = ox.DefaultGraph()  # the protocol: empty unless given
        else:
            kwargs["use_default_graph_as_union"] = True
        if job.get("named_graphs"):
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    except ValueError as exc:
        return {"status": 400, "message": f"a graph IRI is not valid: {exc}"}, b""
    budget = results.Budget(int(job["max_rows"]), int(job["max_bytes"]))
    try:
        answer = store.query(job["query"], base_iri=job.get("base_iri"), **kwargs)
        if isinstance(answer, ox.QueryTriples):
            fmt = job.get("graph_format")
            if fmt is None:
                return {"status": 406, "offers": sorted(results.GRAPH_TYPES)}, b""
            triples: list[ox.Triple] = []
            for triple in answer:
                if not budget.take(1):
                    break
                triples.append(triple)
            body = results.graph(fmt, triples, prefixes)
        else:
            fmt = job.get("solutions_format")
            if fmt is None:
                return {"status": 406, "offers": sorted(results.SOLUTION_TYPES)}, b""
            if isinstance(answer, ox.QueryBoolean):
                body = results.boolean(fmt, bool(answer))
            else:
                variables = [v.value for v in answer.variables]
                rows = ([solution[v] for v in variables] for solution in answer)
                body = results.solutions(fmt, variables, rows, budget)
    except SyntaxError as exc:
        return {"status": 400, "message": f"the query does not parse: {exc}"}, b""
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return {"status": 500, "message": f"the query failed: {exc}"}, b""
    header = {
        "status": 200,
        "media_type": results.MEDIA[fmt],
        "rows": budget.rows,
        "truncated": budget.truncated,
    }
    return header, body


def main(argv: list[str]) -> int:
    store_path, config_text = argv
    config = json.loads(config_text)
    # The frames go to the real stdout; anything else written to fd 1 (a library's print, a
    # Rust panic message) goes to stderr instead of corrupting them.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    die_with_parent()
    limit_memory(int(config.get("memory_mb", 0)))
    isolated = isolate_network() if config.get("isolate_network", True) else False
    prefixes: dict[str, str] = config.get("prefixes", {})
    store = ox.Store.read_only(store_path)
    write_frame(out, json.dumps({"ready": True, "isolated": isolated, "pid": os.getpid()}).encode())
    while True:
        frame = read_frame(inp)
        if frame is None:
            return 0
        header, body = run(store, json.loads(frame), prefixes)
        write_frame(out, json.dumps(header).encode())
        write_frame(out, body)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
