"""Plain-text rendering of scan results for people at a terminal (JSON is for programs)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING

from chinacomply.model import Citation, Decision, TableReport
from chinacomply.rules import law

if TYPE_CHECKING:  # the rule packs load pydantic: only the commands that decide import them
    from chinacomply.aigc.check import FileCheck
    from chinacomply.rules.clock import Due
    from chinacomply.rules.pack import Pack, RuleMeta


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def display_width(text: str) -> int:
    """Terminal columns a string takes: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def table_report(report: TableReport) -> str:
    """A header line for the table and one aligned line per column."""
    key = report.subject_key or "-"
    people = "-" if report.individuals is None else f"{report.individuals:,}"
    minors = f", under 14: {report.minors:,}" if report.minors else ""
    lines = [
        f"{report.source}  ({report.rows:,} rows, subject key: {key}, individuals: {people}"
        f"{minors}, profile: {report.profile})"
    ]
    width = max([display_width(c.name) for c in report.columns] + [6])
    lines.append(
        f"  {_pad('column', width)}  {'type':<17} {'sens':<4} {'conf':>5} {'matched':>13}  evidence"
    )
    for col in report.columns:
        kind = col.type or "-"
        sens = "yes" if col.sensitive else ""
        ratio = f"{col.matched}/{col.checked}"
        lines.append(
            f"  {_pad(col.name, width)}  {kind:<17} {sens:<4} {col.confidence:>5.2f} {ratio:>13}  "
            f"{_fit(col.evidence, 110)}"
        )
    return "\n".join(lines)


def cited(citation: Citation) -> str:
    """ "P24 Art. 8"; a Q&A item reads "QA2510 Q5"."""
    if citation.article[:1].isalpha():
        return f"{citation.instrument} {citation.article}"
    return f"{citation.instrument} Art. {citation.article}"


def decision_text(decision: Decision) -> str:
    """A decision for a DPO: the pathway in one sentence, why, what to do by when, the duties
    that remain, and where the full trace is."""
    cite = decision.decided_by
    instrument = law.instruments()[cite.instrument]
    lines = [
        decision.summary,
        f"Decided by {cited(cite)} ({instrument.en}; {instrument.zh}), "
        f"law in force on {decision.as_of}.",
    ]
    if decision.alternatives:
        lines.append("")
        lines.append("Also possible:")
        for alt in decision.alternatives:
            lines.append(f"  - {alt.note} ({cited(alt.citation)})")
    if decision.deadlines:
        lines.append("")
        lines.append("What to do, by when:")
        for d in decision.deadlines:
            when = f"within {d.within}"
            if d.start is not None:
                when += f", from {d.start}"
            if d.by is not None:
                when += f", by {d.by}"
            if d.at is not None:
                when += f", at the latest {d.at.isoformat(timespec='minutes')}"
            lines.append(f"  - {d.what}: {when} ({cited(d.citation)})")
    if decision.obligations:
        lines.append("")
        lines.append("Duties that come with it:")
        for o in decision.obligations:
            lines.append(f"  - {o.text} ({cited(o.citation)})")
    first = f"{decision.decided_rule} decided first"
    overridden = [
        t.rule for t in decision.trace if t.outcome == "overridden" and t.why.endswith(first)
    ]
    policies = [
        f"{t.rule.removeprefix('policy:')}={t.why.split(':')[0]}"
        for t in decision.trace
        if t.outcome == "policy"
    ]
    considered = sum(
        1
        for t in decision.trace
        if t.outcome in ("decides", "applies", "overridden", "not_applicable")
    )
    lines.append("")
    lines.append(
        f"{considered} rules considered; decided by rule {decision.decided_rule}"
        + (f"; it overrides {', '.join(overridden)}" if overridden else "")
        + "."
    )
    if policies:
        lines.append(f"Policy settings used: {', '.join(policies)}.")
    lines.append(
        f"Ruleset {decision.ruleset_version} (sha256 {decision.ruleset_sha256[:12]}…). "
        "The full trace: --format json."
    )
    return "\n".join(lines)


def rules_table(pack: Pack, metas: list[RuleMeta]) -> str:
    """One pack's rules and duties, a line each: id, citation, dates, what it yields, title."""
    lines = [f"{pack.id}: {pack.title} (ruleset {pack.version})"]
    if not metas:
        return lines[0] + "\n  no rule in force on that date"
    width = max(len(m.id) for m in metas)
    lines.append(f"  {'rule':<{width}}  {'citation':<18} {'in force':<24} {'yields':<30} title")
    for m in metas:
        until = str(m.effective_to) if m.effective_to else "…"
        cite = f"{m.citation.instrument} {m.citation.article}"
        yields = "duty" if m.is_duty else (m.yields or "-")
        lines.append(
            f"  {m.id:<{width}}  {cite:<18} {str(m.effective_from) + ' to ' + until:<24} "
            f"{yields:<30} {_fit(m.title, 90)}"
        )
    return "\n".join(lines)


def _filled(pack: Pack, text: str) -> str:
    """A duty's words with its parameters as in force today."""

    def value(match: re.Match[str]) -> str:
        try:
            found = pack.parameter(match.group(1), dt.date.today()).value
        except (KeyError, law.LawDataError):
            return match.group(0)
        return (
            f"{found:,}" if isinstance(found, int) and not isinstance(found, bool) else str(found)
        )

    return re.sub(r"\{([a-z0-9_.]+)\}", value, text)


def rule_explanation(pack: Pack, meta: RuleMeta) -> str:
    """Everything the data and the code say about one rule: the instrument it cites and where
    to read it, its dates, its place among the other rules, what it checks and why."""
    instrument = law.instruments()[meta.citation.instrument]
    excepted_by = [m.id for m in pack.rules if meta.id in m.exception_to]
    kind = "duty" if meta.is_duty else f"stage {meta.stage}"
    lines = [
        f"{meta.id}: {_filled(pack, meta.title)}",
        f"  pack       {pack.id} ({pack.title}), {kind}",
        f"  cites      {cited(meta.citation)}: "
        f"{instrument.en} ({instrument.zh}), {instrument.issuer}",
        f"  source     {instrument.url or 'no official URL recorded'}",
        f"  in force   {meta.effective_from} to {meta.effective_to or 'now'}",
    ]
    if meta.is_duty:
        lines.append(f"  duty       {_filled(pack, meta.text or meta.title)}")
        lines.append(f"  comes with {', '.join(meta.outcomes) or 'any outcome'}")
    else:
        outcome = meta.yields
        said = f"{outcome} ({pack.outcome_text(outcome)})" if outcome else "nothing: a finding"
        lines.append(f"  yields     {said}")
    for explains in meta.explains:
        guide = law.instruments()[explains.instrument]
        lines.append(f"  read with  {cited(explains)}: {guide.en} ({guide.zh})")
    if meta.exception_to:
        lines.append(f"  excepts    {', '.join(meta.exception_to)} (tried before them)")
    if excepted_by:
        lines.append(f"  excepted by {', '.join(excepted_by)}")
    if meta.requires_any:
        lines.append(f"  only where {' or '.join(meta.requires_any)} applies")
    doc = pack.conditions[meta.id].__doc__
    if doc:
        lines.append("")
        lines.append("  How it is checked: " + " ".join(doc.split()))
    return "\n".join(lines)


def clock_text(decision: Decision, items: list[Due], now: dt.datetime) -> str:
    """What is due next and how long is left, soonest first, for the person on call."""
    from chinacomply.rules import clock

    lines = [decision.summary, f"As of {now.isoformat(timespec='minutes')}:"]
    dated = [item for item in items if item.at is not None and item.left is not None]
    for item in dated:
        d = item.deadline
        assert item.at is not None and item.left is not None
        mark = "OVERDUE " if item.overdue else ""
        when = f"{d.by} 24:00" if d.at is None else item.at.isoformat(timespec="minutes")
        lines.append(
            f"  {mark}{when}  {clock.left_text(item.left)}: {d.what} ({cited(d.citation)})"
        )
    if not dated:
        lines.append("  nothing dated is due")
    undated = [item.deadline for item in items if item.at is None]
    if undated:
        lines.append("Not dated yet (the facts do not give the day the period starts):")
        lines += [f"  - {d.what}: within {d.within} ({cited(d.citation)})" for d in undated]
    return "\n".join(lines)


def aigc_check(report: FileCheck) -> str:
    """One file: a summary line of its label states, then its findings and platform action."""
    implicit = report.implicit
    if implicit.label is not None and implicit.state == "present":
        value = implicit.label.label
        state = f"implicit: Label {value} ({implicit.carrier})"
    else:
        state = f"implicit: {implicit.state}"
    c2pa = (report.c2pa or {}).get("state", "-")
    lines = [
        f"{report.path}  [{report.format or 'unknown'}]  {state}; explicit: {report.explicit}; "
        f"C2PA: {c2pa}"
    ]
    if implicit.label is not None:
        fields = implicit.label.to_dict()
        lines.append(
            "  producer {ContentProducer} / {ProduceID}; propagator {ContentPropagator} / "
            "{PropagateID}".format(**fields)
        )
    if report.explicit_detail:
        lines.append(f"  explicit: {report.explicit_detail}")
    if report.traces:
        lines.append(f"  traces: {'; '.join(report.traces)}")
    for finding in report.findings:
        where = f" ({cited(finding.citation)})" if finding.citation else ""
        lines.append(f"  {finding.severity.upper():<7} {finding.message}{where}")
    if report.platform is not None:
        action = report.platform
        what = action.notice or "no notice; offer a way to declare AI content and prompt the user"
        lines.append(f"  PLATFORM ({action.case}): {what} ({cited(action.citation)})")
        if action.label is not None:
            lines.append(
                f"    then add propagation elements (Label {action.label}): "
                "chinacomply aigc label FILE --propagator CODE --propagate-id ID"
            )
    return "\n".join(lines)
