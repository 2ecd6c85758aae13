"""Who holds the ground: dated snapshots of territorial control, the line of contact, the
ground that changed hands between two dates, and claims weighed against the line.

``read`` turns published files (GeoJSON, GeoPackage, Shapefile, KML/KMZ) into classified
polygons (``classes``); ``snapshot`` repairs them and builds one dated ``Snapshot`` over the
``theatre``; ``line`` draws the line of contact, ``change`` the ground that changed hands,
``claims`` weighs capture and advance claims against the line in force, ``places`` says
who held a place over time. ``synthetic`` makes moving fronts for tests and the demo.
``features`` turns all of it into GeoJSON. May import ``geo.gazetteer`` (the oblast polygons),
``geo.models`` and ``geo.errors``; never ``claims``, ``store`` or ``ingest``.
"""
