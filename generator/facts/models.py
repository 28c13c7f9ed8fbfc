"""The fact models: what each kind of fact may say, one record at a time.

Rules that need more than one record (references, duplicates, cycles) live in dataset.py.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, timezone
from typing import Annotated, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, PrivateAttr,
                      ValidationInfo, WithJsonSchema, field_validator, model_validator)
from pydantic_core import PydanticCustomError

from generator.facts import text
from generator.facts.timeref import Instant, check_year, parse_instant, PARTS_OF_DAY
from generator.geo.airfields import airports, position

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # matched in full: a trailing newline is not an id
RESERVED_IDS = ("index",)  # bases/index.md is the list of bases, so no fact may take its name
LIKELIHOODS = (
    "almost no chance", "very unlikely", "unlikely", "roughly even chance",
    "likely", "very likely", "almost certain",
)
CONFIDENCES = ("low", "moderate", "high")
GRADES = ("A", "B", "C", "D", "E", "F")  # Admiralty source reliability, A best
STATUSES = ("active", "expanding", "drawing down", "evacuating", "uncertain", "inactive", "unknown")
TLP_LABELS = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")
SOURCE_KINDS = (
    "news", "flight tracking", "imagery", "official statement", "social media",
    "expert comment", "human source", "video", "gazetteer", "dataset", "other",
)
BASE_KINDS = ("air base", "naval facility", "army base", "airfield", "logistics hub", "other")
INCIDENT_KINDS = ("crash", "damage", "strike", "seizure", "sighting")
CARGO_KINDS = ("military equipment", "weapons", "ammunition", "vehicles", "aircraft", "supplies", "fuel",
               "humanitarian aid", "civilian goods", "unknown")


def _fail(kind: str, message: str, **context) -> PydanticCustomError:
    return PydanticCustomError(kind, message, context)


# ---------------------------------------------------------------- scalar types


def _fact_id(value: str) -> str:
    if value in RESERVED_IDS:
        raise _fail("reserved_id", "'{value}' is reserved for a page the brief generates, expected another id",
                    value=value)
    if not ID_PATTERN.fullmatch(value) or len(value) > 80:
        raise _fail(
            "fact_id", "'{value}' is not a valid id, expected lower-case letters, digits and single hyphens "
            "(for example hmeimim-air-base)", value=value,
        )
    return value


def _plain_text(kind: str):
    """A text field of one kind (name, title, note, prose): not empty, no invisible characters, within its limit."""
    def check(value: str) -> str:
        if not value.strip():
            raise _fail("empty_text", "text is empty, expected some words (or leave the field out)")
        found = text.problem(value, kind)
        if found:
            raise _fail(found[0].replace("-", "_"), found[1])
        return value
    return AfterValidator(check)


def _one_of(choices: tuple, what: str):
    """A text field that takes one of a few words, and says which when it does not."""
    def check(value):
        if not isinstance(value, str) or value not in choices:
            raise _fail("choice", "'{value}' is not a known " + what + ", expected one of: " + ", ".join(choices),
                        value=value)
        return value
    return Annotated[str, BeforeValidator(check), WithJsonSchema({"type": "string", "enum": list(choices)})]


def _country(value: object) -> str:
    import pycountry

    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2}", value) or not pycountry.countries.get(alpha_2=value):
        raise _fail("country", "'{value}' is not an ISO 3166-1 alpha-2 country code, expected for example SY, LY or BY",
                    value=value)
    return value


def _icao(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z0-9]{4}", value):
        raise _fail("icao", "'{value}' is not an ICAO airfield code, expected four capital letters such as OSLK",
                    value=value)
    if value not in airports():
        raise _fail("icao_unknown", "'{value}' is not a known ICAO airfield code, expected a code listed in airportsdata",
                    value=value)
    return value


def _url(value: object) -> str:
    if not isinstance(value, str):
        raise _fail("url", "not a web address, expected an http:// or https:// URL")
    stripped = "".join(value.split())
    if stripped != value:
        shown = value.encode("unicode_escape").decode("ascii")
        raise _fail("url", "'{value}' contains white space, expected an http:// or https:// URL", value=shown)
    if not re.match(r"^https?://[^/\\\s]+", value, re.IGNORECASE):
        raise _fail("url", "'{value}' is not an http:// or https:// URL, expected a web address", value=value)
    return value


def _calendar_date(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise _fail("date", "'{value}' is not a calendar date, expected YYYY-MM-DD", value=value)
    try:
        found = date.fromisoformat(value)
    except ValueError:
        raise _fail("date", "'{value}' is not a real date, expected YYYY-MM-DD", value=value) from None
    check_year(found.year, value)
    return found


def _flag(value: object) -> bool:
    if value in (True, False, "true", "false"):
        return value in (True, "true")
    raise _fail("flag", "'{value}' is not true or false, expected true or false", value=value)


def _whole_number(low: int, high: int, what: str):  # used as Annotated metadata
    def check(value):
        text = str(value)
        if not re.fullmatch(r"[0-9]+", text) or not low <= int(text) <= high:
            raise _fail("number", "'{value}' is not a valid " + what + f", expected a whole number from {low} to {high}",
                        value=value)
        return int(text)
    return BeforeValidator(check)


def _coordinate(low: float, high: float, what: str):
    def check(value):
        text = str(value)
        if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text) or not low <= float(text) <= high:
            raise _fail("coordinate", "'{value}' is not a valid " + what + f", expected a decimal number from {low:g} to {high:g}",
                        value=value)
        return float(text)
    return BeforeValidator(check)


FactId = Annotated[str, AfterValidator(_fact_id), WithJsonSchema({"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"})]
Text = Annotated[str, _plain_text("prose"), Field(json_schema_extra=text.schema("prose"))]  # summaries, judgments
Note = Annotated[str, _plain_text("note"), Field(json_schema_extra=text.schema("note"))]
Name = Annotated[str, _plain_text("name"), Field(json_schema_extra=text.schema("name"))]  # one line
Title = Annotated[str, _plain_text("title"), Field(json_schema_extra=text.schema("title"))]  # one line
Country = Annotated[str, BeforeValidator(_country), WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"})]
Icao = Annotated[str, BeforeValidator(_icao), WithJsonSchema({"type": "string", "pattern": "^[A-Z0-9]{4}$"})]
Url = Annotated[str, BeforeValidator(_url), WithJsonSchema({"type": "string", "pattern": "^https?://[^\\s]+$"})]
CalendarDate = Annotated[date, BeforeValidator(_calendar_date)]
INSTANT_PATTERN = (r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?"
                   r"(Z|[+-]\d{2}(:?\d{2})?))?)?)?$")
INTERVAL_PATTERN = "^" + INSTANT_PATTERN[1:-1] + "/" + INSTANT_PATTERN[1:]  # ISO 8601 interval: earliest/latest
InstantField = Annotated[Instant, BeforeValidator(parse_instant), PlainSerializer(lambda i: i.iso(), return_type=str),
                         WithJsonSchema({"type": "string", "pattern": INSTANT_PATTERN})]
Credibility = Annotated[int, _whole_number(1, 6, "credibility"), WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 6})]
Priority = Annotated[int, _whole_number(1, 999, "priority"), WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 999})]
Reliability = _one_of(GRADES, "reliability grade")
Likelihood = _one_of(LIKELIHOODS, "likelihood term")
Confidence = _one_of(CONFIDENCES, "confidence level")
Status = _one_of(STATUSES, "status")
PartOfDay = _one_of(PARTS_OF_DAY, "part of day")
SourceKind = _one_of(SOURCE_KINDS, "source kind")
BaseKind = _one_of(BASE_KINDS, "base kind")
Basis = _one_of(("tracked", "reported", "inferred"), "basis")
IncidentKind = _one_of(INCIDENT_KINDS, "incident kind")
CargoKind = _one_of(CARGO_KINDS, "cargo kind")
AssessmentStatus = _one_of(("current", "superseded", "withdrawn"), "assessment status")
FITS = ("consistent", "inconsistent", "neutral")
Fit = _one_of(FITS, "fit")
HYPOTHESIS_STATUSES = ("open", "less likely", "rejected")
HypothesisStatus = _one_of(HYPOTHESIS_STATUSES, "hypothesis status")
MAIN = "main"  # the judgment's own hypothesis, as evidence fits name it
INDICATOR_STATUSES = ("met", "possibly met", "not met")
ManualStatus = _one_of(("met", "not met"), "indicator status")
Direction = _one_of(("supports", "undermines"), "direction")
TlpLabel = _one_of(TLP_LABELS, "TLP 2.0 label")
Flag = Annotated[bool, BeforeValidator(lambda v: _flag(v)), WithJsonSchema({"type": "boolean"})]
Latitude = Annotated[float, _coordinate(-90, 90, "latitude"), WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90})]
Longitude = Annotated[float, _coordinate(-180, 180, "longitude"),
                      WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180})]


class Model(BaseModel):
    """Frozen, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, arbitrary_types_allowed=True)

    def model_post_init(self, context, /) -> None:
        object.__setattr__(self, "__pydantic_fields_set__", shared_fields_set(self.__pydantic_fields_set__))


_FIELDS_SETS: dict[frozenset, set[str]] = {}


def shared_fields_set(names: set[str]) -> set[str]:
    """One set for every model with these fields given: which fields a model was given is kept in a set of each
    model's own, and at 100,000 flights (every endpoint, time and count of each a model) those sets took a third
    of the facts' memory. A frozen model's set is never changed in place (a copy takes a set of its own)."""
    return _FIELDS_SETS.setdefault(frozenset(names), names)


# ---------------------------------------------------------------- shared parts


class When(Model):
    """A time: a single instant (at), a range (between, or written earliest/latest), or unknown (neither)."""

    at: InstantField | None = Field(None, description="When, to the precision known: 2024, 2024-12, 2024-12-14 or "
                                    "2024-12-14T03:10Z; a local time with its offset (2024-12-14T05:10+02:00) is kept in UTC.")
    between: tuple[InstantField, InstantField] | None = Field(None, description="Earliest and latest possible times, when only a range is known.")
    part_of_day: PartOfDay | None = Field(None, description="Part of the day, when the source says only that.")
    note: Note | None = Field(None, description="How the time was worked out from the source.")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value):
        if value == "unknown":
            return {}
        if isinstance(value, str) and "/" in value:  # the ISO 8601 interval form, as the CSV exports write ranges
            return {"between": value.split("/", 1)}
        if isinstance(value, str):
            return {"at": value}
        return value

    @model_validator(mode="after")
    def _one_form(self):
        if self.at is not None and self.between is not None:
            raise _fail("when_both", "both 'at' and 'between' are given, expected one of them")
        if self.between and self.between[0].start > self.between[1].start:
            raise _fail("when_order", "the range ends before it starts, expected earliest first")
        if self.part_of_day and not self.at:
            raise _fail("when_part", "part_of_day needs a day in 'at', expected at: YYYY-MM-DD")
        return self

    @property
    def known(self) -> bool:
        return self.at is not None or self.between is not None

    @property
    def earliest(self) -> Instant | None:
        return self.at or (self.between[0] if self.between else None)

    @property
    def latest(self) -> Instant | None:
        return self.at or (self.between[1] if self.between else None)

    @property
    def day(self) -> date | None:
        """The calendar day, when known to the day."""
        return self.at.day if self.at else None

    def sort_key(self) -> tuple:
        if not self.known:
            return (1, datetime.max.replace(tzinfo=timezone.utc), datetime.max.replace(tzinfo=timezone.utc))
        return (0, self.earliest.start, self.latest.end)

    def iso(self) -> str:
        if not self.known:
            return "unknown"
        return self.at.iso() if self.at else f"{self.between[0].iso()}/{self.between[1].iso()}"


def _unknown_is_none(value):
    return None if value == "unknown" else value


class Coordinates(Model):
    """A position given directly, with the source it was taken from."""

    lat: Latitude = Field(description="Latitude in decimal degrees, north positive.")
    lon: Longitude = Field(description="Longitude in decimal degrees, east positive.")
    source: FactId = Field(description="Id of the source giving these coordinates.")


class _UnknownAllowed(Model):
    """A part that may be written as the single word 'unknown', meaning none of its fields is known."""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value):
        return {} if value == "unknown" else value


class Location(_UnknownAllowed):
    """Where a base is: an ICAO airfield code, coordinates with a source, or unknown."""

    icao: Icao | None = Field(None, description="ICAO code of the airfield; coordinates come from airportsdata.")
    coordinates: Coordinates | None = Field(None, description="Latitude and longitude with their source.")
    note: Note | None = None

    @model_validator(mode="after")
    def _one_form(self):
        if self.icao and self.coordinates:
            raise _fail("location_both", "both 'icao' and 'coordinates' are given, expected one of them")
        return self

    def point(self) -> tuple[float, float] | None:
        """(lat, lon) when the airfield or the coordinates place the base."""
        if self.icao:
            return position(self.icao)
        if self.coordinates:
            return (self.coordinates.lat, self.coordinates.lon)
        return None


class Endpoint(_UnknownAllowed):
    """One end of a flight: a base, an airfield, a named place, or only a country."""

    base: FactId | None = Field(None, description="Id of a base fact.")
    airfield: Icao | None = Field(None, description="ICAO code of an airfield that is not a base fact.")
    place: Name | None = Field(None, description="Name of a town or area, when no airfield is known.")
    coordinates: Coordinates | None = Field(None, description="Position of the named place, with its source.")
    country: Country | None = Field(None, description="ISO 3166-1 alpha-2 code; alone when only the country is known.")
    note: Note | None = None

    @model_validator(mode="after")
    def _consistent(self):
        if self.base and self.airfield:
            raise _fail("endpoint_both", "both 'base' and 'airfield' are given, expected one of them")
        if self.coordinates and not self.place:
            raise _fail("endpoint_coords", "coordinates are given without a place name, expected 'place' too")
        if self.airfield and self.country and airports()[self.airfield]["country"] != self.country:
            raise _fail("endpoint_country", "airfield {icao} is in {actual}, not {given}, expected matching codes",
                        icao=self.airfield, actual=airports()[self.airfield]["country"], given=self.country)
        return self

    @property
    def known(self) -> bool:
        return any((self.base, self.airfield, self.place, self.country))


class Aircraft(Model):
    """What is known of the aircraft; each part only when a source gives it."""

    type: Name | None = Field(None, description="Aircraft type as reported, e.g. Il-76TD.")
    registration: Name | None = Field(None, description="Registration as reported, e.g. RA-78765.")
    icao24: Annotated[str, AfterValidator(lambda v: _hex24(v))] | None = Field(None, description="ICAO 24-bit address, six hexadecimal digits.")
    callsign: Annotated[str, AfterValidator(lambda v: _callsign(v))] | None = Field(None, description="Callsign as broadcast.")


def _hex24(value: str) -> str:
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        raise _fail("icao24", "'{value}' is not an ICAO 24-bit address, expected six hexadecimal digits such as 15188a",
                    value=value)
    return value.lower()


def _callsign(value: str) -> str:
    if not re.fullmatch(r"[A-Z0-9]{2,8}", value):
        raise _fail("callsign", "'{value}' is not a callsign, expected 2 to 8 capital letters or digits", value=value)
    return value


class Count(Model):
    """How many flights one record stands for: exactly N, or at least N."""

    exactly: Annotated[int, _whole_number(1, 100000, "count")] | None = None
    at_least: Annotated[int, _whole_number(1, 100000, "count")] | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, value):
        return {"exactly": value} if isinstance(value, (str, int)) else value

    @model_validator(mode="after")
    def _one_form(self):
        if (self.exactly is None) == (self.at_least is None):
            raise _fail("count_form", "expected exactly one of 'exactly' or 'at_least'")
        return self

    @classmethod
    def of(cls, number: int, lower_bound: bool = False) -> "Count":
        """A computed count (which may be 0), not read from a fact file."""
        return cls.model_construct(exactly=None if lower_bound else number, at_least=number if lower_bound else None)

    @property
    def number(self) -> int:
        return self.exactly if self.exactly is not None else self.at_least

    @property
    def lower_bound(self) -> bool:
        return self.at_least is not None


EVIDENCE_FIELDS = ("flight", "base", "source", "event", "assessment")
# Kinds are named in the plural (folders, Dataset attributes); one fact of a kind, and an evidence key, in the singular.
SINGULAR = {"sources": "source", "bases": "base", "flights": "flight", "assessments": "assessment", "events": "event",
            "tracks": "track", "indicators": "indicator"}
PLURAL = {one: many for many, one in SINGULAR.items()}


class Evidence(Model):
    """One fact an assessment rests on."""

    flight: FactId | None = None
    base: FactId | None = None
    source: FactId | None = None
    event: FactId | None = None
    assessment: FactId | None = None
    note: Note | None = None
    fits: dict[FactId, Fit] = Field(default_factory=dict, description="How this evidence fits each hypothesis: "
                                    "main (the judgment itself) or an alternative's id → consistent, inconsistent "
                                    "or neutral (a hypothesis left out is neutral).")

    @model_validator(mode="after")
    def _one_target(self):
        targets = [k for k in EVIDENCE_FIELDS if getattr(self, k)]
        if len(targets) != 1:
            raise _fail("evidence_target", "expected exactly one of flight, base, source, event or assessment")
        return self

    @property
    def target(self) -> tuple[str, str]:
        """(kind, id) of the cited fact, the kind named as in KINDS ("flights")."""
        for name in EVIDENCE_FIELDS:
            if getattr(self, name):
                return PLURAL[name], getattr(self, name)
        raise AssertionError("validated to have one target")


class Assumption(Model):
    """What a judgment takes for granted, and what follows if it does not hold (key assumptions check)."""

    text: Text = Field(description="What the judgment takes for granted.")
    if_wrong: Text = Field(description="What would follow for the judgment if this did not hold.")


class Alternative(Model):
    """A competing hypothesis the analysts weighed against the judgment."""

    id: FactId = Field(description="Short id, used as a column of the ACH table and as a key of evidence fits.")
    hypothesis: Text = Field(description="The alternative explanation, in a sentence.")
    status: HypothesisStatus = Field(description="open, less likely or rejected.")
    why: Text | None = Field(None, description="Why it has this status.")


class Expert(Model):
    """A named outside expert whose view an assessment records."""

    name: Name
    affiliation: Name | None = None
    role: Name | None = None


Sources = Annotated[list[FactId], Field(min_length=1, description="Ids of the sources this rests on.")]


CAPTURE_FORMATS = {  # a capture's file name ending → its format, as the Sources page names it
    ".wacz": "WACZ", ".warc": "WARC", ".warc.gz": "WARC", ".pdf": "PDF", ".png": "PNG", ".jpg": "JPEG",
    ".jpeg": "JPEG", ".webp": "WebP", ".txt": "text", ".html": "HTML", ".htm": "HTML",
}
CaptureFile = Annotated[str, AfterValidator(lambda v: _capture_file(v)),
                        WithJsonSchema({"type": "string", "pattern": "^archive/[^\\\\]+$"})]
Sha256 = Annotated[str, AfterValidator(lambda v: _sha256(v)), WithJsonSchema({"type": "string", "pattern": "^[0-9a-f]{64}$"})]


def _capture_file(value: str) -> str:
    parts = value.split("/")
    if parts[0] != "archive" or len(parts) < 2 or any(p in ("", ".", "..") for p in parts) or "\\" in value:
        raise _fail("capture_file", "'{value}' is not a file under archive/, expected a path such as "
                    "archive/<source id>/<file>", value=value)
    if capture_format(value) is None:
        raise _fail("capture_format", "'{value}' is not a capture format intelbrief reads, expected a file ending in "
                    + ", ".join(CAPTURE_FORMATS), value=value)
    return value


def capture_format(name: str) -> str | None:
    """WACZ, WARC, PDF, PNG, JPEG, WebP, text or HTML, from the file's name; None for any other."""
    lowered = name.lower()
    return next((kind for end, kind in sorted(CAPTURE_FORMATS.items(), key=lambda kv: -len(kv[0]))
                 if lowered.endswith(end)), None)


def _sha256(value: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise _fail("sha256", "'{value}' is not a SHA-256 digest, expected 64 lowercase hexadecimal characters",
                    value=value)
    return value


class Capture(Model):
    """A kept copy of a source as it was when used: the file, its hash, when and what was captured, and how."""

    file: CaptureFile = Field(description="The capture's file, under archive/ in the brief's repository.")
    sha256: Sha256 = Field(description="SHA-256 of the file as kept; checked on every validate and build.")
    captured: InstantField = Field(description="When the capture was made, in UTC (e.g. 2024-12-15T09:30Z).")
    url: Url = Field(description="The address that was captured.")
    method: Name = Field(description="How it was captured, e.g. 'ArchiveWeb.page 0.x', 'screenshot', 'saved PDF'.")
    published_sha256: Sha256 | None = Field(None, description="SHA-256 of the copy published in the site when it "
                                            "differs from the kept file (images are published without their metadata).")
    publish: Flag = Field(True, description="false keeps the capture in the repository, verified and listed with "
                          "its hash, but never copies it into a site.")
    tlp: TlpLabel | None = Field(None, description="TLP 2.0 marking of this capture (default: its source's marking).")
    note: Note | None = None


# ---------------------------------------------------------------- the fact kinds


class Source(Model):
    """Where information comes from, graded for reliability."""

    id: FactId
    title: Title = Field(description="Title or short description of the source.")
    publisher: Name = Field(description="Who published it; 'unknown' when the source does not say.")
    author: Name | None = None
    url: Url | None = Field(None, description="Web address, http or https only.")
    published: When = Field(description="When it was published (may be a range or unknown).")
    accessed: CalendarDate | None = Field(None, description="When the brief's authors last read it.")
    kind: SourceKind
    reliability: Reliability = Field(description="Admiralty source reliability, A to F.")
    via: FactId | None = Field(None, description="Id of the source through which this one is reported.")
    tlp: TlpLabel | None = Field(None, description="TLP 2.0 marking of this source (default: the brief's tlp).")
    archive: list[Capture] = Field(default_factory=list, description="Kept captures of the source, each verified by "
                                   "its hash (brief archive add writes them).")
    note: Note | None = None


class Observation(Model):
    """What was seen or reported at a base at one time."""

    date: When
    status: Status | None = Field(None, description="The base's posture, when the observation states one; left out, "
                                  "the observation records what was seen without changing the base's status.")
    summary: Text
    sources: Sources
    credibility: Credibility = Field(description="Admiralty information credibility, 1 to 6.")
    tlp: TlpLabel | None = Field(None, description="TLP 2.0 marking of this observation (default: its base's marking).")
    note: Note | None = None
    id: FactId | None = Field(None, description="A name for this observation, unique in its base, kept when it is "
                              "edited (default: a hash of the base's id and the observation's content).")
    _id: str = PrivateAttr("")  # its id, given or computed, kept by the copies a release makes

    @property
    def identifier(self) -> str:
        """Its id as written, else 12 hexadecimal characters of a hash of its base's id and its content: the same in
        every release, and saying nothing of where it stands among observations a release withholds."""
        return self._id


def observation_id(base_id: str, observation: Observation) -> str:
    """An observation's id: its own, else a hash of its base's id and what it says (its marking left out, so that
    marking it again keeps its id)."""
    if observation.id:
        return observation.id
    content = observation.model_dump(mode="json", exclude={"tlp", "id"}, exclude_none=True)
    text = base_id + "\0" + json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


class Base(Model):
    """A military site whose posture the brief follows."""

    id: FactId
    name: Name
    aliases: list[Name] = Field(default_factory=list)
    country: Country
    location: Location
    kind: BaseKind
    operator: Name | None = None
    description: Text | None = None
    sources: Sources
    tlp: TlpLabel | None = Field(None, description="TLP 2.0 marking of this fact (default: the brief's tlp).")
    observations: list[Observation] = Field(default_factory=list)

    @field_validator("observations")
    @classmethod
    def _identified(cls, observations: list[Observation], info: ValidationInfo) -> list[Observation]:
        seen: dict[str, int] = {}
        for n, observation in enumerate(observations):
            observation._id = observation_id(info.data.get("id", ""), observation)
            if observation._id in seen:
                raise _fail("duplicate_observation", "id {id} is also the id of observations[{first}], expected each "
                            "observation once, each with its own id", id=observation._id, first=seen[observation._id],
                            field=n)
            seen[observation._id] = n
        return observations

    @model_validator(mode="after")
    def _airfield_in_country(self):
        if self.location.icao and airports()[self.location.icao]["country"] != self.country:
            raise _fail("base_country", "airfield {icao} is in {actual}, not {given}, expected matching codes",
                        icao=self.location.icao, actual=airports()[self.location.icao]["country"], given=self.country,
                        field="country")
        return self

    def observations_in_order(self) -> list[Observation]:
        """Observations oldest first (by earliest possible time); undated ones last."""
        return sorted(self.observations, key=lambda o: o.date.sort_key())

    def current(self) -> Observation | None:
        """The latest dated observation that states a status, else the last one written that states one."""
        stated = [o for o in self.observations if o.status]
        dated = [o for o in self.observations_in_order() if o.date.known and o.status]
        return dated[-1] if dated else (stated[-1] if stated else None)


class Stop(Endpoint):
    """A place a flight touched down on its way, with its times there."""

    arrival: When = Field(default_factory=When, description="When the flight landed at the stop.")
    departure: When = Field(default_factory=When, description="When the flight left the stop.")

    @model_validator(mode="after")
    def _in_order(self):
        if self.arrival.known and self.departure.known and self.departure.latest.end < self.arrival.earliest.start:
            raise _fail("stop_order", "departure {departure} is before arrival {arrival}, expected to leave after "
                        "landing", departure=self.departure.iso(), arrival=self.arrival.iso(), field="departure")
        return self

    @property
    def endpoint(self) -> Endpoint:
        """The stop as a place only, for naming and placing it like a flight's ends."""
        return Endpoint.model_construct(**{name: getattr(self, name) for name in Endpoint.model_fields})


ONE = Count(exactly=1)  # a flight's count unless it gives one: the same (frozen) object for every such flight


class Cargo(Model):
    """What a flight is reported to have carried."""

    kind: CargoKind = Field(description="What kind of load.")
    description: Text | None = Field(None, description="What the source says was carried.")
    sources: Sources
    credibility: Credibility = Field(description="Admiralty information credibility of this claim, 1 to 6.")
    note: Note | None = None


class Personnel(Model):
    """The people a flight is reported to have carried, besides its crew."""

    count: Count | None = Field(None, description="How many: a number, or at_least N when the source gives a floor.")
    description: Text | None = Field(None, description="Who they were, as the source says (e.g. military personnel).")
    sources: Sources
    credibility: Credibility = Field(description="Admiralty information credibility of this claim, 1 to 6.")
    note: Note | None = None


class Flight(Model):
    """One flight, or a counted group of flights reported together."""

    id: FactId
    summary: Text | None = None
    count: Count = Field(default_factory=lambda: ONE)
    part_of: FactId | None = Field(None, description="Id of a counted group this flight is one of.")
    departure: When
    arrival: When
    origin: Endpoint
    stops: list[Stop] = Field(default_factory=list, description="Places it touched down on the way, in order.")
    destination: Endpoint
    aircraft: Aircraft = Field(default_factory=Aircraft)
    cargo: list[Cargo] = Field(default_factory=list, description="What it is reported to have carried, each claim "
                               "with its own sources.")
    personnel: Personnel | None = Field(None, description="The people it is reported to have carried.")
    operator: Name | None = None
    basis: Basis
    sources: Sources
    credibility: Credibility | None = None
    tlp: TlpLabel | None = Field(None, description="TLP 2.0 marking of this fact (default: the brief's tlp).")
    track: FactId | None = Field(None, description="Id of the imported position track in data/tracks/<id>.json; "
                                 "departure and arrival are then first and last seen, not take-off and landing.")
    note: Note | None = None

    @model_validator(mode="after")
    def _arrival_after_departure(self):
        d, a = self.departure, self.arrival
        if d.known and a.known and a.latest.end < d.earliest.start:
            raise _fail("flight_order", "arrival {arrival} is before departure {departure}, expected arrival after departure",
                        arrival=a.iso(), departure=d.iso(), field="arrival")
        return self

    @property
    def when(self) -> When:
        """The time a reader sorts this flight by: arrival if known, else departure."""
        return self.arrival if self.arrival.known else self.departure

    def points(self) -> list[Endpoint]:
        """Where it went, in order: its origin, each stop, its destination."""
        return [self.origin, *(stop.endpoint for stop in self.stops), self.destination]

    def legs(self) -> list[tuple[Endpoint, Endpoint]]:
        """Each hop flown: origin → first stop → … → destination (one leg when it made no stop)."""
        points = self.points()
        return list(zip(points, points[1:]))


class Assessment(Model):
    """An analytic judgment, with likelihood and confidence kept apart."""

    id: FactId
    title: Title
    date: When
    judgment: Text
    likelihood: Likelihood | None = Field(None, description="ICD 203 term; leave out only for an outside view that states none.")
    confidence: Confidence | None = Field(None, description="Analytic confidence: low, moderate or high.")
    attribution: Annotated[Expert | None, BeforeValidator(lambda v: None if v == "brief" else v)] = Field(
        description="'brief' for the brief's own view, or the named outside expert (name, affiliation, role)."
    )
    evidence: list[Evidence] = Field(default_factory=list)
    sources: Sources
    status: AssessmentStatus = "current"
    superseded_by: FactId | None = None
    key: Flag = Field(False, description="A key judgment of the brief: the overview and page 1 of the distribution "
                                         "edition lead with these (default: the brief's newest judgments).")
    assumptions: list[Assumption] = Field(default_factory=list, description="What the judgment takes for granted.")
    alternatives: list[Alternative] = Field(default_factory=list, description="Competing hypotheses weighed against it.")
    priority: Priority | None = Field(None, description="Where the judgment stands in the brief's ranking: 1 first; "
                                      "judgments without a priority follow, by recent change, likelihood and confidence.")
    tlp: TlpLabel | None = Field(None, description="TLP 2.0 marking of this fact (default: the brief's tlp).")
    note: Note | None = None

    @model_validator(mode="after")
    def _hypotheses(self):
        seen = {MAIN}
        for i, alternative in enumerate(self.alternatives):
            if alternative.id in seen:
                raise _fail("hypothesis_id", "'{value}' names the judgment itself or an earlier alternative, expected "
                            "each alternative id once and never 'main'", value=alternative.id,
                            field=f"alternatives.{i}.id")
            seen.add(alternative.id)
        for i, item in enumerate(self.evidence):
            for name in item.fits:
                if name not in seen:
                    raise _fail("unknown_hypothesis", "'{value}' is not a hypothesis of this judgment, expected main "
                                "or one of its alternatives' ids" + (": " + ", ".join(sorted(seen - {MAIN}))
                                                                     if len(seen) > 1 else ""),
                                value=name, field=f"evidence.{i}.fits.{name}")
        return self

    @model_validator(mode="after")
    def _rules(self):
        if self.key and self.attribution is not None:
            raise _fail("outside_key", "an outside view cannot be a key judgment of the brief, expected key only "
                        "with attribution: brief", field="key")
        if self.attribution is None and (self.likelihood is None or self.confidence is None):
            missing = "likelihood" if self.likelihood is None else "confidence"
            raise _fail("brief_judgment", "the brief's own judgment has no " + missing +
                        ", expected both likelihood and confidence", field=missing)
        if (self.status == "superseded") != (self.superseded_by is not None):
            raise _fail("superseded", "status 'superseded' and superseded_by go together, expected both or neither",
                        field="status")
        if self.status == "withdrawn" and self.note is None:
            raise _fail("withdrawn", "a withdrawn judgment gives no reason, expected a note saying why it was withdrawn",
                        field="note")
        return self

    @property
    def by_brief(self) -> bool:
        return self.attribution is None


class Event(Model):
    """Something that happened, not a flight or a base observation: context, or an incident (kind) at a place."""

    id: FactId
    title: Title
    kind: IncidentKind | None = Field(None, description="For an incident: crash, damage, strike, seizure or "
                                      "sighting (left out for a context event).")
    date: When
    summary: Text
    base: FactId | None = Field(None, description="Id of the base where it happened.")
    place: Name | None = Field(None, description="Name of the town or area where it happened, when not at a base.")
    coordinates: Coordinates | None = Field(None, description="Position of the place, with its source.")
    country: Country | None = None
    aircraft: Aircraft | None = Field(None, description="The aircraft involved, as far as the sources say.")
    sources: Sources
    credibility: Credibility | None = None
    tlp: TlpLabel | None = Field(None, description="TLP 2.0 marking of this fact (default: the brief's tlp).")
    note: Note | None = None

    @model_validator(mode="after")
    def _incident(self):
        if self.base and self.place:
            raise _fail("event_both", "both 'base' and 'place' are given, expected one of them", field="place")
        if self.coordinates and not self.place:
            raise _fail("endpoint_coords", "coordinates are given without a place name, expected 'place' too",
                        field="coordinates")
        if self.aircraft and not self.kind:
            raise _fail("event_aircraft", "an aircraft is named but no incident kind, expected kind: "
                        + ", ".join(INCIDENT_KINDS), field="kind")
        return self

    @property
    def where(self) -> Endpoint | None:
        """Where it happened, given as a flight's end is (base, place, country); None when it names no place."""
        if not (self.base or self.place or self.country):
            return None
        return Endpoint.model_construct(base=self.base, airfield=None, place=self.place, coordinates=self.coordinates,
                                        country=self.country, note=None)


class FlightWatch(Model):
    """Flights to count: from and to a base id, a place name, an ICAO code or a country code, in the last days."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, serialize_by_alias=True)

    origin: Name | None = Field(None, alias="from", description="Where the flights leave from: a base id, a place "
                                "name, an ICAO airfield code or a country code (leave out for anywhere).")
    destination: Name | None = Field(None, alias="to", description="Where they go: as from (leave out for anywhere).")
    at_least: Annotated[int, _whole_number(1, 100000, "count")] = Field(description="How many flights meet it.")
    within_days: Annotated[int, _whole_number(1, 36500, "number of days")] = Field(
        description="Counted over this many days ending on the edition date.")

    @model_validator(mode="after")
    def _somewhere(self):
        if self.origin is None and self.destination is None:
            raise _fail("watch_flights", "neither 'from' nor 'to' is given, expected at least one of them")
        return self


class BaseWatch(Model):
    """A base whose latest observation has a status."""

    id: FactId = Field(description="Id of the base.")
    status: Status = Field(description="The status its latest observation stating one must have.")


class EventWatch(Model):
    """Events recorded since a date: in a country, and naming a word in their title or summary, if given."""

    since: CalendarDate = Field(description="Only events dated on or after this day count.")
    country: Country | None = Field(None, description="Only events in this country count.")
    mentions: Name | None = Field(None, description="Only events whose title or summary holds these words count "
                                  "(letter case aside).")
    at_least: Annotated[int, _whole_number(1, 100000, "count")] = Field(1, description="How many events meet it.")


class Watch(Model):
    """What the build checks against the facts at the edition date: one of flights, base or event; or manual, for
    what no fact can show (written watch: manual)."""

    flights: FlightWatch | None = None
    base: BaseWatch | None = None
    event: EventWatch | None = None
    manual: Flag = Field(False, description="true (or watch: manual): the analysts set status themselves.")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value):
        if value == "manual":
            return {"manual": True}
        if isinstance(value, str):
            raise _fail("watch_form", "'{value}' is not a watch condition, expected manual or a mapping with one of "
                        "flights, base or event", value=value)
        return value

    @model_validator(mode="after")
    def _one(self):
        if sum(x is not None for x in (self.flights, self.base, self.event)) + self.manual != 1:
            raise _fail("watch_form", "expected exactly one of flights, base or event (or watch: manual)")
        return self

    @property
    def kind(self) -> str:
        return "manual" if self.manual else "flights" if self.flights else "base" if self.base else "event"


class BearsOn(Model):
    """A judgment an indicator bears on, and which way."""

    assessment: FactId = Field(description="Id of the assessment.")
    direction: Direction = Field(description="supports (the judgment is coming true if met) or undermines.")


class Indicator(Model):
    """An observable event or condition that would show a judgment coming true, or failing."""

    id: FactId
    title: Title
    signals: Text = Field(description="What it would mean if met.")
    bears_on: list[BearsOn] = Field(default_factory=list, description="The judgments it bears on, and which way.")
    watch: Watch = Field(description="manual, or the condition the build evaluates against the facts: flights, base "
                         "or event.")
    status: ManualStatus | None = Field(None, description="For watch: manual only: met or not met.")
    since: CalendarDate | None = Field(None, description="For watch: manual only: the day it was first met.")
    sources: list[FactId] = Field(default_factory=list, description="Ids of the sources it rests on (required for a "
                                  "manual indicator that is met).")
    tlp: TlpLabel | None = Field(None, description="TLP 2.0 marking of this fact (default: the brief's tlp).")
    note: Note | None = None

    @model_validator(mode="after")
    def _manual_rules(self):
        if self.watch.manual and self.status is None:
            raise _fail("manual_status", "a manual indicator has no status, expected status: met or not met",
                        field="status")
        if not self.watch.manual and (self.status is not None or self.since is not None):
            raise _fail("computed_status", "status and since are computed from the facts for this watch condition, "
                        "expected them only with watch: manual", field="status" if self.status else "since")
        if self.watch.manual and self.status == "met" and not self.sources:
            raise _fail("manual_unsourced", "a manual indicator that is met cites no source, expected sources: [...]",
                        field="sources")
        return self

    @property
    def manual(self) -> bool:
        return self.watch.manual


class Implication(Model):
    """What the brief's judgments mean for its reader (the 'so what')."""

    text: Text
    rests_on: list[FactId] = Field(default_factory=list, description="Ids of the assessments it follows from.")


def _horizon(value):
    if isinstance(value, (date,)) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return _calendar_date(value)
    return value


class Outlook(Model):
    """What the brief expects next, and over what horizon."""

    text: Text = Field(description="What is expected next.")
    horizon: Annotated[Union[date, Name], BeforeValidator(_horizon)] | None = Field(
        None, description="Until when: a date (YYYY-MM-DD) or words such as 'the coming days'.")
    likelihood: Likelihood | None = Field(None, description="ICD 203 term for the outlook, if one is given.")


class Scope(Model):
    """The scope note: information cut-off, what is and is not covered, who wrote it and how to reach them."""

    cutoff: CalendarDate | None = Field(None, description="Information cut-off date (default: the latest dated "
                                        "evidence, never later than the edition).")
    covers: Text | None = Field(None, description="What the brief covers.")
    not_covered: Text | None = Field(None, description="What it does not cover.")
    author: Name | None = Field(None, description="The author or unit.")
    contact: Name | None = Field(None, description="How a reader reaches the authors.")


class Gap(Model):
    """An intelligence gap: a question that, answered, would move a judgment."""

    question: Text
    why: Text = Field(description="Why it matters: what the answer would change.")
    bears_on: list[FactId] = Field(default_factory=list, description="Ids of the assessments the answer would move.")
    answer: Text = Field(description="What information would answer it.")


class Brief(Model):
    """The brief itself: title, edition and handling marking (data/brief.yml)."""

    title: Title
    subtitle: Title | None = None
    edition: CalendarDate
    tlp: TlpLabel = Field(description="TLP 2.0 marking of every fact that does not carry its own tlp.")
    publish: TlpLabel | None = Field(None, description="The marking the public site is built and published at "
                                     "(brief build --release); without it the publish workflow refuses to deploy.")
    publish_private: Flag = Field(False, description="true only when the site is published to access-controlled "
                                  "hosting: allows a publish marking above TLP:CLEAR.")
    summary: Text | None = Field(None, description="Background; the overview's opening when there is no bottom_line.")
    bottom_line: Text | None = Field(None, description="The judgment-led opening paragraph of the overview and page 1.")
    implications: list[Implication] = Field(default_factory=list, description="What the judgments mean for the reader.")
    outlook: Outlook | None = Field(None, description="What the brief expects next, and over what horizon.")
    scope: Scope | None = Field(None, description="Cut-off date, coverage, author and contact.")
    gaps: list[Gap] = Field(default_factory=list, description="Intelligence gaps: questions that would move a judgment.")
    publisher: Name | None = None
    previous_edition: Name | None = Field(None, description="Git tag, commit or YYYY-MM-DD date of the previous "
                                          "edition, for the What changed page (default: the newest edition-* tag).")
    portion_marks: Flag = Field(False, description="true to mark every fact with its TLP label even when the whole "
                                "document holds one marking (by default portion marks appear only when it holds more).")
    stale_after: Annotated[int, _whole_number(1, 36500, "number of days")] | None = Field(
        None, description="Days after which a current judgment whose newest evidence is older is flagged as stale.")
    archive_max_mb: Annotated[int, _whole_number(1, 100000, "size in MB")] = Field(
        50, description="Largest capture, in MB, copied into a site; larger ones are listed with their hash only.")


KINDS: dict[str, type[Model]] = {
    "sources": Source, "bases": Base, "flights": Flight, "assessments": Assessment, "events": Event,
    "indicators": Indicator,
}
Fact = Union[Source, Base, Flight, Assessment, Event, Indicator]
