"""Audit facts, the input of the audit pack (the user docs are generated from this model).
Every fact that can change the outcome or a deadline is required, nullable dates included: a
date left null says the event has not happened, so it is never assumed."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field, model_validator

from chinacomply.rules import pack
from chinacomply.rules.context import Context
from chinacomply.rules.facts import Count, Date, PackFacts


class Facts(PackFacts):
    """One PI handler's compliance audits and PI protection officer."""

    PACK: ClassVar[str] = "audit"

    is_state_organ_or_public_affairs_body: bool = Field(
        description="the handler is a state organ, or an organisation authorised by law or "
        "regulation to manage public affairs (AUD25 Art. 19 excludes them)"
    )
    individuals_processed: Count = Field(
        description="natural persons whose PI the handler currently processes, de-duplicated; "
        "PI already deleted is not counted (QAPI2604 Q1); can come from the inventory "
        "(`assess --from-inventory` counts the persons of every PI dataset)"
    )
    reached_1m_on: Date | None = Field(
        description="the day the count reached 1,000,000 persons (PIPO25: the officer report "
        "runs from it); required when individuals_processed is 1,000,000 or more, null below"
    )
    officer_info_changed_on: Date | None = Field(
        description="the day the reported PI protection officer information last changed "
        "substantively, or null if it has not changed"
    )
    processes_minors_pi: bool = Field(
        description="the handler processes PI of minors (under 18), whether or not it "
        "identifies users' ages (QAPI2604 Q3)"
    )
    important_platform: bool = Field(
        description="the handler provides important internet platform services, with a huge "
        "number of users and complex business types (AUD25 Art. 12, para. 2)"
    )
    incident_pi_persons: Count = Field(
        description="persons whose PI a security incident leaked, tampered with, lost or "
        "destroyed (0 if there was no incident)"
    )
    incident_sensitive_pi_persons: Count = Field(
        description="of incident_pi_persons, the persons whose sensitive PI was affected"
    )
    already_ordered_for_this_incident: bool = Field(
        description="the authorities already ordered an audit for this incident or risk "
        "(AUD25 Art. 5: no repeat order for the same incident or risk)"
    )
    large_risk_found: bool = Field(
        description="the processing is found to carry large risks: a serious impact on "
        "individuals' rights or a serious lack of security measures (AUD25 Art. 5(1))"
    )
    many_individuals_rights_at_risk: bool = Field(
        description="the processing may infringe the rights and interests of many individuals "
        "(AUD25 Art. 5(2))"
    )
    rectification_completed_on: Date | None = Field(
        description="the day the rectification required after an ordered audit was completed, "
        "or null if none was completed"
    )
    consecutive_audits_by_same_body: Count = Field(
        description="audits already done in a row, up to the latest, by the same professional "
        "body (with its affiliates) or the same audit lead (0 if none)"
    )
    last_audit_on: Date | None = Field(
        description="the day the latest compliance audit was completed, or null if none was done"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Facts:
        """Facts that contradict each other are refused, naming the key."""
        self._count_and_date()
        if self.incident_sensitive_pi_persons > self.incident_pi_persons:
            raise ValueError(
                "incident_sensitive_pi_persons: more than incident_pi_persons (sensitive PI is "
                "PI: the persons are counted in both)"
            )
        if self.officer_info_changed_on is not None:
            if self.reached_1m_on is None:
                raise ValueError(
                    "officer_info_changed_on: given, but reached_1m_on is null (no officer "
                    "information is reported below 1,000,000 persons)"
                )
            if self.officer_info_changed_on < self.reached_1m_on:
                raise ValueError(
                    f"officer_info_changed_on: {self.officer_info_changed_on} is before "
                    f"reached_1m_on ({self.reached_1m_on})"
                )
        if self.consecutive_audits_by_same_body and self.last_audit_on is None:
            raise ValueError(
                "last_audit_on: null, but consecutive_audits_by_same_body says audits were done"
            )
        return self._not_after_as_of()

    def _count_and_date(self) -> None:
        """The day the count reached the officer threshold exists exactly when it is reached."""
        audit = pack.get(self.PACK)
        on = max(self.as_of or dt.date.today(), audit.covers_from)
        threshold = int(audit.parameter("audit.officer.from", on).value)
        count = self.individuals_processed
        if count >= threshold and self.reached_1m_on is None:
            raise ValueError(
                f"reached_1m_on: required: PI of {count:,} persons is processed (the officer "
                f"threshold is {threshold:,})"
            )
        if count < threshold and self.reached_1m_on is not None:
            raise ValueError(
                f"reached_1m_on: given, but PI of only {count:,} persons is processed (fewer "
                f"than {threshold:,}); set it to null"
            )

    def _not_after_as_of(self) -> Facts:
        """An event dated after as_of has not happened on the decision date."""
        if self.as_of is None:
            return self
        for key, day in (
            ("reached_1m_on", self.reached_1m_on),
            ("officer_info_changed_on", self.officer_info_changed_on),
            ("rectification_completed_on", self.rectification_completed_on),
            ("last_audit_on", self.last_audit_on),
        ):
            if day is not None and day > self.as_of:
                raise ValueError(f"{key}: {day} is after as_of ({self.as_of})")
        return self


Ctx = Context[Facts]
