"""What comes with a face recognition decision (duties.yaml holds the words): the processing
duties of FRT25 Arts. 4-14 while face recognition is applied, the records kept after it stops,
and the Art. 15 filings with their dates."""

from __future__ import annotations

from chinacomply.model import Citation, Deadline
from chinacomply.rules.context import Finding
from chinacomply.rules.packs.frt import filing
from chinacomply.rules.packs.frt.facts import Ctx
from chinacomply.rules.packs.frt.registry import conditions as duty

FILING_15_1 = Citation("FRT25", "15 ¶1")
FILING_15_2 = Citation("FRT25", "15 ¶2")


def _carries(applies: bool, why: str, otherwise: str) -> Finding:
    return Finding(True, why) if applies else Finding(False, otherwise)


def _covered(ctx: Ctx) -> str | None:
    """Why no duty comes with this decision (outside the Measures, a banned device), or None."""
    if "filing" not in ctx.decided:
        return f"the outcome is {ctx.outcome}"
    return None


def _not_processing(ctx: Ctx) -> str | None:
    """Why the processing duties do not come with this decision, or None if they do."""
    stopped = ctx.facts.filing.terminated_on
    return _covered(ctx) or (f"face recognition stopped on {stopped}" if stopped else None)


def _processing(ctx: Ctx, applies: bool, why: str, otherwise: str) -> Finding:
    blocked = _not_processing(ctx)
    return Finding(False, blocked) if blocked else _carries(applies, why, otherwise)


@duty("frt25.4.principles")
def principles(ctx: Ctx) -> Finding:
    """Every covered application of face recognition, while it lasts."""
    return _processing(ctx, True, "face recognition is applied", "")


@duty("frt25.5.notice")
def notice(ctx: Ctx) -> Finding:
    """Notice precedes every processing of face information, whatever the legal basis."""
    return _processing(ctx, True, "face information is processed", "")


@duty("frt25.6.separate_consent")
def separate_consent(ctx: Ctx) -> Finding:
    """Separate consent where consent is the legal basis; other PIPL Art. 13 bases need none."""
    return _processing(
        ctx,
        ctx.facts.legal_basis == "consent",
        "consent is the legal basis",
        "the processing rests on a basis other than consent",
    )


@duty("frt25.7.guardian_consent")
def guardian_consent(ctx: Ctx) -> Finding:
    """A guardian consents for under-14s where consent is the basis (Art. 7 ¶1)."""
    facts = ctx.facts
    return _processing(
        ctx,
        facts.minors_under_14 and facts.legal_basis == "consent",
        "minors' face information is processed on their consent",
        "no minor under 14 is processed on consent",
    )


@duty("frt25.7.minors_rules")
def minors_rules(ctx: Ctx) -> Finding:
    """Dedicated rules whenever under-14s' face information is processed."""
    return _processing(
        ctx,
        ctx.facts.minors_under_14,
        "face information of minors under 14 is processed",
        "no face information of minors under 14",
    )


@duty("frt25.8.on_device")
def on_device(ctx: Ctx) -> Finding:
    """The storage rule and the shortest retention bind every application."""
    where = {"on_device": "kept in the device", "transmitted": "transmitted over the internet"}
    return _processing(ctx, True, f"the face information is {where[ctx.facts.storage]}", "")


@duty("frt25.8.transmission_consent")
def transmission_consent(ctx: Ctx) -> Finding:
    """Transmission off the device without separate consent needs it (or a legal provision,
    which is not a fact of the assessment)."""
    facts = ctx.facts
    if facts.storage == "on_device":
        return _processing(ctx, False, "", "the face information stays in the device")
    return _processing(
        ctx,
        not facts.separate_consent_for_transmission,
        "the face information is transmitted without separate consent",
        "the face information is transmitted with separate consent",
    )


def _pipia_due(ctx: Ctx) -> tuple[bool, str]:
    facts = ctx.facts
    if facts.pipia_done_on is None:
        return True, "no impact assessment has been done"
    return False, f"the last impact assessment was done on {facts.pipia_done_on}"


def _redo_due(ctx: Ctx) -> tuple[bool, str]:
    facts = ctx.facts
    reasons = [
        reason
        for reason, given in (
            ("the purpose or method changed", facts.purpose_or_method_changed_since_pipia),
            ("a major security incident occurred", facts.major_incident_since_pipia),
        )
        if given
    ]
    if facts.pipia_done_on is None or not reasons:
        return False, "nothing changed since the last impact assessment"
    return True, f"{' and '.join(reasons)} since the assessment of {facts.pipia_done_on}"


@duty("frt25.9.pipia")
def pipia(ctx: Ctx) -> Finding:
    """An impact assessment before processing, where none has been done."""
    due, why = _pipia_due(ctx)
    return _processing(ctx, due, why, why)


@duty("frt25.9.redo_pipia")
def redo_pipia(ctx: Ctx) -> Finding:
    """Art. 9 ¶3: a change of purpose or method, or a major security incident, since the last
    assessment means a new one."""
    due, why = _redo_due(ctx)
    return _processing(ctx, due, why, why)


@duty("frt25.9.pipia_organiser")
def pipia_organiser(ctx: Ctx) -> Finding:
    """QAPI2601 Q3 (from its publication, 2026-01-09): who organises an assessment that is
    due, first or again."""
    first, why_first = _pipia_due(ctx)
    again, why_again = _redo_due(ctx)
    return _processing(
        ctx, first or again, why_first if first else why_again, "no impact assessment is due"
    )


@duty("frt25.9.keep_records")
def keep_records(ctx: Ctx) -> Finding:
    """The report and records are kept for three years, after the processing stops too."""
    blocked = _covered(ctx)
    return Finding(False, blocked) if blocked else Finding(True, "face information is processed")


@duty("frt25.10.alternative")
def alternative(ctx: Ctx) -> Finding:
    """Face recognition may not be the only way in where another method does the same job."""
    return _processing(
        ctx,
        ctx.facts.alternative_method_exists,
        "a non-face-recognition method achieves the same purpose",
        "no other method achieves the same purpose",
    )


@duty("frt25.12.no_coercion")
def no_coercion(ctx: Ctx) -> Finding:
    """No one is pushed into face verification, whatever the application."""
    return _processing(ctx, True, "face recognition is applied", "")


@duty("frt25.13.1.public_place")
def public_place(ctx: Ctx) -> Finding:
    """Devices in a public place: public-security necessity, a reasonable area, signs."""
    return _processing(
        ctx,
        ctx.facts.location == "public_place",
        "the device is installed in a public place",
        "the device is not in a public place",
    )


@duty("frt25.14.security")
def security(ctx: Ctx) -> Finding:
    """Technical security measures for every application."""
    return _processing(ctx, True, "face information is processed", "")


@duty("frt25.15.1.file")
def file(ctx: Ctx) -> Finding:
    """The filing and its last day, where the filing stage found one due or overdue."""
    reached = ctx.facts.reached_100k_on
    if ctx.outcome not in ("filing_required", "filing_overdue") or reached is None:
        return Finding(False, f"the outcome is {ctx.outcome}")
    last, within = filing.filing_deadline(ctx, reached)
    deadline = Deadline(
        "file with the CAC at provincial level or above where the handler is located",
        within,
        FILING_15_1,
        by=last,
    )
    late = f"; overdue since {last}" if ctx.as_of > last else ""
    return Finding(True, f"the filing is due by {last}{late}", (deadline,))


@duty("frt25.15.2.file_change")
def file_change(ctx: Ctx) -> Finding:
    """The change filing, dated from the substantive change."""
    changed = ctx.facts.filing.info_changed_on
    if ctx.outcome != "change_filing" or changed is None:
        return Finding(False, f"the outcome is {ctx.outcome}")
    last, days = filing.working_days_from(ctx, changed, "frt.change.working_days")
    deadline = Deadline(
        "complete the change of the face recognition filing with the CAC",
        f"{days} working days of the change on {changed}",
        FILING_15_2,
        by=last,
    )
    return Finding(True, f"the filed information changed on {changed}", (deadline,))


@duty("frt25.15.2.cancel_filing")
def cancel_filing(ctx: Ctx) -> Finding:
    """The cancellation, dated from the day face recognition stopped."""
    stopped = ctx.facts.filing.terminated_on
    if ctx.outcome != "cancel_filing" or stopped is None:
        return Finding(False, f"the outcome is {ctx.outcome}")
    last, days = filing.working_days_from(ctx, stopped, "frt.cancel.working_days")
    deadline = Deadline(
        "cancel the face recognition filing with the CAC",
        f"{days} working days of stopping on {stopped}",
        FILING_15_2,
        by=last,
    )
    return Finding(True, f"face recognition stopped on {stopped}", (deadline,))
