"""The words that report a war event, and the type of event each reports.

Rules over the dependency parse rather than a keyword list: "took control of Fedorovka" is
a capture and "failed to take place" is not; "pushed into Dnipropetrovsk" is an advance and
"pushed forward with the offensive" is not; "a drone attack" is a strike and "attack drone
workshops" is not. Plans, hopes, conditions and forecasts ("trying to reach", "would be a
setback", "will advance") are not events.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

ADVANCE, CAPTURE, STRIKE, REPELLED, WITHDRAWAL = (
    "advance", "capture", "strike", "repelled", "withdrawal")
ENCIRCLEMENT, FIGHTING, CONTROL = "encirclement", "fighting", "control"
MOVEMENTS = frozenset({ADVANCE, CAPTURE, REPELLED, WITHDRAWAL})
# Where the front stands rather than how it moved: drawn only where a place is named.
SITUATIONS = frozenset({ENCIRCLEMENT, FIGHTING, CONTROL})

DIRECTIONAL = {"into", "toward", "towards", "to", "through", "across", "past", "beyond",
               "deeper", "inside"}
PLACE_NOUNS = {
    "border", "edge", "outskirts", "city", "town", "village", "region", "area", "river",
    "line", "settlement", "oblast", "district", "suburb", "suburbs", "center", "centre",
    "frontier", "boundary", "bank", "highway", "heights", "territory", "hamlet", "province",
    "approaches", "part", "parts", "outskirt",
}
SETTLEMENT_NOUNS = {"city", "town", "village", "settlement", "hamlet"}
MODALS = {"would", "could", "might", "may", "should", "will", "shall", "must", "can"}
CONDITIONS = {"if", "unless", "whether"}
INTENTIONS = {
    "try", "attempt", "seek", "aim", "plan", "want", "hope", "intend", "prepare", "threaten",
    "fail", "refuse", "struggle", "vow", "promise", "expect", "need", "order",
}
LIGHT_VERBS = {"conduct", "carry", "launch", "unleash", "make", "mount", "stage", "deliver",
               "perform", "intensify", "complete", "continue", "repel", "repulse"}
# "attacked Ukrainian positions" is as often a ground assault: only a strike by weapon.
STRIKE_VERBS = {"strike", "hit", "shell", "bomb", "bombard", "pound", "target"}
STRIKE_NOUNS = {"strike", "attack", "airstrike", "bombardment", "shelling", "barrage",
                "bombing", "raid"}
STRIKE_PREPS = {"on", "against", "at", "in", "targeting", "near"}
AIR_WORDS = {"drone", "air", "uav", "aerial", "airstrike", "bomb", "glide", "kamikaze",
             "shahed", "aircraft", "helicopter", "airstrikes"}
FIRE_WORDS = {"missile", "artillery", "rocket", "ballistic", "cruise", "mortar", "shelling",
              "mlrs", "himars", "iskander", "kinzhal"}
STRIKE_MODIFIERS = AIR_WORDS | FIRE_WORDS | {"massive", "combined", "scale", "large",
                                             "overnight", "deadly"}
WEAPON_VERBS = {"drop", "launch", "fire", "unleash", "use"}
CAUSES = {"due", "after", "following", "from", "because", "as", "amid"}
WEAPONS = {"bomb", "missile", "drone", "rocket", "shell", "munition", "uav", "shahed",
           "warhead"}
# "did not comment on the strike on Kharkiv": a reference to an event told before.
RESPONSES = {"comment", "respond", "react", "reply", "deny", "reject", "refute", "confirm",
             "acknowledge", "dismiss"}
# "the General Staff confirmed the capture of X": the speaker tells the handover; a strike
# "confirmed" by the side struck is told elsewhere with its attacker.
ACKNOWLEDGING = {"confirm", "acknowledge", "admit", "concede"}
CAPTURE_VERBS = {"capture", "seize", "liberate", "occupy", "overrun", "retake", "recapture"}
CAPTURE_NOUNS = {"capture", "seizure", "liberation", "occupation", "recapture", "fall"}
REPEL_VERBS = {"repel", "repulse", "thwart", "foil"}
WITHDRAW_VERBS = {"withdraw", "retreat"}
# "expelled them from the town": the ground taken from those driven out of it.
EXPEL_VERBS = {"oust", "expel", "evict", "dislodge"}
WITHDRAW_NOUNS = {"withdrawal", "retreat", "pullout", "pullback"}
HANDOVER_NOUNS = (CAPTURE_NOUNS - {"occupation"}) | WITHDRAW_NOUNS | {"loss"}
STOP_VERBS = {"prevent", "stop", "halt", "block", "disrupt", "frustrate"}
ATTEMPTS = {"attempt", "attack", "assault", "breakthrough", "offensive", "advance",
            "incursion", "raid", "counterattack"}
AIRCRAFT = {"drone", "uav", "missile", "aircraft", "jet", "helicopter", "rocket", "shahed",
            "bomb"}
# "launched an offensive into X": ground gained, not only fighting.
ADVANCE_NOUNS = {"offensive", "incursion", "invasion", "counteroffensive", "counter-offensive",
                 "breakthrough"}
EFFORTS = {"effort", "attack", "assault", "offensive", "force", "troops", "fire"}
OPENING_VERBS = {"launch", "begin", "start", "mount", "open", "stage", "unleash"}
# "destroyed a command post near X": a strike on what an army fights with.
KILL_VERBS = {"destroy", "defeat", "eliminate", "neutralize", "neutralise", "wipe"}
MILITARY_TARGETS = {"personnel", "manpower", "equipment", "post", "position", "depot",
                    "vehicle", "tank", "launcher", "system", "troops", "unit", "brigade",
                    "command", "base", "warehouse", "battery", "howitzer", "radar",
                    "aircraft", "headquarters", "stronghold", "dugout", "concentration"}
LOSSES = {"loss", "casualty", "damage", "defeat"}
NOT_A_TAKING = {"place", "part", "note", "time", "step", "steps", "action", "measures",
                "responsibility", "advantage", "look", "office", "power"}
# "attacked an oil depot" is a strike; "attacked Ukrainian positions" may be an assault.
FACILITIES = {"depot", "refinery", "airfield", "airbase", "plant", "factory", "terminal",
              "airport",
              "facility", "warehouse", "substation", "arsenal", "port", "bridge", "station",
              "infrastructure", "pipeline"}
# "to prevent them from advancing": the event did not happen.
PREVENT_VERBS = {"prevent", "stop", "keep", "deter", "block", "halt", "bar", "avoid",
                 "escape", "avert"}
AVERTED = {"avoid", "escape", "avert", "threat", "risk", "danger", "fear", "prospect"}
ORDINALS = {"first", "second", "third", "last", "latest", "only", "next", "biggest",
            "largest"}
THRESHOLDS = {"brink", "verge", "cusp", "threshold"}
NEARNESS = {"close", "near"}
# "the fall of X is imminent", "days remained until X's liberation": still to come.
AHEAD = {"near", "imminent", "close", "inevitable", "likely", "possible", "expected",
         "approaching", "looming", "nearing"}
UNTIL = {"until", "till", "before"}
CLAIM_NOUNS = {"claim", "report", "rumour", "rumor", "allegation", "statement"}
FALSE_WORDS = {"false", "premature", "untrue", "unfounded", "baseless", "fake", "groundless",
               "exaggerated", "inaccurate", "wrong"}
ATTEMPT_WORDS = {"try", "attempt"}
ASSAULT_VERBS = {"break", "storm", "assault"}  # "trying to break through to X": attacks
AIMS = {"goal", "aim", "plan", "attempt", "bid", "effort", "intention", "objective", "task",
        "order", "ambition"}

ENCIRCLE_WORDS = {"encircle", "encirclement", "surround", "envelop", "envelopment",
                  "cauldron", "blockade"}
FIGHT_NOUNS = {"fighting", "fight", "battle", "clash", "combat", "hostility", "skirmish",
               "assault", "attack", "offensive", "firefight", "counterattack",
               "counteroffensive", "storming"}
FIGHT_VERBS = {"fight", "clash", "storm", "assault", "counterattack", "engage"}
CLEAR_WORDS = {"clear", "clearing", "mop", "sweep"}
HOLD_VERBS = {"hold", "defend", "retain", "keep"}
STAY_VERBS = {"remain", "stay", "be", "stand"}
GRAY_WORDS = {"gray", "grey"}
HELD_GROUND = {"position", "foothold", "bridgehead", "line", "post"}
FOOTHOLDS = {"foothold", "bridgehead", "beachhead", "lodgement", "lodgment"}
# "its operation in the Kursk region continues", "continued operations in Belgorod": the
# side still fighting on that ground, which a rescue or a search operation is not.
OPERATION_NOUNS = {"operation"}
GOING_ON = {"continue", "proceed"}
ONGOING = {"continued", "continuing", "ongoing"}
MILITARY_KINDS = {"military", "combat", "ground", "offensive", "defensive"}

# ACLED sub-event types, where one fits the event type (and, for strikes, the weapon).
SUB_EVENT = {
    ADVANCE: "Armed clash",
    REPELLED: "Armed clash",
    WITHDRAWAL: "Non-violent transfer of territory",
    ENCIRCLEMENT: "Encirclement",
    FIGHTING: "Armed clash",
    CONTROL: "Positions held",
}
PARTIAL_CONTROL, GRAY_ZONE, CLEARING, FLAG_RAISED, FAILED_ATTACK = (
    "Partial control", "Gray zone", "Clearing operation", "Flag raised", "Failed attack")
BUILD_UP = "Troop build-up"
# "Russian soldiers were amassing near the border", "a new concentration of troops near X".
MASSING_VERBS = {"amass", "mass", "concentrate", "gather", "accumulate"}
MASSING_NOUNS = {"concentration", "build-up", "buildup", "massing", "accumulation"}
TROOP_WORDS = {"troop", "force", "soldier", "unit", "personnel", "equipment", "reserve",
               "manpower", "brigade", "division", "army"}
ATTACKS = "Attacks"
FAILURE_WORDS = {"unsuccessfully", "vainly", "fruitlessly"}
AIR_STRIKE, FIRE_STRIKE = "Air/drone strike", "Shelling/artillery/missile attack"


@dataclass(frozen=True)
class Trigger:
    """A word that reports an event. ``head`` is the clause whose words hold its places:
    the light verb of "carried out a massive strike", else the trigger itself."""

    token: Token
    type: str
    head: Token
    sub_event_type: str | None


def _has_child(t: Token, deps: set[str], words: set[str] | None = None) -> bool:
    return any(c.dep_ in deps and (words is None or c.lower_ in words or c.lemma_ in words)
               for c in t.children)


def _objects(t: Token) -> list[Token]:
    return [c for c in t.children if c.dep_ in ("dobj", "nsubjpass", "attr")]


def _placey(t: Token, toponym_tokens: set[int]) -> bool:
    """Does this object phrase name a place (a toponym, or "the border", "the village")?"""
    sub = list(t.subtree)
    return t.lemma_.lower() in PLACE_NOUNS or any(w.i in toponym_tokens for w in sub)


def _of_part(t: Token) -> bool:
    """"took a part of the region", unlike "took part in the talks"."""
    return t.lemma_ == "part" and _has_child(t, {"prep"}, {"of"})


def _expelled(t: Token, toponyms: set[int]) -> bool:
    """"ousted from X", "drove the enemy out of X" (with "out" a particle or a preposition)."""
    lemma = t.lemma_.lower()
    outs = [c for c in t.children if c.dep_ in ("prt", "prep") and c.lower_ == "out"]
    if lemma not in EXPEL_VERBS and not (lemma in ("drive", "push", "kick", "throw") and outs):
        return False
    return any(c.dep_ == "prep" and c.lower_ in ("from", "of") and any(
        _placey(o, toponyms) for o in c.children if o.dep_ == "pobj")
        for w in (t, *outs) for c in w.children)  # not "driven out of there every day"


def _movement_type(t: Token, toponyms: set[int]) -> str | None:
    lemma = t.lemma_.lower()
    if t.pos_ not in ("VERB", "AUX"):
        return None
    if lemma in ("advance", "progress"):
        return ADVANCE
    if _expelled(t, toponyms):
        return CAPTURE  # "ousted from X", "drove the enemy out of X"
    if lemma in ("push", "drive") and _has_child(t, {"prt", "advmod"}, {"back"}):
        return REPELLED
    if lemma in ("push", "continue", "move", "press", "break", "drive", "inch", "creep",
                 "edge", "close"):
        if _has_child(t, {"nsubjpass"}):
            return None  # "residents were moved to safety"
        directional = _has_child(t, {"prep", "advmod", "prt"}, DIRECTIONAL) or (
            lemma in ("push", "press") and _has_child(t, {"advmod", "prt"}, {"forward", "on"})
            and not _has_child(t, {"prep"}, {"with"}))  # not "pushed forward with a plan"
        return ADVANCE if directional else None
    if lemma in ("enter", "reach", "cross", "penetrate"):
        into = [w for c in t.children if c.dep_ == "prep" and c.lower_ in ("into", "across")
                for w in c.children if w.dep_ == "pobj"]  # "penetrated into the Sumy region"
        return ADVANCE if any(_placey(o, toponyms) for o in [*_objects(t), *into]) else None
    if (lemma in CAPTURE_VERBS or lemma in ("gain", "secure", "establish")) and any(
            o.lemma_.lower() in FOOTHOLDS for o in _objects(t)):
        return ADVANCE  # "seized a foothold near X": ground gained, X not taken
    if lemma in CAPTURE_VERBS and any(o.lemma_.lower() == "position" and any(
            w.i in toponyms for w in o.subtree) for o in _objects(t)):
        return ADVANCE  # "captured positions near X": ground near X, not X
    if lemma in CAPTURE_VERBS:
        return CAPTURE
    if lemma == "fall" and not _has_child(t, {"prt", "advmod"}, {"back", "out", "apart"}) and (
            any(_placey(c, toponyms) for c in t.children if c.dep_ == "nsubj") or
            _has_child(t, {"prep"}, {"to"})):
        return CAPTURE  # "Avdiivka fell", "the town fell to Russian forces"
    if lemma == "take":
        if _has_child(t, {"prt"}, {"out", "off", "up", "part"}):
            return None  # "took out aircraft": destroyed, not captured
        objs = _objects(t)
        if any(o.lemma_ == "control" for o in objs) or any(
                _placey(o, toponyms) and (o.lemma_ not in NOT_A_TAKING or _of_part(o))
                for o in objs):
            return CAPTURE
        return None
    if lemma in ("establish", "gain", "regain", "secure", "assume", "win", "restore", "seize",
                 "reestablish") and any(
            o.lemma_ == "control" for o in _objects(t)):
        return CAPTURE
    if lemma in REPEL_VERBS or (lemma in ("fend", "beat", "push", "drive", "throw") and
                                _has_child(t, {"prt", "advmod"}, {"off", "back"})):
        return REPELLED
    if lemma in STOP_VERBS and any(o.lemma_.lower() in ATTEMPTS for o in _objects(t)):
        return REPELLED  # "prevented the enemy's attempts to break through"
    if (lemma in ("down", "intercept") or (lemma == "shoot" and _has_child(
            t, {"prt"}, {"down"}))) and any(o.lemma_.lower() in AIRCRAFT for o in _objects(t)):
        return REPELLED  # "drones were downed over Saratov Oblast"
    if lemma in KILL_VERBS and t.pos_ == "VERB" and _air_defence(t):
        return REPELLED  # "air defences destroyed 45 drones over the Belgorod region"
    if lemma in WITHDRAW_VERBS or (lemma in ("pull", "fall") and _has_child(
            t, {"prt", "advmod"}, {"back", "out"})):
        return WITHDRAWAL
    if lemma in ("leave", "abandon") and any(_placey(o, toponyms) for o in _objects(t)):
        return WITHDRAWAL  # "our units left the southern part of the town"
    return None


def _strike_type(t: Token) -> bool:
    lemma = t.lemma_.lower()
    if t.dep_ == "compound":
        return False  # "strike UAVs", "attack drone workshops": weapons, not events
    if t.pos_ == "VERB" and lemma in STRIKE_VERBS:
        return bool(_objects(t)) or _has_child(t, {"prep"}, {"on", "against"}) or (
            t.dep_ == "acl")  # "the airfields targeted in the attack", "the depots hit"
    if t.pos_ == "VERB" and lemma in KILL_VERBS:  # "positions … have been destroyed" too
        return any(o.lemma_.lower() in MILITARY_TARGETS or any(
            w.lemma_.lower() in MILITARY_TARGETS for w in o.subtree if w.dep_ == "pobj")
            for o in _objects(t) if o.dep_ in ("dobj", "nsubjpass")) or any(
            c.dep_ == "prep" and c.lower_ in ("at", "on") and any(
                w.lemma_.lower() in FACILITIES | {"base"} for w in c.subtree)
            for c in t.children)  # "four bombers were destroyed at Olenya airbase"
    if t.pos_ == "VERB" and lemma == "catch" and any(o.lemma_ == "fire" for o in _objects(t)):
        return _set_alight_by_weapon(t)  # "aircraft caught fire … due to drones"
    if t.pos_ == "VERB" and lemma == "inflict":  # "inflicted losses on the enemy's manpower"
        return any(o.lemma_.lower() in LOSSES for o in _objects(t))
    if t.pos_ == "VERB" and lemma == "attack":  # "drones attacked a refinery", not troops
        objs = _objects(t)
        armed = any(c.dep_ == "prep" and c.lower_ == "with" and any(
            w.lemma_.lower() in WEAPONS | STRIKE_MODIFIERS for w in c.subtree)
            for c in t.children)  # "attacked a shopping centre with guided bombs"
        return bool(objs) and (armed or any(c.dep_ == "nsubj" and c.lemma_.lower() in WEAPONS
                                            for c in t.children) or
                               any(o.lemma_.lower() in FACILITIES for o in objs))
    if t.pos_ == "VERB" and lemma in WEAPON_VERBS:
        return any(o.lemma_.lower() in WEAPONS for o in _objects(t)) and _has_child(
            t, {"prep"}, {"on", "at", "against"})
    if t.pos_ in ("NOUN", "PROPN") and lemma in STRIKE_NOUNS:
        if _repelled(t):
            return False  # "attacks on airfields were repelled": the repelling is the event
        if lemma in ("airstrike", "bombardment", "shelling", "barrage", "bombing"):
            return True
        if _has_child(t, {"compound", "amod", "nmod"}, STRIKE_MODIFIERS):
            return True
        if lemma in ("strike", "raid") and _has_child(t, {"prep"}, STRIKE_PREPS):
            return True
        if any(c.dep_ == "prep" and c.lower_ in ("on", "against") and any(
                w.lemma_.lower() in FACILITIES for w in c.children if w.dep_ == "pobj")
               for c in t.children):
            return True  # "attacks on airfields", "an attack on the refinery"
        return any(c.dep_ == "prep" and c.lower_ in ("from", "by") and any(
            w.lemma_.lower() in STRIKE_MODIFIERS | WEAPONS for w in c.subtree)
            for c in t.children)  # "attacks from artillery and drones"
    return False


def _set_alight_by_weapon(t: Token) -> bool:
    """What caught fire because of drones or missiles was struck; a fire with no weapon
    named (a short circuit) is no event, and one after "a drone attack" is that attack's."""
    causes = [{w.lemma_.lower() for w in c.subtree} for c in t.children
              if c.dep_ == "prep" and c.lower_ in CAUSES]
    return any(words & (WEAPONS | AIR_WORDS) and not words & STRIKE_NOUNS for words in causes)


def _repelled(t: Token) -> bool:
    """Is ``t`` (or "all of" ``t``) what a repel verb says was held off?"""
    node = t.head.head if t.dep_ == "pobj" and t.head.lower_ == "of" else t
    return node.dep_ in ("nsubjpass", "dobj") and node.head.lemma_.lower() in REPEL_VERBS


def _strike_sub_event(t: Token) -> str | None:
    """The weapon, from the strike's modifiers, the striking subject ("drones struck"), what
    it struck with ("hit Kharkiv with glide bombs") or the cause of a fire ("caught fire due
    to drones")."""
    fire = t.lemma_.lower() == "catch"
    words = {t.lemma_.lower()} | {w.lemma_.lower() for c in t.children
                                  if c.dep_ in ("compound", "amod", "nmod", "nsubj", "dobj") or
                                  (fire and c.dep_ == "prep" and c.lower_ in CAUSES) or
                                  (c.dep_ == "prep" and c.lower_ == "with")
                                  for w in c.subtree}
    if words & AIR_WORDS:
        return AIR_STRIKE
    if words & FIRE_WORDS:
        return FIRE_STRIKE
    return None


def _capture_noun(t: Token, toponyms: set[int]) -> bool:
    return (t.pos_ == "NOUN" and t.lemma_.lower() in CAPTURE_NOUNS and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(w.i in toponyms for w in c.subtree)
        for c in t.children))


def _withdrawal_noun(t: Token, toponyms: set[int]) -> bool:
    """"announced its withdrawal from Avdiivka"."""
    return (t.pos_ == "NOUN" and t.lemma_.lower() in WITHDRAW_NOUNS and any(
        c.dep_ == "prep" and c.lower_ == "from" and any(w.i in toponyms for w in c.subtree)
        for c in t.children))


def _progress_noun(t: Token) -> bool:
    return (t.lemma_.lower() in ("progress", "gain", "headway", "inroad") and t.dep_ == "dobj"
            and t.head.lemma_ == "make")


def _light_verb(t: Token) -> Token:
    """The verb of "made progress", "carried out a strike", "unleashed a wave of strikes"."""
    node = t
    if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.dep_ == "dobj":
        node = node.head.head
    if node.dep_ == "dobj" and node.head.lemma_ in LIGHT_VERBS:
        return node.head
    return t


def _air_defence(t: Token) -> bool:
    """Drones or missiles destroyed in the air: over a place, or by air defences (not
    aircraft destroyed on the ground at an air base)."""
    objects = [o for o in _objects(t) if o.lemma_.lower() in AIRCRAFT]
    if not objects:
        return False
    over = any(c.dep_ == "prep" and c.lower_ == "over" for w in [t, *objects]
               for c in w.children)
    defence = any(w.lemma_.lower() in ("defence", "defense", "defences", "defenses")
                  for c in t.children if c.dep_ in ("nsubj", "agent") for w in c.subtree)
    return over or defence


def hypothetical(t: Token) -> bool:
    """A plan, a condition, a forecast or a danger averted rather than something that
    happened ("to avoid encirclement", "the threat of encirclement", "their goal to
    capture")."""
    if t.pos_ in ("NOUN", "PROPN"):
        governor = t.head.head if t.head.lower_ == "of" else t.head
        if governor.lemma_.lower() in AVERTED or (
                t.dep_ == "dobj" and t.head.lemma_.lower() in PREVENT_VERBS):
            return True
        if t.dep_ == "nsubj" and _has_child(t.head, {"acomp", "attr"}, AHEAD):
            return True  # "the capture of X was near"
        if t.dep_ == "pobj" and t.head.lower_ in UNTIL and t.head.head.lemma_ in (
                "remain", "be", "have", "leave"):
            return True  # "only days remained until the liberation of X"
    if t.dep_ == "pcomp" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in \
            THRESHOLDS:
        return True  # "on the brink of liberating X": not yet
    if (t.dep_ == "xcomp" and t.head.lower_ in NEARNESS) or (
            t.dep_ == "pcomp" and t.head.lower_ == "to" and t.head.head.lower_ in NEARNESS):
        return True  # "came close to capturing X": not yet either
    if t.dep_ == "acl" and t.head.lemma_.lower() in AIMS:
        return True
    if t.dep_ in ("acl", "relcl") and _has_child(t, {"aux"}, {"to"}) and not any(
            c.tag_ == "JJS" or c.lower_ in ORDINALS for c in t.head.children):
        return True  # "a foothold to prevent X", but "the latest town to fall"
    if t.dep_ == "advcl" and _has_child(t, {"aux"}, {"to"}):
        return True  # "focus their efforts on X to capture Y": a purpose
    if t.dep_ in ("acl", "relcl") and t.head.dep_ in ("dobj", "oprd", "attr") and any(
            c.dep_ == "aux" and c.lower_ in MODALS for c in t.head.head.children):
        return True  # "this would make X the first town to fall"
    node = t.head if t.pos_ in ("NOUN", "PROPN") and t.head.pos_ in ("VERB", "AUX") else t
    for _ in range(3):
        if any((c.dep_ == "aux" and c.lower_ in MODALS) or
               (c.dep_ == "mark" and c.lower_ in CONDITIONS) for c in node.children):
            return True
        if node.dep_ in ("xcomp", "ccomp", "advcl", "conj") and node.head.lemma_ in INTENTIONS:
            return True
        if node.dep_ in ("xcomp", "ccomp") and any(
                c.dep_ == "aux" and c.lower_ in MODALS for c in node.head.children):
            return True  # "this would make X the first town to fall"
        if node.dep_ in ("xcomp", "ccomp", "attr") and any(
                c.dep_ == "nsubj" and c.lemma_.lower() in AIMS for c in node.head.children):
            return True  # "their goal is to capture X"
        if node.dep_ == "pcomp" and node.head.lower_ == "from" and \
                node.head.head.lemma_.lower() in PREVENT_VERBS:
            return True
        if node.dep_ not in ("xcomp", "conj") or node.head.i == node.i:
            break
        node = node.head
    return False


def failed_attempt(t: Token) -> bool:
    """"attempted unsuccessfully to storm X", "failed to break through at X": an attack
    that was held off, which the defender's map shows as repelled."""
    node = t if t.dep_ == "xcomp" or t.pos_ not in ("NOUN", "PROPN") else t.head
    if node.dep_ != "xcomp":
        return False
    intent = node.head
    if intent.lemma_.lower() == "fail":
        return True
    heads = [intent, intent.head] if intent.dep_ == "conj" else [intent]
    return intent.lemma_.lower() in ("try", "attempt") and any(
        c.dep_ == "advmod" and c.lower_ in FAILURE_WORDS for h in heads for c in h.children)


def attempted(t: Token) -> bool:
    """"trying to recapture X", "attempts to storm X": the attacks happened, the taking did
    not. Plans and aims ("plans to capture X") stay plans."""
    if t.pos_ not in ("VERB", "AUX") or not _has_child(t, {"aux"}, {"to"}):
        return False
    if t.dep_ == "xcomp" and t.head.lemma_.lower() in ATTEMPT_WORDS:
        return not any(c.dep_ == "aux" and c.lower_ in MODALS for c in t.head.children)
    attempts = t.head
    held_off = attempts.dep_ in ("dobj", "nsubjpass") and attempts.head.lemma_.lower() in \
        STOP_VERBS | PREVENT_VERBS | REPEL_VERBS  # "prevented attempts to break through"
    return t.dep_ == "acl" and attempts.lemma_.lower() in ATTEMPT_WORDS and \
        attempts.tag_ == "NNS" and not held_off  # "repeated attempts to storm X"


def referred(t: Token) -> bool:
    """"the strike on Kharkiv" as the object of a comment or a denial: not a new event."""
    if t.pos_ not in ("NOUN", "PROPN"):
        return False
    node = t
    for _ in range(3):
        if node.head.i == node.i:
            return False
        below, node = node, node.head
        if node.lemma_.lower() in ACKNOWLEDGING and node.pos_ == "VERB" and \
                below.dep_ == "dobj" and t.lemma_.lower() in HANDOVER_NOUNS:
            return _withheld(node)  # "Kyiv confirmed the fall of X": told, not referred to
        if node.lemma_.lower() in RESPONSES:
            return True
    return False


def _withheld(verb: Token) -> bool:
    """"has not confirmed", "declined to confirm", "is yet to acknowledge"."""
    return _has_child(verb, {"neg"}) or (verb.dep_ == "xcomp" and (
        verb.head.lemma_ in ("decline", "refuse") or _has_child(verb.head, {"advmod"},
                                                                 {"yet"})))


def negated(t: Token) -> bool:
    node = t.head if t.pos_ in ("NOUN", "PROPN") and t.dep_ == "dobj" else t
    return any(c.dep_ == "neg" for c in node.children) or _claim_called_false(t)


def _claim_called_false(t: Token) -> bool:
    """"Claims of the capture of X were premature", "reports of the fall of X are false":
    the speaker denies the event."""
    if t.dep_ != "pobj" or t.head.lower_ != "of" or t.head.head.lemma_.lower() not in \
            CLAIM_NOUNS:
        return False
    claim = t.head.head
    return claim.dep_ == "nsubj" and _has_child(claim.head, {"acomp", "attr"}, FALSE_WORDS)


def _infinitive(t: Token) -> bool:
    """"attempted to storm", with "storm" tagged a noun."""
    return t.dep_ == "xcomp" and _has_child(t, {"aux"}, {"to"})


def _fight_type(t: Token, toponyms: set[int]) -> tuple[str, str | None, Token] | None:
    """Fighting at a place: "heavy fighting near X", "clashes broke out in X", "stormed X".
    A noun that a repel or capture word governs ("assaults near X were repelled") is that
    event's, not a second one."""
    lemma = t.lemma_.lower()
    if t.dep_ == "compound":
        return None
    if t.pos_ in ("NOUN", "PROPN") and lemma in ADVANCE_NOUNS and t.dep_ == "dobj" and \
            t.head.lemma_.lower() in OPENING_VERBS:
        return ADVANCE, None, t.head  # "mounted an offensive into the region"
    if t.pos_ in ("NOUN", "PROPN") and lemma in FIGHT_NOUNS:
        if _movement_type(t.head, toponyms) is not None or t.head.lemma_.lower() in \
                REPEL_VERBS or _repelled(t):
            return None
        head = t.head if t.dep_ in ("nsubj", "nsubjpass", "dobj") and t.head.pos_ in (
            "VERB", "AUX") else _light_verb(t)
        return FIGHTING, None, head
    if lemma in FIGHT_VERBS and (t.pos_ == "VERB" or _infinitive(t)):
        if t.dep_ in ("nsubj", "csubj") and t.head.pos_ in ("VERB", "AUX"):
            return FIGHTING, None, t.head  # "fighting continued in X", read as a gerund
        return FIGHTING, None, t
    if lemma in ("focus", "concentrate") and t.pos_ == "VERB" and any(
            o.lemma_.lower() in EFFORTS for o in _objects(t)):
        return FIGHTING, None, t  # "focused their efforts at Kurakhove"
    if lemma == "attack" and t.pos_ == "VERB" and any(
            _placey(o, toponyms) for o in _objects(t)):
        if any((o.tag_ == "NNS" and o.lemma_.lower() in SETTLEMENT_NOUNS) or
               o.lemma_.lower() == "capital" for o in _objects(t)):
            return STRIKE, _strike_sub_event(t), t  # "attacked the cities of X, Y and Z"
        return FIGHTING, None, t  # "the town has been attacked from several directions"
    if lemma in CLEAR_WORDS and (t.pos_ == "VERB" and any(
            _placey(o, toponyms) for o in _objects(t)) or t.pos_ == "NOUN"):
        return FIGHTING, CLEARING, t if t.pos_ == "VERB" else _light_verb(t)
    return None


def _situation_type(t: Token, toponyms: set[int]) -> tuple[str, str | None, Token] | None:
    """Encirclement, fighting, and who holds a place: the front as it stands."""
    lemma = t.lemma_.lower()
    if lemma in ENCIRCLE_WORDS and t.pos_ in ("VERB", "NOUN"):
        return ENCIRCLEMENT, None, t if t.pos_ == "VERB" else _light_verb(t)
    if lemma == "control" and t.pos_ == "NOUN" and t.head.lower_ == "under" and \
            t.head.head.lemma_.lower() in STAY_VERBS:
        return CONTROL, None, t.head.head  # "X remains under Ukrainian control"
    if lemma == "control" and t.pos_ == "NOUN" and t.head.lower_ == "under" and \
            t.head.head.lemma_.lower() in ("come", "fall", "pass"):
        return CAPTURE, None, t.head.head  # "X came under Russian control": it changed hands
    if lemma == "hand" and t.lower_ == "hands" and t.head.lower_ == "in" and \
            _has_child(t, {"amod", "poss"}):
        verb = t.head.head
        return CONTROL, None, verb if verb.pos_ in ("VERB", "AUX") else t  # "in Russian hands"
    if lemma == "zone" and _has_child(t, {"amod", "compound"}, GRAY_WORDS):
        verb = t.head.head if t.head.dep_ == "prep" else t.head
        return CONTROL, GRAY_ZONE, verb
    if lemma == "present" and t.dep_ == "acomp" and t.head.lemma_ in STAY_VERBS and any(
            c.dep_ == "prep" and c.lower_ in ("in", "on", "at") for c in t.children):
        return CONTROL, None, t.head  # "our units are still present around Tetkino"
    if t.pos_ in ("VERB", "AUX") and lemma in ("remain", "stay") and any(
            c.dep_ == "prep" and c.lower_ in ("at", "in", "on") and any(
                w.dep_ == "pobj" and w.lemma_.lower() in HELD_GROUND for w in c.children)
            for c in t.children):
        return CONTROL, None, t  # "defenders remain at their positions on the left bank"
    if t.pos_ == "VERB" and lemma in HOLD_VERBS and any(
            _placey(o, toponyms) or o.lemma_.lower() in ("position", "line", "ground")
            for o in _objects(t)):
        return CONTROL, None, t
    if t.pos_ == "VERB" and lemma in HOLD_VERBS and _has_child(t, {"auxpass"}) and \
            _has_child(t, {"agent"}) and not _has_child(t, {"nsubjpass"}) and \
            t.dep_ in ("relcl", "ccomp", "acl"):
        return CONTROL, None, t  # "three hamlets that, he wrote, are now held by the enemy"
    if t.pos_ == "VERB" and lemma == "control" and any(_placey(o, toponyms)
                                                       for o in _objects(t)):
        return CONTROL, None, t
    if _massing(t):
        return CONTROL, BUILD_UP, t
    if _operation_goes_on(t):
        return CONTROL, None, t.head if t.dep_ == "nsubj" else t
    if t.pos_ == "VERB" and lemma in ("raise", "hoist", "plant", "place", "put", "hang") and any(
            o.lemma_.lower() == "flag" for o in _objects(t)):
        return ADVANCE, FLAG_RAISED, t
    return _fight_type(t, toponyms)


def _massing(t: Token) -> bool:
    """Troops gathered at a place: massing (amassing, concentrating) troops, troops that
    amass, a concentration (build-up) of troops; not troops concentrating their efforts."""
    lemma = t.lemma_.lower()
    if t.pos_ == "VERB" and lemma in MASSING_VERBS:
        objects = [c for c in t.children if c.dep_ == "dobj"]
        massed = objects or [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
        return any(c.lemma_.lower() in TROOP_WORDS for c in massed) and not negated(t)
    if t.pos_ == "NOUN" and lemma in MASSING_NOUNS:
        return any(w.lemma_.lower() in TROOP_WORDS for c in t.children if c.dep_ == "prep"
                   and c.lower_ == "of" for w in c.children if w.dep_ == "pobj")
    return False


def _operation_goes_on(t: Token) -> bool:
    """"Its operation in X continues", "operations in X are ongoing", "continued operations
    in X": a military operation said to go on at a place (no other kind of operation)."""
    if t.pos_ != "NOUN" or t.lemma_.lower() not in OPERATION_NOUNS or not any(
            c.dep_ == "prep" and c.lower_ in ("in", "inside", "within", "on") for c in t.children):
        return False
    if any(c.dep_ in ("amod", "compound") and c.lower_ not in MILITARY_KINDS | ONGOING
           for c in t.children):
        return False  # "rescue operations", "the special military operation"
    verb = t.head
    if t.dep_ == "nsubj" and (verb.lemma_.lower() in GOING_ON or (
            verb.lemma_ == "be" and _has_child(verb, {"acomp", "advmod"}, {"ongoing"}))):
        return not negated(verb)
    return any(c.dep_ == "amod" and c.lower_ in ONGOING for c in t.children)


def find_triggers(sent: Span, toponym_tokens: set[int]) -> list[Trigger]:
    """The event words of a sentence, in order. ``toponym_tokens`` are the indices of
    tokens that belong to place mentions (they make "reached the X" a place)."""
    found: list[Trigger] = []
    for t in sent:
        if t.i in toponym_tokens:
            continue
        kind = _movement_type(t, toponym_tokens)
        sub: str | None = None
        head = t
        if kind is None and _progress_noun(t):
            kind, head = ADVANCE, t.head
        elif kind is None and _capture_noun(t, toponym_tokens):
            kind, head = CAPTURE, _light_verb(t)
        elif kind is None and _withdrawal_noun(t, toponym_tokens):
            kind = WITHDRAWAL
        elif kind is None and _strike_type(t):
            kind = STRIKE
            sub = _strike_sub_event(t)
            head = _light_verb(t) if t.pos_ != "VERB" else t
        elif kind is None:
            situation = _situation_type(t, toponym_tokens)
            if situation is not None:
                kind, sub, head = situation
        if kind in (ADVANCE, CAPTURE, FIGHTING) and failed_attempt(t):
            kind, sub = REPELLED, FAILED_ATTACK
        elif (kind in (CAPTURE, FIGHTING) or t.lemma_ in ASSAULT_VERBS) and attempted(t):
            kind, sub = FIGHTING, ATTACKS  # "has been trying to recapture it": attacks
        elif kind is None or hypothetical(t) or referred(t):
            continue
        if kind in (STRIKE, FIGHTING) and under_fire(t):
            head = t.head.head  # "the town has been under attack": the town's clause
        if head is t and t.dep_ == "amod" and t.pos_ == "VERB":
            adjective_head = _participle_head(t)
            if adjective_head is None:
                continue
            head = adjective_head
        found.append(Trigger(t, kind, head, sub or SUB_EVENT.get(kind)))
    return found


def under_fire(t: Token) -> bool:
    """"X has been under relentless attacks", "X came under shelling": X is where."""
    return t.head.lower_ == "under" and t.head.head.pos_ in ("VERB", "AUX")


def _participle_head(t: Token) -> Token | None:
    """A participle before a noun: "had liberated X" misread as an adjective is the event
    at X; "Russian-occupied Horlivka", "the liberated village" state what stands."""
    if t.head.dep_ == "dobj" and t.head.head.lemma_ == "have":
        return t.head
    return None


def capture_sub_event(actor: str) -> str | None:
    """ACLED codes territory taken by a foreign state's forces as a non-state overtaking
    and territory regained by the government as such."""
    return {"UA": "Government regains territory",
            "RU": "Non-state actor overtakes territory"}.get(actor)
