"""Boilerplate lines: each kind is one `Rule` record (its reason, its patterns, its cheap hints).

A pattern is matched against the whole normalised line, case-insensitively. Floating patterns
(`^.{0,N}keyword...`) are slow on long lines, so they run only if one of the rule's `hints` (lower-case
substrings) occurs in the lower-cased line; anchored patterns always run. Rules are tried in order and
the first that matches names the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_LINE = 600  # longer lines are never boilerplate


@dataclass(frozen=True)
class Rule:
    """One kind of boilerplate line."""

    reason: str  # reported with every line the rule removes
    patterns: tuple[str, ...]  # regexes, each matched against the whole line
    hints: tuple[str, ...] = ()  # a floating pattern runs only when one of these occurs in the line
    _anchored: re.Pattern | None = field(init=False, repr=False, compare=False)
    _floating: re.Pattern | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        floating = [p for p in self.patterns if p.startswith(("^.{", "^(?:.{"))]
        anchored = [p for p in self.patterns if p not in floating]
        if floating and not self.hints:
            raise ValueError(f"rule {self.reason!r}: floating patterns need hints")
        object.__setattr__(self, "_anchored", _compile(anchored))
        object.__setattr__(self, "_floating", _compile(floating))

    def matches(self, line: str, lower: str) -> bool:
        """True if the rule covers `line` (`lower` is `line.lower()`)."""
        if self._anchored is not None and self._anchored.match(line):
            return True
        return self._floating is not None and any(h in lower for h in self.hints) and bool(self._floating.match(line))


def _compile(patterns: list[str]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


_SOCIAL = (
    r"facebook|twitter|x|instagram|whatsapp|linkedin|pinterest|reddit|email|e-mail|messenger|print|tumblr|flipboard"
    r"|youtube|google\+?|sms|copy link"
)

RULES: tuple[Rule, ...] = (
    Rule(
        "boilerplate: comment widget",
        (
            r"^\d+\s+comments?:?$",
            r"^(?:post|add|leave|write|view|show|hide|read|see)\s+(?:a|your|all|the)?\s*(?:\d+\s+)?(?:comments?|rep"
            r"ly|replies|responses?)\b.{0,40}$",
            r"^comments?\s*(?:\(\d+\)|:)?$",
            r"^(?:no|\d+)\s+(?:comments?|responses?|replies)(?:\s+yet)?[.:!]?$",
            r"^be the first to comment\b.*$",
            r"^(?:\d+\s+)?(?:thoughts|responses?) (?:on|to) [“\"'‘].{0,150}$",
            r"^comments? (?:are|have been) (?:closed|disabled)\.?$",
            r"^you must (?:be )?log(?:ged)? in to (?:post a )?comment\.?$",
        ),
    ),
    Rule(
        "boilerplate: tags/labels",
        (
            r"^(?:labels?|tags?|tagged(?: with| as)?|filed under|categor(?:y|ies)|topics?|posted in|more about|read"
            r" more about|keywords?)\s*:.{0,300}$",
        ),
    ),
    Rule(
        "boilerplate: navigation/widget",
        (
            r"^exit mobile version$",
            r"^(?:<<|«|‹|←)\s*(?:home|back|previous|older|newer).{0,30}$",
            r"^(?:home|back to (?:top|home)|top of page|skip to (?:main )?content|jump to (?:navigation|content)|ma"
            r"in menu|menu|search|close|previous|next|next article|previous article|older posts?|newer posts?)$",
            r"^(?:home\s*[›»>/|]\s*).{0,80}$",
            r"^text size\s*[-+]?.{0,10}$",
            r"^(?:enlarge|view gallery|view (?:photo|image)s?|play video|play|watch|video|photo|photos|image|galler"
            r"y|audio|listen|now playing:?|story continued below|continue reading|continue reading below|loading\.*"
            r"|related gallery|(?:view|see) comments)$",
            r"^(?:enlarge (?:this )?image|enlarge icon)\b.{0,200}$",
            r"^play (?:" + _SOCIAL + r")$",
        ),
    ),
    Rule(
        "boilerplate: advertisement",
        (
            r"^advertisement\b(?:\s*[-–—:]?\s*(?:continue reading|story continues|scroll to continue).{0,40})?$",
            r"^(?:sponsored(?: content)?|paid content|promoted(?: stories)?|ad|ads by \w+|advertising)$",
            r"^(?:story continues below(?: advertisement)?|article continues below(?: advertisement)?)$",
        ),
    ),
    Rule(
        "boilerplate: media widget/caption",
        (
            r"^media playback is unsupported on your device\b.*$",
            r"^(?:image|media) (?:copyright|caption)\b.*$",
            r"^skip in skip x embed x share\b.*$",
            r"^(?:photo|image|picture|video|credit|photograph|illustration)s?\s*(?:credit)?\s*:.{0,120}$",
            r"^\((?:photo|image|credit|video)s?\s*(?:credit)?\s*:.{0,80}\)$",
            r"^(?:photos?|images?|screenshot|thumbnail image|illustration) (?:by|courtesy(?: of)?|via)\b.{0,120}$",
            r"^[\w .,'’&-]{0,60}/\s*(?:getty(?: images)?|ap|afp|reuters|shutterstock|epa|istock|bloomberg|newscom|c"
            r"orbis|rex)\b.{0,60}$",
            r"^(?:getty images|ap photo|afp photo|reuters|shutterstock|epa)\s*$",
            r"^a post shared by .{0,120}$",
            r"^.{0,80}\ba post shared by \S.{0,60}\b(?:am|pm)\s*[A-Z]{0,4}$",
            r"^you need (?:the latest version of )?(?:the )?(?:adobe )?flash player\b.*$",
            r"^your browser does not support\b.*$",
        ),
        hints=("post shared",),
    ),
    Rule(
        "boilerplate: share/follow",
        (
            r"^(?:share|share this|share this (?:article|story|post|page|on \w+)|share on \w+|tweet|tweet this|pin "
            r"it|email this|print this|print|email|"
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
        hints=("click here", "tap here"),
    ),
    Rule(
        "boilerplate: newsletter/subscribe",
        (
            r"^.{0,200}\b(?:sign up|sign-up|signup|subscribe)\b.{0,120}\b(?:newsletters?|inbox|e-?mails?|alerts|upd"
            r"ates)\b.{0,300}$",
            r"^.{0,200}\bnewsletters?\b.{0,120}\b(?:sign up|subscribe|inbox)\b.{0,300}$",
            r"^.{0,200}\b(?:delivered (?:straight |directly )?to your inbox|thanks? (?:you )?for subscribing|breaki"
            r"ng news (?:e-?mails|alerts))\b.{0,300}$",
            r"^\W*(?:subscribe|subscribe now|sign up|sign up now|get the newsletter|join our mailing list)\b.{0,400}$",
            r"^(?:be sure to )?subscribe to\b.{0,100}$",
            r"^(?:get|want) (?:the )?(?:latest|daily|breaking|more)\b.{0,60}\b(?:inbox|newsletter|alerts?)\b.{0,80}$",
        ),
        hints=("sign up", "sign-up", "signup", "subscrib", "newsletter", "inbox", "breaking news"),
    ),
    Rule(
        "boilerplate: read more/teaser link",
        (
            r"^(?:read more|read more here|more|also read|see also|read next|related|watch|listen|see more|more on "
            r"this story|more from [\w .]+)\s*(?:[:»>…]|\.\.\.)?$",
            r"^(?:read more|also read|see also|related|more|more news|read|watch|video|photos?|pics|interactive(?: "
            r"map)?|map|story|bonus|interview|opinion|listen)\s*[:|]\s*\S.{0,200}$",
            r"^.{5,200}\bread more$",
            r"^\((?:also on|related|see also|read more|more)\b[^)]{0,200}\)$",
            r"^\[[^\]]{5,200}\]$",
            r"^►.{0,200}$",
        ),
        hints=("read more",),
    ),
    Rule(
        "boilerplate: copyright/republication",
        (
            r"^\(?(?:copyright\s*(?:©|\(c\))?\s*(?:\d{4}|by\b)|©|\(c\)\s*\d{4}).{0,300}$",
            r"^.{0,200}\ball rights reserved\b.{0,300}$",
            r"^.{0,100}\bthis material may not be (?:published|broadcast|rewritten|redistributed)\b.*$",
            r"^(?:this (?:article|story|post) (?:was |is )?(?:originally |first )?(?:published|appeared|posted)|ori"
            r"ginally published|original article)\b.{0,200}$",
            r"^(?:republished|reprinted) (?:with|by) (?:permission|arrangement)\b.*$",
        ),
        hints=("rights reserved", "may not be"),
    ),
    Rule(
        "archive-crawl notice",
        (
            r"^.{0,300}\b(?:alexa internet|wayback machine|internet archive|archive-it|warc files?|crawl data|this "
            r"crawl|these crawls|web captures|web collections?)\b.*$",
            r"^(?:a collection of )?(?:government )?web content\b.{0,300}$",
            r"^.{0,80}\bcollection of (?:government )?web content\b.*$",
        ),
        hints=(
            "alexa", "wayback", "internet archive", "archive-it", "warc", "crawl", "web captures", "web collection",
            "web content",
        ),
    ),
    Rule(
        "error/placeholder page",
        (
            r"^the ip address (?:has changed|for this domain)\b.*$",
            r"^.{0,200}\b(?:check your dns settings|clearing your dns cache|dns changes to propagate)\b.*$",
            r"^.{0,40}\b(?:this page (?:is|was) (?:not|no longer) available|page not found|(?:error )?404\b.{0,30}n"
            r"ot found|the page you (?:requested|are looking for)|sorry,? (?:but )?(?:this|the) page)\b.*$",
            r"^.{0,100}\b(?:javascript is (?:disabled|required|not enabled)|(?:enable|turn on) javascript|requires "
            r"javascript|javascript must be enabled)\b.*$",
            r"^.{0,100}\b(?:we use cookies|this (?:site|website) uses cookies|cookie policy|accept (?:all )?cookies"
            r"|enable cookies|cookies (?:are|must be) enabled)\b.*$",
            r"^(?:you must (?:log|sign) ?in(?: to continue)?|please (?:log|sign) ?in to continue|access denied|forb"
            r"idden|service unavailable|403 forbidden|subscribers? only)\W*$",
            r"^(?:would you like to proceed to legacy twitter\?|are you a robot\?|please verify you are a human)\W*$",
        ),
        hints=(
            "dns", "not available", "no longer available", "not found", "page you", "sorry", "javascript", "cookie",
            "404",
        ),
    ),
    Rule(
        "photo caption",
        (
            r"^(?:file\s*[-–—]\s*)?(?:in )?this (?:\w+ ){0,4}(?:photo|image|picture|photograph|frame grab|video sti"
            r"ll)\b.*$",
            r"^file\s*[-–—]\s+.*$",
            r"^.{20,600}\((?:ap|afp|reuters|getty|epa|photo:|ap photo/|associated press|u\.s\. \w+ photo)[^)]{0,80}"
            r"\)\s*(?:\((?:associated press|ap|reuters|afp)\))?\.?$",
            r"^.{20,600}(?<![\w.])(?-i:(?:REUTERS|AFP|EPA|AP|XINHUA)/[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3})\.?$",
            r"^.{20,600}\b(?:photograph|photo|photographer|credit|picture|image)s?\s*:\s*[^.:]{2,80}$",
            r"^.{20,600}\bpicture taken [^.]{3,40}\.$",
        ),
        hints=(
            "photo", "picture", "image", "credit", "reuters/", "afp/", "epa/", "ap/", "xinhua/", "(ap)", "(afp",
            "(reuters", "(getty", "(epa", "associated press",
        ),
    ),
    Rule(
        "boilerplate: video/gallery widget",
        (
            r"^just watched\b.{0,200}\breplay\b.{0,40}\bmore videos\b.*$",
            r"^video loading\b.*$",
            r"^.{0,80}\bclick to play\b.{0,80}\bplay now$",
            r"^photo gallery\b.{0,200}$",
            r"^(?:gallery|slideshow):?\s*\d+ (?:photos|images)$",
        ),
        hints=("click to play",),
    ),
    Rule(
        "boilerplate: credits/reprints",
        (
            r"^dow jones reprints\b.*$",
            r"^.{0,100}\bthis copy is for your personal,? non-commercial use\b.*$",
            r"^if you have (?:pictures|photos|videos?|a (?:news )?tip|information)\b.{0,80}\b(?:e-?mail|upload|send"
            r"|contact)\b.*$",
            r"^contributing:.{0,300}$",
        ),
        hints=("this copy is for your personal",),
    ),
    Rule(
        "boilerplate: weather widget",
        (
            r"^.{0,40}\b(?:high|low) -?\d+\s?°?F\b.{0,80}\bwinds?\b.*$",
        ),
        hints=("wind",),
    ),
    Rule(
        "boilerplate: source line",
        (
            r"^source\s*:?$", r"^sources?\s*:\s*\S.{0,60}$", r"^\(?source\s*:\s*[^.]{0,60}\)?$",
        ),
    ),
    Rule(
        "byline/timestamp (metadata)",
        (
            r"^(?:/\s*)?(?:updated |written |reported |posted )?by\s+(?-i:(?:[A-Z][\w.'’-]*\s*(?:,|and|&)?\s*){1,8}"
            r")(?:\([^)]*\))?\s*$",
            r"^(?:posted|published|updated|last updated|first published)(?: on| at)?:?\s+(?:[a-z]{3,9}\.? \d{1,2}\b"
            r"|\d{1,2}[:.]\d{2}\b|\d{4}\b|\d{1,2} [a-z]{3,9} \d{4}).{0,50}$",
            r"^(?:posted|published|updated)\s+(?:at|on)\s+.{0,60}\bby\s+.{0,60}$",
            r"^update,?\s+\d{1,2}[:.]\d{2}\s*[ap]\.?m\.?\s*:.{0,100}$",
            r"^\W*this (?:story|article|post|page) (?:was|has been|is) (?:last |first )?(?:updated|modified|publish"
            r"ed)\b.{0,60}$",
        ),
    ),
    Rule(
        "boilerplate: contact details",
        (
            r"^(?:.{0,60}\b)?[\w.+-]+@[\w-]+\.[\w.-]+(?:\s*(?:or|/|\||,)\s*[\d() .-]{7,20})?\.?$",
            r"^(?:have a tip|got a (?:news )?tip|contact (?:the )?(?:writer|author|reporter))\b.{0,100}\S+@\S+.*$",
            r"^you can reach\b.{0,80}\S+@\S+.*$",
            r"^to contact the (?:reporter|editor|author)\b.*$",
        ),
        hints=("@",),
    ),

)


def boilerplate(line: str) -> str | None:
    """The reason if the whole (normalised) line is boilerplate, else None."""
    if len(line) > MAX_LINE:
        return None
    lower = line.lower()
    for rule in RULES:
        if rule.matches(line, lower):
            return rule.reason
    return None
