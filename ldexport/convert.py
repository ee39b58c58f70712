"""The pipeline for one file: read -> normalise -> structure (+ citations) -> map -> validate.

Converting one document is a pure function of its source bytes and file name (a symbol
may come from the name) and the settings, so a batch is a loop over files that keeps
nothing of one document when it moves to the next.
"""

from __future__ import annotations

import os
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from ldexport.errors import SourceError
from ldexport.iris import Iris
from ldexport.model import Resolution
from ldexport.problems import ValidationReport

if TYPE_CHECKING:
    from ldexport.dataset import DocumentDump, SpooledDump
    from ldexport.manifest import FileInfo
    from ldexport.mapping import Triple

# The parsers, the mapping and the validator are imported where they are used: a Converted
# that a worker sends back is read in a process that converts nothing itself (`publish -j 2`).

#: The graph of a document whose graph stayed in the worker process that converted it (its
#: files are rendered, its quads encoded for the dumps): never pickled, never filled.
NO_GRAPH = Graph(bind_namespaces="none")


@dataclass(frozen=True)
class Converted:
    """One resolution of a source file, mapped and validated.

    `content` is its rdflib Graph or the set of its triples (`convert_file` keeps the set:
    the batch pipeline validates and serialises triples, and an rdflib Graph, ~20 us a
    triple to fill, is built only when `graph` is asked for)."""

    resolution: Resolution
    content: Graph | AbstractSet[Triple]
    report: ValidationReport
    #: The per-document files (`ldexport.publish.render_document`) when a worker process
    #: rendered them already, or the error that rendering raised.
    rendered: dict[str, bytes] | None = None
    render_error: str | None = None
    #: When the graph stayed in a worker (`content` is then `NO_GRAPH` and `resolution` a
    #: summary without its text, `ldexport.executor.summary`): the number of triples, the
    #: size and sha256 of every rendered file, and the document's named graph as the dumps
    #: hold it (made from its Turtle in the worker; a `SpooledDump` when the worker wrote
    #: it to the output's spool itself).
    triples: int | None = None
    file_info: dict[str, FileInfo] | None = field(default=None, compare=False)
    dump: DocumentDump | SpooledDump | None = field(default=None, compare=False)
    #: The rendered files when the worker wrote them to the output's spool folder itself
    #: (`ldexport.dataset.spool_files`): file name -> its name there; `rendered` is then None.
    spooled: dict[str, str] | None = field(default=None, compare=False)

    @cached_property
    def graph(self) -> Graph:
        """The document's rdflib Graph (built from its triples on first use)."""
        from ldexport.mapping import graph_of

        return self.content if isinstance(self.content, Graph) else graph_of(self.content)

    @property
    def triple_count(self) -> int:
        return self.triples if self.triples is not None else len(self.content)

    def __reduce__(self) -> tuple[Any, ...]:
        # NO_GRAPH is not pickled: what travels back from a worker is bytes and a summary
        content = None if self.content is NO_GRAPH else self.content
        return (
            _converted,
            (
                self.resolution,
                content,
                self.report,
                self.rendered,
                self.render_error,
                self.triples,
                self.file_info,
                self.dump,
                self.spooled,
            ),
        )


def _converted(
    resolution: Resolution, content: Graph | AbstractSet[Triple] | None, *rest: Any
) -> Converted:
    return Converted(resolution, NO_GRAPH if content is None else content, *rest)


def check_file_name(path: str | Path, whole_path: bool = False) -> None:
    """SourceError for a file whose name is not valid UTF-8 (bytes of another encoding): the
    UTF-8 outputs that record it (model JSON, Akoma Ntoso, provenance) could not.  With
    `whole_path`, its folders' names too (a publish's manifest and report record the path).
    The line shows the other bytes escaped."""
    if not _is_utf8(Path(path).name):
        reason = "the file name is not valid UTF-8; rename the file"
    elif whole_path and not _is_utf8(str(path)):
        reason = "the name of its folder is not valid UTF-8; rename the folder"
    else:
        return
    raise SourceError(os.fsencode(path).decode("utf-8", "backslashreplace"), reason)


def _is_utf8(text: str) -> bool:
    """False for a name holding the surrogates Python decodes other bytes to."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_file(path: str | Path) -> list[Resolution]:
    """The resolutions a file holds; raises LdexportError (SourceError, ParseError).

    Akoma Ntoso XML already states its structure, so it is read straight into the model.
    """
    from ldexport import sources
    from ldexport.parse import normalise, structure
    from ldexport.sources import akn as akn_source

    check_file_name(path)
    if akn_source.detect_file(path):
        return akn_source.read_resolutions(path)
    doc = sources.read(path)
    return structure.parse(doc, normalise.normalise(doc))


def convert_file(path: str | Path, iris: Iris) -> list[Converted]:
    """Parse, map and validate every resolution of one file."""
    from ldexport.mapping import to_triples
    from ldexport.validate import validate

    out = []
    for res in parse_file(path):
        triples = to_triples(res, iris)
        out.append(Converted(res, triples, validate(triples, res.symbol)))
    return out
