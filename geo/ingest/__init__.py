"""Files to the store: article readers (text, JSON/JSONL, HTML, RSS/Atom) and the runners.

``readers`` turns files into ``Article`` records; ``pipeline`` parses one article and writes
it; ``local`` runs that on worker processes and ``dask`` on a Dask cluster. May import every
other room of ``geo``; nothing in ``geo`` imports it.
"""
