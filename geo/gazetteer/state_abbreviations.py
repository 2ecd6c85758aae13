"""US state abbreviations as American newspapers write them after a town ("Paris, Ky.").

AP style, with the older Government Printing Office forms that local papers still use. They
are not gazetteer names: "Ky" or "Miss" alone would match people and words, so the
recognizer accepts them only with their full stop and after a comma.
"""

from __future__ import annotations

ABBREVIATIONS: dict[str, str] = {
    "Ala.": "US-AL", "Ariz.": "US-AZ", "Ark.": "US-AR", "Calif.": "US-CA", "Cal.": "US-CA",
    "Colo.": "US-CO", "Conn.": "US-CT", "Del.": "US-DE", "D.C.": "US-DC", "Fla.": "US-FL",
    "Ga.": "US-GA", "Ill.": "US-IL", "Ind.": "US-IN", "Kan.": "US-KS", "Kans.": "US-KS",
    "Ky.": "US-KY", "La.": "US-LA", "Md.": "US-MD", "Mass.": "US-MA", "Mich.": "US-MI",
    "Minn.": "US-MN", "Miss.": "US-MS", "Mo.": "US-MO", "Mont.": "US-MT", "Neb.": "US-NE",
    "Nebr.": "US-NE", "Nev.": "US-NV", "N.H.": "US-NH", "N.J.": "US-NJ", "N.M.": "US-NM",
    "N.Mex.": "US-NM", "N.Y.": "US-NY", "N.C.": "US-NC", "N.D.": "US-ND", "N.Dak.": "US-ND",
    "Okla.": "US-OK", "Ore.": "US-OR", "Oreg.": "US-OR", "Pa.": "US-PA", "Penn.": "US-PA",
    "R.I.": "US-RI", "S.C.": "US-SC", "S.D.": "US-SD", "S.Dak.": "US-SD", "Tenn.": "US-TN",
    "Tex.": "US-TX", "Vt.": "US-VT", "Va.": "US-VA", "Wash.": "US-WA", "W.Va.": "US-WV",
    "Wis.": "US-WI", "Wisc.": "US-WI", "Wyo.": "US-WY",
}
