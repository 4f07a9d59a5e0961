"""JSON contracts of the identity area."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pactum.common.countries import country
from pactum.common.text import Text
from pactum.identity import components
from pactum.identity.normalise import parse_birth_date

#: Where a candidate was found (``component`` of a candidate and of a link's basis), as the
#: screens name it: the searching state's own records, Eurodac, the SIS return alerts, the SIS
#: refusals of entry for entry bans (:mod:`pactum.identity.components`).
COMPONENT_LABELS = components.COMPONENT_LABELS


class SearchQuery(BaseModel):
    """One identity to look for (``POST /api/v1/identity/search``)."""

    model_config = ConfigDict(extra="forbid")

    # free text is read as the registry reads it (:data:`pactum.common.text.Text`): blanks around a
    # name are dropped, and a field of blanks alone is no name, refused naming the field
    given_names: Text | None = Field(None, max_length=200)
    surname: Text | None = Field(None, max_length=200)
    father_name: Text | None = Field(None, max_length=200)
    sex: Literal["M", "F", "X"] | None = None
    date_of_birth: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    place_of_birth: Text | None = Field(None, max_length=200)
    nationality: str | None = Field(None, min_length=3, max_length=3, description="ISO 3166 alpha-3")
    document_number: Text | None = Field(None, max_length=60)
    limit: int = Field(20, ge=1, le=100)

    @field_validator("given_names", "surname", "father_name", "place_of_birth", "document_number")
    @classmethod
    def _not_blank(cls, v: str | None) -> str | None:
        if v is not None and not v:
            raise ValueError("is blank: give the text to search for, or leave the field out")
        return v

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, v: str | None) -> str | None:
        # an impossible day or month from another system's record (1996-03-34) is searched on what
        # can be read of it; text that is no date at all is refused
        if v and parse_birth_date(v).year is None:
            raise ValueError("must be YYYY, YYYY-MM or YYYY-MM-DD")
        return v

    @field_validator("nationality")
    @classmethod
    def _nationality(cls, v: str | None) -> str | None:
        return country(v).alpha3 if v else v

    @model_validator(mode="after")
    def _something_to_search(self) -> SearchQuery:
        if not (self.given_names or self.surname or self.document_number):
            raise ValueError("give at least a name or a document number")
        return self


class LinkDecision(BaseModel):
    """The verifying officer's decision on a yellow link."""

    model_config = ConfigDict(extra="forbid")

    colour: Literal["white", "green", "red"]
    reason: Text = Field(..., min_length=3, max_length=2000)
    version: int = Field(..., ge=1)


class TemplateEnrol(BaseModel):
    model_config = ConfigDict(extra="forbid")

    identity_record_id: str
    vector: list[float] = Field(..., min_length=8, max_length=4096)


class BiometricQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vector: list[float] = Field(..., min_length=8, max_length=4096)
    k: int = Field(10, ge=1, le=100)
