"""Incident facts, the input of the incident pack (the user docs are generated from this model).
Every fact that can change the grade, the report or a duty is required; a nullable fact must be
given as null where it does not apply (no CII affected, handling not yet ended), so nothing is
ever assumed. A moment without a time zone is read in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from chinacomply.rules import periods
from chinacomply.rules.context import Context
from chinacomply.rules.facts import Count, Date, PackFacts, Timestamp

OperatorType = Literal["ciio_related", "central_or_state_organ", "other"]
Grade = Literal["especially_major", "major", "relatively_major", "general"]
Hours = Annotated[float, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]


class Facts(PackFacts):
    """One cybersecurity incident, as the operator knows it when assessing it."""

    PACK: ClassVar[str] = "incident"

    in_china_network_operator: bool = Field(
        description="the operator builds or operates networks, or provides services over "
        "networks, in mainland China (INC25 Art. 2)"
    )
    involves_own_unit: bool = Field(
        description="the incident involves the operator's own unit (INC25 Art. 4: 涉及本单位)"
    )
    operator_type: OperatorType = Field(
        description="ciio_related: the incident involves critical information infrastructure "
        "(1 hour); central_or_state_organ: a central or state organ or a unit directly "
        "affiliated to one (2 hours); other: any other operator (4 hours)"
    )
    discovered_at: Timestamp = Field(
        description="when the operator discovered or learned of the incident (发现或获知), to "
        "the minute; without a zone it is read in Asia/Shanghai. The report clock runs from here"
    )
    pi_persons_leaked: Count = Field(
        description="persons whose PI was leaked (泄露): the annex grades by this count"
    )
    pi_persons_affected: Count = Field(
        description="persons whose PI was (or may have been) leaked, tampered with, lost or "
        "destroyed; at least pi_persons_leaked (PIPL Art. 57, AUD25 Art. 5(3))"
    )
    sensitive_pi_persons_affected: Count = Field(
        description="of those, persons whose sensitive PI was leaked, tampered with, lost or "
        "destroyed (AUD25 Art. 5(3))"
    )
    large_amount_of_pi_judged: bool = Field(
        description="the operator judges that important data or a relatively large amount of "
        "citizens' PI was lost, stolen, tampered with or counterfeited, seriously threatening "
        "national security and social stability (annex 三(2); the annex gives no number)"
    )
    core_or_important_data_leaked: bool = Field(
        description="core data or important data was leaked (annex 一)"
    )
    cii_outage_hours: Hours | None = Field(
        description="hours a CII was wholly interrupted, or null if no CII was interrupted"
    )
    cii_main_function_outage_hours: Hours | None = Field(
        description="hours the main functions of a CII were interrupted, or null if none were"
    )
    portal_outage_hours: Hours | None = Field(
        description="hours a provincial-level (or higher) party or government portal, or a "
        "central key news site, could not be accessed, or null if none was affected (grade "
        "other portals yourself with other_criteria_grade)"
    )
    province_population_share: Share = Field(
        description="share of the population of the province(s) affected whose work and life "
        "the incident affects (0.5 = 50%; 0 if none)"
    )
    people_affected_services: Count = Field(
        description="people whose water, power, gas, oil, heating, transport, medical care, "
        "shopping or other work and daily life the incident affects"
    )
    direct_loss_yuan: Count = Field(description="direct economic loss, in yuan")
    other_criteria_grade: Grade | None = Field(
        description="the grade the operator gives the incident under annex criteria the pack "
        "does not model (harmful information spread, other portals, population shares of a "
        "city...), or null; the higher of it and the pack's grade applies (就高)"
    )
    crime_suspected: bool = Field(description="a crime is suspected (INC25 Art. 4)")
    cause_and_impact_known: bool = Field(
        description="the cause, impact and trend can be judged within the reporting time limit "
        "(false: report items (1)-(2) first and supplement, INC25 Art. 7 ¶2)"
    )
    handling_ended_on: Date | None = Field(
        description="the day handling of the incident ended (the closing report is due 30 days "
        "later, INC25 Art. 8), or null if it has not ended"
    )
    measures_avoid_harm: bool = Field(
        description="the measures taken effectively avoid harm from the PI leak, tampering or "
        "loss, so the individuals need not be notified (PIPL Art. 57 ¶2)"
    )
    involves_exported_data: bool = Field(
        description="the incident concerns data exported from China (P24 Art. 11)"
    )
    defect_endangering_national_security: bool = Field(
        description="the incident reveals a security defect or vulnerability of the operator's "
        "network product or service that endangers national security or the public interest "
        "(NDSMR Art. 10: report within 24 hours)"
    )

    @property
    def discovered(self) -> dt.datetime:
        """The moment of discovery, with its zone (Asia/Shanghai when none was given)."""
        return periods.aware(self.discovered_at)

    @property
    def discovered_on(self) -> dt.date:
        """The day of discovery in China."""
        return self.discovered.astimezone(periods.CHINA).date()

    @model_validator(mode="after")
    def _consistent(self) -> Facts:
        """Facts that contradict each other are refused, naming the key."""
        if self.pi_persons_affected < self.pi_persons_leaked:
            raise ValueError(
                f"pi_persons_affected: {self.pi_persons_affected:,} is fewer than "
                f"pi_persons_leaked ({self.pi_persons_leaked:,}); leaked PI is affected PI"
            )
        if self.sensitive_pi_persons_affected > self.pi_persons_affected:
            raise ValueError(
                f"sensitive_pi_persons_affected: {self.sensitive_pi_persons_affected:,} is more "
                f"than pi_persons_affected ({self.pi_persons_affected:,})"
            )
        cii_down = self.cii_outage_hours is not None or (
            self.cii_main_function_outage_hours is not None
        )
        if cii_down and self.operator_type != "ciio_related":
            raise ValueError(
                "operator_type: a CII was interrupted (cii_outage_hours or "
                "cii_main_function_outage_hours given): the incident involves CII, choose "
                "ciio_related"
            )
        for key, day in (("handling_ended_on", self.handling_ended_on), ("as_of", self.as_of)):
            if day is not None and day < self.discovered_on:
                raise ValueError(
                    f"{key}: {day} is before the incident was discovered ({self.discovered_on})"
                )
        return self


Ctx = Context[Facts]
