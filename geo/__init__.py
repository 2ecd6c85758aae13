"""Frontline's core: news text in, places and events with their sources out.

The rooms read as the pipeline, each importing only the rooms below it:
``ingest`` → ``store`` → ``claims`` → ``parse`` → ``gazetteer``, and all of them the shared
record types of ``models``. Nothing here knows of the web or of maps.
"""
