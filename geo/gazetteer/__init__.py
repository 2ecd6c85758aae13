"""The place index: names in any spelling in, candidate places out.

Owns the on-disk index (``format``), its build from registry-shipped sources (``build``),
its reader (``index``), the per-process default (``default``), name keys (``names``),
admin-1 polygons (``admin``), GeoNames dumps and the optional online geocoder.
May import only ``geo.models`` and ``geo.errors``.
"""
