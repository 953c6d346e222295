"""Which outlet published an article, and whose wire copy it carries.

`detect_outlet(article)` fills `Article.outlet`, `Article.wire` and `Article.outlet_basis` from, in
order of trust:

1. metadata: the `source` given with the article (JSON `source`/`sitename`), or the site name the
   cleaner found (an HTML page's `og:site_name`, a site-name line above the headline);
2. the article's URL (a table of known sites, else the domain itself: "example.org");
3. a dateline at the start of the text: "BAGHDAD (AFP) –", "(Reuters) -", "WASHINGTON, May 28 (AP) —",
   "LITTLETON, Colo. (AP) --", "(Xinhua) _" — the agency whose copy this is;
4. a credit in the text: "..., AFP reported.", "according to Reuters".

A site reposting agency copy keeps both: outlet "NCRI", wire "AFP" ("NCRI, from AFP"). An agency
dateline with no site known makes the agency the outlet ("Reuters"). Only agencies and outlets in
the tables below are read from datelines and credits, so "(PHOTO) -" or "(File) -" never become one.

`outlet_label(article)` is the reader's name for it; `strip_dateline(text)` removes a leading
dateline from a sentence shown to a reader ("(Reuters) - The United States ..." -> "The United States ...").
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newsbrief.model import Article

# News agencies: lower-cased names and abbreviations -> the name readers know.
WIRES: dict[str, str] = {
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP", "france presse": "AFP",
    "reuters": "Reuters", "thomson reuters": "Reuters",
    "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "upi": "UPI", "united press international": "UPI",
    "dpa": "dpa", "deutsche presse-agentur": "dpa",
    "xinhua": "Xinhua", "xinhua news agency": "Xinhua",
    "kyodo": "Kyodo", "kyodo news": "Kyodo", "efe": "EFE", "ansa": "ANSA", "pti": "PTI", "ians": "IANS",
    "ani": "ANI", "irna": "IRNA", "isna": "ISNA", "fars": "Fars", "tasnim": "Tasnim", "tass": "TASS",
    "itar-tass": "TASS", "ria novosti": "RIA Novosti", "interfax": "Interfax", "yonhap": "Yonhap",
    "bernama": "Bernama", "antara": "Antara", "aap": "AAP", "anadolu": "Anadolu Agency",
    "anadolu agency": "Anadolu Agency", "canadian press": "The Canadian Press", "cp": "The Canadian Press",
    "pa": "PA Media", "press association": "PA Media", "bloomberg": "Bloomberg", "apa": "APA",
    "wafa": "WAFA", "sana": "SANA", "mena": "MENA", "kuna": "KUNA", "wam": "WAM", "spa": "SPA",
    "petra": "Petra", "qna": "QNA", "bna": "BNA", "nna": "NNA",
}
# Broadcasters and papers that also put their name in a dateline ("(CNN) --").
DATELINE_OUTLETS: dict[str, str] = {"cnn": "CNN", "bbc": "BBC", "nyt": "The New York Times", "ft": "Financial Times",
                                    "cnsnews": "CNSNews", "jp": "The Jerusalem Post"}

# Sites: registered domain -> name.
SITES: dict[str, str] = {
    "reuters.com": "Reuters", "apnews.com": "AP", "ap.org": "AP", "afp.com": "AFP", "france24.com": "France 24",
    "bbc.co.uk": "BBC", "bbc.com": "BBC", "aljazeera.com": "Al Jazeera", "aljazeera.net": "Al Jazeera",
    "nytimes.com": "The New York Times", "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal", "theguardian.com": "The Guardian", "guardian.co.uk": "The Guardian",
    "cnn.com": "CNN", "foxnews.com": "Fox News", "npr.org": "NPR", "ft.com": "Financial Times",
    "bloomberg.com": "Bloomberg", "economist.com": "The Economist", "usatoday.com": "USA Today",
    "latimes.com": "Los Angeles Times", "nbcnews.com": "NBC News", "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News", "abcnews.com": "ABC News", "politico.com": "Politico",
    "politico.eu": "Politico Europe", "thehill.com": "The Hill", "axios.com": "Axios", "huffpost.com": "HuffPost",
    "huffingtonpost.com": "HuffPost", "independent.co.uk": "The Independent", "telegraph.co.uk": "The Telegraph",
    "thetimes.co.uk": "The Times", "dailymail.co.uk": "Daily Mail", "sky.com": "Sky News", "dw.com": "DW",
    "euronews.com": "Euronews", "lemonde.fr": "Le Monde", "spiegel.de": "Der Spiegel", "haaretz.com": "Haaretz",
    "timesofisrael.com": "The Times of Israel", "jpost.com": "The Jerusalem Post", "presstv.ir": "Press TV",
    "presstv.com": "Press TV", "irna.ir": "IRNA", "tehrantimes.com": "Tehran Times", "ncr-iran.org": "NCRI",
    "rferl.org": "RFE/RL", "voanews.com": "VOA", "xinhuanet.com": "Xinhua", "news.cn": "Xinhua",
    "globaltimes.cn": "Global Times", "scmp.com": "South China Morning Post", "rt.com": "RT", "tass.com": "TASS",
    "yahoo.com": "Yahoo News", "msn.com": "MSN", "newsweek.com": "Newsweek", "time.com": "Time",
    "theatlantic.com": "The Atlantic", "vox.com": "Vox", "breitbart.com": "Breitbart", "nypost.com": "New York Post",
    "chicagotribune.com": "Chicago Tribune", "bostonglobe.com": "The Boston Globe", "cnbc.com": "CNBC",
    "businessinsider.com": "Business Insider", "forbes.com": "Forbes", "vice.com": "Vice", "slate.com": "Slate",
    "motherjones.com": "Mother Jones", "nationalreview.com": "National Review",
    "washingtontimes.com": "The Washington Times", "theglobeandmail.com": "The Globe and Mail", "cbc.ca": "CBC",
    "abc.net.au": "ABC (Australia)", "smh.com.au": "The Sydney Morning Herald", "thehindu.com": "The Hindu",
    "hindustantimes.com": "Hindustan Times", "timesofindia.indiatimes.com": "The Times of India", "dawn.com": "Dawn",
    "arabnews.com": "Arab News", "thenationalnews.com": "The National", "middleeasteye.net": "Middle East Eye",
}
_HOSTING = {"blogspot.com", "wordpress.com", "substack.com", "medium.com", "tumblr.com", "typepad.com",
            "livejournal.com", "weebly.com", "wixsite.com", "github.io"}  # the site is the subdomain
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "go", "ne", "or"}  # bbc.co.uk, abc.net.au ...

_SEP = r"(?:--|[-–—_:])"  # the dash after a dateline ("--" and "_" in older wire copy)
# "BAGHDAD (AFP) –", "WASHINGTON, May 28 (Reuters) -", "LITTLETON, Colo. (AP) --", "(Reuters) -"
_DATELINE = re.compile(
    r"^[\s\"“]*(?P<place>[A-Z][A-Za-z.'’ -]{1,40}?(?:,\s*[A-Z][A-Za-z.' ]{1,20}?)?"
    r"(?:,\s*\w{3,9}\.?\s+\d{1,2})?\s*)?"
    r"\((?P<name>[A-Za-z][A-Za-z .&/-]{0,40}?)\)\s*" + _SEP + r"+\s*"
)
_AGENCY_NAMES = "|".join(sorted((re.escape(k) for k in WIRES if len(k) > 2 or k in ("ap", "pa")), key=len,
                                reverse=True))
# "..., AFP reported." / "according to Reuters" / "the AP news agency reported"
_CREDIT = re.compile(
    r"(?:\baccording to (?:the )?(?P<a>" + _AGENCY_NAMES + r")\b(?: news agency)?"
    r"|,\s*(?:the )?(?P<b>" + _AGENCY_NAMES + r")(?: news agency)? (?:reported|reports)\b"
    r"|\b(?:told|quoted by) (?:the )?(?P<c>" + _AGENCY_NAMES + r")(?: news agency)?\b)",
    re.I,
)
# "By John Smith, Associated Press" / "Associated Press Writer"
_BYLINE = re.compile(r"^\s*By [A-Z][\w.'’ -]{1,60}?,\s*(?P<name>" + _AGENCY_NAMES + r")\b"
                     r"|^\s*(?P<name2>" + _AGENCY_NAMES + r") (?:Writer|Correspondent)\b", re.M | re.I)


def _case_sensitive_wire(name: str) -> str | None:
    """A wire name as written in a dateline or credit; an abbreviation must be in capitals ("AP", not "Ap")."""
    name = name.strip()
    key = name.lower()
    canonical = WIRES.get(key) or DATELINE_OUTLETS.get(key)
    if canonical is None:
        return None
    if len(key) <= 4 and canonical.isupper() and not name.isupper():
        return None
    return canonical


def normalise(name: str) -> str:
    """A source name as readers know it: a domain or URL via the site table, an agency by its usual name."""
    name = re.sub(r"\s+", " ", name or "").strip().strip("|·-–— ")
    if not name:
        return ""
    if "://" in name or re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+/?", name):
        return site_name(name if "://" in name else "http://" + name)
    key = name.lower()
    if key in WIRES:
        return WIRES[key]
    for suffix in (" - home", " | home", " news agency"):
        if key.endswith(suffix):
            return normalise(name[: -len(suffix)])
    return name


def site_name(url: str) -> str:
    """The outlet of a URL: a known site's name, else its domain without "www."; "" for no usable host."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    if not host or "." not in host or re.fullmatch(r"[\d.]+", host):
        return ""
    host = re.sub(r"^(?:www\d?|m|amp|mobile|edition|news|uk|us|en)\.", "", host)
    parts = host.split(".")
    for n in range(len(parts) - 1):  # the longest known suffix: "abcnews.go.com" before "go.com"
        cand = ".".join(parts[n:])
        if cand in SITES:
            return SITES[cand]
    if len(parts) >= 3 and ".".join(parts[-2:]) in _HOSTING:
        return ".".join(parts[-3:])
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def dateline_agency(text: str) -> tuple[str, int] | None:
    """(agency or outlet name, end offset of the dateline) when `text` opens with a known one."""
    m = _DATELINE.match(text[:200])
    if not m:
        return None
    place = (m.group("place") or "").strip()
    if place and not (place.isupper() or place.split(",")[0].strip().isupper() or len(place.split()) <= 3):
        return None
    name = _case_sensitive_wire(m.group("name"))
    return (name, m.end()) if name else None


def strip_dateline(text: str) -> str:
    """`text` without a leading agency dateline ("(Reuters) - The ..." -> "The ...")."""
    found = dateline_agency(text)
    return text[found[1]:] if found else text


def _credit(text: str) -> str | None:
    m = _CREDIT.search(text)
    if not m:
        return None
    raw = m.group("a") or m.group("b") or m.group("c") or ""
    return _case_sensitive_wire(raw)


def _byline(text: str) -> str | None:
    m = _BYLINE.search(text)
    if not m:
        return None
    return WIRES.get((m.group("name") or m.group("name2") or "").lower())


def detect_outlet(article: Article) -> Article:
    """Fill `outlet`, `wire` and `outlet_basis` (see the module docstring); returns the article.

    Values already set are kept (a caller that knows the outlet says so)."""
    if article.outlet or article.outlet_basis:
        return article
    basis: list[str] = []
    outlet = normalise(article.source)
    if outlet:
        basis.append("metadata")
    elif article.url:
        outlet = site_name(article.url)
        if outlet:
            basis.append("URL")
    text = article.text or ""
    head = text[:3000]
    first = text.split("\n\n", 1)[0] if text else ""
    wire = ""
    found = dateline_agency(first) or dateline_agency(_raw_head(article))
    if found:
        wire = found[0]
        basis.append("dateline")
    else:
        agency = _byline(_raw_head(article)) or _byline(head)
        if agency:
            wire = agency
            basis.append("byline")
        else:
            agency = _credit(head)
            if agency:
                wire = agency
                basis.append("credit")
    if not outlet and wire and basis[-1] in ("dateline", "byline"):
        outlet, wire = wire, ""  # the agency's own copy, as far as we can tell
    if wire and outlet.lower() == wire.lower():
        wire = ""
    article.outlet = outlet
    article.wire = wire
    article.outlet_basis = ", ".join(basis)
    return article


def _raw_head(article: Article) -> str:
    """The first non-empty lines of the raw input (a dateline the cleaner moved or dropped)."""
    raw = article.raw or ""
    if raw.lstrip().startswith("<"):
        return ""
    lines = [ln.strip() for ln in raw[:4000].splitlines() if ln.strip()]
    return "\n".join(lines[:6])


def detect_outlets(articles: list[Article]) -> list[Article]:
    for a in articles:
        detect_outlet(a)
    return articles


def outlet_label(article: Article) -> str:
    """The reader's name for where an article comes from (`Article.outlet_label`)."""
    return article.outlet_label()


__all__ = ["detect_outlet", "detect_outlets", "outlet_label", "strip_dateline", "dateline_agency", "site_name",
           "normalise", "WIRES", "SITES"]
