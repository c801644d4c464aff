"""Evaluate the export rules for a set of facts on a date.

Stages run in order: scope (is it an export at all), base (which pathway the transfer needs:
exceptions are listed before the rules they except, and the first rule in force that applies
decides), then, when an approval or filing already covers the flow, the lifecycle rules (no new
filing, re-file, extend, declare again). Every rule in force is still evaluated so the trace
shows, for each, whether it applied and why; a rule that applies after the decision is shown as
overridden. The same facts and date always give the same decision.
"""

from __future__ import annotations

import datetime as dt

from chinacomply.model import Citation, Decision, TraceEntry
from chinacomply.rules import law, obligations
from chinacomply.rules.context import Context, Finding
from chinacomply.rules.export import conditions
from chinacomply.rules.facts import EARLIEST, Facts, FactsError

PATHWAY_TEXT = {
    "not_an_export": "Not an export",
    "exempt": "Exempt from the security assessment, the standard contract and certification",
    "standard_contract_or_certification": "Standard contract (or certification) required",
    "gba_standard_contract": "GBA standard contract",
    "security_assessment": "Security assessment required",
    "core_data_restricted": "Core data: the national core-data regime applies, not the mechanisms",
    "no_new_filing": "No new filing needed",
    "refile_standard_contract": "Re-sign and re-file the standard contract",
    "extend_assessment": "Apply to extend the security assessment result",
    "redeclare_assessment": "Declare the security assessment again",
}


class NoRuleDecidedError(RuntimeError):
    """No rule decided: a gap in the rule set (the property tests exist to make this impossible)."""


def _finding(meta: law.RuleMeta, ctx: Context) -> Finding:
    finding = conditions()[meta.id](ctx)
    if finding.applies and meta.requires_any:
        needed = [law.rule(r) for r in meta.requires_any]
        if not any(r.in_force(ctx.as_of) and conditions()[r.id](ctx).applies for r in needed):
            return Finding(False, "the transfer does not need the mechanism this rule replaces")
    return finding


def _run_stage(
    stage: str, ctx: Context, trace: list[TraceEntry]
) -> tuple[law.RuleMeta, Finding] | None:
    decided: tuple[law.RuleMeta, Finding] | None = None
    for meta in law.rules():
        if meta.stage != stage:
            continue
        if not meta.in_force(ctx.as_of):
            until = f" to {meta.effective_to}" if meta.effective_to else ""
            trace.append(
                TraceEntry(
                    meta.id,
                    meta.citation,
                    "not_in_force",
                    f"in force from {meta.effective_from}{until}",
                )
            )
            continue
        finding = _finding(meta, ctx)
        if not finding.applies:
            outcome = "not_applicable"
        elif decided is None and meta.yields is not None:
            outcome, decided = "decides", (meta, finding)
        elif decided is not None:
            outcome = "overridden"
            finding = Finding(True, f"{finding.why}; {decided[0].id} decided first")
        else:
            outcome = "applies"
        trace.append(TraceEntry(meta.id, meta.citation, outcome, finding.why))
    return decided


def _skip_stage(stage: str, why: str, trace: list[TraceEntry]) -> None:
    for meta in law.rules():
        if meta.stage == stage:
            trace.append(TraceEntry(meta.id, meta.citation, "not_reached", why))


def _notes(ctx: Context) -> list[TraceEntry]:
    """The parameters and policy settings the decision used, as trace entries."""
    notes = []
    for value in sorted(ctx.used_parameters.values(), key=lambda v: (v.name, v.effective_from)):
        note = f" ({value.note})" if value.note else ""
        notes.append(
            TraceEntry(
                f"parameter:{value.name}",
                value.citation,
                "parameter",
                f"{value.value!r} in force from {value.effective_from}{note}",
            )
        )
    for name, setting in sorted(ctx.used_policies.items()):
        policy = law.policies()[name]
        notes.append(
            TraceEntry(
                f"policy:{name}",
                Citation("chinacomply", "policy"),
                "policy",
                f"{setting}: {policy.options[setting]}",
            )
        )
    return notes


def decision_date(facts: Facts, as_of: dt.date | None) -> dt.date:
    """--as-of wins over the facts' as_of; today if neither is given."""
    on = as_of or facts.as_of or dt.date.today()
    if on < EARLIEST:
        raise FactsError(
            f"as_of: {on} is before {EARLIEST}, the earliest date whose law is encoded"
        )
    return on


def evaluate(
    facts: Facts, as_of: dt.date | None = None, policies: dict[str, str] | None = None
) -> Decision:
    """The pathway for a transfer on a date, explained rule by rule."""
    ctx = Context(facts, decision_date(facts, as_of), overrides=dict(policies or {}))
    trace: list[TraceEntry] = []
    decided = _run_stage("scope", ctx, trace)
    if decided is not None:
        _skip_stage("base", "not an export", trace)
        _skip_stage("lifecycle", "not an export", trace)
    else:
        decided = _run_stage("base", ctx, trace)
        if decided is None:
            raise NoRuleDecidedError(f"no rule decided for {facts.model_dump()} on {ctx.as_of}")
        ctx.base_pathway = decided[0].yields
        if facts.existing.mechanism is None:
            _skip_stage("lifecycle", "no approval or filing covers the flow yet", trace)
        else:
            later = _run_stage("lifecycle", ctx, trace)
            decided = later or decided
    meta, finding = decided
    pathway = meta.yields or "not_an_export"
    version, digest = law.ruleset()
    return Decision(
        pathway=pathway,
        decided_by=meta.citation,
        decided_rule=meta.id,
        summary=f"{PATHWAY_TEXT[pathway]}: {finding.why}.",
        as_of=ctx.as_of,
        ruleset_version=version,
        ruleset_sha256=digest,
        alternatives=obligations.alternatives(ctx, pathway),
        obligations=obligations.obligations(ctx, pathway),
        deadlines=obligations.deadlines(ctx, pathway),
        trace=tuple(trace + _notes(ctx)),
    )
