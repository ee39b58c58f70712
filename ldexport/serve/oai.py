"""OAI-PMH 2.0 (https://www.openarchives.org/OAI/openarchivesprotocol.html) for library
harvesters: the six verbs, `oai_dc` and `marcxml`, sets per organ and session.

- Identifiers are the resolutions' work IRIs (`B doc/A/RES/58/136`): URIs, as the protocol
  asks, and dereferenceable.
- Datestamps are when each document was converted (`converted_at` in manifest.json), to the
  second (granularity `YYYY-MM-DDThh:mm:ssZ`).  Deleted records are not kept (`no`).
- Sets: the adopting organ (`un-ga`, `un-sc`) and, below it, a General Assembly session
  (`un-ga:session-58`) or a Security Council year (`un-sc:2005`), as the dumps are sharded.
- Lists come `page_size` records at a time; the resumption token carries the request and
  the position, and names the dataset it was issued for, so a token from before a new
  publish is a `badResumptionToken`, never a silently shifted list.
- Records are the `<name>.dc.xml` and `<name>.marc.xml` files publish wrote, or made from
  `<name>.json` when they are missing.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree

from ldexport.dc import to_oai_dc
from ldexport.marc import MARC_NS, record_xml
from ldexport.serve.site import Document, Site
from ldexport.un import ORGANS

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
#: Shown as adminEmail (which the protocol requires) when the publisher set no contact:
#: a reserved domain (RFC 2606), so no one mistakes it for a real address.
NO_EMAIL = "not-stated@example.invalid"

FORMATS = {
    "oai_dc": (
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/",
    ),
    "marcxml": ("http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", MARC_NS),
}

# verb -> (required arguments, optional arguments, exclusive argument)
VERBS: dict[str, tuple[frozenset[str], frozenset[str], str | None]] = {
    "Identify": (frozenset(), frozenset(), None),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"}), None),
    "ListSets": (frozenset(), frozenset(), "resumptionToken"),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset(), None),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set"}),
        "resumptionToken",
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set"}),
        "resumptionToken",
    ),
}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _e(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Window:
    """The selective-harvesting arguments of a list request."""

    prefix: str
    start: str | None  # from
    until: str | None
    set_spec: str | None

    def admits(self, doc: Document) -> bool:
        stamp = doc.datestamp
        if self.start and _cmp(stamp, self.start) < 0:
            return False
        if self.until and _cmp(stamp, self.until) > 0:
            return False
        if self.set_spec is None:
            return True
        return any(s == self.set_spec or s.startswith(self.set_spec + ":") for s in doc.sets)


def _cmp(stamp: str, bound: str) -> int:
    """Compare a datestamp with a bound at the bound's granularity."""
    left = stamp[: len(bound)]
    return (left > bound) - (left < bound)


def _check_date(value: str, name: str) -> str:
    if _DAY.match(value):
        fmt = "%Y-%m-%d"
    elif _SECOND.match(value):
        fmt = "%Y-%m-%dT%H:%M:%SZ"
    else:
        raise OaiError("badArgument", f"{name} must be YYYY-MM-DD or {GRANULARITY}: {value!r}")
    try:
        dt.datetime.strptime(value, fmt)
    except ValueError:
        raise OaiError("badArgument", f"{name} is not a real date: {value!r}") from None
    return value


class Repository:
    """The OAI-PMH view of a served dataset."""

    def __init__(self, site: Site, page_size: int = 100) -> None:
        self.site = site
        self.page_size = max(1, page_size)
        self.records = sorted(site.documents.values(), key=lambda d: (d.datestamp, d.name))
        self.by_id = {site.iris.work(d.symbol): d for d in self.records}
        digest = hashlib.sha256()
        for d in self.records:
            digest.update(f"{d.name}\t{d.datestamp}\n".encode())
        self.version = digest.hexdigest()[:16]
        self.sets = self._sets()

    def _sets(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for d in self.records:
            organ = ORGANS.get(d.body, d.body)
            out[d.body] = organ
            for spec in d.sets[1:]:
                if ":session-" in spec:
                    out[spec] = f"{organ}, {d.session_label or 'session ' + (d.session or '')}"
                else:
                    out[spec] = f"{organ}, {spec.split(':', 1)[1]}"
        return dict(sorted(out.items()))

    # -- the protocol

    def respond(self, params: Sequence[tuple[str, str]], base_url: str) -> bytes:
        """The OAI-PMH response to one request's arguments (URL query or form body)."""
        root = etree.Element(_e("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
        root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
        etree.SubElement(root, _e("responseDate")).text = now()
        request = etree.SubElement(root, _e("request"))
        request.text = base_url
        try:
            verb, args = self._arguments(params)
            for name, value in [("verb", verb), *sorted(args.items())]:
                request.set(name, value)
            getattr(self, f"_{verb}")(root, args, base_url)
        except OaiError as exc:
            if exc.code in ("badVerb", "badArgument"):
                request.attrib.clear()  # the protocol: the base URL only, no attributes
            error = etree.SubElement(root, _e("error"), code=exc.code)
            error.text = exc.message
        data: bytes = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
        return data

    def _arguments(self, params: Sequence[tuple[str, str]]) -> tuple[str, dict[str, str]]:
        verbs = [v for k, v in params if k == "verb"]
        if len(verbs) != 1 or verbs[0] not in VERBS:
            what = (
                "no verb"
                if not verbs
                else "more than one verb"
                if len(verbs) > 1
                else (f"no such verb: {verbs[0]!r}")
            )
            raise OaiError("badVerb", what)
        verb = verbs[0]
        required, optional, exclusive = VERBS[verb]
        args: dict[str, str] = {}
        for key, value in params:
            if key == "verb":
                continue
            if key in args:
                raise OaiError("badArgument", f"{key} is repeated")
            if key not in required | optional and key != exclusive:
                raise OaiError("badArgument", f"{verb} takes no argument {key!r}")
            if not value:
                raise OaiError("badArgument", f"{key} is empty")
            args[key] = value
        if exclusive and exclusive in args:
            if len(args) > 1:
                raise OaiError("badArgument", f"{exclusive} is an exclusive argument")
            return verb, args
        missing = sorted(required - set(args))
        if missing:
            raise OaiError("badArgument", f"{verb} needs {', '.join(missing)}")
        return verb, args

    def _Identify(self, root: Any, args: dict[str, str], base_url: str) -> None:
        node = etree.SubElement(root, _e("Identify"))
        settings = self.site.settings
        earliest = self.records[0].datestamp if self.records else now()
        for tag, value in (
            ("repositoryName", settings.get("title") or "ldexport"),
            ("baseURL", base_url),
            ("protocolVersion", "2.0"),
            ("adminEmail", settings.get("contact_email") or NO_EMAIL),
            ("earliestDatestamp", min((d.datestamp for d in self.records), default=earliest)),
            ("deletedRecord", "no"),
            ("granularity", GRANULARITY),
        ):
            etree.SubElement(node, _e(tag)).text = value

    def _ListMetadataFormats(self, root: Any, args: dict[str, str], base_url: str) -> None:
        if "identifier" in args:
            self._document(args["identifier"])
        node = etree.SubElement(root, _e("ListMetadataFormats"))
        for prefix, (schema, namespace) in FORMATS.items():
            fmt = etree.SubElement(node, _e("metadataFormat"))
            etree.SubElement(fmt, _e("metadataPrefix")).text = prefix
            etree.SubElement(fmt, _e("schema")).text = schema
            etree.SubElement(fmt, _e("metadataNamespace")).text = namespace

    def _ListSets(self, root: Any, args: dict[str, str], base_url: str) -> None:
        if "resumptionToken" in args:
            raise OaiError("badResumptionToken", "this repository issues no ListSets tokens")
        if not self.sets:
            raise OaiError("noSetHierarchy", "this repository has no sets")
        node = etree.SubElement(root, _e("ListSets"))
        for spec, name in self.sets.items():
            item = etree.SubElement(node, _e("set"))
            etree.SubElement(item, _e("setSpec")).text = spec
            etree.SubElement(item, _e("setName")).text = name

    def _GetRecord(self, root: Any, args: dict[str, str], base_url: str) -> None:
        prefix = self._prefix(args["metadataPrefix"])
        doc = self._document(args["identifier"])
        node = etree.SubElement(root, _e("GetRecord"))
        self._record(node, doc, prefix)

    def _ListIdentifiers(self, root: Any, args: dict[str, str], base_url: str) -> None:
        self._list(root, args, "ListIdentifiers")

    def _ListRecords(self, root: Any, args: dict[str, str], base_url: str) -> None:
        self._list(root, args, "ListRecords")

    # -- lists

    def _list(self, root: Any, args: dict[str, str], verb: str) -> None:
        if "resumptionToken" in args:
            window, offset = self._read_token(args["resumptionToken"], verb)
        else:
            start = _check_date(args["from"], "from") if "from" in args else None
            until = _check_date(args["until"], "until") if "until" in args else None
            if start and until:
                if len(start) != len(until):
                    raise OaiError("badArgument", "from and until have different granularities")
                if start > until:
                    raise OaiError("badArgument", "from is later than until")
            set_spec = args.get("set")
            if set_spec and not self.sets:
                raise OaiError("noSetHierarchy", "this repository has no sets")
            window = Window(self._prefix(args["metadataPrefix"]), start, until, set_spec)
            offset = 0
        matching = [d for d in self.records if window.admits(d)]
        if not matching:
            raise OaiError("noRecordsMatch", "no record matches these arguments")
        if offset >= len(matching):
            raise OaiError("badResumptionToken", "the token points past the end of the list")
        page = matching[offset : offset + self.page_size]
        node = etree.SubElement(root, _e(verb))
        for doc in page:
            if verb == "ListRecords":
                self._record(node, doc, window.prefix)
            else:
                self._header(node, doc)
        following = offset + len(page)
        if offset or following < len(matching):
            token = etree.SubElement(
                node, _e("resumptionToken"), completeListSize=str(len(matching)), cursor=str(offset)
            )
            if following < len(matching):
                token.text = self._make_token(window, following, verb)

    def _make_token(self, window: Window, offset: int, verb: str) -> str:
        state = {
            "v": verb,
            "p": window.prefix,
            "f": window.start,
            "u": window.until,
            "s": window.set_spec,
            "o": offset,
            "d": self.version,
        }
        raw = json.dumps(state, separators=(",", ":"), sort_keys=True).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def _read_token(self, token: str, verb: str) -> tuple[Window, int]:
        bad = OaiError("badResumptionToken", "the resumption token is not valid (or has expired)")
        if len(token) > 2000:
            raise bad
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            state = json.loads(raw)
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise bad from None
        if not isinstance(state, dict) or state.get("v") != verb or state.get("d") != self.version:
            raise bad
        offset = state.get("o")
        prefix = state.get("p")
        if not isinstance(offset, int) or offset < 0 or prefix not in FORMATS:
            raise bad
        fields = [state.get(k) for k in ("f", "u", "s")]
        if any(v is not None and not isinstance(v, str) for v in fields):
            raise bad
        start, until, set_spec = fields
        try:
            for value in (start, until):
                if value is not None:
                    _check_date(value, "date")
        except OaiError:
            raise bad from None
        return Window(prefix, start, until, set_spec), offset

    # -- records

    def _prefix(self, prefix: str) -> str:
        if prefix not in FORMATS:
            raise OaiError(
                "cannotDisseminateFormat",
                f"no metadata format {prefix!r}; this repository offers {', '.join(FORMATS)}",
            )
        return prefix

    def _document(self, identifier: str) -> Document:
        doc = self.by_id.get(identifier)
        if doc is None:
            raise OaiError("idDoesNotExist", f"no record {identifier!r} in this repository")
        return doc

    def _header(self, parent: Any, doc: Document) -> None:
        header = etree.SubElement(parent, _e("header"))
        etree.SubElement(header, _e("identifier")).text = self.site.iris.work(doc.symbol)
        etree.SubElement(header, _e("datestamp")).text = doc.datestamp
        for spec in doc.sets:
            etree.SubElement(header, _e("setSpec")).text = spec

    def _record(self, parent: Any, doc: Document, prefix: str) -> None:
        record = etree.SubElement(parent, _e("record"))
        self._header(record, doc)
        metadata = etree.SubElement(record, _e("metadata"))
        metadata.append(self.metadata(doc.name, prefix))

    def metadata(self, name: str, prefix: str) -> Any:
        """The metadata element of a record (a fresh copy each time)."""
        return etree.fromstring(_metadata_bytes(self.site, name, prefix))


def _bytes(element: Any) -> bytes:
    data: bytes = etree.tostring(element)
    return data


@lru_cache(maxsize=512)
def _metadata_bytes(site: Site, name: str, prefix: str) -> bytes:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
    if prefix == "oai_dc":
        path = site.out_dir / f"{name}.dc.xml"
        if path.is_file():
            return _bytes(etree.fromstring(path.read_bytes(), parser))
        res = site.model(name)
        if res is None:
            raise OaiError("idDoesNotExist", f"the record {name} cannot be read")
        return _bytes(etree.fromstring(to_oai_dc(res, site.iris), parser))
    path = site.out_dir / f"{name}.marc.xml"
    if path.is_file():
        root = etree.fromstring(path.read_bytes(), parser)
        if root.tag == f"{{{MARC_NS}}}collection":
            records = root.findall(f"{{{MARC_NS}}}record")
            if records:
                return _bytes(records[0])
        elif root.tag == f"{{{MARC_NS}}}record":
            return _bytes(root)
    res = site.model(name)
    if res is None:
        raise OaiError("idDoesNotExist", f"the record {name} cannot be read")
    return _bytes(etree.fromstring(record_xml(res, site.iris, collection=False), parser))
