"""Transfer facts, the input of the export pack (docs/facts/export.md is generated from this
model). Sections default to the common case, but a file must say how many individuals leave:
an export decided on a default volume of zero would be exempt by accident."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from chinacomply.rules.context import Context
from chinacomply.rules.facts import Count, Date, PackFacts, Strict

Mode = Literal["transmit", "remote_access", "onshore_access", "offshore_processing"]
Mechanism = Literal[
    "security_assessment", "standard_contract", "certification", "gba_standard_contract"
]
Change = Literal[
    "purpose",
    "scope",
    "data_types",
    "recipient",
    "retention",
    "recipient_law",
    "control",
    "contract",
]
GBA_CITIES = (
    "Guangzhou",
    "Shenzhen",
    "Zhuhai",
    "Foshan",
    "Huizhou",
    "Dongguan",
    "Zhongshan",
    "Jiangmen",
    "Zhaoqing",
)


class Handler(Strict):
    """Who exports."""

    ciio: bool = Field(
        default=False, description="notified as a critical information infrastructure operator"
    )
    ftz: str | None = Field(
        default=None, description="pilot free trade zone the handler is registered in, or null"
    )
    gba_city: str | None = Field(
        default=None,
        description="mainland Greater Bay Area city the handler is registered in, or null",
    )
    processed_individuals: Count | None = Field(
        default=None,
        description="individuals whose PI the handler processes in all; required before "
        "2024-03-22 (M22 Art. 4(2), SCC23 Art. 4 turn on it)",
    )

    @field_validator("gba_city")
    @classmethod
    def _gba_city(cls, value: str | None) -> str | None:
        if value is not None and value not in GBA_CITIES:
            raise ValueError(f"{value!r} is not a mainland GBA city ({', '.join(GBA_CITIES)})")
        return value


class Activity(Strict):
    """How the data leaves, and to where."""

    mode: Mode = Field(default="transmit", description="how the data reaches the recipient abroad")
    recipient_region: str = Field(
        default="US",
        pattern=r"^[A-Z]{2}$",
        description="ISO code of the recipient's country or region (HK, MO for Hong Kong, Macao)",
    )


class Data(Strict):
    """What is exported."""

    personal_information: bool = Field(default=True, description="the export includes PI")
    sensitive_personal_information: bool = Field(
        default=False, description="the export includes sensitive PI (PIPL Art. 28)"
    )
    important_data: bool = Field(
        default=False,
        description="the export includes data notified or published as important data",
    )
    core_data: bool = Field(default=False, description="the export includes core data")
    foreign_origin_only: bool = Field(
        default=False,
        description="PI collected abroad, processed in China and sent back, nothing domestic "
        "mixed in (P24 Art. 4)",
    )
    on_ftz_negative_list: bool = Field(
        default=False,
        description="the data is on the negative list of the handler's free trade zone",
    )
    important_data_notified_on: Date | None = Field(
        default=None,
        description="the day the handler was told it holds important data, or the data was "
        "published as such (QA2505 Q2: declare within two months if the export continues)",
    )


class Grounds(Strict):
    """Necessity grounds that exempt a PI export whatever its volume; each true only if the
    export is necessary for that purpose."""

    contract_with_individual: bool = Field(
        default=False, description="to conclude or perform a contract the individual is party to"
    )
    hr_management: bool = Field(
        default=False, description="cross-border HR management under lawful labour rules"
    )
    emergency: bool = Field(
        default=False, description="to protect a person's life, health or property in an emergency"
    )
    statutory_duty: bool = Field(
        default=False,
        description="to perform a statutory duty or obligation (NDSMR Art. 35(6), from 2025)",
    )


class Volumes(Strict):
    """Distinct individuals exported in the counting window, this transfer included; earlier
    transfers exempt on a ground are not counted."""

    non_sensitive: Count = Field(default=0, description="individuals whose non-sensitive PI leaves")
    sensitive: Count = Field(default=0, description="individuals whose sensitive PI leaves")


class Existing(Strict):
    """An approval or filing already covering the flow (optional)."""

    mechanism: Mechanism | None = Field(default=None, description="the mechanism in place")
    valid_from: Date | None = Field(
        default=None, description="the day it was issued or took effect"
    )
    material_changes: Annotated[tuple[Change, ...], Field(strict=False)] = Field(
        default=(), description="what changed since it was issued or filed"
    )
    projected_growth: float | None = Field(
        default=None,
        ge=-1.0,
        description="growth of individuals over the next 3 years against the approved volume "
        "(0.15 = 15%)",
    )


class Facts(PackFacts):
    """A transfer of data out of mainland China."""

    PACK: ClassVar[str] = "export"

    handler: Handler = Handler()
    activity: Activity = Activity()
    data: Data = Data()
    grounds: Grounds = Grounds()
    volumes: Volumes = Volumes()
    existing: Existing = Existing()

    @model_validator(mode="after")
    def _consistent(self) -> Facts:
        """Facts that contradict each other are refused, naming the key."""
        existing, data = self.existing, self.data
        if existing.mechanism is not None and existing.valid_from is None:
            raise ValueError("existing.valid_from: required when existing.mechanism is set")
        if data.important_data_notified_on is not None and not data.important_data:
            raise ValueError(
                "data.important_data_notified_on: given, but data.important_data is false"
            )
        return self._volumes_given()

    def _volumes_given(self) -> Facts:
        """The volumes decide the pathway of every PI export; they are never assumed."""
        data = self.data
        volume_decides = data.personal_information and not (data.important_data or data.core_data)
        if volume_decides and "volumes" not in self.model_fields_set:
            raise ValueError(
                "volumes: required: give the individuals exported in the counting window "
                "(non_sensitive, sensitive), or say data.personal_information: false"
            )
        return self


Ctx = Context[Facts]
