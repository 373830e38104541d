"""Line rules for news boilerplate: what scrapers leave around an article's body.

Each rule is a regular expression tried on a whole paragraph (one line of scraped text)
together with the reason reported when it matches. Rules only fire on short paragraphs
(``MAX_WORDS``) so that a body paragraph that merely mentions a newsletter is never
removed. The cascade that applies them lives in :mod:`storyline.clean`.
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "ANY_LENGTH_RULES",
    "BYLINE",
    "LABELLED_CAPTION",
    "MAX_WORDS",
    "RULES",
    "SYNDICATION_NOTICE",
    "TAIL_MARKER",
    "WIRE_DATELINE",
    "match_rule",
]

MAX_WORDS = 45

_I = re.IGNORECASE

_AGENCIES = (
    r"getty(?: images)?|shutterstock|alamy|ap(?: photo)?|associated press|reuters|afp|epa|"
    r"rex(?: features)?|backgrid|splash(?: ?news(?:\.com)?)?|mega(?: agency)?|"
    r"themegaagency\.com|pa(?: images| wire)?|press association|bauer-griffin|"
    r"wireimage|filmmagic|invision|newscom|zuma(?: press)?|sipa|abaca|dpa|xinhua|"
    r"instagram|twitter|facebook|tiktok|youtube|x\.com"
)

_DATE = (
    r"\d{1,2}[./-]\s?\d{1,2}[./-]\s?\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+[^\W\d]{3,10}\.?,?\s+\d{4}|"
    r"[^\W\d]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
)
_TIME = r"\d{1,2}[:.]\d{2}(?:\s*(?:uhr|h|[ap]\.?m\.?))?"
_STAMP_LEAD = (
    r"updated|last updated|published|posted|aktualisiert(?: am)?|zuletzt aktualisiert(?: am)?|"
    r"letzte aktualisierung(?: am)?|stand|veröffentlicht(?: am)?|actualizado|publicado|mis à jour|"
    r"publié le"
)

_PHONE = r"(?:\+\d[\d\s().-]{6,}|\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4})"

RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, _I), reason)
    for pattern, reason in (
        # share widgets
        (r"^(?:url|link) copied(?: to (?:the )?clipboard)?[.!]?$", "share widget"),
        (
            r"^(?:(?:share|share this(?: article| story| page)?|copy(?: the)? link|tweet|"
            r"email|e-mail|print|pin|facebook|twitter|whatsapp|linkedin|reddit|flipboard|"
            r"messenger|comments?|save|bookmark|share on \w+)\W*){1,10}$",
            "share widget",
        ),
        # newsletter prompts
        (
            r"^(?:sign up|sign-up|subscribe|register|join)\b.{0,80}\b(?:newsletters?|"
            r"briefings?|digest|inbox|e-?mails?|updates|alerts)\b",
            "newsletter prompt",
        ),
        (
            r"\bour (?:[\w-]+ ){0,3}(?:newsletters?|briefings?|digest|e-?mail list)\b",
            "newsletter prompt",
        ),
        (r"\b(?:delivered|straight|sent|direct) (?:in)?to your inbox\b", "newsletter prompt"),
        (
            r"^get (?:all |the )?(?:latest |best )?(?:news|headlines|stories)\b.{0,40}"
            r"\b(?:e-?mail|inbox)\b",
            "newsletter prompt",
        ),
        (r"\b(?:you are|you're) (?:already |now )?subscribed\b", "newsletter prompt"),
        (
            r"\byou must (?:complete|enter|provide) (?:your|a (?:correct|valid)) e-?mail\b",
            "newsletter prompt",
        ),
        (
            r"\b(?:by )?(?:subscribing|signing up)(?:,)? (?:implies|you agree|you accept|"
            r"means you)\b",
            "newsletter prompt",
        ),
        (
            r"^(?:enter your e-?mail(?: address)?|your e-?mail(?: address)?|e-?mail address|"
            r"thanks? (?:you )?for (?:signing up|subscribing)|sign up(?: now| here| today)?|"
            r"subscribe(?: now| here| today)?)[.!:]?$",
            "newsletter prompt",
        ),
        # social embeds
        (
            r"^view (?:this|the full) (?:post|photo|video|profile|tweet|reel)\b.{0,30}"
            r"\bon (?:instagram|twitter|facebook|tiktok|youtube|x|threads)\b",
            "social embed",
        ),
        (r"^an? (?:post|photo|video|reel) shared by\b.{1,100}$", "social embed"),
        (r"^(?:follow|like) us on\b", "social embed"),
        # photo galleries, captions and credits
        (r"^(?:open |view |launch )?(?:photo )?(?:gallery|slideshow)(?: \d+)?$", "photo gallery"),
        (r"^(?:image |photo |slide )?\d{1,3} (?:of|/) \d{1,3}$", "photo gallery"),
        (
            r"^(?:click to enlarge|enlarge this image|expand image|next|previous|prev)"
            r"(?: image| photo| slide)?$",
            "photo gallery",
        ),
        (
            r"^(?:photo|photos|photograph|image|images|picture|pictures|video|credit|"
            r"photo credit|image credit|image source|source image|picture by|photograph by|"
            r"photo by|photos by|pictured)\s*(?:by)?\s*[:|]",
            "photo caption or credit",
        ),
        (
            r"^\[?(?:photo|image|picture)s? (?:via|by|courtesy of)\b.{1,80}\]?$",
            "photo caption or credit",
        ),
        (
            rf"^(?:{_AGENCIES})(?:\s*(?:photos?|images?|pictures?))?\s*(?:[/|:,].{{0,60}})?$",
            "photo caption or credit",
        ),
        (
            r"^[\w .&'-]{0,40}\b(?:news and pictures|pictures ltd|photo agency|picture desk|"
            r"images)\.?$",
            "photo caption or credit",
        ),
        (rf"\((?:[^()]{{1,60}}[/|] ?)?(?:{_AGENCIES})\)\.?$", "photo caption or credit"),
        (
            r"\([A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3} ?/ ?[A-Z][\w&.' -]{1,40}\)\.?$",
            "photo caption or credit",
        ),
        (r"^ref: ?[A-Z]{2,}\d+", "agency reference"),
        (
            r"^(?:world(?:wide)?|uk|us|usa|all|international) rights(?: reserved)?\.?$",
            "rights notice",
        ),
        (r"^(?:non-)?exclusive\b.{0,40}$", "rights notice"),
        (r"^(?:©|\(c\)|copyright\s*(?:©|\(c\))?\s*\d{4})", "copyright notice"),
        (r"\ball rights reserved\.?$", "copyright notice"),
        # picture-desk and switchboard phone numbers
        (rf"^[A-Za-z .]{{2,25}}:?\s*{_PHONE}$", "picture-desk phone number"),
        # advertising and read-more links
        (
            r"^(?:advertisement|advertising|sponsored|ad|story continues below(?: advertisement)?|"
            r"continue reading(?: below)?|article continues below(?: advertisement)?)$",
            "advertisement",
        ),
        (
            r"^(?:read more|also read|related|related article|related story|see also|"
            r"recommended|most read|more on this|watch|listen|click here)\s*[:»|>]\s*.{3,160}$",
            "read-more link",
        ),
        # the same lead-ins in other languages news crawls are full of (de, es, fr, it, pt, pl)
        (
            r"^(?:lesen sie (?:auch|mehr)|lies auch|auch interessant|mehr zum thema|weitere artikel"
            r"(?: zum thema)?|schon gelesen\?|vea también|lea también|le puede interesar|"
            r"notas relacionadas|à lire aussi|lire aussi|leggi anche|leia também|"
            r"czytaj (?:też|także|więcej))\b",
            "read-more link",
        ),
        (
            r"^(?:foto|fotos|bild|bilder|beitragsbild|titelbild|bildquelle|fotograf[íi]a|"
            r"crédits? photos?|zdjęcie)\s*:",
            "photo caption or credit",
        ),
        (r"^(?:anzeige|werbung|publicidad|publicité|reklama|pubblicità)$", "advertisement"),
        (
            r"\bnewsletter\b.{0,60}\b(?:abonnieren|bestellen|anmelden|suscr[ií]b|inscr[ií]b|"
            r"abonnez|zapisz)",
            "newsletter prompt",
        ),
        (
            r"^(?:\d+ )?(?:comments?|kommentare?|comentarios?|commentaires?|komentarze)"
            r"(?: \(\d+\)| insgesamt| schreiben)?:?$",
            "comment widget",
        ),
        # paywalls and subscription offers (said to the reader, not about subscribers)
        (
            r"^subscribe\b|\bsubscribe (?:now|today|here)\b|\balready a subscriber\b|"
            r"\b(?:please|you can|you must|you will need to|you'll need to)\b.{0,60}\bsubscri|"
            r"^to (?:view|read|continue reading) (?:the|this) (?:full |entire |rest of the )?"
            r"(?:story|article)\b",
            "subscription offer",
        ),
        (r"(?:^|[.?!]\s+)sign ?up(?: here| now| today| for free)?[.!]?$", "newsletter prompt"),
        (
            r"\b(?:unser(?:em|en|er|e)?|nuestro|notre|nostra|nasz)\s+(?:[\w-]+\s+){0,2}"
            r"(?:newsletter|boletín|infolettre)\b",
            "newsletter prompt",
        ),
        (r"^(?:[\w&'’.-]+ ){0,3}newsletter[.!]?$", "newsletter prompt"),
        # app and social media prompts
        (r"\bdownload (?:the|our) (?:[\w&'’-]+ ){0,3}apps?\b", "app prompt"),
        (
            r"^follow (?:[\w&'’.-]+ ){1,4}on (?:twitter|x|facebook|instagram|tiktok|youtube|"
            r"linkedin|threads|telegram)\b",
            "social embed",
        ),
        # advertising disclosures, in the languages news crawls are full of
        (
            r"^\*?(?:anzeige|werbung|advertisement|sponsored(?: content)?|publicidad|"
            r"publicité)\b\s*[.:,*|-]",
            "advertisement",
        ),
        # a line that is only a date or a time ("23.10.2018", "Updated: 17 March 2021, 09:30")
        (
            rf"^(?:(?:{_STAMP_LEAD})\s*:?\s*)?(?:(?:{_DATE})(?:,?\s*(?:um|at)?\s*{_TIME})?|{_TIME})\.?$",
            "timestamp line",
        ),
        # category and tag labels
        (
            r"^(?:kategorie|kategorien|category|categories|rubrik|tags?|schlagw(?:ö|oe)rter|"
            r"themen|temas|th[eè]mes|argomenti)\s*:",
            "category label",
        ),
        (r"^(?:mira|mire|lee también|ver también|ver más|véase)\s*:", "read-more link"),
        # photo credits ending a short caption
        (r"©\s*[A-Z][\w.&' -]{1,40}(?:/\s*[A-Z][\w.&' -]{1,40})?\.?$", "photo caption or credit"),
        (
            r"\((?:foto|photo|fotos|photos|imagen|bild|image)\s*:[^()]{1,100}\)\.?$",
            "photo caption or credit",
        ),
        # prompts to send the newsroom something, and notes on its own standards
        (
            r"^(?:submit|send|share|e-?mail)\s+(?:us\s+)?(?:your|a)\s+(?:letters?|story|stories|"
            r"news tips?|tips?|photos?|videos?|comments?|opinions?|questions?)\b.{0,100}$",
            "reader submission prompt",
        ),
        (
            r"^(?:have|got) (?:a|any) (?:news )?(?:tips?|story|stories|questions?)\b.{0,100}$",
            "reader submission prompt",
        ),
        (
            r"^(?:our|read our|see our|about our)\s+(?:editorial\s+)?(?:standards|principles|"
            r"ethics(?: policy)?|code of (?:ethics|conduct)|corrections? policy)\s*"
            r"(?:[:|»>-]\s*.{0,120}|[.!])?$",
            "editorial standards notice",
        ),
        # cookie and consent notices
        (
            r"\b(?:we use cookies|this (?:site|website) uses cookies|accept (?:all )?cookies|"
            r"cookie (?:policy|settings|preferences))\b",
            "cookie notice",
        ),
    )
)

# Rules anchored on markers that only boilerplate starts with: they apply at any length
# (a scraped gallery is often one long line of captions and credits).
ANY_LENGTH_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^view gallery", _I), "photo gallery"),
)

TAIL_MARKER = re.compile(
    r"^(?:more (?:headlines|stories|news|top stories|from [\w .'-]{2,30}|on [\w .'-]{2,30})|"
    r"you (?:might|may) (?:also )?(?:like|enjoy)|keep reading|read (?:more|next)|"
    r"related(?: stories| articles| coverage| content| posts| news| links| reading)?|"
    r"recommended(?: for you| stories| reading)?|most (?:popular|read|viewed|shared)|"
    r"trending(?: now| stories)?|in this (?:story|article)|what to read next|"
    r"don'?t miss|also read|latest (?:news|stories|headlines)|top stories|"
    r"more in [\w .'-]{2,30}|popular(?: stories| now)?|up next|around the web|"
    r"from our partners|sponsored(?: content| stories)?|promoted stories|see also|"
    r"further reading|other stories|more to explore)[.:!]?$",
    _I,
)

BYLINE = re.compile(
    r"^(?i:by|written by|words by|story by|reporting by)\s+"
    r"(?P<name>[A-Z][\w'.-]+(?:\s+(?:[A-Z][\w'.-]+|and|&|de|van|von|la|le|del|da|di|bin))*?)"
    r"(?:\s*(?:(?i:for)\s+(?P<outlet>[A-Z][\w'.&-]*(?:\s+[A-Z][\w'.&-]*){0,5})|"
    r"[,|•·–—-]\s*.{0,60}))?$"
)

SYNDICATION_NOTICE = re.compile(
    r"\bth(?:is|e) (?:article|story|piece|post) (?:is|was|has been|first|originally)?\s*"
    r"(?:republished|reprinted|syndicated|published|appeared)\s+"
    r"(?:here )?(?:with permission )?(?:from|by|in|on) (?:the )?"
    r"(?P<outlet>[A-Z][^.,;:]{1,60}?)(?:\s+under\b[^.]*|,[^.]*)?\.",
    _I,
)

WIRE_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.,' -]{1,40}\s)?\((?P<agency>[A-Z][\w.&' -]{0,30})\)\s*[-–—]+\s"
)

LABELLED_CAPTION = re.compile(
    r"^(?P<label>[A-Z][^\W\d]*(?: [^\W\d]+){0,2}):\s+"
    r"(?P<rest>(?=[^'\"“‘„«»])(?:\S+\s+){7,}.*[^?!])$"
)


@functools.lru_cache(maxsize=8192)
def match_rule(paragraph: str) -> str | None:
    """The boilerplate reason for ``paragraph``, or ``None`` when no rule fires.

    Cached: the same boilerplate lines recur across an outlet's articles, and the cascade
    asks about one paragraph more than once.
    """
    for pattern, reason in ANY_LENGTH_RULES:
        if pattern.search(paragraph):
            return reason
    if len(paragraph.split()) > MAX_WORDS:
        return None
    for pattern, reason in RULES:
        if pattern.search(paragraph):
            return reason
    return None
