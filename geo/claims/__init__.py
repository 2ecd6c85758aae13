"""Toponyms to events: what happened where, by whom, who says so, and the status.

``extract.extract_events`` reads one article (event words in ``triggers``, speakers and stance
in ``attribution`` and ``affiliations``, places in ``location``); ``fusion`` joins the same
event across articles and ``status`` derives its status from every attestation; ``ledger``
lays out every claim made about a place. May import ``geo.parse``, ``geo.gazetteer``,
``geo.models`` and ``geo.errors``; never ``store`` or ``ingest``.
"""
