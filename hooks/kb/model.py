"""Typed records, one class per kind, and the checks each field carries.

Every scalar arrives from the loader as a string, so dates stay strings with
their precision (``2019``, ``2019-12``, ``2019-12-01``) from file to page.
References to other records and Markdown text are marked with ``Annotated``
metadata (:class:`RefTo`, :class:`MarkdownText`) so that the graph can find
them by walking the model, and the JSON Schema comes from these classes.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from .names import is_only_legal_form

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
ID_MAX_LENGTH = 80
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
FULL_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# A character reference such as &#60; or &lt; in a name would be turned back
# into markup by Material's ``striptags`` in <title>; so would < and >.
NAME_FORBIDDEN_RE = re.compile(r"[<>]|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


@dataclass(frozen=True)
class RefTo:
    """Marks a string field as the id of a record of one of ``kinds``."""

    kinds: tuple[str, ...]


@dataclass(frozen=True)
class MarkdownText:
    """Marks a string field as editor Markdown with ``[[id]]`` and ``[@source]``."""


def check_partial_date(value: str) -> str:
    """Accept ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real calendar date."""
    match = DATE_RE.match(value)
    if not match:
        raise ValueError(f"date {value!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    if not 1900 <= int(year) <= 2100:
        raise ValueError(f"year {year} is outside 1900-2100")
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"date {value!r} has no month {month}")
    if day is not None:
        last = calendar.monthrange(int(year), int(month))[1]
        if not 1 <= int(day) <= last:
            raise ValueError(f"date {value!r} does not exist (month has {last} days)")
    return value


def check_full_date(value: str) -> str:
    """Accept only a day-precise date, as review dates must be."""
    check_partial_date(value)
    if len(value) != 10:
        raise ValueError(f"date {value!r} must be a full date, YYYY-MM-DD")
    return value


def check_http_url(value: str) -> str:
    """Accept only absolute http(s) addresses with a host and no spaces."""
    if not re.match(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", value):
        raise ValueError(f"address {value!r} must be an absolute http:// or https:// URL")
    if any(ch in value for ch in "<>\"'`\\"):
        raise ValueError(f"address {value!r} contains a character not allowed in a URL")
    return value


def check_name(value: str) -> str:
    """A one-line label: no markup, no character references, no line breaks."""
    if not value.strip():
        raise ValueError("must not be empty")
    if value != value.strip():
        raise ValueError("must not start or end with spaces")
    if "\n" in value or "\r" in value:
        raise ValueError("must be on one line")
    if NAME_FORBIDDEN_RE.search(value):
        raise ValueError("must not contain <, > or a character reference such as &lt;")
    return value


def check_id(value: str) -> str:
    """Ids are lowercase slugs: letters, digits and single hyphens."""
    if len(value) > ID_MAX_LENGTH or not ID_RE.match(value):
        raise ValueError(
            f"id {value!r} must be a lowercase slug of a-z, 0-9 and single hyphens, at most {ID_MAX_LENGTH} characters"
        )
    return value


def check_alias(value: str) -> str:
    """Refuse an alias that is only a legal form, such as ``Ltd.``: a comma split a name."""
    if is_only_legal_form(value):
        raise ValueError(f"alias {value!r} is only a legal form; quote names that contain a comma")
    return value


def parse_strict_bool(value: object) -> object:
    """Only ``true`` and ``false``: YAML 1.1's ``yes``/``no``/``on`` are refused."""
    if value in ("true", "false"):
        return value == "true"
    if isinstance(value, bool):
        return value
    raise ValueError("must be true or false")


# Each type carries the JSON Schema editors' tools check against (WithJsonSchema), so the
# schema says what the validators enforce; the validators still give the clearer messages.
PartialDate = Annotated[
    str,
    AfterValidator(check_partial_date),
    # A bare year is an integer to YAML 1.2 editors; the loader keeps it as the string it is.
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DATE_PATTERN},
                {"type": "integer", "minimum": 1900, "maximum": 2100},
            ],
            "description": "YYYY, YYYY-MM or YYYY-MM-DD",
        }
    ),
]
FullDate = Annotated[
    str,
    AfterValidator(check_full_date),
    WithJsonSchema({"type": "string", "pattern": FULL_DATE_PATTERN, "description": "YYYY-MM-DD"}),
]
Url = Annotated[
    str,
    AfterValidator(check_http_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
Name = Annotated[
    str,
    AfterValidator(check_name),
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": "^[^<>\\n]+$"}),
]
Text = Annotated[
    str,
    MarkdownText(),
    WithJsonSchema(
        {"type": "string", "description": "Markdown without raw HTML; [[id]] links a record, [@id] cites a source"}
    ),
]
StrictBool = Annotated[bool, BeforeValidator(parse_strict_bool), WithJsonSchema({"type": "boolean"})]
Jurisdiction = Literal["CN", "HK", "TW", "UK", "US", "EU", "INT", "other"]

RECORD_KINDS = ("companies", "bodies", "laws", "standards", "use-cases", "people", "events", "terms")
ALL_KINDS = (*RECORD_KINDS, "sources")


def Ref(*kinds: str) -> object:  # noqa: N802  (it reads as a type in field declarations)
    """A reference to a record of one of ``kinds`` (all kinds but sources if none)."""
    kinds = kinds or RECORD_KINDS
    schema = {"type": "string", "pattern": ID_PATTERN, "description": f"id of a record in {', '.join(kinds)}"}
    return Annotated[str, AfterValidator(check_id), RefTo(kinds), WithJsonSchema(schema)]


def check_unique(values: list[str]) -> list[str]:
    """A list of ids names each record once."""
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise ValueError(f"lists {', '.join(repeated)} more than once")
    return values


SourceRef = Ref("sources")
Sources = Annotated[list[SourceRef], Field(min_length=1), AfterValidator(check_unique)]  # type: ignore[valid-type]


class Strict(BaseModel):
    """Base for every model: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# --- relation records: each carries its own dates and sources ---------------------------

SANCTION_REGIMES: dict[str, str] = {
    "us-entity-list": "US Entity List (EAR, Supplement No. 4 to Part 744)",
    "us-ns-cmic-list": "US Non-SDN Chinese Military-Industrial Complex Companies List",
    "us-1260h-list": "US Department of Defense Section 1260H list",
    "us-sdn-list": "US Specially Designated Nationals List",
    "us-uflpa-entity-list": "US UFLPA Entity List",
    "us-fcc-covered-list": "US FCC Covered List",
    "uk-sanctions-list": "UK Sanctions List",
    "eu-sanctions": "EU restrictive measures",
    "other": "Other listing",
}


class SanctionListing(Strict):
    """A listing under a sanctions or export-control regime, dated and cited."""

    regime: Literal[tuple(SANCTION_REGIMES)]  # type: ignore[valid-type]
    authority: Ref("bodies")  # type: ignore[valid-type]
    listed_on: PartialDate = Field(description="Date the listing was announced or published.")
    in_force_from: PartialDate | None = None
    removed_on: PartialDate | None = None
    status: Literal["active", "removed"]
    citation: str = Field(min_length=1, description="Official citation, e.g. 84 FR 54002.")
    citation_url: Url | None = None
    reason: Text = ""
    last_checked: FullDate
    sources: Sources


class StockListing(Strict):
    """A listing of shares on an exchange."""

    exchange: Name
    ticker: Name
    listed_on: PartialDate
    delisted_on: PartialDate | None = None
    sources: Sources


class Investment(Strict):
    """Money or ownership that an investor put into the company."""

    investor: Ref("companies", "bodies", "people") | None = None  # type: ignore[valid-type]
    investor_name: Name | None = Field(None, description="When the investor has no record.")
    date: PartialDate | None = None
    round: Name | None = None
    amount: Name | None = Field(None, description="As reported, with currency, e.g. US$600 million.")
    stake: Name | None = None
    state_linked: StrictBool = False
    note: Text = ""
    sources: Sources


class Deployment(Strict):
    """Where and since when a company's facial recognition serves a use case."""

    use_case: Ref("use-cases")  # type: ignore[valid-type]
    client: Name | None = None
    place: Name | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    scale: Name | None = None
    note: Text = ""
    sources: Sources


OBLIGATIONS = (
    "consent",
    "separate-consent",
    "notice",
    "signage",
    "impact-assessment",
    "necessity",
    "retention",
    "security",
    "alternative",
    "minors",
    "registration",
    "cross-border",
    "public-security",
    "prohibition",
    "other",
)


class Provision(Strict):
    """One article (or group of articles) of a law that bears on facial recognition."""

    article: Name
    title: Name | None = None
    requires: Text
    obligations: list[Literal[OBLIGATIONS]] = []  # type: ignore[valid-type]
    use_cases: list[Ref("use-cases")] = []  # type: ignore[valid-type]
    all_use_cases: StrictBool = Field(False, description="The article applies to every use of facial recognition.")
    sources: Sources


# --- records: one file each ------------------------------------------------------------------


class Entry(Strict):
    """Fields every record has."""

    name: Name
    name_zh: Name | None = None
    aliases: list[Annotated[Name, AfterValidator(check_alias)]] = []
    summary: Text = ""
    reviewed: FullDate


class Cited(Entry):
    """A record that must cite at least one source."""

    sources: Sources


class Company(Cited):
    founded: PartialDate | None = None
    founded_place: Name | None = None
    headquarters: Name | None = None
    founders: list[Name] = []
    people: list[Ref("people")] = []  # type: ignore[valid-type]
    website: Url | None = None
    status: Literal["active", "acquired", "defunct", "delisted"] = "active"
    parent: Ref("companies") | None = None  # type: ignore[valid-type]
    products: Text = ""
    stock_listings: list[StockListing] = []
    sanctions: list[SanctionListing] = []
    investments: list[Investment] = []
    deployments: list[Deployment] = []


class Body(Cited):
    body_type: Literal[
        "legislature",
        "government",
        "ministry",
        "regulator",
        "agency",
        "court",
        "standards-body",
        "international-organisation",
        "other",
    ]
    jurisdiction: Jurisdiction
    parent: Ref("bodies") | None = None  # type: ignore[valid-type]
    established: PartialDate | None = None
    website: Url | None = None


class Law(Cited):
    law_type: Literal[
        "law",
        "administrative-regulation",
        "departmental-rule",
        "judicial-interpretation",
        "normative-document",
        "policy",
        "regulation",
        "act",
        "other",
    ]
    jurisdiction: Jurisdiction
    issued_by: Annotated[list[Ref("bodies")], Field(min_length=1)]  # type: ignore[valid-type]
    document_number: Name | None = None
    adopted: PartialDate | None = None
    published: PartialDate | None = None
    effective: PartialDate | None = None
    status: Literal["in-force", "draft", "not-yet-in-force", "amended", "superseded", "repealed"]
    superseded_by: Ref("laws") | None = None  # type: ignore[valid-type]
    official_url: Url | None = None
    provisions: list[Provision] = []


class Standard(Cited):
    code: Name
    standard_type: Literal["national", "industry", "international", "group", "other"] = "national"
    issued_by: list[Ref("bodies")] = []  # type: ignore[valid-type]
    published: PartialDate | None = None
    effective: PartialDate | None = None
    status: Literal["in-force", "draft", "proposed", "superseded", "withdrawn"]
    supersedes: Ref("standards") | None = None  # type: ignore[valid-type]
    official_url: Url | None = None


class UseCase(Cited):
    sector: Name
    laws: list[Ref("laws", "standards")] = []  # type: ignore[valid-type]


class Term(Cited):
    """A glossary term: the English ``name``, the Chinese ``name_zh``, and a definition in ``summary``.

    Pages that use the term (in English or Chinese) are found at build time.
    """

    see_also: list[Ref()] = []  # type: ignore[valid-type]


class Person(Cited):
    roles: list[Name] = []
    affiliations: list[Ref("companies", "bodies")] = []  # type: ignore[valid-type]


EVENT_TYPES = (
    "founding",
    "funding",
    "listing",
    "sanction",
    "law",
    "standard",
    "policy",
    "enforcement",
    "lawsuit",
    "ruling",
    "deployment",
    "product",
    "controversy",
    "incident",
    "corporate",
    "other",
)


class Event(Cited):
    date: PartialDate
    end_date: PartialDate | None = None
    event_type: Literal[EVENT_TYPES]  # type: ignore[valid-type]
    place: Name | None = None
    involves: Annotated[list[Ref()], AfterValidator(check_unique)] = []  # type: ignore[valid-type]


class Source(Entry):
    """A publication cited by records; its ``name`` is its title."""

    publisher: Name
    author: Name | None = None
    published: PartialDate | None = None
    url: Url | None = None
    accessed: FullDate | None = None
    language: Literal["en", "zh", "other"] = "en"
    source_type: Literal["news", "analysis", "official", "legal-text", "company", "academic", "other"]


MODELS: dict[str, type[Entry]] = {
    "companies": Company,
    "bodies": Body,
    "laws": Law,
    "standards": Standard,
    "use-cases": UseCase,
    "people": Person,
    "events": Event,
    "terms": Term,
    "sources": Source,
}

SINGULAR: dict[str, str] = {
    "companies": "company",
    "bodies": "body",
    "laws": "law or policy",
    "standards": "standard",
    "use-cases": "use case",
    "people": "person",
    "events": "event",
    "terms": "glossary term",
    "sources": "source",
}
