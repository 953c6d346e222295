"""Who said what: quotations, their speakers from the attribution structure, merged over outlets.

1. Quotation marks (`quote_spans`): straight "…", curly “…”, AP-style ``…'', ''…'', guillemets «…», single quotes
   ‘…’ / '…' (not apostrophes), paragraph by paragraph; a quotation left open at the end of a paragraph runs to
   its end, and the next paragraph's opening mark continues it (multi-paragraph quotes).
2. Each quoted stretch is a `direct` quote (a sentence, or most of one, is quoted) or a `partial` quote (a
   quoted phrase inside indirect speech: Trump said the plan was "a disaster"). Quoted titles ("The View"),
   nicknames inside a name and scare quotes with no attribution in their sentence are not quotes.
3. The speaker comes from the attribution structure of the sentence, with the quotations masked: the cue
   (said, told, added, according to, wrote, called ... ) and its source before or after the quote:
   `“…,” X said`, `“…,” said X, role`, `“…,” provincial police spokesman X said`, `X, role, said: “…”`,
   `According to X, …`, `X said the plan was “…”`. A quote with no cue in its sentence continues the speaker
   of the quote before it in the paragraph (or the next one's), and a paragraph that opens with a quotation
   continues the previous paragraph's speaker when that quote ran on.
4. The source phrase is split into a name and a role ("provincial police spokesman" + "X"); a pronoun (he /
   she) resolves as a reader resolves it: the subject of its own sentence (or the nearest person named before it
   there), then sentence by sentence back the last named speaker, else that sentence's subject, skipping the
   other gender (`_Index.antecedent`); a definite description ("the senator", "The President", "the Iranian
   diplomat") to the person whose stated roles match, else the nearest preceding speaker; an unnamed source stays
   unnamed ("a woman who declined to give her name", "Lebanese media", "officials") and is shown as written.
   Names resolve to the merged entity ("Crocker" -> "Ryan Crocker"). Then a learned ranking (`quote_speakers.py`)
   picks each quote's speaker among the rules' candidates (cue sources around it, pronoun / description readings).
5. The same quote carried by several outlets becomes one `Quote` that keeps every outlet's speaker
   (`Quote.by_source`); outlets that give the same words to different people make a conflict
   (`speaker_conflicts`).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from newsbrief.model import Conflict, ConflictSide, Quote, QuoteSource, Span
from newsbrief.text.tokens import word_tree

# tunable parameters (chosen by cross-validation over PolNeAR articles: scripts/bench_quotes.py --cv; every fold chose
# continue_paragraphs 2 and min_words_lowercase 3)
PARAMS: dict = {
    "min_words_unattributed": 6,  # a quotation with no speaker is kept only from this many words
    "continue_paragraphs": 2,  # how many paragraphs back a quote with no cue may take its speaker from
    "pronoun_paragraphs": 3,  # how far back a pronoun looks for its antecedent
    "short_partials": True,  # a short quoted phrase in a sentence with a speech cue is a partial quote
    "min_words_lowercase": 3,  # a lower-case phrase in double quotes with no speaker: kept from this many words
    "first_name_gender": True,  # a person's gender from the first-name list when the text does not tell
    "rank_speakers": True,  # the speaker among the rules' candidates by the learned ranking (quote_speakers.py)
}
PARAM_GRID = [  # every entry sets every key (the benchmark applies them in turn)
    # the default:
    {"min_words_unattributed": 6, "continue_paragraphs": 2, "short_partials": True, "min_words_lowercase": 3},
    {"min_words_unattributed": 6, "continue_paragraphs": 1, "short_partials": True, "min_words_lowercase": 3},
    {"min_words_unattributed": 4, "continue_paragraphs": 1, "short_partials": True, "min_words_lowercase": 3},
    {"min_words_unattributed": 8, "continue_paragraphs": 1, "short_partials": True, "min_words_lowercase": 3},
    {"min_words_unattributed": 6, "continue_paragraphs": 0, "short_partials": True, "min_words_lowercase": 3},
    {"min_words_unattributed": 6, "continue_paragraphs": 1, "short_partials": False, "min_words_lowercase": 3},
    {"min_words_unattributed": 6, "continue_paragraphs": 2, "short_partials": True, "min_words_lowercase": 1},
    {"min_words_unattributed": 6, "continue_paragraphs": 2, "short_partials": True, "min_words_lowercase": 2},
    {"min_words_unattributed": 6, "continue_paragraphs": 2, "short_partials": True, "min_words_lowercase": 99},  # off
]

# ------------------------------------------------------------------------------------------------ marks

_PARA = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")
_OPEN_CLOSE = {"“": "”", "``": "''", "''": "''", "«": "»", "‘": "’", '"': '"', "'": "'", "„": "“", "‹": "›"}
_MARK = re.compile(r"``|''|[“”\"«»‘’'„‹›]")


def _is_apostrophe(text: str, i: int, ch: str) -> bool:
    """A single quote between letters (don't), after a letter-s (voters'), or before a year ('90s)."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev.isalnum() and nxt.isalnum():
        return True
    return ch in "'’" and nxt.isdigit()


def quote_spans(text: str) -> list[tuple[int, int, int, int]]:
    """(mark_start, inner_start, inner_end, mark_end) of every quotation in `text`, in order.

    Double quotes first; single quotes only outside them (and only where they cannot be apostrophes).
    A quotation still open at the end of its paragraph ends there (mark_end == inner_end)."""
    out: list[tuple[int, int, int, int]] = []
    for para in _PARA.finditer(text):
        p0, ptext = para.start(), para.group()
        doubles = _pair(ptext, {"“", "``", "«", '"', "„", "''"})
        out += [(p0 + a, p0 + b, p0 + c, p0 + d) for a, b, c, d in doubles]
        singles = _pair(ptext, {"‘", "'", "‹"}, outside=doubles)
        for a, b, c, d in singles:
            if d - a > 3 and re.search(r"\w\W*\w", ptext[b:c]):
                out.append((p0 + a, p0 + b, p0 + c, p0 + d))
    out.sort()
    return out


def _pair(ptext: str, openers: set[str], outside=()) -> list[tuple[int, int, int, int]]:
    res = []
    i = 0
    n = len(ptext)
    blocked = [(a, d) for a, _, _, d in outside]
    while i < n:
        m = _MARK.search(ptext, i)
        if not m:
            break
        ch, pos = m.group(), m.start()
        if ch == "''" and (pos > 0 and not (ptext[pos - 1].isspace() or ptext[pos - 1] in "([—–-")
                           or ptext[pos + 2:pos + 3].isspace() or pos + 2 >= n):
            i = m.end()  # '' opens a quotation (New York Times style) only before a word, after a space
            continue
        if any(a <= pos < d for a, d in blocked) or ch not in openers or \
                (ch in "'‘" and _is_apostrophe(ptext, pos, ch)) or (ch == '"' and ptext[pos + 1:pos + 2].isspace()
                                                                    and pos > 0 and not ptext[pos - 1].isspace()):
            i = m.end()
            continue
        closer = _OPEN_CLOSE[ch]
        closers = {closer} | ({"”"} if ch == '"' else set()) | ({'"'} if ch == "“" else set())
        j = m.end()
        end = None
        while j < n:
            m2 = _MARK.search(ptext, j)
            if not m2:
                break
            c2 = m2.group()
            if c2 in closers and not (c2 in "'’" and _is_apostrophe(ptext, m2.start(), c2)):
                end = m2
                break
            if c2 in ("“", "``", "«") and closer in ("”", "''", "»") and c2 == ch:
                break  # a new quotation opens before this one closed: this one ran to here
            j = m2.end()
        if end is not None:
            res.append((pos, m.end(), end.start(), end.end()))
            i = end.end()
        else:
            stop = m2.start() if (m2 := _MARK.search(ptext, m.end())) and m2.group() == ch and ch in ("“", "``", "«") \
                else len(ptext.rstrip())
            if ch in ("'", "‘"):  # an unpaired single quote is an apostrophe or a typo, not a quotation
                i = m.end()
                continue
            res.append((pos, m.end(), stop, stop))
            i = stop if stop > pos + 1 else m.end()
    return res


# ------------------------------------------------------------------------------------------------ words

SPEECH = (
    "said|says|say|saying|told|tells|tell|telling|added|adds|adding|stated|states|declared|declares|announced|"
    "announces|insisted|insists|vowed|vows|warned|warns|warning|explained|explains|noted|notes|asked|asks|"
    "replied|replies|argued|argues|arguing|claimed|claims|claiming|confirmed|confirms|denied|denies|stressed|"
    "stresses|emphasized|emphasised|emphasizes|remarked|commented|wrote|writes|writing|acknowledged|"
    "acknowledges|admitted|admits|reiterated|urged|urges|countered|counters|responded|responds|continued|"
    "continues|concluded|predicted|predicts|recalled|recalls|described|describes|describing|called|calls|"
    "calling|accused|accuses|suggested|suggests|complained|complains|conceded|promised|promises|pledged|"
    "pledges|observed|reported|reports|cautioned|estimated|believes|believed|thinks|thought|hopes|hoped|"
    "quipped|joked|shouted|yelled|chanted|screamed|whispered|agreed|agrees|testified|maintained|maintains|"
    "proclaimed|affirmed|assured|boasted|charged|tweeted|tweets|posted|posts|blasted|slammed|praised|"
    "criticized|criticised|mocked|touted|touts|labeled|labelled|dubbed|branded|termed|referred|refers|"
    "characterized|declaring|insisting|recounted|wondered|mused|bragged|lamented|announcing|telling|asking|"
    "exclaimed|retorted|interjected|read|reads|conclude|concludes|contends|contended|declined|decried|"
    "demanded|demands|dismissed|dismisses|hailed|insist|joking|noting|offered|quoted|quoting|recalling|"
    "repeated|repeats|signaled|urging|vowing|warn|explaining|acknowledging|adds|predicting|promising|"
    "questioned|questions|stating|suggesting|told|writes|put|puts|framed|defended|defends|likened|compared|"
    "cited|cites|implored|explains|answered|answers|replying|responding|pointing|pointed|argue|claim|"
    "promise|pledge|vow|call|describe|tweet|write|ask|tell|deny|denying|accusing|accuse|hinting|hinted"
)
_CUE = re.compile(r"(?<![\w-])(?:[Aa]ccording to|[Ii]n a statement|" + word_tree(SPEECH.split("|"))
                  + r"|(?!including\b)[a-z]{3,}ing(?=[,:]?\s*§))(?![\w-])")
_AFTER_VERBS = "said|says|added|asked|told|wrote|writes|continued|explained|noted|declared|argued|insisted|" \
               "replied|recalled|warned|tweeted|stated|conceded|concluded|countered|exclaimed|remarked|quipped|" \
               "responded|admitted|joked|shouted|cautioned|observed|acknowledged|stressed|predicted|" \
               "announced|offered|answered|complained|adds|says|tells|notes|asks|claimed|agreed|maintained|" \
               "pointed out|went on"
PRONOUNS = {"he": "m", "she": "f", "they": "p", "i": "1", "we": "1", "you": "2", "it": "n"}
_DET = {"the", "a", "an", "his", "her", "their", "its", "one", "another", "two", "three", "several", "some",
        "many", "both", "this", "that", "these", "those", "our", "my", "other"}
_NP_STOP = {"and", "but", "or", "that", "which", "when", "while", "if", "because", "as", "after", "before", "since",
            "then", "so", "also", "has", "have", "had", "is", "was", "were", "are", "will", "would", "could", "should",
            "can", "may", "might", "did", "does", "do", "not", "in", "on", "at", "to", "from", "by", "with", "into",
            "about", "during", "than", "where", "why", "how", "what", "there", "here", "been", "being", "be",
            "later", "earlier", "again", "repeatedly", "previously", "once", "now", "recently", "just", "still",
            "yesterday", "today", "tonight", "however", "meanwhile", "instead", "too", "even", "further",
            "first", "finally", "only", "already", "never", "often", "always", "publicly", "privately"}
_NP_INNER = {"of", "for", "at", "from", "with", "in", "on", "to", "the", "and"}  # inside an NP after its head
_ADVERB_GAP = re.compile(r"(?:\s+(?:also|later|earlier|then|again|repeatedly|previously|once|now|recently|just|"
                         r"has|have|had|will|would|could|may|might|did|does|do|is|was|were|are|been|being|"
                         r"not|never|often|always|publicly|privately|simply|quickly|flatly|bluntly|further|"
                         r"even|still|finally|first|only|already|to|goes|went|go|going|on|continued|continues|"
                         r"began|begins|wants|wanted|tried|tries|used|appeared|appears|seemed|seems|expected|"
                         r"likely|about|able|[a-z]+ly))*\s*$")
_CIRCUMSTANCE = re.compile(
    r"(?:,?\s+(?:(?:less|more) than\s+)?(?:a|an|one|two|three|four|five|six|several|few|\d+)\s+(?:days?|weeks?|months?|"
    r"years?|hours?|minutes?)\s+(?:ago|later|earlier)|,?\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday)(?:\s+(?:night|morning|afternoon|evening))?|,?\s+(?:last|this|next)\s+(?:week|month|year|night|spring|"
    r"summer|fall|winter)|,?\s+(?:earlier|later)\s+(?:this|last|that|in\s+the)\s+\w+|,?\s+in\s+(?:a|an|his|her|their)\s+"
    r"(?:[\w’'-]+\s+){0,3}(?:interview|statement|speech|email|e-mail|tweet|post|op-ed|letter|memo|appearance|"
    r"address|remarks|release)(?:\s+(?:with|to|on|at)\s+[^,§]{1,40}?)?|,?\s+(?:on|in)\s+(?:Twitter|Facebook|"
    r"Instagram|CNN|Fox|MSNBC|television|TV|radio)|,?\s+(?:yesterday|today|tonight))+,?\s*$")
_LEAD = re.compile(r"(?:\s*(?:(?:But|And|So|Yet|Still|Also|Meanwhile|However|Instead|Later|Earlier|Now|Then|Indeed|"
                   r"Moreover|Separately|Similarly|Finally|Afterward|Afterwards)\b,?|(?:On|In|At|After|Before|During|"
                   r"Hours|Days|Minutes|Weeks|Last|This|Speaking|Asked|Earlier|Later|Since|Following|Over|Under|"
                   r"Within|Throughout|Like|Unlike|Despite|For|From|With|Without|When|While|As|Once|Early|Late|Back|Even|"
                   r"Just|Shortly|Soon|Through|Amid|Among|Among|Outside|Inside|Near|Across|Along|Until)\b[^,;:]{0,110},)"
                   r"\s*)+")
_PERSON_NOUNS = {
    "spokesman", "spokeswoman", "spokesperson", "president", "senator", "candidate", "nominee", "governor",
    "mayor", "minister", "secretary", "official", "officer", "ambassador", "envoy", "diplomat", "leader",
    "chairman", "chairwoman", "director", "chief", "commander", "general", "adviser", "advisor", "aide",
    "manager", "strategist", "lawmaker", "congressman", "congresswoman", "representative", "speaker", "judge",
    "lawyer", "attorney", "prosecutor", "professor", "analyst", "expert", "economist", "billionaire",
    "businessman", "businesswoman", "mogul", "tycoon", "man", "woman", "boy", "girl", "mother", "father",
    "son", "daughter", "wife", "husband", "brother", "sister", "friend", "neighbor", "neighbour", "witness",
    "resident", "victim", "survivor", "doctor", "nurse", "soldier", "pilot", "driver", "student", "teacher",
    "activist", "voter", "supporter", "critic", "host", "anchor", "reporter", "journalist", "columnist",
    "editor", "writer", "author", "actor", "actress", "singer", "star", "player", "coach", "owner", "founder",
    "executive", "ceo", "front-runner", "frontrunner", "contender", "hopeful", "challenger", "incumbent",
    "democrat", "republican", "politician", "veteran", "pastor", "priest", "cleric", "bishop", "pope",
    "king", "queen", "prince", "princess", "premier", "chancellor", "negotiator", "mediator", "counterpart",
    "inspector", "investigator", "detective", "sheriff", "chairperson", "organizer", "organiser", "delegate",
    "member", "worker", "employee", "farmer", "policeman", "fireman", "captain", "colonel",
    "lieutenant", "sergeant", "admiral", "person", "source", "insider", "donor", "operative", "pollster",
    "surrogate", "governor-elect", "president-elect", "vice", "deputy", "head", "boss", "scientist",
    "researcher", "engineer", "trooper", "agent", "emir", "sheikh", "ayatollah", "imam", "rabbi",
    "monk", "patient", "parent", "grandmother", "grandfather", "uncle", "aunt", "cousin", "widow", "nephew",
    "niece", "fan", "guard", "commissioner", "councilman", "councilwoman", "legislator", "assemblyman",
}
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "lt", "gen", "col", "sgt", "capt", "maj", "adm",
           "prof", "rev", "pres", "sir", "dame", "lord", "lady", "gov.", "cmdr", "cpl", "pfc", "spc", "brig",
           "st", "fr", "sr", "jr", "hon", "del"}
_NOT_NAME_CAPS = {"The", "A", "An", "In", "On", "At", "But", "And", "Or", "As", "If", "When", "While", "After",
                  "Before", "Since", "For", "From", "With", "By", "To", "Of", "That", "This", "These", "Those",
                  "It", "Its", "He", "She", "They", "We", "I", "You", "His", "Her", "Their", "Our", "My", "Your",
                  "There", "Here", "Then", "So", "Yet", "Also", "Still", "Now", "However", "Meanwhile", "Later",
                  "Earlier", "Asked", "Speaking", "According", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                  "Saturday", "Sunday", "Mr", "Mrs", "Ms", "Dr", "What", "Why", "How", "Who", "Where", "One",
                  "Two", "Some", "Many", "Most", "All", "No", "Not", "Even", "Just", "Only", "Every", "Each",
                  "Another", "Other", "Both", "Such", "Like", "Unlike", "Instead", "Though", "Although", "Because",
                  "Once", "Until", "Today", "Yesterday", "Tonight", "Last", "Next", "First", "Second", "Third",
                  "New", "Former", "Senior", "Top"}
_UNNAMED_HEADS = {"media", "press", "newspaper", "newspapers", "television", "tv", "radio", "agency", "report",
                  "reports", "statement", "statements", "poll", "polls", "survey", "study", "website", "site",
                  "officials", "sources", "police", "authorities", "witnesses", "residents", "people", "experts",
                  "analysts", "critics", "supporters", "aides", "advisers", "protesters", "crowd", "campaign",
                  "group", "groups", "organization", "organisation", "ad", "ads", "letter", "memo", "email",
                  "emails", "document", "documents", "tweet", "tweets", "post", "article", "book", "video",
                  "government", "administration", "ministry", "army", "military", "party", "committee",
                  "council", "court", "spokesman", "spokeswoman", "spokesperson", "official", "source", "woman",
                  "man", "person", "someone", "voter", "voters", "doctors", "teachers", "students"}


@dataclass
class Source:
    """A speaker phrase as written, split into name / role, and what it resolves to."""

    start: int
    end: int
    text: str
    name: str | None = None  # the name in the phrase ("X" of "police spokesman X")
    role: str | None = None
    pronoun: str | None = None  # m / f / p / 1 / 2 / n
    speaker: str | None = None  # resolved display name (canonical entity name or the description)
    named: bool = False
    cue: str = ""


@dataclass
class _Q:
    article: str
    ms: int
    qs: int
    qe: int
    me: int
    kind: str = "direct"
    source: Source | None = None
    how: str = ""
    sentence: int = -1
    paragraph: int = 0
    open_end: bool = False
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------ helpers

_WORD = re.compile(r"[\w’'.-]+|[,;:()—–]|\S")


_ABBREV = re.compile(r"\b(?:Sen|Rep|Reps|Gov|Govs|Dr|Mr|Mrs|Ms|Lt|Gen|Col|Sgt|Capt|Maj|Adm|Prof|Rev|St|Jr|Sr|Del|"
                     r"Pres|Gens|Cmdr|Cpl|Pfc|Spc|Brig|Ft|Mt|No|Calif|Fla|Mass|Ind|Wis|Ill|Pa|Va|Md|Tenn|Ky|Ga|Ala|Ariz|"
                     r"Colo|Conn|Mich|Minn|Miss|Mo|Neb|Nev|Okla|Ore|Tex|Wash|Wyo|Ark|Kan|Vt|Inc|Corp|Co|Ltd|Bros|vs|"
                     r"Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|[A-Z])\.(?=[\s,A-Z)-])")


def _mask(text: str, spans) -> str:
    """The text with every quotation (marks included) replaced by '§' characters (same length), and the dots of
    abbreviations ("Sen.", "U.S.", "D-Minn.") by '_', so that they do not end a phrase."""
    chars = list(text)
    for m in _ABBREV.finditer(text):
        chars[m.end() - 1] = "_"
    for ms, _, _, me in spans:
        for i in range(ms, min(me, len(chars))):
            if chars[i] != "\n":
                chars[i] = "§"
    return "".join(chars)


def _is_cap(w: str) -> bool:
    return bool(w) and (w[0].isupper() or (w[:3] in ("al-", "el-") and len(w) > 3 and w[3].isupper()))


def _split_np(np: str) -> tuple[str | None, str | None]:
    """(name, role) of a source phrase: 'provincial police spokesman Juan Perez' -> ('Juan Perez', 'provincial
    police spokesman'); 'Crocker, the US ambassador' -> ('Crocker', 'the US ambassador'); 'Lebanese media' ->
    (None, None); "John Kasich's campaign" -> (None, None)."""
    np = np.strip(" ,")
    appos = None
    m = re.match(r"^(.*?),\s+(.+?),?$", np)
    if m:
        np, appos = m.group(1), m.group(2)
    np = re.sub(r"\s*\([^)]*\)", "", np)
    # "Joel Pollak of Breitbart California": the person before "of" (not "Secretary of State John Kerry")
    m = re.match(r"^(.*?[A-Z][\w’'.-]*)\s+(?:of|for|at|with|from|in)\s+(.+)$", np)
    if m:
        left = m.group(1).split()
        if any(_is_cap(w) and w.lower().strip(".") not in _TITLES and w.lower() not in _PERSON_NOUNS
               and not _is_demonym(w) and w.lower() not in _ROLE_CAPS for w in left):
            name, role = _split_np(m.group(1))
            if name:
                return name, (role + " " if role else "") + np[len(m.group(1)):].strip() if role else \
                    np[len(m.group(1)):].strip()
    toks = np.split()
    if not toks:
        return None, None
    # the last capitalised run that is not followed by a lower-case head noun
    i = len(toks)
    while i > 0 and not _is_cap(toks[i - 1]):
        i -= 1
    if i == 0:
        return (_split_np(appos)[0], None) if appos else (None, None)
    if i < len(toks) and toks[i].lower() not in ("jr", "jr.", "sr", "iii") and not toks[i].startswith("("):
        return (_split_np(appos)[0], None) if appos and _split_np(appos)[0] else (None, None)
    j = i
    while j > 0 and (_is_cap(toks[j - 1]) or toks[j - 1] in ("de", "van", "von", "bin", "da", "di", "le", "la", "du")):
        j -= 1
    run = toks[j:i]
    if run and re.search(r"['’]s?$", run[-1]):
        return (_split_np(appos)[0], None) if appos else (None, None)
    # strip titles and role words off the front of the run
    def titleish(w: str) -> bool:
        wl = w.lower().strip(".,")
        return wl in _TITLES or wl in _PERSON_NOUNS or wl in _ROLE_CAPS or _is_demonym(w) \
            or (w.isupper() and len(w) <= 4) or w.rstrip(".") in ("U.S", "US", "UK", "UN", "EU")

    k = 0
    while k < len(run) - 1 and titleish(run[k]):
        k += 1
    # "Vermont Sen. Bernie Sanders", "Texas Lt. Gov. Dan Patrick": the name follows the last title
    last_title = max((i for i, w in enumerate(run[:-1]) if w.lower().strip(".,") in _TITLES
                      or w.lower().strip(".,") in _PERSON_NOUNS), default=-1)
    k = max(k, last_title + 1)
    name_toks = run[k:]
    while len(name_toks) > 1 and name_toks[0] in ("The", "A", "An", "This", "That"):
        name_toks = name_toks[1:]
    name = " ".join(name_toks).strip(".,")
    determined = (run[0] in ("The", "A", "An", "This", "That")
                  or j > 0 and toks[j - 1].lower() in ("the", "a", "an", "this", "that"))
    if len(name_toks) == 1 and determined and (name.lower() in _PERSON_NOUNS or name.lower() in _ROLE_CAPS
                                               or name.lower() in _TITLES):
        name = ""  # "The President said": a description, resolved through the roles
    if not name or name in _NOT_NAME_CAPS or name.lower() in PRONOUNS or _is_demonym(name):
        return (_split_np(appos)[0], None) if appos else (None, None)
    role_words = toks[:j] + run[:k]
    role = " ".join(w for w in role_words if w.lower() not in ("the", "a", "an")) or None
    if appos and not role:
        role = appos
    if role and not any(w.lower().strip(".,") in _PERSON_NOUNS or w.lower().strip(".") in _TITLES
                        or _is_cap(w) for w in role.split()):
        role = None
    if role and role.lower().strip(".") in _TITLES:
        role = None
    return name, role


_ROLE_CAPS = {"former", "then", "acting", "senior", "top", "late", "ex", "secretary", "minister", "president",
              "director", "chairman", "chairwoman", "head", "chief", "governor",
              "mayor", "senator", "ambassador", "speaker", "leader", "attorney", "general", "state", "house",
              "department", "commissioner", "editor", "ceo", "founder", "member", "spokesman", "spokeswoman",
              "vice", "deputy", "prime", "foreign", "interior", "defense", "defence", "justice", "homeland"}
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ese|ian|ians|ean|eans|ish|i|is|an|ans)$")
_DEMONYMS = {"American", "Americans", "British", "French", "Dutch", "Swiss", "Greek", "Thai", "Irish", "Welsh",
             "Scottish", "Spanish", "Danish", "Polish", "Turkish", "Kurdish", "Jewish", "Arab", "Arabs", "Saudi",
             "Saudis", "Filipino", "Lebanese", "Chinese", "Japanese", "Vietnamese", "Iraqi", "Iraqis", "Israeli",
             "Israelis", "Pakistani", "Pakistanis", "Afghan", "Afghans", "Yemeni", "Kuwaiti", "Qatari", "Omani",
             "Emirati", "Bangladeshi", "Nepali", "Somali", "Czech", "Slovak", "Swedish", "Finnish", "Norwegian",
             "Western", "Eastern", "Northern", "Southern", "European", "African", "Asian", "Latin", "Muslim",
             "Christian", "Catholic", "Shiite", "Sunni", "Palestinian", "Democratic", "Republican", "GOP",
             "Democrat", "Democrats", "Republicans", "Conservative", "Liberal", "Labour", "State", "Federal"}


def _is_demonym(w: str) -> bool:
    w = w.strip(".,")
    if w in _DEMONYMS:
        return True
    from newsbrief.analysis.entities import is_demonym  # noqa: PLC0415 (entities imports nothing from here)

    return is_demonym(w)


_PERSON_NOUN_RE = re.compile(r"\b(?:" + "|".join(sorted(_PERSON_NOUNS)) + r")s?\b|\b\d{1,3}\b|\bof\b", re.I)


_APPOS_START = re.compile(r",\s+(?:the|a|an|his|her|their|its|one|who|\d{1,3}\b|(?:former|then|now|longtime|"
                          r"chief|senior|deputy|vice|acting|top)\b|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*['’]s\b|"
                          r"(?:" + "|".join(sorted(_PERSON_NOUNS)) + r")\b)", re.I)


_NOUN_COMMA_NAME = re.compile(r"\b([a-z]+),\s+((?:[A-Z][\w’'_-]*\s+){0,3}[A-Z][\w’'_-]*),\s*$")
_DASHED_NAME = re.compile(r"\s*(?:--|—|–)\s*([A-Z][^—–§]{1,120}?)\s*(?:--|—|–)\s*$")
_PARENTHESIS_END = re.compile(r"\s*\([^()]{1,40}\)\s*$")
_APPOSITION_END = re.compile(r",\s+[^,;:“”\"§]{1,90},?\s*$")
_NAME_END = re.compile(r"(?:[A-Z][\w’'_-]*|\))\s*$")
_TAIL = 400  # characters before a cue searched for the end-anchored patterns (far longer than their matches)


def _source_before(masked: str, lo: int, cue_start: int) -> tuple[int, int] | None:
    """The source phrase that ends right before a cue (adverbs and an apposition may sit between):
    'Hoshiyar Zebari, the Iraqi foreign minister, said' -> 'Hoshiyar Zebari, the Iraqi foreign minister'."""
    # The patterns below are anchored at the end ("...$"): each is searched in a window before that end, as
    # long as its longest match, so that a long paragraph costs no more than a short one.
    base = max(lo, cue_start - _TAIL)
    circ = _CIRCUMSTANCE.search(masked, base, cue_start)
    head_end = circ.start() if circ and circ.start() > lo else cue_start
    gap = _ADVERB_GAP.search(masked, max(lo, head_end - _TAIL), head_end)
    end = gap.start() if gap else head_end
    base = max(lo, end - _TAIL)
    dash = _DASHED_NAME.search(masked, base, end)
    if dash:  # "A former candidate -- John McCain, who lost the 2008 election -- said": the name inside
        return dash.start(1), dash.start(1) + len(re.split(r",", dash.group(1))[0])
    par = _PARENTHESIS_END.search(masked, base, end)  # "Gov. John Kasich (R-OH) said"
    if par:
        end = par.start()
    # an apposition ", the ..., " right before
    stop = end
    for _ in range(3):  # "Clinton, 35, the daughter of former President Bill Clinton, said"
        m = _APPOSITION_END.search(masked, max(lo, stop - _TAIL), stop)
        if m and _NAME_END.search(masked, max(lo, m.start() - _TAIL), m.start()) and _APPOS_START.match(m.group()) \
                and (_PERSON_NOUN_RE.search(m.group()) or re.fullmatch(r",\s+\d{1,3},?\s*", m.group())):
            stop = m.start()
        else:
            break
    # walk back over the noun phrase
    named_after_noun = _NOUN_COMMA_NAME.search(masked, max(lo, stop - _TAIL), stop)
    if named_after_noun and named_after_noun.group(1).lower() in _PERSON_NOUNS:
        return named_after_noun.start(2), named_after_noun.end(2)  # "his grandmother, Margaret Sperry, said"
    base = max(lo, stop - _TAIL)
    if base > lo:  # start the window at a word boundary
        space = masked.find(" ", base, stop)
        base = space if space >= 0 else lo
    toks = list(_WORD.finditer(masked, base, stop))
    i = len(toks)
    seen_head = False
    while i > 0:
        w = toks[i - 1].group()
        wl = w.lower()
        if w in ",;:()—–" or "§" in w and w.strip("§") == "":
            break
        if wl in _NP_STOP and not (wl in _NP_INNER and seen_head):
            break
        if wl in _NP_INNER and not seen_head:
            break
        if wl == "who" or wl == "which":
            break
        seen_head = True
        i -= 1
        if wl in _DET or wl in PRONOUNS:
            # "John Bellinger of the State Department told": the name before "of the"
            if wl == "the" and i >= 2 and toks[i - 1].group().lower() in ("of", "for", "at", "from", "with") \
                    and _is_cap(toks[i - 2].group()):
                continue
            break
    if i == len(toks):
        return None
    s = toks[i].start()
    while toks and masked[s:s + 1] in " \t":
        s += 1
    # do not start with an inner word ("of the campaign said")
    while True:
        first = re.match(r"[\w’'.-]+", masked[s:stop])
        if first and first.group().lower() in _NP_INNER and first.group().lower() not in ("the",):
            s += first.end() + 1
            continue
        break
    e = end
    if s >= e:
        return None
    return s, e


def _source_after(masked: str, start: int, hi: int) -> tuple[int, int] | None:
    """The source phrase right after an inverted cue: 'said Juan Perez, a police spokesman' (to the clause end)."""
    seg = masked[start:hi]
    m = re.match(r"\s*((?:(?:the|a|an|one|another)\s+)?[^,.;:!?§]{1,80}?)(?=\s*(?:[.;!?]|$|\s+(?:in|on|at|during|"
                 r"after|before|while|when|who|as|from|to|about|of the\s+\w+ing|last|this|yesterday|today|"
                 r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|,))", seg)
    if not m:
        return None
    s, e = start + m.start(1), start + m.end(1)
    # "said Juan Perez, a police spokesman." / ", the state's governor,"
    rest = masked[e:hi]
    ap = re.match(r",\s+((?:the|a|an)\s+)?[^,.;:!?§]{2,80}?(?=[,.;!?]|$)", rest)
    if ap and _PERSON_NOUN_RE.search(ap.group()) \
            and _is_cap(masked[s:e].split()[0] if masked[s:e].split() else ""):
        e += ap.end()
    if masked[s:e].strip() == "":
        return None
    return s, e


# ------------------------------------------------------------------------------------------------ extraction

def extract_quotes(articles, sentences, entities=None, ctx=None) -> list[Quote]:
    """Quotes of the cluster, one `Quote` per distinct quotation, every outlet carrying it in `by_source`."""
    index = _Index(ctx or {}, entities or [])
    by_article: dict[str, list] = {}
    for s in sentences:
        by_article.setdefault(s.article, []).append(s)
    raw: list[tuple[_Q, str]] = []
    for a in articles:
        sents = sorted(by_article.get(a.id, []), key=lambda s: s.start)
        for q in article_quotes(a, sents, index):
            raw.append((q, a.text))
    return _merge(raw, articles, index)


def article_quotes(a, sents, index: _Index | None = None) -> list[_Q]:
    """The quotations of one article with their sources resolved (before merging over outlets)."""
    index = index or _Index({}, [])
    text = a.text
    spans = quote_spans(text)
    masked = _mask(text, spans)
    sent_bounds = [(s.start, s.end) for s in sents] or [(m.start(), m.end()) for m in _PARA.finditer(text)]
    para_starts = [m.start() for m in _PARA.finditer(text)]

    starts = [b[0] for b in sent_bounds]

    def sent_of(pos):
        i = bisect_right(starts, pos) - 1
        return i if i >= 0 and pos < sent_bounds[i][1] else -1

    def para_of(pos):
        lo, hi = 0, len(para_starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if para_starts[mid] <= pos:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    qs: list[_Q] = []
    for ms, s0, e0, me in spans:
        s1, e1 = _trim(text, s0, e0)
        if e1 <= s1:
            continue
        q = _Q(a.id, ms, s1, e1, me, open_end=(me == e0))
        q.sentence = sent_of(ms)
        q.paragraph = para_of(ms)
        qs.append(q)
    for q in qs:
        if q.sentence >= 0 and q.me > sent_bounds[q.sentence][1]:
            last = sent_of(q.me - 1)
            if last > q.sentence:
                q.extra["end_sentence_end"] = sent_bounds[last][1]
    # attribution per sentence
    by_sent: dict[int, list[_Q]] = {}
    for q in qs:
        by_sent.setdefault(q.sentence, []).append(q)
    for si, group in by_sent.items():
        if si >= 0:
            ss, se = sent_bounds[si]
        else:
            ss, se = group[0].ms, group[-1].me
            ss = text.rfind("\n", 0, ss) + 1
        _attribute_sentence(text, masked, ss, se, group, index)
    # kinds and filters
    for q in qs:
        ss, se = sent_bounds[q.sentence] if q.sentence >= 0 else (q.ms, q.me)
        q.kind = _kind(text, masked, ss, se, q)
    # every cue of the article outside quotations, quoted or not (indirect speech sets the speaker too)
    events: list[tuple[int, Source, int]] = []  # (position, source, sentence)
    for si, (ss, se) in enumerate(sent_bounds):
        for m in _CUE.finditer(masked, ss, se):
            c = (m.start(), m.end(), m.group().lower())
            if _false_cue(masked, c):
                continue
            src = _cue_source(text, masked, ss, se, c)
            if src is not None:
                events.append((m.start(), src, si))
    for q in qs:
        if q.source is not None:
            events.append((q.ms, q.source, q.sentence))
    events.sort(key=lambda x: x[0])
    event_pos = [e[0] for e in events]
    n_sorted = len(events)  # events found below are appended after these (and read after them, as before)
    # no cue in the sentence: the sentence before ends with a colon ("Cruz called them on it:"), or the speaker
    # before it in the paragraph, or the next one in the paragraph, or (a paragraph opening with a quotation)
    # the last speaker of the previous paragraph
    for q in qs:
        if q.source is not None or q.kind == "none":
            continue
        n_prev = bisect_left(event_pos, q.ms)
        prev = events[max(0, n_prev - 64):n_prev] + [e for e in events[n_sorted:] if e[0] < q.ms]
        same = [e for e in prev if para_of(e[0]) == q.paragraph]
        if q.sentence >= 0 and re.search(r"[A-Za-z]", masked[sent_bounds[q.sentence][0]:q.ms].replace("Q", "")):
            # a quoted phrase inside a sentence with no cue: its subject, when that is a person
            span = _subject(masked, sent_bounds[q.sentence][0], q.ms)
            if span:
                src = _make_source(text, *span, "")
                if src.name or src.pronoun in ("m", "f") or _person_description(src.text):
                    q.source, q.how = src, "subject"
                    events.append((span[0], src, q.sentence))
                    continue
        if q.sentence > 0 and re.search(r":\s*$", text[sent_bounds[q.sentence - 1][0]:sent_bounds[q.sentence - 1][1]]):
            if prev and prev[-1][2] == q.sentence - 1:
                q.source, q.how = prev[-1][1], "colon"
                continue
            span = _subject(masked, *sent_bounds[q.sentence - 1])
            if span:
                q.source, q.how = _make_source(text, *span, ":"), "colon, subject"
                events.append((span[0], q.source, q.sentence - 1))
                continue
        if same:
            people = [e for e in same if e[1].pronoun != "p"]  # not "they" when someone else spoke there
            q.source, q.how = (people or same)[-1][1], "continuation"
            continue
        k = bisect_right(event_pos, q.me)
        nxt = [e for e in events[k:min(k + 64, n_sorted)] + events[n_sorted:]
               if e[0] > q.me and para_of(e[0]) == q.paragraph]
        if nxt:
            q.source, q.how = nxt[0][1], "continuation"
            continue
        para_opens = q.paragraph >= 0 and text[para_starts[q.paragraph]:q.ms].strip() == ""
        if prev and para_opens and 0 < q.paragraph - para_of(prev[-1][0]) <= PARAMS["continue_paragraphs"]:
            q.source, q.how = prev[-1][1], "continuation"
    # indirect speech: "Crocker said the Iranians had proposed ...": the clause after the cue of a sentence with no
    # quotation, when the speaker is a name, a person or a group
    quoted_sents = {q.sentence for q in qs}
    for pos, src, si in list(events):
        if si in quoted_sents or si < 0 or src.cue not in _INDIRECT_CUES:
            continue
        ss, se = sent_bounds[si]
        mc = _INDIRECT_CLAUSE.match(masked, src.end, se)
        if not mc or pos < src.start:
            continue
        cs, ce = _trim(text, mc.start("clause"), se)
        while ce > cs and text[ce - 1] in ".!?":
            ce -= 1
        if ce - cs < 12 or "§" in masked[cs:ce]:
            continue
        iq = _Q(a.id, cs, cs, ce, ce, kind="indirect", source=src, how="indirect", sentence=si, paragraph=para_of(cs))
        qs.append(iq)
        quoted_sents.add(si)
    out = []
    for q in qs:
        if q.kind == "none":
            continue
        words = len(text[q.qs:q.qe].split())
        if q.source is None and words < PARAMS["min_words_unattributed"] and not q.extra.get("attributed_sentence") \
                and not q.extra.get("lowercase_phrase"):
            continue
        out.append(q)
    # resolve every source (of quotes and of indirect speech) in text order, so that pronouns see the speakers
    # before them
    speakers: list[tuple[int, str, str | None]] = []  # (pos, canonical, gender)
    done: set[int] = set()
    for src in sorted({id(e[1]): e[1] for e in events}.values(), key=lambda x: x.start):
        if id(src) in done:
            continue
        done.add(id(src))
        index.resolve(src, a, speakers, para_of, sent_bounds)
        if src.named and src.speaker:
            speakers.append((src.start, src.speaker, index.gender(src.speaker, a)))
    # indirect speech only from a named speaker or a group ("officials", "the police")
    out = [q for q in out if q.kind != "indirect" or (q.source and (q.source.named or _group(q.source.text)))]
    out.sort(key=lambda q: q.qs)
    if PARAMS["rank_speakers"]:
        from newsbrief.analysis.quote_speakers import rank  # noqa: PLC0415 (imports this module)

        rank(a, out, events, speakers, sent_bounds, para_of, masked, index)
    return out


def _only_quotes_between(text: str, masked: str, a: int, b: int) -> bool:
    between = masked[a:b]
    return not re.search(r"[A-Za-z]", between.replace("§", ""))


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\n":
        s += 1
    while e > s and text[e - 1] in " \t\n,":
        e -= 1
    return s, e


_INDIRECT_CUES = {"said", "says", "told", "tells", "added", "adds", "stated", "announced", "insisted", "insists",
                  "warned", "warns", "claimed", "claims", "confirmed", "argued", "argues", "believes", "acknowledged",
                  "admitted", "explained", "noted", "stressed", "predicted", "denied", "suggested", "conceded",
                  "reiterated"}
_INDIRECT_CLAUSE = re.compile(r"[\s,]*(?:(?:[a-z]+ly|also|later|then|has|had|have|again|once)\s+)*"
                              r"(?:said|says|added|adds|stated|announced|insisted|insists|"
                              r"warned|warns|claimed|claims|confirmed|argued|argues|believes|acknowledged|admitted|"
                              r"explained|noted|stressed|predicted|denied|suggested|conceded|reiterated|(?:told|tells)"
                              r"\s+(?:reporters|journalists|the\s+\w+|[A-Z][\w_’'-]+(?:\s+[A-Z][\w_’'-]+)*|him|her|them|us))"
                              r"(?:\s+on\s+\w+day)?,?(?:\s+however,)?\s+(?:that\s+)?(?P<clause>[^§]{12,})")


_AFTER_INVERTED = re.compile(r"^[\s,—–-]*(?P<verb>" + _AFTER_VERBS + r")\b", re.I)
_NOT_INVERTED = re.compile(r"^[\s,—–-]*(?:says|said)\s+(?:it|that|he|she)\b\s*(?:is|was|will|would|has)")
_AFTER_PLAIN = re.compile(r"^[\s,—–-]*(?P<np>[^.;:!?§]{1,120}?)\s+(?P<verb>" + _AFTER_VERBS + r")\b")


def _attribute_sentence(text: str, masked: str, ss: int, se: int, group: list[_Q], index: _Index) -> None:
    """Find the cue and source of each quotation of one sentence."""
    body = masked[ss:se]
    cues = [(ss + m.start(), ss + m.end(), m.group().lower()) for m in _CUE.finditer(body)]
    cues = [c for c in cues if not _false_cue(masked, c)]
    for q in group:
        # 1. right after the quote: `,” X said` / `,” said X` / `,” role Name said` (a quote of several sentences:
        # in the sentence where it ends)
        se_q = q.extra.get("end_sentence_end", se)
        after = masked[q.me:se_q]
        m = _AFTER_INVERTED.match(after)
        if m and not _NOT_INVERTED.match(after):
            after_span = _source_after(masked, q.me + m.end(), se_q)
            made = _plausible(_make_source(text, *after_span, m.group("verb"))) if after_span else None
            if made:
                q.source, q.how = made, "after, inverted"
                continue
        m = _AFTER_PLAIN.match(after)
        if m and _np_ok(m.group("np")):
            s = q.me + m.start("np")
            parts = m.group("np").split(",")
            if len(parts) > 1 and parts[-1].strip() and not _APPOS_START.match("," + parts[-1]) \
                    and not re.match(r"\s*\d", parts[-1]) and not _person_description(parts[-1]):
                s = q.me + m.end("np") - len(parts[-1])
            e = q.me + m.end("np")
            s, e = _trim(text, s, e)
            made = _plausible(_make_source(text, s, e, m.group("verb")))
            if made:
                q.source, q.how = made, "after"
                continue
        # 2. a cue before the quote in the sentence
        before = [c for c in cues if c[1] <= q.ms]
        after_cues = [c for c in cues if c[0] >= q.me]
        src = None
        if before:
            fallback = None
            for c in reversed(before):
                src = _cue_source(text, masked, ss, se, c)
                if src is None:
                    continue
                if src.name or src.pronoun in ("m", "f") or _person_description(src.text):
                    fallback = src
                    break
                fallback = fallback or src
            if fallback:
                q.source, q.how = fallback, "before"
                continue
        # 3. a cue after the quote, later in the sentence ("..." that would help them, Crocker said.)
        for c in after_cues:
            src = _cue_source(text, masked, ss, se, c)
            if src:
                q.source, q.how = src, "end"
                break
        if q.source:
            continue
        # 4. a cue inside another part of the same sentence before (handled by continuation)
    return None


def _false_cue(masked: str, c: tuple[int, int, str]) -> bool:
    word = c[2]
    prev_word = re.search(r"([\w’']+)\s*$", masked[max(0, c[0] - 25):c[0]])
    if prev_word and prev_word.group(1).lower() in ("a", "an", "the", "his", "her", "their", "its", "our", "this",
                                                     "that", "such", "my", "your", "whose") and \
            word not in ("said", "told", "added", "according to"):
        return True
    after = masked[c[1]:c[1] + 20]
    before = masked[max(0, c[0] - 12):c[0]].lower()
    if word in ("put", "puts", "read", "reads", "posted", "posts", "call", "calls", "called", "calling") \
            and re.match(r"\s+(?:on|off|up|down|in|out|for)\b", after) and word not in ("called", "calls", "call"):
        return True
    if word in ("read", "reads") and not re.match(r"[\s,:]*§", after):
        return True
    if word in ("put", "puts") and not re.search(r"\bit\b", masked[c[1]:c[1] + 12]):
        return True
    if word in ("say", "tell", "ask", "call", "describe", "write", "claim", "argue", "promise", "pledge", "vow",
                "deny", "accuse", "tweet") and re.search(r"\b(?:to|will|would|could|can|might|should|n't|not)\s*$",
                                                         before):
        return False
    return False


def _np_ok(np: str) -> bool:
    """A source phrase between a quote and its verb: a pronoun, a name, a noun phrase with its apposition;
    not a clause ("He criticized Clinton's record and said")."""
    np = np.strip(" ,")
    if not np or len(np.split()) > 16:
        return False
    first = np.split()[0].lower()
    if first in ("it", "this", "that", "there", "which", "what", "as", "when", "if", "while", "because"):
        return False
    head = re.split(r",", np)[0]  # an apposition may hold anything ("a man who ...")
    if len(head.split()) > 8 or re.search(r"\b(?:and|but|that|because|when|if|as|then)\b", head):
        return False
    for w in head.split()[1:]:
        if not _is_cap(w) and _VERBISH.match(w.lower()) and w.lower() not in ("said",):
            return False
    return True


_QUOTED_AS = re.compile(r"\b(?:quoted|quoting|quotes|cited|citing|cites)\s+"
                        r"(?P<np>(?:(?:a|an|the|one)\s+)?[^,;:§]{2,100}?)\s+as\s+$")
_NP_CUT = re.compile(r"\s+(?:[a-z]+ing|who|that|which|at|on|in)\b")


def _cue_source(text: str, masked: str, ss: int, se: int, c: tuple[int, int, str]) -> Source | None:
    return _plausible(_cue_source_any(text, masked, ss, se, c))


_NOT_SOURCE_START = {"on", "at", "in", "for", "with", "from", "by", "to", "after", "before", "during", "since",
                     "specifically", "also", "then", "later", "earlier", "here", "there", "now", "when", "while",
                     "if", "because", "as", "than", "where", "whether", "not", "never", "just", "even", "still",
                     "once", "again", "finally", "first", "instead", "meanwhile", "however", "yesterday", "today"}


def _plausible(src: Source | None) -> Source | None:
    """A source phrase that can name a speaker: not a circumstance ("on Saturday", "at the time"), an adverb
    ("Specifically") or a lone lower-case word that is no person, pronoun or group ("invalidated")."""
    if src is None or src.name or src.pronoun:
        return src
    words = src.text.split()
    if not words:
        return None
    first = words[0].lower().strip(",.")
    if first in _NOT_SOURCE_START or re.fullmatch(r"[A-Za-z]+ly,?", words[0]) and len(words) == 1:
        return None
    if len(words) == 1 and words[0][:1].islower() and first not in _PERSON_NOUNS and first not in _UNNAMED_HEADS:
        return None
    return src


def _cue_source_any(text: str, masked: str, ss: int, se: int, c: tuple[int, int, str]) -> Source | None:
    cs, ce, verb = c
    if verb == "according to":
        src = _source_after(masked, ce, se)
        return _make_source(text, *src, verb) if src else None
    if verb == "in a statement":
        return None
    by = re.match(r"\s+by\s+", masked[ce:se])
    if by and re.search(r"\b(?:was|were|is|are|been|being|be)\s+(?:\w+\s+)?$", masked[max(ss, cs - 25):cs]):
        src = _source_after(masked, ce + by.end(), se)  # "Rubio was asked by moderator Gerard Baker whether"
        return _make_source(text, *src, verb) if src else None
    if verb == "saying":
        # "El Mundo has quoted an Air Comet pilot flying over the Atlantic as saying": the one quoted
        m = _QUOTED_AS.search(masked, max(ss, cs - 160), cs)
        if m:
            np_end = m.end("np")
            cut = _NP_CUT.search(masked, m.start("np"), np_end)
            return _make_source(text, m.start("np"), cut.start() if cut else np_end, verb)
    if re.search(r"(?:^|\s)(?:and|but)\s+(?:(?:also|then|later|has|have|had|now)\s+)*$", masked[max(ss, cs - 30):cs]) \
            and verb not in ("according to",):
        # "Salon has now published some ... and confirmed that ...": the subject of the sentence speaks
        subj = _subject(masked, ss, cs)
        if subj:
            subject_src = _make_source(text, *subj, verb)
            if subject_src.name or subject_src.pronoun in ("m", "f") or _person_description(subject_src.text):
                return subject_src
    if verb.endswith("ing") and re.search(r",\s*$", masked[max(ss, cs - 3):cs]):
        # "Trump returned the compliment, telling Reuters, “...”": the subject of the sentence speaks
        span = _subject(masked, ss, cs)
        return _make_source(text, *span, verb) if span else None
    span = _source_before(masked, ss, cs)
    if span:
        s, e = span
        np = text[s:e].strip()
        if np and "§" not in masked[s:e]:
            if re.fullmatch(r"(?i)(?:it|this|that|there|which|what|who|as|so|and|but|a|an|the|one)", np):
                return None
            # "a woman who declined to give her name said"
            return _make_source(text, s, e, verb)
    # "who said ..." relative: the noun before "who"
    m = re.search(r"(?P<np>(?:(?:a|an|the|one)\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){0,4})\s*,?\s+who\s+"
                  r"(?:[\w’'-]+\s+){0,12}?$",
                  masked[max(ss, cs - 200):cs])
    if m:
        base = max(ss, cs - 200)
        return _make_source(text, base + m.start("np"), base + m.end("np"), verb)
    return None


_VERBISH = re.compile(r"^(?:is|was|are|were|has|have|had|will|would|can|could|should|may|might|must|did|does|do|"
                      r"said|says|told|tells|also|then|now|later|who|which|that|and|but|[a-z]+ed|[a-z]+[^s]s|"
                      r"goes|went|made|makes|took|takes|gave|gives|got|gets|came|comes|ran|runs|thanked|"
                      r"[a-z]+ly)$")


def _subject(masked: str, ss: int, limit: int) -> tuple[int, int] | None:
    """The subject of the sentence starting at ss: past leading adverbials ("Hours later,"), a name with its
    apposition, a pronoun, or a short noun phrase up to its first verb-like word."""
    lead = _LEAD.match(masked, ss, limit)
    s = lead.end() if lead else ss
    while s < limit and masked[s] in " \t\n":
        s += 1
    toks = list(re.finditer(r"[\w’'.-]+|[,;:]", masked[s:limit]))
    if not toks:
        return None
    first = toks[0].group()
    if first.lower() in PRONOUNS:
        return s + toks[0].start(), s + toks[0].end()
    end = None
    for i, t in enumerate(toks):
        w = t.group()
        if w in ",;:":
            if i and _is_cap(toks[i - 1].group()):
                # a name and its apposition: "Huma Abedin, vice chairwoman for ..., emailed"
                m = re.match(r",\s+[^,;:§]{1,100},", masked[s + t.start():limit])
                if m and _APPOS_START.match(m.group()):
                    end = s + t.start() + m.end() - 1
            break
        if i and (_VERBISH.match(w) and not _is_cap(w)) and toks[i - 1].group().lower() not in _DET:
            break
        if "§" in w and w.strip("§") == "":
            break
        end = s + t.end()
        if i >= 7:
            return None
    if end is None:
        return None
    return s, end


def _make_source(text: str, s: int, e: int, cue: str) -> Source:
    s, e = _trim(text, s, e)
    m = re.match(r"(?:and|but|so|yet|then|or)\s+", text[s:e], re.I)
    if m:
        s += m.end()
    while e > s and text[e - 1] in ",.;:":
        e -= 1
    phrase = text[s:e]
    src = Source(s, e, phrase, cue=cue)
    low = phrase.lower()
    if low in PRONOUNS:
        src.pronoun = PRONOUNS[low]
        return src
    # "a woman who declined to give her name": unnamed, whatever names follow
    if re.search(r"\bwho\b", low):
        head = phrase[:low.index("who")].strip(" ,")
        src.text = phrase
        src.name, src.role = (None, None) if not _has_name(head) else _split_np(head)
        return src
    src.name, src.role = _split_np(phrase)
    return src


def _group(np: str) -> bool:
    words = re.findall(r"[a-z][\w-]*", np.lower())
    return bool(words) and words[-1] in _UNNAMED_HEADS and words[-1].endswith("s") and len(words) <= 5


def _person_description(np: str) -> bool:
    words = re.findall(r"[a-z][\w-]*", np.lower())
    return bool(words) and words[-1] in _PERSON_NOUNS and len(words) <= 6


def _has_name(np: str) -> bool:
    return _split_np(np)[0] is not None


_ATTRIBUTING = re.compile(r"(?<![\w-])(?:" + word_tree(SPEECH.split("|") + [
    "summed", "sums", "referring", "according", "dubbing", "labeling", "labelling", "branding", "deemed", "deems",
    "deriding", "derided", "derides", "lambasted", "ridiculed", "touting", "pitched", "pitching", "promised",
    "vowed", "argued", "characterizing", "characterised", "characterized", "insisted", "accusing", "called",
    "mocking", "slamming", "attacking", "attacked", "wrote", "writing", "posted", "tweeted", "declaring",
    "emphasized", "emphasised", "suggesting", "blamed", "blaming"]) + r")(?![\w-])")


def _kind(text: str, masked: str, ss: int, se: int, q: _Q) -> str:
    """direct / partial / none (a title, a nickname, a scare quote with no attribution)."""
    inner = text[q.qs:q.qe]
    words = re.findall(r"[^\W\d_][\w’'-]*", inner)
    if not words:
        return "none"
    before = text[max(ss, q.ms - 30):q.ms]
    after = text[q.me:q.me + 3]
    # a nickname inside a name: Marcia "Cia" Price
    if len(words) <= 2 and re.search(r"[A-Z][\w.]*\s*$", before) and re.match(r"\s*[A-Z]", after) \
            and not re.search(r"[.!?,]$", inner):
        return "none"
    # a title or a name in quotation marks ("The View", "Make America Great Again")
    content = [w for w in words if w.lower() not in ("of", "the", "and", "for", "to", "in", "on", "a", "an", "with",
                                                     "at", "by", "is", "from", "or", "vs", "&")]
    if content and all(w[0].isupper() for w in content) and len(words) <= 10 and not re.search(r"[!?]$", inner):
        if len(words) <= 2 and q.source is not None and q.source.cue in ("called", "calls", "calling", "dubbed",
                                                                          "labeled", "labelled", "branded", "termed"):
            pass  # Trump called him "Little Marco": a partial quote
        elif not (len(words) >= 4 and q.source is not None and re.match(r"^[\s,]*$", text[ss:q.ms])):
            return "none"
    # how much of the sentence is quoted
    total = len(re.findall(r"\w+", masked[ss:se].replace("§", " "))) + len(re.findall(r"\w+", text[ss:se]
                                                                                      if False else ""))
    quoted = len(words)
    outside = len(re.findall(r"[^\W\d_]+", masked[ss:se].replace("§", " ")))
    starts_sentence = re.match(r"^[\s(—–-]*$", text[ss:q.ms]) is not None
    sentence_like = inner[:1].isupper() and (len(words) >= 4 or re.search(r"[.!?]$", inner))
    if q.source is None:
        if starts_sentence and (sentence_like or q.open_end):
            return "direct"
        if len(words) >= PARAMS["min_words_unattributed"]:
            return "partial"
        if len(words) >= PARAMS["min_words_lowercase"] and inner[:1].islower() and text[q.ms] not in "'‘":
            q.extra["lowercase_phrase"] = True  # "a cover-up in plain sight": a phrase, not a title or scare word
            return "partial"
        # a short quoted phrase in a sentence that attributes speech ("Trump summed up Clinton as “terrible,”"):
        # a partial quote whose source the sentence gives, even when its phrase was not found
        if PARAMS["short_partials"] and _ATTRIBUTING.search(masked, ss, se):
            q.extra["attributed_sentence"] = True
            return "partial"
        return "none"
    if sentence_like or quoted >= outside or starts_sentence and len(words) >= 3:
        return "direct"
    del total
    return "partial"


# ------------------------------------------------------------------------------------------------ resolution

class _Index:
    """Person names, genders and roles from the entity analysis, for resolving sources."""

    def __init__(self, ctx: dict, entities):
        self.ctx = ctx
        self.resolver: dict[str, str] = dict(ctx.get("resolver", {}))
        self.mentions = ctx.get("mentions", [])
        self.genders: dict[str, str | None] = dict(ctx.get("genders", {}))
        self.kinds: dict[str, str] = {}
        self.roles: dict[str, list[str]] = {}
        for e in entities:
            d = e.to_dict() if hasattr(e, "to_dict") else e
            self.kinds[d["name"]] = d["type"]
            self.roles[d["name"]] = [r["text"] for r in d.get("roles", [])]
            for v in d.get("variants", []):
                self.resolver.setdefault(v, d["name"])
        self._tok: dict[tuple[str, ...], str] = {}
        self._last: dict[str, set[str]] = {}
        for v, canon in self.resolver.items():
            toks = tuple(_toks(v))
            self._tok.setdefault(toks, canon)
            if toks:
                self._last.setdefault(toks[-1], set()).add(canon)
        self._persons_by_article: dict[str, list[tuple[int, str, int]]] = {}
        self._role_index: dict[str, list] | None = None

    def canonical(self, name: str) -> str:
        name = name.strip(" ,.")
        if name in self.resolver:
            return self.resolver[name]
        toks = tuple(_toks(name))
        if toks in self._tok:
            return self._tok[toks]
        if len(toks) == 1 and len(self._last.get(toks[0], ())) == 1:
            return next(iter(self._last[toks[0]]))
        return name

    def gender(self, canon: str, article=None) -> str | None:
        if canon in self.genders:
            return self.genders[canon]
        g = None
        if article is not None:
            g = guess_gender(canon, article.text)
        if g is None and PARAMS["first_name_gender"]:
            from newsbrief.analysis.quote_speakers import first_name_gender  # noqa: PLC0415 (imports this module)

            g = first_name_gender(canon)  # the text does not tell: "Wendy Sherman" is a she
        self.genders[canon] = g
        return g

    def persons_before(self, article, pos: int, lo: int) -> list[tuple[int, str, int]]:
        """(start, canonical, end) of person mentions in [lo, pos) of the article."""
        if not self._persons_by_article and self.mentions:
            for m in self.mentions:  # once for all articles
                if m.text in self.resolver and self.kinds.get(self.resolver[m.text]) == "person":
                    self._persons_by_article.setdefault(m.article, []).append(
                        (m.start, self.resolver[m.text], m.end))
            for ms in self._persons_by_article.values():
                ms.sort()
        ms = self._persons_by_article.get(article.id, [])
        return ms[bisect_left(ms, (lo, "")):bisect_left(ms, (pos, ""))]

    def by_role(self, words: list[str]) -> list[str]:
        """The persons (in entity order) with a stated role holding all of `words`."""
        if not words:
            return []
        if self._role_index is None:  # once: role word -> [(person's rank, person, its roles' word sets)]
            self._role_index = {}
            for rank, (person, roles) in enumerate(self.roles.items()):
                if self.kinds.get(person) != "person":
                    continue
                sets = [set(_role_words(r)) for r in roles]
                for w in set().union(*sets) if sets else ():
                    self._role_index.setdefault(w, []).append((rank, person, sets))
        hits = []
        for _, person, sets in self._role_index.get(words[0], ()):
            if any(all(w in rw for w in words) for rw in sets):
                hits.append(person)
        return hits

    def antecedent(self, src: Source, article, speakers, para_of, sent_bounds) -> str | None:
        """The person a he / she stands for, found as a reader finds it: a person named before it in its own
        sentence (the sentence's subject, else the nearest; not a possessive, not the name a "who he" clause hangs
        on), then sentence by sentence backwards, within `pronoun_paragraphs` paragraphs, the last named speaker
        of that sentence, else its subject (its first person mention); persons of the other gender are skipped."""
        text = article.text
        starts = [b[0] for b in sent_bounds]
        s0 = bisect_right(starts, src.start) - 1
        if s0 < 0:
            return None
        p0 = para_of(src.start)
        lo_all = sent_bounds[max(0, s0 - 40)][0]
        persons = [x for x in self.persons_before(article, src.start, lo_all)
                   if not _POSSESSIVE_AT.match(text, x[2])]

        def ok(canon: str, g: str | None = None) -> bool:
            g = g if g is not None else self.gender(canon, article)
            return g is None or g == src.pronoun

        lo = sent_bounds[s0][0]
        here = [x for x in persons if lo <= x[0] < src.start]
        if here and _WHO_BEFORE.search(text, max(lo, src.start - 8), src.start):
            here = here[:-1]  # "Rubio, whom he dubbed": not Rubio
        if here and _SUBJECT_START.fullmatch(text, lo, here[0][0]):
            here = here[:1] + here[1:][::-1]
        else:
            here = here[::-1]
        for _, canon, _ in here:
            if ok(canon):
                return canon
        by_sent: dict[int, list[tuple[str, str | None]]] = {}
        for pos, canon, g in speakers:
            if pos < lo:
                by_sent.setdefault(bisect_right(starts, pos) - 1, []).append((canon, g))
        first: dict[int, str] = {}
        for pos, canon, _ in persons:
            if pos < lo:
                first.setdefault(bisect_right(starts, pos) - 1, canon)
        for si in range(s0 - 1, max(-1, s0 - 41), -1):
            if p0 - para_of(sent_bounds[si][0]) > PARAMS["pronoun_paragraphs"]:
                break
            named = [c for c, g in by_sent.get(si, ()) if ok(c, g)]
            if named:
                return named[-1]
            if si in first and ok(first[si]):
                return first[si]
        return None

    def _nearest(self, src: Source, article, speakers, para_of) -> str | None:
        """Without sentences: the nearest speaker before of that gender, else the nearest person."""
        text = article.text
        p = para_of(src.start)
        lo_para = p - PARAMS["pronoun_paragraphs"]
        cands: list[tuple[int, int, str]] = []  # (priority, position, canonical)
        for pos, canon, g in speakers:
            if pos < src.start and para_of(pos) >= lo_para and (g is None or g == src.pronoun):
                cands.append((1, pos, canon))
        lo = text.rfind("\n\n", 0, src.start)
        for _ in range(PARAMS["pronoun_paragraphs"]):
            if lo <= 0:
                break
            lo = text.rfind("\n\n", 0, lo)
        if not cands:
            for pos, canon, _ in self.persons_before(article, src.start, max(0, lo)):
                g = self.gender(canon, article)
                if g == src.pronoun or g is None and len(canon.split()) >= 2:
                    cands.append((0, pos, canon))
        return max(cands, key=lambda c: c[1])[2] if cands else None

    def resolve(self, src: Source, article, speakers: list[tuple[int, str, str | None]], para_of,
                sent_bounds=None) -> None:
        if src.name:
            canon = self.canonical(src.name)
            src.speaker, src.named = canon, True
            if not src.role:
                roles = self.roles.get(canon) or []
                src.role = _best_role(roles)
            return
        if src.pronoun in ("m", "f"):
            best = self.antecedent(src, article, speakers, para_of, sent_bounds) if sent_bounds else None
            if best is None and not sent_bounds:
                best = self._nearest(src, article, speakers, para_of)
            if best is not None:
                src.speaker, src.named = best, True
                src.role = _best_role(self.roles.get(best) or [])
            return
        if src.pronoun:
            return  # they / I / we / it: not a named person
        words = [w for w in re.findall(r"[a-z][\w.-]*", src.text.lower()) if w not in _DET]
        first = src.text.split()[0].lower() if src.text.split() else ""
        head = words[-1] if words else ""
        if first in ("the", "this", "that") and head in _PERSON_NOUNS and head not in ("source", "official") \
                and len(words) <= 5:
            norm = [_NAT.get(w, w) for w in words]
            hits = self.by_role(norm)
            for syn in _HEAD_SYNONYMS.get(norm[-1], ()):  # "the Iranian diplomat": an Iranian ambassador
                hits = hits or self.by_role(norm[:-1] + [syn])
            if not hits and len(norm) >= 2:
                hits = self.by_role(norm[:-1])  # "the Iranian diplomat": a person with an Iranian role
            if len(set(hits)) == 1:
                src.speaker, src.named = hits[0], True
                src.role = src.text
                return
            p = para_of(src.start)
            prev = [c for pos, c, _ in speakers
                    if pos < src.start and p - para_of(pos) <= 2 and (not hits or c in hits)]
            if prev:
                src.speaker, src.named = prev[-1], True
                src.role = re.sub(r"^(?:the|this|that)\s+", "", src.text, flags=re.I)
                return
        src.speaker = re.sub(r"^(?:[Tt]he)\s+", "", src.text).strip() or None
        src.named = False


_HEAD_SYNONYMS = {"diplomat": ("ambassador", "envoy"), "envoy": ("ambassador",), "ambassador": ("envoy",),
                  "leader": ("president", "prime", "chairman"), "official": ()}
_POSSESSIVE_AT = re.compile(r"['’]s?\b")
_WHO_BEFORE = re.compile(r"\bwho(?:m)?\s+$")
_SUBJECT_START = re.compile(r"[\s\"“‘(—–-]*(?:(?:But|And|Yet|So|Then|Later|Meanwhile|Now|Also)\b,?\s*)?"
                            r"(?:(?:[A-Z][\w’'.-]*|of|the|for)\s+)*")  # only titles and names before the subject
_NAT = {"american": "us", "u.s.": "us", "us": "us", "united": "us", "iranian": "iran", "iraqi": "iraq",
        "british": "uk", "britain": "uk"}


def _role_words(role: str) -> list[str]:
    return [_NAT.get(w, w) for w in re.findall(r"[a-z][\w.-]*", role.lower())]


def _best_role(roles: list[str]) -> str | None:
    roles = [r for r in roles if len(r.split()) > 1 or r.lower().strip(".") not in _TITLES]
    if not roles:
        return None
    return max(roles, key=lambda r: ("counterpart" not in r.lower(), min(len(r), 60)))


def _toks(name: str) -> list[str]:
    return [t for t in re.findall(r"[a-z0-9]+", name.lower().replace("’", "'").replace("'s", ""))
            if t not in _TITLES and t not in ("al", "el", "de", "the")]


_HONORIFIC = re.compile(r"\b(Mr|Sir|Lord|King|Prince|Mrs|Ms|Miss|Madam|Lady|Queen|Princess|Dame)\.?\s+"
                        r"(?:[A-Z][\w-]+\s+)?([A-Z][\w’'-]+)")
_FEMININE = {"Mrs", "Ms", "Miss", "Madam", "Lady", "Queen", "Princess", "Dame"}
_NAME_THEN_PRONOUN = re.compile(r"\b([A-Z][\w’'-]+)\b(?:['’]s)?[^.\n“”\"]{0,80}?"
                                r"\b(he|his|him|himself|she|her|hers|herself)\b")
_EVIDENCE: dict[int, tuple[str, dict[str, list[float]]]] = {}
_CAP_WORD = re.compile(r"\b([A-Z][\w’'-]+)\b")
_PRONOUN_WORD = re.compile(r"\b(he|his|him|himself|she|her|hers|herself)\b")
_BREAK = re.compile(r"[.\n“”\"]")


def _names_then_pronouns(text: str) -> list[tuple[str, str]]:
    """The (name, pronoun) pairs of `_NAME_THEN_PRONOUN.finditer(text)`, found by bisection over the pronouns and
    the sentence breaks instead of a lazy scan from every capitalised word: for each capitalised word after the
    previous pair, the first pronoun starting within 80 characters of its end with no break in between."""
    pronouns = [(m.start(), m.end(), m.group()) for m in _PRONOUN_WORD.finditer(text)]
    if not pronouns:
        return []
    p_starts = [p[0] for p in pronouns]
    breaks = [m.start() for m in _BREAK.finditer(text)]
    out = []
    pos = 0
    for w in _CAP_WORD.finditer(text):
        if w.start() < pos:
            continue
        gap = w.end()
        k = bisect_left(p_starts, gap)
        if k == len(pronouns) or p_starts[k] - gap > 80:
            continue
        b = bisect_left(breaks, gap)
        if b < len(breaks) and breaks[b] < p_starts[k]:
            continue
        out.append((w.group(1), pronouns[k][2]))
        pos = pronouns[k][1]
    return out


def _gender_evidence(text: str) -> dict[str, list[float]]:
    key = id(text)
    hit = _EVIDENCE.get(key)
    if hit is not None and hit[0] is text:
        return hit[1]
    ev: dict[str, list[float]] = {}
    for m in _HONORIFIC.finditer(text):
        ev.setdefault(m.group(2), [0.0, 0.0])[1 if m.group(1) in _FEMININE else 0] += 2
    for name, pronoun in _names_then_pronouns(text):
        ev.setdefault(name, [0.0, 0.0])[0 if pronoun in ("he", "his", "him", "himself") else 1] += 1
    if len(_EVIDENCE) > 64:
        _EVIDENCE.clear()
    _EVIDENCE[key] = (text, ev)
    return ev


def guess_gender(name: str, text: str) -> str | None:
    """m / f from the text: honorifics before the name's last word ("Mr. Trump", "Mrs. Clinton") and the
    pronoun that follows its mentions in the same sentence; None when the text does not tell."""
    m, f = _gender_evidence(text).get(name.split()[-1], (0.0, 0.0))
    if m > f:
        return "m"
    if f > m:
        return "f"
    return None


# ------------------------------------------------------------------------------------------------ merging

def _norm(text: str) -> list[str]:
    from newsbrief.analysis.entities import fold

    return re.findall(r"[a-z0-9]+", fold(text).lower())


def _same_quote(a: list[str], b: list[str]) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    sa, sb = " ".join(a), " ".join(b)
    short, long_ = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if len(short.split()) >= 5 and short in long_:
        return True
    ja = set(a) & set(b)
    return len(ja) / max(1, len(set(a) | set(b))) >= 0.8 and min(len(a), len(b)) >= 5


def same_speaker(a: str | None, b: str | None) -> bool:
    """Two speaker names name the same person: one's name words are all among the other's."""
    if not a or not b:
        return False
    ta, tb = set(_toks(a)), set(_toks(b))
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


def _merge(raw: list[tuple[_Q, str]], articles, index: _Index) -> list[Quote]:
    rank = {x.id: i for i, x in enumerate(articles)}
    groups: list[list[tuple[_Q, str]]] = []
    keys: list[list[str]] = []
    # Candidate groups come from two indexes instead of a scan of every group (the first matching group in
    # creation order still wins). Words are ordered rarest first (over all the quotes): a quote contained in
    # another has its rarest word in it, and two word sets with Jaccard >= 0.8 share a word among the first
    # |x| - ceil(0.8 |x|) + 1 of each (prefix filtering). So: the groups holding the quote's rarest word, and
    # the groups whose prefix holds any of the quote's words.
    toks_of = [_norm(text[q.qs:q.qe]) for q, text in raw]
    df = Counter(w for toks in toks_of for w in set(toks))
    holding: dict[str, list[int]] = {}
    by_prefix: dict[str, list[int]] = {}
    for (q, text), toks in zip(raw, toks_of):
        ordered = sorted(set(toks), key=lambda w: (df[w], w))
        # containment is tested on the joined words, so the first and last word may be cut: an inner word
        inner = min(set(toks[1:-1]) if len(toks) >= 5 else set(toks), key=lambda w: (df[w], w), default=None)
        cands: set[int] = set()
        if inner is not None:
            cands.update(holding.get(inner, ()))
            for w in ordered:
                cands.update(by_prefix.get(w, ()))
        for gi in sorted(cands):
            g, k = groups[gi], keys[gi]
            if g[0][0].kind == q.kind or "indirect" not in (g[0][0].kind, q.kind):
                if not _same_quote(k, toks):
                    continue
                g.append((q, text))
                break
        else:
            groups.append([(q, text)])
            keys.append(toks)
            gi = len(groups) - 1
            for w in ordered:
                holding.setdefault(w, []).append(gi)
            for w in set(ordered[:len(ordered) - math.ceil(0.8 * len(ordered)) + 1]) | ({inner} if inner else set()):
                by_prefix.setdefault(w, []).append(gi)
    out: list[Quote] = []
    for g in groups:
        by_source = []
        seen = set()
        for q, text in sorted(g, key=lambda x: (rank[x[0].article], x[0].qs)):
            if (q.article, q.qs) in seen:
                continue
            seen.add((q.article, q.qs))
            src = q.source
            by_source.append(QuoteSource(
                article=q.article,
                speaker=src.speaker if src else None,
                named=bool(src and src.named),
                role=src.role if src and src.named else None,
                citation=Span.of(q.article, text, q.qs, q.qe),
                attribution=Span.of(q.article, text, src.start, src.end) if src else None,
                how=q.how,
            ))
        named = Counter(o.speaker for o in by_source if o.named and o.speaker)
        anyone = Counter(o.speaker for o in by_source if o.speaker)
        speaker = (named or anyone).most_common(1)[0][0] if (named or anyone) else None
        role = next((o.role for o in by_source if o.speaker == speaker and o.role), None)
        kind = Counter(q.kind for q, _ in g).most_common(1)[0][0]
        best = max(g, key=lambda x: x[0].qe - x[0].qs)
        resolved = bool(named) and index.kinds.get(speaker or "", "person") == "person"
        out.append(Quote(
            kind=kind,
            text=best[1][best[0].qs:best[0].qe],
            speaker=speaker,
            speaker_role=role,
            speaker_resolved=resolved,
            sources=sorted({o.article for o in by_source}, key=rank.__getitem__),
            citations=[o.citation for o in by_source],
            attributions=[o.attribution for o in by_source if o.attribution is not None],
            by_source=by_source,
            speakers_differ=_differ(by_source),
        ))
    out.sort(key=lambda q: (q.kind != "direct", -len(q.sources), rank[q.sources[0]], q.citations[0].start))
    return out


def _differ(by_source: list[QuoteSource]) -> bool:
    names = [o.speaker for o in by_source if o.named and o.speaker]
    return any(not same_speaker(a, b) for i, a in enumerate(names) for b in names[i + 1:])


_EXPLICIT = {"after", "before"}  # the attribution sits next to the quote, in its own sentence
_INFERRED = {"continuation", "indirect", "end", "subject"}


def _written_name(o: QuoteSource) -> list[str] | None:
    """The name words the outlet itself writes next to the quote, None when the speaker is only inferred: a
    pronoun ("he said"), a description ("the Florida Republican", "an official of..."), a speaker carried over
    from an earlier quote, or an attribution away from the quote."""
    how = set(o.how.split(", ")) if o.how else set()
    if not (o.named and o.speaker and o.attribution) or not how & _EXPLICIT or how & _INFERRED:
        return None
    written = o.attribution.text.strip()
    if not written[:1].isupper() or written.split()[0] in _NOT_NAME_CAPS:
        return None
    toks = [t for t in _toks(written) if t in set(_toks(o.speaker))]
    return toks or None


def _same_written(a: list[str], b: list[str]) -> bool:
    """Two written names name the same person: one's words among the other's, or the same surname up to a
    spelling variant (Gustavsson / Gustafsson, Hand / Hans Carlsson)."""
    if set(a) <= set(b) or set(b) <= set(a):
        return True
    x, y = a[-1], b[-1]
    return x == y or (min(len(x), len(y)) >= 5 and _edits(x, y) <= 2)


def _edits(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def speaker_conflicts(quotes: list[Quote]) -> list[Conflict]:
    """One conflict per direct quote that outlets give to different named people, precision first: only
    outlets that write the speaker's name next to the quote count (no pronoun, description or carried-over
    speaker), names that differ only by a title or a spelling variant are one person, and each article is on
    one side only. Each side: a speaker, the outlets giving it, the name as written (citations) and the quote."""
    out = []
    for q in quotes:
        if not q.speakers_differ or q.kind != "direct" or len(q.text.split()) < 4:
            continue
        sides: list[ConflictSide] = []
        names: list[list[str]] = []
        for o in q.by_source:
            written = _written_name(o)
            if written is None or o.attribution is None or o.speaker is None:
                continue
            k = next((i for i, n in enumerate(names) if _same_written(n, written)), None)
            if k is None:
                sides.append(ConflictSide(display=o.attribution.text, label=o.speaker, sources=[], citations=[],
                                          sentences=[], value=o.speaker))
                names.append(written)
                k = len(sides) - 1
            side = sides[k]
            if o.article not in side.sources:
                side.sources.append(o.article)
                side.citations.append(o.attribution)
                side.sentences.append(o.citation)
        if len(sides) < 2 or len({a for s in sides for a in s.sources}) < sum(len(s.sources) for s in sides):
            continue  # an article on two sides: a misparse, not two outlets disagreeing
        short = q.text if len(q.text) <= 60 else q.text[:57].rsplit(" ", 1)[0] + "…"
        out.append(Conflict(type="value", kind="speaker", attribute=f"who said “{short}”", sides=sides,
                            sources=list(q.sources)))
    return out
