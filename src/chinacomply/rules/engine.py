"""Evaluate a rule pack for a set of facts on a date.

A pack decides in stages (pack.yaml). In each stage the rules run in the order listed:
exceptions come before the rules they except, and the first rule in force that applies and
yields an outcome decides the stage. Every rule in force is still evaluated, so the trace shows
for each whether it applied and why; a rule that applies after the decision is shown as
overridden. A later stage refines an earlier one (its outcome becomes the decision's); a stage
marked `final` ends the assessment when it decides; a `required` stage must decide. Then every
duty in force is evaluated against the outcome, each adding its text (and any deadline) when it
applies. The same facts and date always give the same decision.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from typing import Any

from chinacomply.model import Citation, Deadline, Decision, Obligation, StageOutcome, TraceEntry
from chinacomply.rules import law
from chinacomply.rules import pack as packs
from chinacomply.rules.context import Context, Finding
from chinacomply.rules.facts import FactsError, PackFacts

_PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


class PolicyError(FactsError):
    """A policy setting the pack does not have, or an option its policy does not offer."""


def policy_settings(pairs: Iterable[str]) -> dict[str, str]:
    """`name=option` pairs (CLI --policy, API ?policy=) as a mapping; checked by evaluate."""
    chosen = {}
    for pair in pairs:
        name, sep, option = pair.partition("=")
        if not sep or not name or not option:
            raise PolicyError(f"policy: {pair!r} is not name=option")
        chosen[name] = option
    return chosen


class NoRuleDecidedError(RuntimeError):
    """No rule decided a required stage: a gap in the rule set (the property tests exist to
    make this impossible)."""


def _finding(pack: packs.Pack, meta: packs.RuleMeta, ctx: Context[Any]) -> Finding:
    finding = pack.conditions[meta.id](ctx)
    if finding.applies and meta.requires_any:
        needed = [pack.rule(r) for r in meta.requires_any]
        if not any(r.in_force(ctx.as_of) and pack.conditions[r.id](ctx).applies for r in needed):
            return Finding(False, "the case does not need what this rule replaces")
    return finding


@functools.cache
def _not_in_force(meta: packs.RuleMeta) -> TraceEntry:
    until = f" to {meta.effective_to}" if meta.effective_to else ""
    return TraceEntry(
        meta.id, meta.citation, "not_in_force", f"in force from {meta.effective_from}{until}"
    )


def _given(facts: PackFacts, dotted: str) -> bool:
    value: Any = facts
    for part in dotted.split("."):
        value = getattr(value, part)
    return value is not None and value is not False


def _run_stage(
    pack: packs.Pack, stage: str, ctx: Context[Any], trace: list[TraceEntry]
) -> tuple[packs.RuleMeta, Finding] | None:
    decided: tuple[packs.RuleMeta, Finding] | None = None
    for meta in pack.by_stage[stage]:
        if not meta.in_force(ctx.as_of):
            trace.append(_not_in_force(meta))
            continue
        finding = _finding(pack, meta, ctx)
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


def _skip_stage(pack: packs.Pack, stage: str, why: str, trace: list[TraceEntry]) -> None:
    trace.extend(TraceEntry(m.id, m.citation, "not_reached", why) for m in pack.by_stage[stage])


def _duties(
    pack: packs.Pack, ctx: Context[Any], trace: list[TraceEntry]
) -> tuple[list[Obligation], list[Deadline]]:
    obligations: list[Obligation] = []
    deadlines: list[Deadline] = []
    for meta in pack.duties:
        if not meta.in_force(ctx.as_of) or (meta.outcomes and ctx.outcome not in meta.outcomes):
            continue  # out of force, or not one this outcome carries: not news in the trace
        finding = pack.conditions[meta.id](ctx)
        if not finding.applies:
            trace.append(TraceEntry(meta.id, meta.citation, "not_applicable", finding.why))
            continue
        text = meta.text or meta.title
        if "{" in text:
            text = _PLACEHOLDER.sub(lambda m: _worded(ctx.param(m.group(1))), text)
        obligations.append(Obligation(meta.id, meta.citation, text))
        deadlines.extend(finding.deadlines)
        trace.append(TraceEntry(meta.id, meta.citation, "duty", finding.why))
    return obligations, deadlines


def _worded(value: Any) -> str:
    """A parameter inside a duty's words: 100,000 with its separator, dates as dates."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _shown(value: Any) -> str:
    """A parameter value as the data states it (a date as 2025-07-14, text quoted)."""
    return value.isoformat() if isinstance(value, dt.date) else repr(value)


def _notes(pack: packs.Pack, ctx: Context[Any]) -> list[TraceEntry]:
    """The parameters and policy settings the decision used, as trace entries."""
    notes = []
    for value in sorted(ctx.used_parameters, key=lambda v: (v.name, v.effective_from)):
        note = f" ({value.note})" if value.note else ""
        mark = f" [{law.MARKS[value.mark]}]" if value.mark and value.mark != "T" else ""
        notes.append(
            TraceEntry(
                f"parameter:{value.name}",
                value.citation,
                "parameter",
                f"{_shown(value.value)} in force from {value.effective_from}{note}{mark}",
            )
        )
    for name, setting in sorted(ctx.used_policies.items()):
        policy = pack.policies[name]
        notes.append(
            TraceEntry(
                f"policy:{name}",
                Citation("chinacomply", "policy"),
                "policy",
                f"{setting}: {policy.options[setting]}",
            )
        )
    return notes


def decision_date(pack: packs.Pack, facts: PackFacts, as_of: dt.date | None) -> dt.date:
    """--as-of wins over the facts' as_of; today if neither is given."""
    on = as_of or facts.as_of or dt.date.today()
    if on < pack.covers_from:
        raise FactsError(
            f"as_of: {on} is before {pack.covers_from}, the earliest date whose "
            f"{pack.id} law is encoded"
        )
    return on


def check_policies(pack: packs.Pack, chosen: dict[str, str]) -> None:
    """Refuse a policy the pack does not have or an option the policy does not offer."""
    for name, option in chosen.items():
        policy = pack.policies.get(name)
        if policy is None:
            known = ", ".join(sorted(pack.policies)) or "none"
            raise PolicyError(f"policy: the {pack.id} pack has no policy {name!r} (known: {known})")
        if option not in policy.options:
            raise PolicyError(f"policy {name}: choose one of {', '.join(policy.options)}")


def evaluate(
    facts: PackFacts, as_of: dt.date | None = None, policies: dict[str, str] | None = None
) -> Decision:
    """The outcome for the facts on a date, explained rule by rule, with its duties."""
    pack = packs.get(type(facts).PACK)
    chosen = dict(policies or {})
    check_policies(pack, chosen)
    ctx: Context[Any] = Context(pack, facts, decision_date(pack, facts, as_of), overrides=chosen)
    trace: list[TraceEntry] = []
    stages: list[StageOutcome] = []
    decided: tuple[packs.RuleMeta, Finding] | None = None
    ended_by: str | None = None
    for stage in pack.stages:
        if ended_by is not None:
            _skip_stage(pack, stage.id, ended_by, trace)
            continue
        if stage.when is not None and not _given(facts, stage.when):
            _skip_stage(pack, stage.id, f"{stage.when} is not given", trace)
            continue
        found = _run_stage(pack, stage.id, ctx, trace)
        if found is None:
            if stage.required:
                raise NoRuleDecidedError(
                    f"{pack.id}: no rule decided stage {stage.id} for "
                    f"{facts.model_dump()} on {ctx.as_of}"
                )
            continue
        decided = found
        outcome = str(found[0].yields)
        ctx.decide(stage.id, outcome)
        stages.append(StageOutcome(stage.id, outcome, found[0].id))
        if stage.final:
            ended_by = f"{pack.outcome_text(outcome).lower()} ({found[0].id})"
    if decided is None:
        raise NoRuleDecidedError(f"{pack.id}: no stage decided on {ctx.as_of}")
    meta, finding = decided
    outcome = str(meta.yields)
    obligations, deadlines = _duties(pack, ctx, trace)
    return Decision(
        pack=pack.id,
        outcome=outcome,
        decided_by=meta.citation,
        decided_rule=meta.id,
        summary=f"{pack.outcome_text(outcome)}: {finding.why}.",
        as_of=ctx.as_of,
        ruleset_version=pack.version,
        ruleset_sha256=pack.sha256,
        outcome_key=pack.outcome_key,
        stages=tuple(stages),
        alternatives=pack.alternatives(ctx, outcome),
        obligations=tuple(obligations),
        deadlines=tuple(deadlines),
        trace=tuple(trace + _notes(pack, ctx)),
    )
