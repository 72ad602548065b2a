"""The words drafting relies on, kept in one visible place rather than inside functions.

Every list here is English news usage: which words lean on the sentence before, which words mark
attribution, which trailing clauses may be dropped, which words stay capitalised in a sentence-case
headline, and which title prefixes are labels rather than news.
"""

from __future__ import annotations

import re

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
MONTHS: tuple[str, ...] = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

# A sentence starting with one of these leans on the sentence before it in its article: it is used
# only right after that sentence.
LEANING_STARTS: frozenset[str] = frozenset(
    {
        "but",
        "however",
        "yet",
        "and",
        "or",
        "so",
        "still",
        "also",
        "meanwhile",
        "moreover",
        "nonetheless",
        "nevertheless",
        "instead",
        "then",
        "thus",
        "therefore",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "they",
        "their",
        "them",
        "he",
        "she",
        "his",
        "her",
        "such",
        "there",
        "here",
        "both",
        "neither",
        "otherwise",
        "besides",
        "similarly",
        "likewise",
    }
)

# Pronouns that may be resolved to the name of the subject of the source's previous sentence.
RESOLVABLE_PRONOUNS: tuple[str, ...] = ("He", "She")

# Words that attribute a claim; a trailing clause holding one of them is never dropped, and a
# quotation with one of them names its speaker.
ATTRIBUTION_CUES: frozenset[str] = frozenset(
    {
        "said",
        "says",
        "say",
        "told",
        "tells",
        "added",
        "according",
        "reported",
        "reports",
        "quoted",
        "cited",
        "citing",
        "claimed",
        "claims",
        "stated",
        "announced",
        "insisted",
        "alleged",
        "officials",
        "sources",
        "source",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "ministry",
        "media",
        "kcna",
    }
)

# A trailing clause after ", " that starts with one of these may be dropped to shorten a sentence
# (the sentence then ends where the comma stood).
DROPPABLE_CLAUSE_STARTS: tuple[str, ...] = (
    "which",
    "who",
    "whose",
    "as",
    "after",
    "while",
    "amid",
    "when",
    "where",
    "although",
    "though",
    "despite",
    "with",
    "days after",
    "weeks after",
    "even as",
    "raising",
    "making",
    "a step",
    "in what",
    "including",
)

# Words that are never the start of a person's name (titles, demonyms, articles).
NOT_NAME_WORDS: frozenset[str] = frozenset(
    {
        "the",
        "a",
        "an",
        "president",
        "premier",
        "prime",
        "minister",
        "foreign",
        "defence",
        "defense",
        "secretary",
        "general",
        "chief",
        "leader",
        "chairman",
        "comrade",
        "respected",
        "supreme",
        "deputy",
        "acting",
        "former",
        "state",
        "chinese",
        "russian",
        "iranian",
        "korean",
        "north",
        "south",
        "american",
        "ukrainian",
        "western",
        "china",
        "russia",
        "iran",
        "korea",
        "moscow",
        "beijing",
        "tehran",
        "pyongyang",
        "washington",
        "kremlin",
        "ministry",
        "council",
        "security",
        "government",
        "officials",
    }
)

# Title words allowed before a name ("President Masoud Pezeshkian"); they are left out of the name.
NAME_TITLES: frozenset[str] = frozenset(
    {
        "president",
        "premier",
        "prime",
        "minister",
        "foreign",
        "secretary",
        "general",
        "chairman",
        "leader",
        "comrade",
        "chinese",
        "russian",
        "iranian",
        "north",
        "korean",
        "south",
        "deputy",
        "acting",
        "spokesperson",
    }
)

# Words that keep their capital in a sentence-case headline whatever the article text says.
ALWAYS_CAPITALISED: frozenset[str] = frozenset(
    {
        "china",
        "chinese",
        "russia",
        "russian",
        "russians",
        "iran",
        "iranian",
        "iranians",
        "korea",
        "korean",
        "koreans",
        "north",
        "south",
        "beijing",
        "moscow",
        "tehran",
        "pyongyang",
        "seoul",
        "tokyo",
        "kyiv",
        "washington",
        "ukraine",
        "ukrainian",
        "israel",
        "israeli",
        "gaza",
        "hamas",
        "kremlin",
        "nato",
        "brics",
        "america",
        "american",
        "western",
        "west",
        "europe",
        "european",
        "xi",
        "putin",
        "kim",
        "li",
        *WEEKDAYS,
        *MONTHS,
    }
)

# Small words that Title Case leaves lower-case; they do not count when telling Title Case apart.
TITLE_SMALL_WORDS: frozenset[str] = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "but",
        "or",
        "nor",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "into",
        "over",
        "vs",
    }
)

# Labels before a headline that say what kind of piece it is, not what happened.
TITLE_LABELS: re.Pattern[str] = re.compile(
    r"^(?:\((?:LEAD|\d+(?:ST|ND|RD|TH) LD|URGENT|UPDATE)[^)]*\)\s*"
    r"|(?:UPDATE \d+|EXCLUSIVE|BREAKING|WATCH|ANALYSIS|EXPLAINER|FACTBOX|INSIGHT|COMMENTARY"
    r"|OPINION|VIDEO|LIVE)\s*[-:]\s*)",
    re.IGNORECASE,
)

# Headline abbreviations spelled out in a headline.
HEADLINE_EXPANSIONS: tuple[tuple[str, str], ...] = (
    (r"\bN\. Korea(n?)\b", r"North Korea\1"),
    (r"\bS\. Korea(n?)\b", r"South Korea\1"),
)

# Words that name a CRANK state, by its code; used to tell headlines that name the actors.
ACTOR_WORDS: dict[str, tuple[str, ...]] = {
    "CN": ("china", "chinese", "beijing", "xi", "li qiang", "wang yi", "hong kong"),
    "RU": ("russia", "russian", "moscow", "kremlin", "putin", "shoigu", "mishustin", "lavrov"),
    "IR": ("iran", "iranian", "tehran", "pezeshkian", "araghchi", "khamenei"),
    "KP": ("north korea", "north korean", "n. korea", "pyongyang", "kim jong", "dprk", "kcna"),
}

# Markers that a sentence gives background rather than news.
CONTEXT_MARKERS: tuple[str, ...] = (
    "since",
    "last year",
    "in recent years",
    "has long",
    "have long",
    "for months",
    "for years",
    "previously",
    "repeatedly",
    "earlier this year",
    "in 2022",
    "in 2023",
    "have grown",
    "has become",
    "have deepened",
)

# Verbs that mark a reaction or a claim by one party about the development.
REACTION_CUES: tuple[str, ...] = (
    "condemned",
    "rejected",
    "denied",
    "denies",
    "dismissed",
    "welcomed",
    "warned",
    "urged",
    "vowed",
    "criticised",
    "criticized",
    "protested",
    "did not respond",
    "declined to comment",
    "does not comment",
    "opposes",
)

# Lines that are the outlet talking, not the news: they are never quoted.
BOILERPLATE: re.Pattern[str] = re.compile(
    r"^\(?(?:reporting by|additional reporting|editing by|writing by|compiled by|click here"
    r"|subscribe|sign up|follow us|follow (?:the )?[a-z]+ on|read more|read also|related:"
    r"|also read|copyright|all rights reserved|this story has been|this article was"
    r"|photo:|image:|source:|\(c\)|©)",
    re.IGNORECASE,
)


STOPWORDS: frozenset[str] = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "into",
        "over",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "said",
        "says",
        "which",
        "who",
        "their",
        "his",
        "her",
        "they",
        "he",
        "she",
        "s",
        "not",
        "also",
        "than",
        "after",
        "about",
    }
)

# A sentence that points at where or when it was written ("here", "this city", "Today") needs the
# dateline or the publication date it came with; it is not quoted.
DEICTIC: re.Pattern[str] = re.compile(
    r"\b(?:here|this(?: [\w-]+){0,3} (?:city|town|hub|capital|port|village|region|province"
    r"|district|county|area|morning|afternoon|evening)|(?:this|last|next) week|today'?s?|yesterday"
    r"|tomorrow|tonight)\b",
    re.IGNORECASE,
)

# Words of a preview ("is scheduled to meet"): weaker than the report of what happened.
PREVIEW: re.Pattern[str] = re.compile(
    r"\b(?:will|is scheduled to|are scheduled to|is expected to|are expected to|is due to"
    r"|are due to)\b"
)

# A sentence that reports speech names its speaker with one of these.
REPORTING_VERB: re.Pattern[str] = re.compile(
    r"\b(?:said|says|noted|stressed|added|told|urged|pointed out|underlined|emphasi[sz]ed"
    r"|according to)\b"
)

# After a sentence that reports speech, a sentence with one of these and no speaker of its own
# most likely goes on with the same person's words ("Russia supports China ... and stands ready
# to ..." after "Putin said ..."): it is quoted only right after that sentence.
SPEECH_GOES_ON: re.Pattern[str] = re.compile(
    r"\b(?:should|must|stands? ready|is ready|are ready|supports?|will|hopes?|opposes?"
    r"|is willing|are willing)\b"
)

# Speech attributed to a pronoun ("..., he said") or given in the first person outside quotation
# marks (a transcript: "I'd like to stress that ...") needs the sentence that names the speaker.
PRONOUN_SPEAKER: re.Pattern[str] = re.compile(
    r"\b(?:he|she|they) (?:said|says|added|noted|stressed|told|argued|warned|insisted)\b"
    r"|\b(?:said|says|added) (?:he|she|they)\b",
    re.IGNORECASE,
)
FIRST_PERSON: re.Pattern[str] = re.compile(r"\b(?:I|I'd|I'm|I've|[Ww]e|[Oo]ur|[Uu]s|[Mm]y)\b")

# Near the start of a sentence, "the" with one of these points back at something the article said
# before ("The squeeze reflects ...", "Officials say the growth ..."), as does "such" anywhere
# ("the main supplier of such goods"): the sentence leans on the one before it.
BACK_REFERENCE: re.Pattern[str] = re.compile(
    r"^.*\b[Ss]uch (?!as\b)[a-z]+"  # "such goods", "any such transfer": said before
    r"|^(?:\S+ ){0,4}?(?:the|The) (?:growth|move|moves|step|steps|decision|reports?|system|"
    r"document|measures?|pattern|result|problems?|squeeze|frictions?|announcement|remarks?|"
    r"comments?|incident|episode|shift|trend|change|plan|proposal|figure|figures|claims?|"
    r"allegations?|accusations?|weapons|equipment|transfer|shipment|deliveries|agreement|"
    r"deal|exercise|drills|summons|meeting|visit|talks|trip|treaty|statement|sanctions|"
    r"designations|action|actions|package|two|latter|former|same)\b"
)

# A feature opening ("For Andrei, who imports ...", "When Chinese bombers appeared ...") sets a
# scene rather than stating a development: a poor line on its own.
FEATURE_START: re.Pattern[str] = re.compile(r"^(?:For|When|As|Ask|Imagine|In the)\b")
