"""The Oxigraph store `ldexport serve` answers SPARQL and describes resources from.

Built once at start, on disk, from the published folder: the shards' N-Quads dumps (one
named graph per resolution), the provenance into `B graph/provenance`, the catalogue into
`B graph/catalog` and the UNBIS thesaurus into `B graph/unbis`, as `ldexport load` lays them
out.  Query
workers open it read-only, each in its own process; the server's own handle is read-only too.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from ldexport.dataset import SHARDS
from ldexport.manifest import Manifest


def build_store(out_dir: Path, manifest: Manifest, base_iri: str, target: Path) -> int:
    """Load the dataset of `out_dir` into a new store in `target`; the number of quads.

    The shards' N-Quads dumps are used when they are all there; otherwise each document's
    Turtle goes into its named graph (the dumps are optional for serving)."""
    store = ox.Store(str(target))
    shards = [out_dir / SHARDS / f"{shard}.nq" for shard in sorted(manifest.shards)]
    if shards and all(path.is_file() for path in shards):
        for path in shards:
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    else:
        for entry in manifest.documents.values():
            ttl = out_dir / f"{entry.name}.ttl"
            if ttl.is_file():
                store.bulk_load(
                    path=str(ttl), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(entry.graph)
                )
    for name, graph in (
        ("provenance.ttl", "provenance"),
        ("catalog.ttl", "catalog"),
        ("unbis.ttl", "unbis"),
    ):
        if (out_dir / name).is_file():
            store.bulk_load(
                path=str(out_dir / name),
                format=ox.RdfFormat.TURTLE,
                to_graph=ox.NamedNode(f"{base_iri}graph/{graph}"),
            )
    store.flush()
    count = len(store)
    del store
    return count


class StoreDir:
    """A temporary folder for the store, removed by `close`."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="ldexport-serve-store-"))

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
