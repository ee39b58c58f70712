"""`ldexport serve`: a published output folder as linked data on the web.

Every IRI ldexport mints answers (content negotiation, 303 to its description), people get
HTML pages, programs a SPARQL 1.1 endpoint and library harvesters OAI-PMH 2.0; the dumps,
catalogue and context are served as files.  docs/serving.md says how to use it.

Modules: `app` (routes), `conneg` (Accept), `site` (the folder), `store` (Oxigraph),
`sparql` + `worker` + `query` + `results` (the endpoint), `oai`, `html` + templates/,
`responses` (validators, gzip), `cli` (the click command).
"""

from __future__ import annotations
