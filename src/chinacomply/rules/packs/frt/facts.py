"""Facial-recognition facts, the input of the frt pack (the user docs are generated from this
model). Every fact that can change the outcome is required, nullable dates included: a date left
null says the event has not happened, so it is never assumed."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from chinacomply.rules import pack
from chinacomply.rules.context import Context
from chinacomply.rules.facts import Count, Date, PackFacts, Strict

Location = Literal["public_place", "private_space_in_public_place", "not_public"]


class Filing(Strict):
    """The FRT25 Art. 15 filing with the CAC, as it stands on the decision date."""

    filed_on: Date | None = Field(
        description="the day the filing was completed with the CAC, or null if not filed"
    )
    info_changed_on: Date | None = Field(
        description="the day the filed information last changed substantively, where the "
        "change has not yet been filed, or null if nothing changed"
    )
    terminated_on: Date | None = Field(
        description="the day the handler stopped applying face recognition, or null if it "
        "still does"
    )


class Facts(PackFacts):
    """One application of face recognition technology by one handler."""

    PACK: ClassVar[str] = "frt"

    in_china: bool = Field(description="face information is processed in mainland China")
    purpose_rd_or_training_only: bool = Field(
        description="the processing serves only FRT research and development or algorithm "
        "training (FRT25 Art. 2 excludes it)"
    )
    anonymised: bool = Field(
        description="the face information is anonymised (FRT25 Art. 19: then it is not face "
        "information)"
    )
    legal_basis: Literal["consent", "other"] = Field(
        description="consent, or another PIPL Art. 13 basis (a contract, a statutory duty...)"
    )
    stored_individuals: Count = Field(
        description="distinct individuals whose face information is STORED (not the number of "
        "verifications or comparisons made); can come from the inventory (datasets holding "
        "biometric columns, `assess --from-inventory`)"
    )
    reached_100k_on: Date | None = Field(
        description="the day the stored count reached the filing threshold (100,000); required "
        "when stored_individuals is at or above it, null when below"
    )
    minors_under_14: bool = Field(description="face information of minors under 14 is processed")
    storage: Literal["on_device", "transmitted"] = Field(
        description="kept in the face recognition device, or transmitted over the internet"
    )
    separate_consent_for_transmission: bool = Field(
        description="each individual gave separate consent to transmission off the device"
    )
    alternative_method_exists: bool = Field(
        description="a method other than face recognition achieves the same purpose or "
        "business requirement"
    )
    location: Location = Field(
        description="where the device is installed: a public place, a private space inside a "
        "public place (hotel room, public bathroom, changing room, toilet), or not public"
    )
    pipia_done_on: Date | None = Field(
        description="the day the last personal information protection impact assessment was "
        "completed, or null if none was done"
    )
    purpose_or_method_changed_since_pipia: bool = Field(
        description="the purpose or method of processing changed after the last assessment"
    )
    major_incident_since_pipia: bool = Field(
        description="a major security incident occurred after the last assessment"
    )
    filing: Filing = Field(description="the Art. 15 filing")

    @model_validator(mode="after")
    def _consistent(self) -> Facts:
        """Facts that contradict each other are refused, naming the key."""
        self._count_and_date()
        if self.pipia_done_on is None and (
            self.purpose_or_method_changed_since_pipia or self.major_incident_since_pipia
        ):
            raise ValueError(
                "pipia_done_on: null, but a change or incident since the assessment is given"
            )
        filing = self.filing
        for key, day in (
            ("info_changed_on", filing.info_changed_on),
            ("terminated_on", filing.terminated_on),
        ):
            if day is not None and filing.filed_on is not None and day < filing.filed_on:
                raise ValueError(f"filing.{key}: {day} is before filing.filed_on")
        if filing.info_changed_on is not None and filing.filed_on is None:
            raise ValueError("filing.info_changed_on: given, but filing.filed_on is null")
        return self._not_after_as_of()

    def _count_and_date(self) -> None:
        """The day the count reached the threshold exists exactly when the count is there."""
        frt = pack.get(self.PACK)
        on = max(self.as_of or dt.date.today(), frt.covers_from)
        threshold = int(frt.parameter("frt.filing.threshold", on).value)
        if self.stored_individuals >= threshold and self.reached_100k_on is None:
            raise ValueError(
                f"reached_100k_on: required: {self.stored_individuals:,} individuals' face "
                f"information is stored (the threshold is {threshold:,})"
            )
        if self.stored_individuals < threshold and self.reached_100k_on is not None:
            raise ValueError(
                f"reached_100k_on: given, but only {self.stored_individuals:,} individuals' face "
                f"information is stored (fewer than {threshold:,})"
            )

    def _not_after_as_of(self) -> Facts:
        """An event dated after as_of has not happened on the decision date."""
        if self.as_of is None:
            return self
        for key, day in (
            ("reached_100k_on", self.reached_100k_on),
            ("pipia_done_on", self.pipia_done_on),
            ("filing.filed_on", self.filing.filed_on),
            ("filing.info_changed_on", self.filing.info_changed_on),
            ("filing.terminated_on", self.filing.terminated_on),
        ):
            if day is not None and day > self.as_of:
                raise ValueError(f"{key}: {day} is after as_of ({self.as_of})")
        return self


Ctx = Context[Facts]
