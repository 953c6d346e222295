"""Cleaning: raw article -> `Article.text` (paragraphs) + `Article.removed` (everything dropped, and why).

`clean_article` is a pure function of `article.raw` (plus any title/date/source already set), so it can
be run again safely. Rules are generic patterns for web-scrape noise (widgets, share/subscribe lines,
teaser lists, archive notices, error pages, captions, repeats, foreign-script lines, glued image file
names); every non-blank raw line ends up either in `text` or in `removed`.
"""

from __future__ import annotations

import re
from datetime import date as _date


from newsbrief.model import Article, Removal
from newsbrief.segment import sentence_spans

# --------------------------------------------------------------------------------------------------
# text normalisation

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad]")
_SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def normalize_line(line: str) -> str:
    """One raw line with invisible characters dropped and whitespace collapsed."""
    if line.isascii() and "\t" not in line and "  " not in line:
        return line.strip()
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


# --------------------------------------------------------------------------------------------------
# dates

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for m in names
}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TIME = r"(?:\s*(?:,|at|\||-|–)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,5}|GMT[+-]?\d*|UTC[+-]?\d*)?)?"
_DATE_CORE = (
    rf"(?:{_WDAY}(?:{_MON}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON.replace('mon>', 'mon2>')}\s*,?\s+(?P<y2>\d{{4}}))"
    r"|(?P<y3>\d{4})[-/.](?P<m3>\d{1,2})[-/.](?P<d3>\d{1,2}))"
)
_DATE_PREFIX = r"(?:(?:published|posted|updated|last updated|first published|date)(?:\s+on)?\s*:?\s*)?"
_DATE_LINE = re.compile(rf"^{_DATE_PREFIX}{_DATE_CORE}{_TIME}\.?$", re.I)
_DATE_START = re.compile(rf"^{_DATE_CORE}\s+(?=\S)", re.I)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _date_from_match(m: re.Match) -> str | None:
    g = m.groupdict()
    try:
        if g.get("y1"):
            y, mo, d = int(g["y1"]), _MONTHS[g["mon"].lower().rstrip(".")], int(g["d1"])
        elif g.get("y2"):
            y, mo, d = int(g["y2"]), _MONTHS[g["mon2"].lower().rstrip(".")], int(g["d2"])
        else:
            y, mo, d = int(g["y3"]), int(g["m3"]), int(g["d3"])
        return _date(y, mo, d).isoformat()
    except (KeyError, ValueError, TypeError):
        return None


def parse_date(value: object) -> str | None:
    """ISO date (YYYY-MM-DD) from a date string like 'Tuesday, May 29, 2007' or '2007-05-29T10:00Z'."""
    if value is None:
        return None
    s = normalize_line(str(value))
    m = _ISO.match(s)
    if m:
        try:
            return _date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    m = re.search(_DATE_CORE, s, re.I)
    return _date_from_match(m) if m else None


def _date_line(line: str) -> str | None:
    m = _DATE_LINE.match(line)
    return _date_from_match(m) if m else None


# --------------------------------------------------------------------------------------------------
# language (cheap script + stopword guess)

_STOP = {
    "en": "the and of to in is that was for on with he it as said his are by at from have has be this an not but they were will who which their its".split(),
    "fr": "le la les des est et une dans que pour qui sur pas par au du avec il elle sont ce cette aux nous vous".split(),
    "de": "der die das und ist nicht ein eine mit den dem sich auf für von zu des im auch wird sind dass wurde".split(),
    "es": "el la los las que del en por una con para es se su al lo como más pero sus fue está han".split(),
    "it": "il di che la le per non una del della con sono gli nel alla anche come più dei è".split(),
    "pt": "o os que do da em um uma para com não por se mais dos das na no ao foi são pelo".split(),
    "nl": "de het een van en in is dat op te zijn voor met niet die aan er maar om ook als".split(),
}
_STOPSETS = {k: set(v) for k, v in _STOP.items()}
_STOP_INDEX: dict[str, list[str]] = {}
for _lang, _ws in _STOPSETS.items():
    for _w in _ws:
        _STOP_INDEX.setdefault(_w, []).append(_lang)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _script(ch: str) -> str:
    o = ord(ch)
    if o < 0x250 or 0x1E00 <= o < 0x1F00:
        return "latin"
    if 0x370 <= o < 0x400 or 0x1F00 <= o < 0x2000:
        return "greek"
    if 0x400 <= o < 0x530:
        return "cyrillic"
    if 0x590 <= o < 0x600:
        return "hebrew"
    if 0x600 <= o < 0x700 or 0x750 <= o < 0x780 or 0xFB50 <= o < 0xFE00 or 0xFE70 <= o < 0xFF00:
        return "arabic"
    if 0x900 <= o < 0x980:
        return "devanagari"
    if 0xE00 <= o < 0xE80:
        return "thai"
    if 0x3040 <= o < 0x3100:
        return "kana"
    if 0xAC00 <= o < 0xD7B0 or 0x1100 <= o < 0x1200:
        return "hangul"
    if 0x4E00 <= o < 0xA000 or 0x3400 <= o < 0x4DC0:
        return "han"
    return "other"


_NONLATIN = re.compile("[^\\W\\d_\u0000-\u024f\u1e00-\u1eff]")


def _script_counts(text: str) -> dict[str, int]:
    """Letters per script (fast path: only non-Latin letters are looked at one by one)."""
    if text.isascii():
        return {"latin": len(text)} if text else {}
    total = sum(map(str.isalpha, text))
    counts: dict[str, int] = {}
    foreign = _NONLATIN.findall(text)
    for ch in foreign:
        sc = _script(ch)
        counts[sc] = counts.get(sc, 0) + 1
    latin = total - len(foreign)
    if latin > 0:
        counts["latin"] = latin
    return counts


def _stopword_hits(words: list[str]) -> dict[str, int]:
    hits = dict.fromkeys(_STOPSETS, 0)
    for w in words:
        for lang in _STOP_INDEX.get(w, ()):
            hits[lang] += 1
    return hits


def guess_language(text: str) -> str:
    """ISO 639-1 guess ('en', 'fr', 'fa', 'ru', ...) from script and stopwords; 'und' if unsure."""
    counts = _script_counts(text)
    if not counts:
        return "und"
    script = max(counts, key=counts.get)
    if script == "latin":
        hits = _stopword_hits(_WORD.findall(text[:3000].lower()))
        best = max(hits, key=hits.get)
        return best if hits[best] >= 2 else "und"
    if script == "arabic":
        if re.search("[\u06d2\u0679\u0688\u0691]", text):
            return "ur"
        return "fa" if re.search("[\u067e\u0686\u0698\u06af\u06cc\u06a9]", text) else "ar"
    if script == "cyrillic":
        return "uk" if re.search("[їєі]", text) else "ru"
    if script == "han":
        return "ja" if counts.get("kana", 0) > counts["han"] * 0.05 else "zh"
    return {"greek": "el", "hebrew": "he", "devanagari": "hi", "thai": "th", "kana": "ja", "hangul": "ko"}.get(
        script, "und"
    )


def _main_script(counts: dict[str, int]) -> str:
    return max(counts, key=counts.get) if counts else "latin"


def _foreign_line(line: str, script: str, lang: str, mixed: bool) -> bool:
    """True if `line` is clearly not in the article's language (other script, or other stopwords).

    `mixed` says whether the article has letters of more than one script at all (else skip that test).
    """
    if mixed:
        counts = _script_counts(line)
        letters = sum(counts.values())
        own = counts.get(script, 0) + (counts.get("kana", 0) if script == "han" else 0)
        if letters >= 3 and letters - own >= 3 and (letters - own) >= 0.3 * letters:
            return True
    if script == "latin" and lang in _STOPSETS:
        low = line.lower()
        padded = f" {low} "
        if any(f" {w} " in padded for w in _STOP[lang][:8]):
            return False
        words = _WORD.findall(low)
        if len(words) >= 5 and _STOPSETS[lang].isdisjoint(words):
            hits = _stopword_hits(words)
            other = max(hits, key=hits.get)
            if hits[other] >= 2 and hits[other] >= 0.25 * len(words):
                return True
    return False


# --------------------------------------------------------------------------------------------------
# boilerplate patterns: (compiled regex matched against the whole normalized line, reason)


def _rx(*alts: str) -> tuple[str, ...]:
    """Alternatives of one rule, each matched against the whole line (case-insensitive)."""
    return alts


_SOCIAL = r"facebook|twitter|x|instagram|whatsapp|linkedin|pinterest|reddit|email|e-mail|messenger|print|tumblr|flipboard|youtube|google\+?|sms|copy link"
_RULE_SOURCES: list[tuple[tuple[str, ...], str]] = [
    (
        _rx(
            r"^\d+\s+comments?:?$",
            r"^(?:post|add|leave|write|view|show|hide|read|see)\s+(?:a|your|all|the)?\s*(?:\d+\s+)?(?:comments?|reply|replies|responses?)\b.{0,40}$",
            r"^comments?\s*(?:\(\d+\)|:)?$",
            r"^(?:no|\d+)\s+(?:comments?|responses?|replies)(?:\s+yet)?[.:!]?$",
            r"^be the first to comment\b.*$",
            r"^(?:\d+\s+)?(?:thoughts|responses?) (?:on|to) [“\"'‘].{0,150}$",
            r"^comments? (?:are|have been) (?:closed|disabled)\.?$",
            r"^you must (?:be )?log(?:ged)? in to (?:post a )?comment\.?$",
        ),
        "boilerplate: comment widget",
    ),
    (
        _rx(
            r"^(?:labels?|tags?|tagged(?: with| as)?|filed under|categor(?:y|ies)|topics?|posted in|more about|read more about|keywords?)\s*:.{0,300}$"
        ),
        "boilerplate: tags/labels",
    ),
    (
        _rx(
            r"^exit mobile version$",
            r"^(?:<<|«|‹|←)\s*(?:home|back|previous|older|newer).{0,30}$",
            r"^(?:home|back to (?:top|home)|top of page|skip to (?:main )?content|jump to (?:navigation|content)|main menu|menu|search|close|previous|next|next article|previous article|older posts?|newer posts?)$",
            r"^(?:home\s*[›»>/|]\s*).{0,80}$",
            r"^text size\s*[-+]?.{0,10}$",
            r"^(?:enlarge|view gallery|view (?:photo|image)s?|play video|play|watch|video|photo|photos|image|gallery|audio|listen|now playing:?|story continued below|continue reading|continue reading below|loading\.*|related gallery|(?:view|see) comments)$",
            r"^(?:enlarge (?:this )?image|enlarge icon)\b.{0,200}$",
            r"^play (?:" + _SOCIAL + r")$",
        ),
        "boilerplate: navigation/widget",
    ),
    (
        _rx(
            r"^advertisement\b(?:\s*[-–—:]?\s*(?:continue reading|story continues|scroll to continue).{0,40})?$",
            r"^(?:sponsored(?: content)?|paid content|promoted(?: stories)?|ad|ads by \w+|advertising)$",
            r"^(?:story continues below(?: advertisement)?|article continues below(?: advertisement)?)$",
        ),
        "boilerplate: advertisement",
    ),
    (
        _rx(
            r"^media playback is unsupported on your device\b.*$",
            r"^(?:image|media) (?:copyright|caption)\b.*$",
            r"^skip in skip x embed x share\b.*$",
            r"^(?:photo|image|picture|video|credit|photograph|illustration)s?\s*(?:credit)?\s*:.{0,120}$",
            r"^\((?:photo|image|credit|video)s?\s*(?:credit)?\s*:.{0,80}\)$",
            r"^(?:photos?|images?|screenshot|thumbnail image|illustration) (?:by|courtesy(?: of)?|via)\b.{0,120}$",
            r"^[\w .,'’&-]{0,60}/\s*(?:getty(?: images)?|ap|afp|reuters|shutterstock|epa|istock|bloomberg|newscom|corbis|rex)\b.{0,60}$",
            r"^(?:getty images|ap photo|afp photo|reuters|shutterstock|epa)\s*$",
            r"^a post shared by .{0,120}$",
            r"^.{0,80}\ba post shared by \S.{0,60}\b(?:am|pm)\s*[A-Z]{0,4}$",
            r"^you need (?:the latest version of )?(?:the )?(?:adobe )?flash player\b.*$",
            r"^your browser does not support\b.*$",
        ),
        "boilerplate: media widget/caption",
    ),
    (
        _rx(
            r"^(?:share|share this|share this (?:article|story|post|page|on \w+)|share on \w+|tweet|tweet this|pin it|email this|print this|print|email|"
            + _SOCIAL
            + r")(?:\s*[|/•·,]\s*(?:share|tweet|"
            + _SOCIAL
            + r"))*\s*:?$",
            r"^(?:share|follow us|connect with us|find us)\s*(?:on|:)\s*(?:" + _SOCIAL + r")\b.{0,80}$",
            r"^(?:read|share) or share this story:.*$",
            r"^read or share this story\b.*$",
            r"^(?:click|tap) (?:here|to|for)\b.{0,200}$",
            r"^.{0,120}\b(?:click|tap) here\b.{0,60}$",
            r"^follow\b.{0,60}\b(?:on (?:" + _SOCIAL + r")|@\w+).{0,160}$",
            r"^follow (?:us|me|him|her|the author)\b.{0,80}$",
            r"^follow\b.{0,60}:\s*(?:" + _SOCIAL + r")\b.{0,60}$",
            r"^(?:" + _SOCIAL + r")\s*:\s*@\w+.{0,40}$",
            r"^tweet with a location$",
            r"^you can add location information to your tweets\b.*$",
            r"^(?:•\s*)?e-?mail\s*:\s*\S+@\S+.{0,80}$",
        ),
        "boilerplate: share/follow",
    ),
    (
        _rx(
            r"^.{0,200}\b(?:sign up|sign-up|signup|subscribe)\b.{0,120}\b(?:newsletters?|inbox|e-?mails?|alerts|updates)\b.{0,300}$",
            r"^.{0,200}\bnewsletters?\b.{0,120}\b(?:sign up|subscribe|inbox)\b.{0,300}$",
            r"^.{0,200}\b(?:delivered (?:straight |directly )?to your inbox|thanks? (?:you )?for subscribing|breaking news (?:e-?mails|alerts))\b.{0,300}$",
            r"^\W*(?:subscribe|subscribe now|sign up|sign up now|get the newsletter|join our mailing list)\b.{0,400}$",
            r"^(?:be sure to )?subscribe to\b.{0,100}$",
            r"^(?:get|want) (?:the )?(?:latest|daily|breaking|more)\b.{0,60}\b(?:inbox|newsletter|alerts?)\b.{0,80}$",
        ),
        "boilerplate: newsletter/subscribe",
    ),
    (
        _rx(
            r"^(?:read more|read more here|more|also read|see also|read next|related|watch|listen|see more|more on this story|more from [\w .]+)\s*(?:[:»>…]|\.\.\.)?$",
            r"^(?:read more|also read|see also|related|more|more news|read|watch|video|photos?|pics|interactive(?: map)?|map|story|bonus|interview|opinion|listen)\s*[:|]\s*\S.{0,200}$",
            r"^.{5,200}\bread more$",
            r"^\((?:also on|related|see also|read more|more)\b[^)]{0,200}\)$",
            r"^\[[^\]]{5,200}\]$",
            r"^►.{0,200}$",
        ),
        "boilerplate: read more/teaser link",
    ),
    (
        _rx(
            r"^\(?(?:copyright\s*(?:©|\(c\))?\s*(?:\d{4}|by\b)|©|\(c\)\s*\d{4}).{0,300}$",
            r"^.{0,200}\ball rights reserved\b.{0,300}$",
            r"^.{0,100}\bthis material may not be (?:published|broadcast|rewritten|redistributed)\b.*$",
            r"^(?:this (?:article|story|post) (?:was |is )?(?:originally |first )?(?:published|appeared|posted)|originally published|original article)\b.{0,200}$",
            r"^(?:republished|reprinted) (?:with|by) (?:permission|arrangement)\b.*$",
        ),
        "boilerplate: copyright/republication",
    ),
    (
        _rx(
            r"^.{0,300}\b(?:alexa internet|wayback machine|internet archive|archive-it|warc files?|crawl data|this crawl|these crawls|web captures|web collections?)\b.*$",
            r"^(?:a collection of )?(?:government )?web content\b.{0,300}$",
            r"^.{0,80}\bcollection of (?:government )?web content\b.*$",
        ),
        "archive-crawl notice",
    ),
    (
        _rx(
            r"^the ip address (?:has changed|for this domain)\b.*$",
            r"^.{0,200}\b(?:check your dns settings|clearing your dns cache|dns changes to propagate)\b.*$",
            r"^.{0,40}\b(?:this page (?:is|was) (?:not|no longer) available|page not found|(?:error )?404\b.{0,30}not found|the page you (?:requested|are looking for)|sorry,? (?:but )?(?:this|the) page)\b.*$",
            r"^.{0,100}\b(?:javascript is (?:disabled|required|not enabled)|(?:enable|turn on) javascript|requires javascript|javascript must be enabled)\b.*$",
            r"^.{0,100}\b(?:we use cookies|this (?:site|website) uses cookies|cookie policy|accept (?:all )?cookies|enable cookies|cookies (?:are|must be) enabled)\b.*$",
            r"^(?:you must (?:log|sign) ?in(?: to continue)?|please (?:log|sign) ?in to continue|access denied|forbidden|service unavailable|403 forbidden|subscribers? only)\W*$",
            r"^(?:would you like to proceed to legacy twitter\?|are you a robot\?|please verify you are a human)\W*$",
        ),
        "error/placeholder page",
    ),
    (
        _rx(
            r"^(?:file\s*[-–—]\s*)?(?:in )?this (?:\w+ ){0,4}(?:photo|image|picture|photograph|frame grab|video still)\b.*$",
            r"^file\s*[-–—]\s+.*$",
            r"^.{20,600}\((?:ap|afp|reuters|getty|epa|photo:|ap photo/|associated press|u\.s\. \w+ photo)[^)]{0,80}\)\s*(?:\((?:associated press|ap|reuters|afp)\))?\.?$",
            r"^.{20,600}(?<![\w.])(?-i:(?:REUTERS|AFP|EPA|AP|XINHUA)/[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3})\.?$",
            r"^.{20,600}\b(?:photograph|photo|photographer|credit|picture|image)s?\s*:\s*[^.:]{2,80}$",
            r"^.{20,600}\bpicture taken [^.]{3,40}\.$",
        ),
        "photo caption",
    ),
    (
        _rx(
            r"^just watched\b.{0,200}\breplay\b.{0,40}\bmore videos\b.*$",
            r"^video loading\b.*$",
            r"^.{0,80}\bclick to play\b.{0,80}\bplay now$",
            r"^photo gallery\b.{0,200}$",
            r"^(?:gallery|slideshow):?\s*\d+ (?:photos|images)$",
        ),
        "boilerplate: video/gallery widget",
    ),
    (
        _rx(
            r"^dow jones reprints\b.*$",
            r"^.{0,100}\bthis copy is for your personal,? non-commercial use\b.*$",
            r"^if you have (?:pictures|photos|videos?|a (?:news )?tip|information)\b.{0,80}\b(?:e-?mail|upload|send|contact)\b.*$",
            r"^contributing:.{0,300}$",
        ),
        "boilerplate: credits/reprints",
    ),
    (
        _rx(r"^.{0,40}\b(?:high|low) -?\d+\s?°?F\b.{0,80}\bwinds?\b.*$"),
        "boilerplate: weather widget",
    ),
    (
        _rx(r"^source\s*:?$", r"^sources?\s*:\s*\S.{0,60}$", r"^\(?source\s*:\s*[^.]{0,60}\)?$"),
        "boilerplate: source line",
    ),
    (
        _rx(
            r"^(?:/\s*)?(?:updated |written |reported |posted )?by\s+(?-i:(?:[A-Z][\w.'’-]*\s*(?:,|and|&)?\s*){1,8})(?:\([^)]*\))?\s*$",
            r"^(?:posted|published|updated|last updated|first published)(?: on| at)?:?\s+(?:[a-z]{3,9}\.? \d{1,2}\b|\d{1,2}[:.]\d{2}\b|\d{4}\b|\d{1,2} [a-z]{3,9} \d{4}).{0,50}$",
            r"^(?:posted|published|updated)\s+(?:at|on)\s+.{0,60}\bby\s+.{0,60}$",
            r"^update,?\s+\d{1,2}[:.]\d{2}\s*[ap]\.?m\.?\s*:.{0,100}$",
            r"^\W*this (?:story|article|post|page) (?:was|has been|is) (?:last |first )?(?:updated|modified|published)\b.{0,60}$",
        ),
        "byline/timestamp (metadata)",
    ),
    (
        _rx(
            r"^(?:.{0,60}\b)?[\w.+-]+@[\w-]+\.[\w.-]+(?:\s*(?:or|/|\||,)\s*[\d() .-]{7,20})?\.?$",
            r"^(?:have a tip|got a (?:news )?tip|contact (?:the )?(?:writer|author|reporter))\b.{0,100}\S+@\S+.*$",
            r"^you can reach\b.{0,80}\S+@\S+.*$",
            r"^to contact the (?:reporter|editor|author)\b.*$",
        ),
        "boilerplate: contact details",
    ),
]

# a line that starts the end-of-article teaser block
_TAIL = re.compile(
    r"^(?:check also|related|related (?:articles?|posts?|stories|coverage|content|news|links|reading|videos?)|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|recommended(?: for you| stories| reading)?|"
    r"more (?:from|on|stories|news)\b.{0,40}|most (?:read|popular|viewed|shared)|trending(?: now| stories)?|"
    r"(?:read|see) (?:more|also|next)|also(?: read| see)?|what to read next|don'?t miss|popular (?:posts?|stories)|"
    r"online|latest (?:news|stories|posts)|around the web|from (?:our|the) (?:partners|web))\s*[:.…]*$",
    re.I,
)
_TAIL_MAX_WORDS = 30

_IMG_EXT = r"(?:jpe?g|png|gif|webp|bmp|tiff?|svg|heic|avif)"
_IMG_ONLY = re.compile(rf"^[\w\-.%()~+]+\.{_IMG_EXT}$", re.I)
_IMG_GLUED = re.compile(rf"^([\w\-%()~+]+(?:\.[\w\-]+)*\.{_IMG_EXT})(?=\s*[^\s.])", re.I)

_TRAILING_TEASER = re.compile(r"(?<=[.!?\"”’])\s*(\[[^\[\]]{3,150}\])$")
_URL = re.compile(r"(?:https?://|www\.)\S+|\bpic\.twitter\.com/\S+|\bbit\.ly/\S+|\bt\.co/\S+", re.I)
_MARKUP = re.compile(r"\b\w+=[\"']https?://|<\s*/?\s*(?:div|span|iframe|script|img|a|p|br)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]{0,200}>")
_CATEGORY = re.compile(r"^(?:[A-Z][\w&'’-]*(?: [A-Z&][\w&'’-]*){0,2})(?:\s*[,|/•·]\s*[A-Z][\w&'’-]*(?: [A-Z&][\w&'’-]*){0,2}){2,9}$")
_TERMINAL = re.compile(r"(?:[.!?…]|\.\.\.)[\"'”’)\]»]*$")
_JOINER_END = re.compile(r"(?:[,;:(\-–—/&]|\b(?:and|or|but|of|the|a|an|to|in|on|at|for|with|by|from|that|as|is|are|was|were))$", re.I)
_ABBREV_END = re.compile(r"(?:\b(?:[A-Z]\.){2,}|\b(?:Jr|Sr|Inc|Ltd|Co|Corp|St|Dr|Mr|Mrs|Ms|No|vs)\.)$")


def _teaser(s: str, to_end: bool) -> bool:
    """A line of a 'Related'/'Check Also' block: a title, a cut-off excerpt or a link."""
    if s.endswith(("…", "...")) or _has_url(s):
        return True
    if to_end:
        return _words(s) <= _TAIL_MAX_WORDS
    return _words(s) <= 20 and not _ends_sentence(s)


def _words(s: str) -> int:
    return len(s.split())


def _ends_sentence(s: str) -> bool:
    return bool(_TERMINAL.search(s[-12:]))


def _headline_like(s: str) -> bool:
    """A short line without final punctuation (or ending in an abbreviation), starting like a title."""
    if not s or not (1 <= _words(s) <= 20) or len(s) > 160:
        return False
    if not any(c.isalpha() for c in s):
        return False
    first = s[0]
    if first.islower() or (first == "(" and s.endswith(")")):
        return False
    if _ends_sentence(s) and not _ABBREV_END.search(s[-12:]):
        return False
    if s.endswith((":", ";", ",")):
        return False
    return _boiler(s) is None


# Floating patterns (`^.{0,N}keyword...`) are slow on long lines; they run only if one of the
# rule's cheap substring hints occurs in the lowercased line. Anchored patterns always run.
_FLOATING_HINTS = {
    "boilerplate: media widget/caption": ("post shared",),
    "boilerplate: share/follow": ("click here", "tap here"),
    "boilerplate: newsletter/subscribe": (
        "sign up", "sign-up", "signup", "subscrib", "newsletter", "inbox", "breaking news",
    ),
    "boilerplate: read more/teaser link": ("read more",),
    "boilerplate: copyright/republication": ("rights reserved", "may not be"),
    "archive-crawl notice": (
        "alexa", "wayback", "internet archive", "archive-it", "warc", "crawl", "web captures",
        "web collection", "web content",
    ),
    "error/placeholder page": (
        "dns", "not available", "no longer available", "not found", "page you", "sorry", "javascript",
        "cookie", "404",
    ),
    "photo caption": (
        "photo", "picture", "image", "credit", "reuters/", "afp/", "epa/", "ap/", "xinhua/", "(ap)",
        "(afp", "(reuters", "(getty", "(epa", "associated press",
    ),
    "boilerplate: credits/reprints": ("this copy is for your personal",),
    "boilerplate: weather widget": ("wind",),
    "boilerplate: video/gallery widget": ("click to play",),
    "boilerplate: contact details": ("@",),
}


def _compile_rules() -> list[tuple[re.Pattern | None, re.Pattern | None, tuple[str, ...], str]]:
    rules = []
    for alts, reason in _RULE_SOURCES:
        anchored = [a for a in alts if not a.startswith(("^.{", "^(?:.{"))]
        floating = [a for a in alts if a.startswith(("^.{", "^(?:.{"))]
        hints = _FLOATING_HINTS.get(reason, ())
        assert not floating or hints, reason
        rules.append(
            (
                re.compile("|".join(f"(?:{a})" for a in anchored), re.I) if anchored else None,
                re.compile("|".join(f"(?:{a})" for a in floating), re.I) if floating else None,
                hints,
                reason,
            )
        )
    return rules


_LINE_RULES = _compile_rules()


_TWEET = re.compile(r"[—–-]\s*[^()]{1,60}\(@\w+\)\s+\w+\.? \d{1,2}, \d{4}$")
_QUOTE_SAID = re.compile(r"[,!?][\"”’']\s+\S")


def _heading(p: str) -> bool:
    """A short standalone line that is not a sentence: heading, caption, label, table row."""
    if _ends_sentence(p) or _words(p) > 12 or p[0].islower() or p[0] in "*•·▪":
        return False  # sentences, long lines, continuations and bulleted list items stay
    if p.endswith((":", ";", ",", "-", "—", "–")):
        return False  # a lead-in or an interrupted line, not a heading
    if ("(@" in p and _TWEET.search(p)) or (_words(p) >= 8 and _QUOTE_SAID.search(p)):
        return False  # an embedded tweet or a quotation without its final period
    return True


def _boiler(line: str) -> str | None:
    """Reason if the whole line is boilerplate, else None."""
    if len(line) > 600:
        return None
    low = line.lower()
    for anchored, floating, hints, reason in _LINE_RULES:
        if anchored is not None and anchored.match(line):
            return reason
        if floating is not None and any(h in low for h in hints) and floating.match(line):
            return reason
    return None


_PUNCT_TO_SPACE = {
    i: " " for i in range(0x2070) if not chr(i).isalnum() and not chr(i).isspace()
}


def _key(s: str) -> str:
    """Case- and punctuation-insensitive comparison key."""
    return " ".join(s.lower().translate(_PUNCT_TO_SPACE).split())


# --------------------------------------------------------------------------------------------------
# HTML

_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|section|main|p|h[1-6])\b", re.I | re.S)
_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th", "table",
    "section", "article", "header", "footer", "nav", "aside", "blockquote", "pre", "figure", "figcaption",
    "form", "main", "dd", "dt", "dl", "title", "hr", "address", "details", "summary", "option", "button",
}


def looks_like_html(text: str) -> bool:
    """True if `text` is an HTML document or fragment (starts with a typical tag)."""
    return bool(_HTML_START.match(text[:2000]))


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _html_lines(html: str) -> list[str]:
    """Visible text lines of an HTML page (scripts/styles dropped), one per block element."""
    try:
        import lxml.html

        root = lxml.html.fromstring(html)
        for bad in root.xpath("//script|//style|//noscript|//template|//head/meta|//link"):
            bad.drop_tree()
        for el in root.iter():
            if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
                el.text = "\n" + (el.text or "")
                el.tail = "\n" + (el.tail or "")
        text = root.text_content()
    except Exception:  # noqa: BLE001 - unparsable markup: nothing to account for
        return []
    return [n for n in (normalize_line(x) for x in text.split("\n")) if n]


def extract_html(html: str, url: str = "") -> tuple[str, dict, list[Removal]]:
    """Main text of an HTML page via trafilatura: (body with blank-line paragraphs, metadata, dropped)."""
    import trafilatura

    html = _CONTROL.sub("", html)
    doc = None
    try:
        doc = trafilatura.bare_extraction(
            html, url=url or None, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception:  # noqa: BLE001 - trafilatura can fail on odd markup
        doc = None
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    meta = {}
    if doc is not None:
        for k in ("title", "date", "sitename", "url", "author"):
            v = getattr(doc, k, None)
            if v:
                meta[k] = str(v)
    body = "\n\n".join(x for x in (t.strip() for t in text.split("\n")) if x)
    kept = _key(body + " " + meta.get("title", ""))
    dropped: list[Removal] = []
    seen: set[str] = set()
    for line in _html_lines(html):
        k = _key(line)
        if not k or k in seen or k in kept:
            continue
        seen.add(k)
        dropped.append(Removal(line, "html: outside the main text (navigation/footer/comments)", None))
    return body, meta, dropped


# --------------------------------------------------------------------------------------------------
# the cleaner


def _has_url(s: str) -> bool:
    return "http" in s or "www." in s or "pic.twitter" in s or "bit.ly" in s or "t.co/" in s


def _line_reason(s: str, script: str = "latin", lang: str = "en", mixed: bool = False) -> str | None:
    """Why a whole (normalized, non-blank) line is not article text, or None to keep it."""
    if not any(c.isalnum() for c in s):
        return "separator/decoration"
    if _IMG_ONLY.match(s):
        return "image file name"
    reason = _boiler(s)
    if reason:
        return reason
    if ("=" in s or "<" in s) and _MARKUP.search(s) and _words(_TAG.sub(" ", s)) < 8:
        return "markup residue"
    if _has_url(s) and _URL.search(s):
        rest = _URL.sub(" ", s)
        if _words(rest) <= 4 and not _ends_sentence(rest.strip()):
            return "link"
    if _CATEGORY.match(s) and not _ends_sentence(s):
        return "boilerplate: tags/labels"
    if _foreign_line(s, script, lang, mixed):
        return "not in the article's language"
    if _date_line(s):
        return "date (metadata)"
    return None


class _Line:
    __slots__ = ("no", "text")

    def __init__(self, no: int, text: str):
        self.no = no
        self.text = text


_HIGHLIGHTS = re.compile(r"^story highlights\s*:?\s*", re.I)


def _header(lines: list[_Line], article: Article, removed: list[Removal], ctx: tuple) -> tuple[int, dict]:
    """Consume title/date/site-name lines at the top; return (index of first body line, found metadata)."""
    found: dict[str, str] = {}
    title_key = _key(article.title) if article.title else ""
    have_title = bool(article.title)
    i = 0
    seen = 0
    while i < len(lines) and seen < 5:
        s = lines[i].text
        if not s:
            i += 1
            continue
        seen += 1
        d = _date_line(s)
        if d and "date" not in found:
            found["date"] = d
            removed.append(Removal(s, "date (metadata)", lines[i].no))
            i += 1
            continue
        dated = _DATE_START.match(s)
        if title_key and title_key in (_key(s), _key(s[dated.end():]) if dated else None) and "title" not in found:
            found["title"] = s
            removed.append(Removal(s, "headline (metadata)", lines[i].no))
            i += 1
            continue
        if dated and "date" not in found and _date_from_match(dated) and _ends_sentence(s) and _words(s[dated.end():]) >= 6:
            found["date"] = _date_from_match(dated)
            removed.append(Removal(s[: dated.end()].strip(), "date (metadata), glued to the first sentence", lines[i].no))
            lines[i].text = s[dated.end():]
            break
        if _line_reason(s, *ctx) is not None or _TAIL.match(s):
            break
        if "title" in found or have_title:
            if article.source and _key(s) == _key(article.source) and "source" not in found:
                found["source"] = s
                removed.append(Removal(s, "site name (metadata)", lines[i].no))
                i += 1
                continue
            break
        # a dated headline: "2005/01/08 Tsunami aid donations ..."
        m = _DATE_START.match(s)
        if m and "date" not in found and _headline_like(s[m.end():]) and _date_from_match(m):
            found["date"] = _date_from_match(m)
            found["title"] = s[m.end():]
            removed.append(Removal(s, "headline (metadata)", lines[i].no))
            i += 1
            continue
        nxt_raw = lines[i + 1].text if i + 1 < len(lines) else ""
        wrapped = bool(nxt_raw) and (nxt_raw[0].islower() or bool(_JOINER_END.search(s[-8:])))
        if _headline_like(s) and not wrapped:
            nxt = next((j for j in range(i + 1, min(len(lines), i + 4)) if lines[j].text), None)
            nxt_s = lines[nxt].text if nxt is not None else ""
            if (
                "source" not in found
                and _words(s) <= 3
                and len(s) <= 30
                and nxt_s
                and _line_reason(nxt_s, *ctx) is None
                and _headline_like(nxt_s)
                and nxt_s[0].isalnum()
                and _words(nxt_s) >= 4
                and not _date_line(nxt_s)
            ):
                found["source"] = s
                removed.append(Removal(s, "site name (metadata)", lines[i].no))
                i += 1
                continue
            if nxt_s:  # a headline needs a body after it
                found["title"] = _HIGHLIGHTS.sub("", s) or s
                removed.append(Removal(s, "headline (metadata)", lines[i].no))
                i += 1
                continue
        break
    return i, found


def clean_article(article: Article) -> Article:
    """Fill `text`, `removed`, `language` (and title/date/source/url if unset) from `article.raw`."""
    raw = article.raw or ""
    removed: list[Removal] = []
    meta: dict[str, str] = {}
    body = raw
    if looks_like_html(raw):
        body, meta, dropped = extract_html(raw, article.url)
        removed.extend(dropped)
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_Line(n, normalize_line(t)) for n, t in enumerate(body.split("\n"), 1)]

    lang = guess_language(body)
    counts = _script_counts(body)
    script = _main_script(counts)
    mixed = len(counts) > 1

    if meta.get("title") and not article.title:
        article.title = meta["title"]
    start, found = _header(lines, article, removed, (script, lang, mixed))

    # ---- line pass: decide for every body line: blank / removed / kept (possibly trimmed)
    kept: list[_Line | None] = []  # None = paragraph break
    tail_reason = ""
    tail_to_end = False
    body_lines = lines[start:]
    for k, ln in enumerate(body_lines):
        s = ln.text
        if not s:
            kept.append(None)
            continue
        reason = None
        if tail_reason:
            if _teaser(s, tail_to_end):
                reason = tail_reason
            else:
                tail_reason = ""
        if reason is None and _TAIL.match(s) and _words(s) <= 8:
            tail_reason = f"teaser after '{s.rstrip(':.… ')}'"
            # a teaser block that runs to the end of the article may hold short full sentences too
            tail_to_end = all(_teaser(x.text, True) for x in body_lines[k + 1 :] if x.text)
            reason = f"boilerplate: '{s.rstrip(':.… ')}' (start of teasers)"
        if reason is None:
            m = _IMG_GLUED.match(s)
            if m:
                removed.append(Removal(m.group(1), "image file name", ln.no))
                s = s[m.end():].lstrip()
            m = _TRAILING_TEASER.search(s) if s.endswith("]") else None
            if m and _words(s[: m.start()]) >= 5:
                removed.append(Removal(m.group(1), "boilerplate: read more/teaser link", ln.no))
                s = s[: m.start()].rstrip()
            reason = _line_reason(s, script, lang, mixed)
        if reason == "date (metadata)" and "date" not in found:
            found["date"] = _date_line(s) or ""
        if reason:
            removed.append(Removal(s, reason, ln.no))
            kept.append(None)
        else:
            kept.append(_Line(ln.no, s))

    # ---- paragraphs: join wrapped lines inside each block of consecutive kept lines
    paragraphs: list[tuple[int, str]] = []
    block: list[_Line] = []

    def flush() -> None:
        if not block:
            return
        lens = [len(b.text) for b in block]
        maxlen = max(lens)
        wrapped = len(block) >= 3 and maxlen <= 120 and sum(l >= 0.6 * maxlen for l in lens[:-1]) >= 0.6 * (len(block) - 1)
        cur: list[_Line] = []
        for k, b in enumerate(block):
            cur.append(b)
            nxt = block[k + 1].text if k + 1 < len(block) else None
            t = b.text
            join = False
            if nxt is not None and not _ends_sentence(t):
                if (
                    nxt[0].islower()
                    or nxt[0] in ",;:)]–—-"
                    or _JOINER_END.search(t[-8:])
                    or (wrapped and len(t) >= 0.6 * maxlen)
                    or _words(t) > 12
                ):
                    join = True
            if not join:
                paragraphs.append((cur[0].no, " ".join(c.text for c in cur)))
                cur = []
        block.clear()

    for item in kept:
        if item is None:
            flush()
        else:
            block.append(item)
    flush()

    # ---- headings/captions, repeated paragraphs and sentences
    out: list[str] = []
    seen_par: set[str] = set()
    seen_sent: set[str] = set()
    for no, p in paragraphs:
        if _heading(p):
            removed.append(Removal(p, "heading/caption (not a sentence)", no))
            continue
        k = _key(p)
        if k in seen_par and len(k.split()) >= 4:
            removed.append(Removal(p, "repeated paragraph", no))
            continue
        seen_par.add(k)
        spans = sentence_spans(p)
        cut: list[tuple[int, int]] = []
        for j, (a, b) in enumerate(spans):
            sent = p[a:b]
            sk = _key(sent)
            if sk in seen_sent and len(sk.split()) >= 6 and _ends_sentence(sent):
                removed.append(Removal(sent, "repeated sentence", no))
                # cut the sentence and the space after it (or before it, if it is the last one)
                if j + 1 < len(spans):
                    cut.append((a, spans[j + 1][0]))
                else:
                    cut.append((spans[j - 1][1] if j else a, b))
                continue
            seen_sent.add(sk)
        if cut:
            pieces, pos = [], 0
            for a, b in cut:
                if a > pos:
                    pieces.append(p[pos:a])
                pos = max(pos, b)
            pieces.append(p[pos:])
            p = "".join(pieces).strip()
        if p:
            out.append(p)

    article.text = "\n\n".join(out)
    removed.sort(key=lambda r: (r.line is None, r.line or 0))
    article.removed = removed
    article.language = lang
    if not article.title:
        article.title = found.get("title", "") or meta.get("title", "")
    if not article.date:
        article.date = found.get("date") or parse_date(meta.get("date")) or None
    if not article.source:
        article.source = found.get("source", "") or meta.get("sitename", "")
    if not article.url and meta.get("url"):
        article.url = meta["url"]
    return article
