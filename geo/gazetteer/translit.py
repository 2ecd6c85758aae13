"""Latin and Russian forms of Ukrainian place names.

English news writes a Ukrainian village three ways: the official Latin form (the Cabinet of
Ministers' transliteration of 27 January 2010, No. 55: Kharkiv, Zghurivka), the Russian
form romanised (Kharkov, Novaya Kakhovka, Velikaya Novoselka), and older spellings. The
codifier gives only the Ukrainian Cyrillic, so the other forms are derived here: the
Latin one exactly by the official table, the Russian ones by the regular correspondences
between the two languages' spellings of the same name (-івка/-овка, Нова/Новая, і/и, -ське/
-ское). A derived Russian form is a likely spelling, not an attested one; names whose
Russian form is irregular (Dzerzhinsk for Toretsk) come from the curated renames table.
"""

from __future__ import annotations

from geo.gazetteer.names import name_key

# 2010 official table: (initial form, elsewhere) where they differ.
_UK_LATIN: dict[str, str | tuple[str, str]] = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e",
    "є": ("ye", "ie"), "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": ("yi", "i"),
    "й": ("y", "i"), "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ю": ("yu", "iu"), "я": ("ya", "ia"), "'": "", "’": "", "ʼ": "",
}

# Russian-style romanisation (BGN/PCGN as English news uses it, without diacritics).
_RU_LATIN: dict[str, str | tuple[str, str]] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": ("ye", "e"), "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}
_VOWELS = set("аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ")


def _romanise(name: str, table: dict[str, str | tuple[str, str]],
              soft_after_vowel: bool = False) -> str:
    """Letter by letter; a tuple entry is (word-initial form, elsewhere). The official table
    writes зг as zgh so that it is not read as zh."""
    out = []
    prev = ""
    for ch in name:
        low = ch.lower()
        latin: str | tuple[str, str]
        if low == "г" and prev.lower() == "з" and table is _UK_LATIN:
            latin = "gh"
        else:
            latin = table.get(low, ch)
        if isinstance(latin, tuple):
            initial = not (prev.isalpha() or prev in ("'", "’", "ʼ")) or (
                soft_after_vowel and prev in _VOWELS)
            latin = latin[0] if initial else latin[1]
        if ch.isupper() and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
        prev = ch
    return "".join(out)


def ukrainian_latin(name: str) -> str:
    """The official Latin form of a Ukrainian Cyrillic name (Zghurivka, Yenakiieve)."""
    return _romanise(name, _UK_LATIN)


def russian_latin(name: str) -> str:
    """A Russian Cyrillic name as English news romanises it (Novaya Kakhovka, Yenakiyevo)."""
    return _romanise(name, _RU_LATIN, soft_after_vowel=True)


# Ukrainian spelling → Russian spelling of the same name; the first ending that fits wins.
_ENDINGS = [
    ("іївка", "еевка"), ("івка", "овка"), ("ївка", "евка"), ("ине", "ино"), ("ове", "ово"),
    ("єве", "ево"), ("еве", "ево"), ("ське", "ское"), ("цьке", "цкое"), ("зьке", "зское"),
    ("нке", "нькое"), ("ьке", "кое"), ("не", "ное"), ("ський", "ский"), ("цький", "цкий"),
    ("ий", "ый"), ("ій", "ий"), ("ськ", "ск"), ("цьк", "цк"),
]
# Ukrainian -ове names are Russian nouns in -ово (Жадове/Жадово) or adjectives in -овое
# (Вербове/Вербовое), and -івка after a hushing consonant is -евка (Грушівка/Грушевка):
# the second reading is derived too.
_ADJECTIVAL = [("ове", "овое"), ("еве", "евое"), ("єве", "евое")]
_HUSHING = set("жшчщц")
# -ів is -ов in Russian (Харків/Харьков), but a lone word so derived is a surname more often
# than a place (Іванів/Иванов): only names of more than one word get it.
_POSSESSIVE = [("ів", "ов"), ("їв", "ев")]
_ADJECTIVES = {
    "нова": "новая", "нове": "новое", "новий": "новый", "велика": "великая",
    "велике": "великое", "великий": "великий", "мала": "малая", "мале": "малое",
    "малий": "малый", "стара": "старая", "старе": "старое", "старий": "старый",
    "верхня": "верхняя", "нижня": "нижняя", "верхній": "верхний", "нижній": "нижний",
    "червона": "красная", "червоне": "красное", "червоний": "красный", "біла": "белая",
    "біле": "белое", "білий": "белый", "зелена": "зеленая", "зелене": "зеленое",
    "зелений": "зеленый", "широка": "широкая", "широке": "широкое", "золота": "золотая",
    "золоте": "золотое", "кам'янка": "каменка", "кам’янка": "каменка",
}
# Stems whose Russian spelling differs beyond the letters: Олександрівка/Александровка,
# Миколаївка/Николаевка, Біловоди/Беловоды, Чорнобаївка/Чернобаевка.
_STEMS = [("Олекс", "Алекс"), ("Микол", "Никол"), ("Біл", "Бел"), ("Чорн", "Черн"),
          ("Кам'ян", "Камен"), ("Кам’ян", "Камен")]
_LETTERS = str.maketrans({"і": "и", "ї": "и", "є": "е", "'": "ь", "’": "ь", "ʼ": "ь",
                          "І": "И", "Ї": "И", "Є": "Е"})


def _russian_word(word: str, compound: bool = False, adjectival: bool = False) -> str:
    low = word.lower()
    if low in _ADJECTIVES:
        ru = _ADJECTIVES[low]
        return ru[0].upper() + ru[1:] if word[:1].isupper() else ru
    for uk, ru in _STEMS:
        if word.startswith(uk):
            word = ru + word[len(uk):]
            low = word.lower()
            break
    endings = (_ADJECTIVAL if adjectival else []) + _ENDINGS
    for uk, ru in endings + (_POSSESSIVE if compound else []):
        if low.endswith(uk) and len(low) > len(uk) + 1:
            if uk == "івка" and low[-5] in _HUSHING:
                ru = "евка"
            return word[: -len(uk)].translate(_LETTERS) + ru
    if low.endswith("и") and len(low) > 2 and low[-2] not in "кгхжшчщц":
        return word[:-1].translate(_LETTERS) + "ы"  # plurals: Біловоди/Беловоды
    return word.translate(_LETTERS)


def russian_form(name: str, adjectival: bool = False) -> str:
    """The likely Russian Cyrillic spelling of a Ukrainian Cyrillic place name (with
    ``adjectival``, an -ове name read as an adjective: Вербове/Вербовое)."""
    words = name.split()
    compound = len(words) > 1
    return " ".join("-".join(_russian_word(p, compound, adjectival) for p in w.split("-"))
                    for w in words)


def russian_forms(name: str) -> list[str]:
    """Every likely Russian Cyrillic spelling of the name, the likeliest first."""
    return list(dict.fromkeys([russian_form(name), russian_form(name, adjectival=True)]))


def latin_variants(name: str) -> list[str]:
    """Every Latin form news uses for a Ukrainian Cyrillic name: the official one, the
    Russian form romanised and its common short spellings (-oye as -oe, -aya as -aia)."""
    official = ukrainian_latin(name)
    forms = [official]
    for ru in (russian_latin(f) for f in russian_forms(name)):
        forms.append(ru)
        for a, b in (("oye", "oe"), ("aya", "aia"), ("iy", "i"), ("yy", "y"), ("yevo", "evo"),
                     ("yevka", "evka")):
            if a in ru:
                forms.append(ru.replace(a, b))
    return list(dict.fromkeys(f for f in forms if f))



_UKRAINIAN_ONLY = set("іїєґІЇЄҐ'’ʼ")
_CYRILLIC = set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяёыэъ")


def official_latin(name: str, alt_names: tuple[str, ...] | list[str],
                   former: set[str] | frozenset[str] = frozenset(),
                   official: tuple[str, ...] | list[str] = ()) -> str:
    """The name a map should print: the official Latin form of the place's Ukrainian name
    (Kryvyi Rih, Kupiansk, Zaporizhzhia) where the entry's own name is another romanisation.

    ``official``: the entry's Cyrillic names from the state codifier; the first of them
    decides. Failing that, only another romanisation of the entry's own name (the same name
    key) may replace it: other Cyrillic names in GeoNames include Russian, former and
    misspelt ones. ``former``: name keys the place bore before a renaming.
    """
    for cyr in official:
        form = ukrainian_latin(cyr)
        if set(cyr.lower()) & _CYRILLIC and name_key(form) not in former:
            return form
    latin = {n for n in (name, *alt_names) if n.isascii()}
    own = name_key(name)
    for cyr in alt_names:
        if set(cyr.lower()) & _CYRILLIC and set(cyr) & _UKRAINIAN_ONLY:
            form = ukrainian_latin(cyr)
            if form in latin and name_key(form) == own:
                return name if form.lower() == name.lower() else form
    return name
