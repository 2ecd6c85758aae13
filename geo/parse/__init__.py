"""Text to toponyms: sentences, recognition, resolution, metonymy and dates.

``geoparse.Geoparser`` is the entry point. May import ``geo.gazetteer``, ``geo.models`` and
``geo.errors``; never ``claims``, ``store`` or ``ingest``.
"""
