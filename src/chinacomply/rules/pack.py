"""A rule pack: one domain of the law as a folder the engine loads without knowing it.

A pack folder holds
  pack.yaml        id, title, version, the earliest date encoded, the stages in which it
                   decides and the outcomes each stage may give (the outcome vocabulary); a
                   stage may run only `when:` a fact is given (not null, not false);
  rules.yaml       the deciding rules, one per article or clause, in evaluation order;
  duties.yaml      the duties that come with a decision, each with its article and its text
                   (and `outcomes:`, the outcomes it can come with, when not all);
  parameters.yaml  dated thresholds and periods, each value with its citation;
  policies.yaml    the open questions the pack answers by a named setting (optional);
                   pack.yaml may also name `inventory:` facts (dotted keys) that
                   `assess --from-inventory` fills from the datasets holding the listed PI
                   types (or `any` PI);
  __init__.py      the Python side: `Facts` (a `facts.PackFacts` model: the facts schema) and
                   `conditions` (a `Registry` holding one condition per rule and duty id);
                   optionally `alternatives(ctx, outcome)`.
Built-in packs live in `rules/packs/`; more are found in the folders named by the environment
variable CHINACOMPLY_PACKS (separated like PATH). Loading checks the pack against itself: every
citation in the registry, every outcome in its stage's vocabulary, exceptions listed before the
rules they except, exactly one condition per rule and duty.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from chinacomply import datafiles
from chinacomply.model import Alternative, Citation
from chinacomply.rules import law
from chinacomply.rules.facts import FactsError, PackFacts, pack_of, read, validate

if TYPE_CHECKING:
    from chinacomply.rules.context import Context, Finding

    Condition = Callable[[Context[Any]], Finding]

PACKS_ENV = "CHINACOMPLY_PACKS"
DATA_FILES = ("pack.yaml", "rules.yaml", "duties.yaml", "parameters.yaml", "policies.yaml")


class Registry:
    """The conditions of one pack, by rule or duty id."""

    def __init__(self) -> None:
        self._conditions: dict[str, Condition] = {}

    def __call__(self, rule_id: str) -> Callable[[Condition], Condition]:
        """Register the function below as the condition of `rule_id`."""

        def register(func: Condition) -> Condition:
            if rule_id in self._conditions:
                raise ValueError(f"two conditions for rule {rule_id}")
            self._conditions[rule_id] = func
            return func

        return register

    def __getitem__(self, rule_id: str) -> Condition:
        return self._conditions[rule_id]

    def ids(self) -> set[str]:
        return set(self._conditions)


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    outcomes: dict[str, str]  # outcome id -> the sentence a DPO reads
    required: bool  # once reached, some rule must decide
    final: bool  # a decision here ends the assessment: later stages are not reached
    title: str
    when: str | None = None  # a fact (dotted) that must be set for the stage to run at all


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """A deciding rule (`yields` an outcome) or a duty (`text` to do), as the data states it."""

    id: str
    pack: str
    stage: str  # a stage of pack.yaml, or "duties"
    citation: Citation
    title: str
    yields: str | None
    effective_from: dt.date
    effective_to: dt.date | None
    exception_to: tuple[str, ...] = ()
    requires_any: tuple[str, ...] = ()
    explains: tuple[Citation, ...] = ()  # guidance that explains how the article is read
    text: str | None = None  # a duty's text; may name parameters in braces
    outcomes: tuple[str, ...] = ()  # a duty only: the outcomes it can come with (empty: any)

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    @property
    def is_duty(self) -> bool:
        return self.stage == "duties"


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    version: str
    covers_from: dt.date
    outcome_key: str
    stages: tuple[Stage, ...]
    rules: tuple[RuleMeta, ...]
    duties: tuple[RuleMeta, ...]
    parameters: dict[str, tuple[law.ParameterValue, ...]]
    policies: dict[str, law.Policy]
    module: ModuleType
    sha256: str
    location: str
    inventory: dict[str, tuple[str, ...]]  # fact (dotted) -> PI types, () for any PI
    by_stage: dict[str, tuple[RuleMeta, ...]] = field(default_factory=dict)
    index: dict[str, RuleMeta] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for stage in self.stages:
            self.by_stage[stage.id] = tuple(r for r in self.rules if r.stage == stage.id)
        self.index.update({meta.id: meta for meta in (*self.rules, *self.duties)})

    @property
    def facts_model(self) -> type[PackFacts]:
        model: type[PackFacts] = self.module.Facts
        return model

    @property
    def conditions(self) -> Registry:
        registry: Registry = self.module.conditions
        return registry

    def parse(self, raw: Any, source: str = "facts") -> PackFacts:
        """This pack's facts from a parsed mapping; FactsError names the source and key."""
        facts = validate(self.facts_model, raw, source)
        on = facts.as_of
        if on is not None and on < self.covers_from:
            raise FactsError(
                f"{source}: as_of: {on} is before {self.covers_from}, the earliest date whose "
                f"{self.id} law is encoded"
            )
        return facts

    def rule(self, rule_id: str) -> RuleMeta:
        return self.index[rule_id]

    def parameter(self, name: str, on: dt.date) -> law.ParameterValue:
        values = self.parameters.get(name)
        if values is None:
            return law.parameter(name, on)
        return law.value_on(values, on, f"{self.id}/parameters.yaml")

    def outcomes(self) -> dict[str, str]:
        """Every outcome the pack can give, in stage order, with its sentence."""
        return {k: v for stage in self.stages for k, v in stage.outcomes.items()}

    def outcome_text(self, outcome: str) -> str:
        return self.outcomes()[outcome]

    def alternatives(self, ctx: Context[Any], outcome: str) -> tuple[Alternative, ...]:
        hook = getattr(self.module, "alternatives", None)
        return tuple(hook(ctx, outcome)) if hook else ()


# --- reading a pack folder ---------------------------------------------------------------


def _error(where: str, problem: str) -> law.LawDataError:
    return law.LawDataError(f"{where}: {problem}")


def _text(folder: Traversable, name: str) -> str | None:
    entry = folder.joinpath(name)
    return entry.read_text("utf-8") if entry.is_file() else None


def _stages(raw: dict[str, Any], where: str) -> tuple[Stage, ...]:
    stages = []
    for entry in raw.get("stages") or ():
        if not entry.get("outcomes"):
            raise _error(where, f"stage {entry.get('id')!r} lists no outcomes")
        stages.append(
            Stage(
                entry["id"],
                {str(k): " ".join(str(v).split()) for k, v in entry["outcomes"].items()},
                bool(entry.get("required", False)),
                bool(entry.get("final", False)),
                " ".join(str(entry.get("title", entry["id"])).split()),
                entry.get("when"),
            )
        )
    if not stages:
        raise _error(where, "no stages")
    if "duties" in {s.id for s in stages}:
        raise _error(where, "'duties' is not a stage name (duties.yaml holds them)")
    return tuple(stages)


def _inventory(raw: dict[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for fact, types in raw.items():
        if types == "any":
            out[str(fact)] = ()
        elif isinstance(types, list) and types and all(isinstance(t, str) for t in types):
            out[str(fact)] = tuple(types)
        else:
            raise _error(where, f"inventory.{fact}: a list of PI types, or any")
    return out


def _rule(pack_id: str, raw: dict[str, Any], where: str, stage: str | None) -> RuleMeta:
    at = f"{where}: {raw.get('id', '?')}"
    if "effective_from" not in raw or not isinstance(raw["effective_from"], dt.date):
        raise _error(at, "needs effective_from (a date)")
    explains = tuple(law.citation(f"{at}.explains", e) for e in raw.get("explains", ()))
    text = raw.get("text")
    return RuleMeta(
        id=raw["id"],
        pack=pack_id,
        stage=stage or raw["stage"],
        citation=law.citation(at, raw),
        title=" ".join(str(raw.get("title") or text or "").split()),
        yields=raw.get("yields"),
        effective_from=raw["effective_from"],
        effective_to=raw.get("effective_to"),
        exception_to=tuple(raw.get("exception_to", ())),
        requires_any=tuple(raw.get("requires_any", ())),
        explains=explains,
        text=" ".join(text.split()) if text else None,
        outcomes=tuple(raw.get("outcomes", ())),
    )


def _check_rules(rules: tuple[RuleMeta, ...], stages: tuple[Stage, ...], where: str) -> None:
    by_stage = {s.id: s for s in stages}
    position = {rule.id: i for i, rule in enumerate(rules)}
    if len(position) != len(rules):
        raise _error(where, "duplicate rule id")
    for i, rule in enumerate(rules):
        stage = by_stage.get(rule.stage)
        if stage is None:
            raise _error(where, f"{rule.id}: unknown stage {rule.stage!r}")
        if rule.yields is not None and rule.yields not in stage.outcomes:
            raise _error(
                where, f"{rule.id}: yields {rule.yields!r}, not an outcome of stage {stage.id}"
            )
        for required in rule.requires_any:
            if required not in position:
                raise _error(where, f"{rule.id}.requires_any names unknown {required}")
        for general in rule.exception_to:
            if general not in position:
                raise _error(where, f"{rule.id}.exception_to names unknown {general}")
            if position[general] < i:
                raise _error(where, f"{rule.id} must be listed before {general}, its general rule")


def _digest(folder: Traversable, texts: dict[str, str]) -> str:
    """sha256 over the core data, the pack's data and its code: a decision names exactly the
    law (and the reading of it) that it applied."""
    digest = hashlib.sha256()
    for name in law.CORE_FILES:
        digest.update(name.encode() + b"\0" + law.read_core(name).encode("utf-8") + b"\0")
    for name in sorted(texts):
        digest.update(name.encode() + b"\0" + texts[name].encode("utf-8") + b"\0")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()


def load(folder: Traversable, module: ModuleType) -> Pack:
    """A pack from its folder and its imported Python module, checked."""
    texts = {name: t for name in DATA_FILES if (t := _text(folder, name)) is not None}
    for required in ("pack.yaml", "rules.yaml"):
        if required not in texts:
            raise law.LawDataError(f"{folder}: a rule pack needs {required}")
    head = datafiles.load_yaml(texts["pack.yaml"])
    pack_id = str(head["id"])
    where = f"{pack_id}/pack.yaml"
    stages = _stages(head, where)
    rules = tuple(
        _rule(pack_id, raw, f"{pack_id}/rules.yaml", None)
        for raw in law.mapping(texts["rules.yaml"], f"{pack_id}/rules.yaml", "rules")["rules"]
    )
    _check_rules(rules, stages, f"{pack_id}/rules.yaml")
    duties_text = texts.get("duties.yaml")
    duties = tuple(
        _rule(pack_id, raw, f"{pack_id}/duties.yaml", "duties")
        for raw in (
            law.mapping(duties_text, f"{pack_id}/duties.yaml", "duties")["duties"]
            if duties_text
            else ()
        )
    )
    vocabulary = {o for stage in stages for o in stage.outcomes}
    for duty in duties:
        unknown = set(duty.outcomes) - vocabulary
        if unknown:
            raise _error(f"{pack_id}/duties.yaml", f"{duty.id}: unknown outcomes {sorted(unknown)}")
    ids = [r.id for r in (*rules, *duties)]
    if len(set(ids)) != len(ids):
        raise law.LawDataError(f"{pack_id}: a rule and a duty share an id")
    params = texts.get("parameters.yaml")
    policies = texts.get("policies.yaml")
    pack = Pack(
        id=pack_id,
        title=" ".join(str(head["title"]).split()),
        version=str(head["version"]),
        covers_from=head["covers_from"],
        outcome_key=str(head.get("outcome_key", "outcome")),
        stages=stages,
        rules=rules,
        duties=duties,
        parameters=law.parse_parameters(params, f"{pack_id}/parameters.yaml") if params else {},
        policies=law.parse_policies(policies, f"{pack_id}/policies.yaml") if policies else {},
        module=module,
        sha256=_digest(folder, texts),
        location=str(folder),
        inventory=_inventory(head.get("inventory") or {}, where),
    )
    _check_module(pack)
    return pack


def _check_module(pack: Pack) -> None:
    facts = getattr(pack.module, "Facts", None)
    if not (isinstance(facts, type) and issubclass(facts, PackFacts)):
        raise law.LawDataError(f"{pack.id}: its module defines no Facts model (a PackFacts)")
    if not isinstance(getattr(pack.module, "conditions", None), Registry):
        raise law.LawDataError(f"{pack.id}: its module defines no `conditions` Registry")
    data_ids = {meta.id for meta in (*pack.rules, *pack.duties)}
    code_ids = pack.conditions.ids()
    if data_ids != code_ids:
        raise law.LawDataError(
            f"{pack.id}: rules and code disagree: no condition for "
            f"{sorted(data_ids - code_ids)}, no rule for {sorted(code_ids - data_ids)}"
        )


def load_folder(path: Path) -> Pack:
    """A pack from a folder outside the package (CHINACOMPLY_PACKS, or a test's own)."""
    init = path / "__init__.py"
    if not init.is_file():
        raise law.LawDataError(f"{path}: a rule pack needs __init__.py (Facts and conditions)")
    name = f"chinacomply_pack_{path.name}"
    spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[str(path)]
    )
    if spec is None or spec.loader is None:
        raise law.LawDataError(f"{path}: cannot import its __init__.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return load(path, module)


def _builtin() -> Iterator[tuple[Traversable, str]]:
    root = resources.files("chinacomply.rules.packs")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir() and entry.joinpath("pack.yaml").is_file():
            yield entry, f"chinacomply.rules.packs.{entry.name}"


def _external() -> Iterator[Path]:
    for part in os.environ.get(PACKS_ENV, "").split(os.pathsep):
        if not part:
            continue
        root = Path(part)
        if (root / "pack.yaml").is_file():
            yield root
        elif root.is_dir():
            yield from sorted(p for p in root.iterdir() if (p / "pack.yaml").is_file())


@cache
def packs() -> dict[str, Pack]:
    """Every pack: the built-in ones, then those of CHINACOMPLY_PACKS; ids must be unique."""
    found: dict[str, Pack] = {}
    loaded = [load(folder, importlib.import_module(name)) for folder, name in _builtin()]
    loaded += [load_folder(path) for path in _external()]
    for pack in loaded:
        if pack.id in found:
            raise law.LawDataError(f"two rule packs are named {pack.id!r}: {pack.location}")
        found[pack.id] = pack
    names = [name for pack in loaded for name in pack.policies]
    if len(set(names)) != len(names):
        raise law.LawDataError("two rule packs name the same policy")
    return found


def get(pack_id: str, source: str = "facts") -> Pack:
    """A pack by id; a FactsError naming the known packs if there is none."""
    known = packs()
    if pack_id not in known:
        raise FactsError(
            f"{source}: pack: unknown rule pack {pack_id!r} (known: {', '.join(sorted(known))})"
        )
    return known[pack_id]


def find_rule(rule_id: str) -> RuleMeta:
    """A rule or duty of any pack, by id."""
    for pack in packs().values():
        try:
            return pack.rule(rule_id)
        except KeyError:
            continue
    raise KeyError(rule_id)


def policy(name: str) -> tuple[Pack, law.Policy]:
    """A policy of any pack, by name."""
    for pack in packs().values():
        if name in pack.policies:
            return pack, pack.policies[name]
    raise KeyError(name)


def parse_facts(raw: Any, source: str = "facts") -> PackFacts:
    """Facts for whichever pack the mapping names (`pack:`, the export pack when absent)."""
    return get(pack_of(raw, source), source).parse(raw, source)


def load_facts(path: Path) -> PackFacts:
    """Facts from a YAML or JSON file, for the pack it names."""
    return parse_facts(read(path), str(path))
