"""Dashboard routes: server-rendered pages over the same services the REST API calls; no business
logic here, only reading forms, calling a service and choosing a template.

Every page is a plain HTML form flow (POST, then the page again with the result), so it works
without JavaScript; htmx only makes the forms swap their result panel in place (`hx-select`
picks the panel out of the same full page the plain form gets, so there is one code path).
Sign-in keeps the API token in an HttpOnly, SameSite=Strict cookie (the API's auth accepts the
same cookie); SameSite=Strict is what keeps another site from posting the forms for a signed-in
user."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from chinacomply.api import auth
from chinacomply.inventory.store import Store
from chinacomply.rules import calendar, engine, law
from chinacomply.rules import pack as packs
from chinacomply.rules.facts import FactsError
from chinacomply.rules.packs.export import facts as export_facts
from chinacomply.services import aigc, export, tokens, views
from chinacomply.web import forms, i18n

HERE = Path(__file__).resolve().parent
STATIC: str = str(HERE / "static")
MAX_ID = 2**63 - 1  # the largest id a database integer column holds
LIST_LIMIT = 200

router = APIRouter(include_in_schema=False)

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(HERE / "templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,  # a misspelt variable fails loudly, not as a blank
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["num"] = lambda n: "" if n is None else f"{int(n):,}"


# --- sessions, language, rendering ------------------------------------------------------------


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _signed_in(request: Request) -> tokens.Token | None:
    """The token of this browser's session (or a Bearer header), if it is a valid one."""
    secret = auth.presented(request)
    return tokens.verify(_store(request), secret) if secret else None


def _who(token: tokens.Token) -> str:
    """The caller as the audit log names it (as the API does): the token's name, not its secret."""
    return f"token:{token.name}"


def _to_login(request: Request) -> Response:
    """Back to the sign-in form; an htmx request is told to navigate rather than swap it in."""
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": "/login"})
    target = request.url.path
    query = f"?{urlencode({'next': target})}" if target not in ("/", "/logout") else ""
    return RedirectResponse(f"/login{query}", status_code=303)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme): an open redirect is a phishing aid."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _language(request: Request) -> str:
    return i18n.choose(
        request.query_params.get("lang"),
        request.cookies.get(i18n.COOKIE),
        request.headers.get("accept-language"),
    )


def _lang_links(request: Request) -> dict[str, str]:
    """The current page in each language (a GET of the same path with ?lang=)."""
    params = {k: v for k, v in request.query_params.multi_items() if k != "lang"}
    return {
        code: f"{request.url.path}?{urlencode([*params.items(), ('lang', code)])}"
        for code in i18n.LANGUAGES
    }


def _instrument(lang: str, instrument_id: str) -> str:
    """The legal name of an instrument in the page's language (rules/law.py data)."""
    found = law.instruments().get(instrument_id)
    if found is None:
        return instrument_id
    return found.zh if lang == "zh" else found.en


def _outcome_name(t: i18n.Translator, pack_id: str | None, outcome: str) -> str:
    """An outcome's sentence: the export pathways have Chinese names too; other packs speak
    their own words."""
    if pack_id in (None, "export"):
        return t.pathway(outcome, packs.get("export").outcomes())
    found = packs.packs().get(pack_id)
    return found.outcomes().get(outcome, outcome) if found else outcome


def _render(
    request: Request,
    template: str,
    token: tokens.Token | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = _language(request)
    t = i18n.Translator(lang)
    html = _env.get_template(template).render(
        request=request,
        t=t,
        lang=lang,
        lang_links=_lang_links(request),
        token=token,
        path=request.url.path,
        instrument=lambda ident: _instrument(lang, ident),
        pathway_name=lambda p: t.pathway(p, packs.get("export").outcomes()),
        outcome_name=lambda pack_id, o: _outcome_name(t, pack_id, o),
        cite=t.cite,
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(
            i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="strict", httponly=True
        )
    return response


async def _form(request: Request) -> FormData:
    """The submitted form (urlencoded or multipart), read before the sync handler runs in the
    thread pool, so service calls never block the event loop."""
    return await request.form()


Form = Annotated[FormData, Depends(_form)]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _date(value: str | None) -> dt.date | None:
    """An ISO date, or None when absent or malformed (the caller says which)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _row_id(value: str) -> int | None:
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None


def _not_found(request: Request, token: tokens.Token, what: str, ident: str) -> HTMLResponse:
    return _render(
        request, "error.html", token, status=404, title="not_found", message=f"{what} {ident!r}"
    )


# --- sign-in --------------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request) -> HTMLResponse:
    """The sign-in form (a token from `chinacomply token create`)."""
    return _render(
        request, "login.html", None, error=None, next=_safe_next(request.query_params.get("next"))
    )


@router.post("/login")
def login(request: Request, form: Form) -> Response:
    """Check the token; on success keep it in the session cookie and go on to the page."""
    secret = _text(form, "token")
    target = _safe_next(_text(form, "next"))
    token = tokens.verify(_store(request), secret) if secret else None
    if token is None:
        error = "login.wrong" if secret else "login.missing"
        return _render(request, "login.html", None, status=401, error=error, next=target)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(auth.COOKIE, secret, httponly=True, samesite="strict", path="/")
    return response


@router.get("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.COOKIE, path="/", httponly=True, samesite="strict")
    return response


# --- inventory ------------------------------------------------------------------------------


@router.get("/")
def inventory(request: Request) -> Response:
    """Every dataset: PI types and sensitive columns at a glance."""
    token = _signed_in(request)
    if token is None:
        return _to_login(request)
    return _render(request, "inventory.html", token, datasets=views.datasets(_store(request)))


@router.get("/datasets/{dataset_id}")
def dataset(request: Request, dataset_id: str) -> Response:
    """One dataset with its columns and the evidence for each classification."""
    token = _signed_in(request)
    if token is None:
        return _to_login(request)
    row_id = _row_id(dataset_id)
    found = views.dataset(_store(request), row_id) if row_id else None
    if found is None:
        return _not_found(request, token, "dataset", dataset_id)
    return _render(request, "dataset.html", token, dataset=found)


# --- ledger ---------------------------------------------------------------------------------

CHART_W, CHART_H, CHART_PAD = 640, 220, 48


@dataclass(frozen=True)
class Series:
    counter: str
    points: str  # SVG polyline points
    last: int


def _chart(ledger: Mapping[str, Any]) -> dict[str, Any] | None:
    """The cumulative individuals of the window as SVG step lines (x: date, y: count); drawing
    only, the numbers are the read model's."""
    history = ledger["history"]
    if not history:
        return None
    start = dt.date(min(ledger["years"]), 1, 1)
    end = dt.date.fromisoformat(ledger["as_of"])
    span = max((end - start).days, 1)
    top: int = max(1, *(max(h["non_sensitive"], h["sensitive"]) for h in history))
    inner_w, inner_h = CHART_W - 2 * CHART_PAD, CHART_H - 2 * CHART_PAD

    def x(on: dt.date) -> float:
        return round(CHART_PAD + inner_w * min(max((on - start).days, 0), span) / span, 1)

    def y(value: int) -> float:
        return round(CHART_H - CHART_PAD - inner_h * value / (top * 1.1), 1)

    series = []
    for counter in ("non_sensitive", "sensitive"):
        points = [(x(start), y(0))]
        level = 0
        for entry in history:
            at = x(dt.date.fromisoformat(entry["on"]))
            points += [(at, y(level)), (at, y(entry[counter]))]
            level = entry[counter]
        points.append((x(end), y(level)))
        series.append(Series(counter, " ".join(f"{a},{b}" for a, b in points), level))
    return {
        "width": CHART_W,
        "height": CHART_H,
        "pad": CHART_PAD,
        "series": series,
        "y_top": y(top),
        "top": top,
        "baseline": y(0),
        "x_start": x(start),
        "x_end": x(end),
        "start": start.isoformat(),
        "end": end.isoformat(),
    }


def _gauges(ledger: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each threshold row with how far along it is (a fraction for the bar)."""
    out = []
    for row in ledger["thresholds"]:
        fraction = row["total"] / row["threshold"] if row["threshold"] else 1.0
        state = "reached" if row["reached"] else "warning" if row["warning"] else "ok"
        out.append(
            {
                **row,
                "fraction": min(fraction, 1.0),
                # a threshold of 1 (any sensitive PI) would read 160000.0%: say 1,600× instead
                "percent": f"{fraction * 100:.1f}%" if fraction < 10 else f"{fraction:,.0f}×",
                "state": state,
                "warn_at": export.WARN_AT,
            }
        )
    return out


def _ledger_page(
    request: Request,
    token: tokens.Token,
    on: dt.date,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    ledger = views.ledger(_store(request), on)
    context.setdefault("message", None)
    context.setdefault("error", None)
    context.setdefault("planned", None)
    context.setdefault("recorded", None)
    context.setdefault("plan_values", {})
    return _render(
        request,
        "ledger.html",
        token,
        status=status,
        ledger=ledger,
        gauges=_gauges(ledger),
        chart=_chart(ledger),
        datasets=views.datasets(_store(request)),
        today=dt.date.today().isoformat(),
        **context,
    )


def _earliest() -> dt.date:
    """The first day whose export law is encoded."""
    return packs.get("export").covers_from


@router.get("/ledger")
def ledger(request: Request) -> Response:
    """The counting window in force on a date (today by default): a gauge per threshold and
    the history of cumulative individuals."""
    token = _signed_in(request)
    if token is None:
        return _to_login(request)
    raw = request.query_params.get("as_of")
    on = _date(raw)
    if raw and (on is None or on < _earliest()):
        return _ledger_page(
            request,
            token,
            dt.date.today(),
            status=400,
            error=f"as_of: {raw!r} is not a date on or after {packs.get('export').covers_from}",
        )
    return _ledger_page(request, token, on or dt.date.today())


@router.post("/ledger/record")
def ledger_record(request: Request, form: Form) -> Response:
    """Commit a planned export (write scope), then the gauges of its window."""
    token = _signed_in(request)
    if token is None:
        return _to_login(request)
    today = dt.date.today()
    if not token.allows("write"):
        return _ledger_page(request, token, today, status=403, error="needs_write")
    plan_id = _text(form, "plan_id")
    if not plan_id:
        return _ledger_page(request, token, today, status=400, error="ledger.plan_id_missing")
    try:
        done = export.record(_store(request), plan_id, bool(form.get("force")), who=_who(token))
    except export.WorkflowError as err:
        return _ledger_page(request, token, today, status=400, error=str(err))
    return _ledger_page(request, token, done.after.on, recorded=done)


@router.get("/ledger/record")
@router.get("/ledger/plan")
def ledger_forms() -> Response:
    """The forms post here; a reload or bookmark of the address lands on the ledger page."""
    return RedirectResponse("/ledger", status_code=303)


GROUND_CHOICES = tuple(export.GROUNDS)


@router.post("/ledger/plan")
def ledger_plan(request: Request, form: Form) -> Response:
    """Count a dataset's new individuals for a recipient and decide (write scope: it stores
    the plan); the plan id is then ready in the record form."""
    token = _signed_in(request)
    if token is None:
        return _to_login(request)
    values = {k: _text(form, k) for k in ("dataset", "recipient", "region", "ground", "as_of")}
    today = dt.date.today()
    if not token.allows("write"):
        return _ledger_page(
            request, token, today, status=403, error="needs_write", plan_values=values
        )
    on = _date(values["as_of"]) or today
    problem = None
    if values["as_of"] and _date(values["as_of"]) is None:
        problem = f"as_of: {values['as_of']!r} is not a date (YYYY-MM-DD)"
    elif on < packs.get("export").covers_from:
        problem = (
            f"as_of: {on} is before {packs.get('export').covers_from}, the earliest encoded law"
        )
    elif not values["dataset"] or not values["recipient"] or not values["region"]:
        problem = "dataset, recipient and region are required"
    elif values["ground"] and values["ground"] not in GROUND_CHOICES:
        problem = f"ground: {values['ground']!r} is not one of {', '.join(GROUND_CHOICES)}"
    if problem:
        return _ledger_page(request, token, today, status=400, error=problem, plan_values=values)
    try:
        made = export.plan(
            _store(request),
            request.app.state.key,
            values["dataset"],
            values["recipient"],
            values["region"].upper(),
            on,
            values["ground"] or None,
            who=_who(token),
        )
    except (export.WorkflowError, FactsError, calendar.CalendarRangeError) as err:
        return _ledger_page(request, token, today, status=400, error=str(err), plan_values=values)
    return _ledger_page(request, token, on, planned=made, plan_values=values)


# --- assess ---------------------------------------------------------------------------------

BOOLEANS = {
    "handler": ("ciio",),
    "data": (
        "personal_information",
        "sensitive_personal_information",
        "important_data",
        "core_data",
        "foreign_origin_only",
        "on_ftz_negative_list",
    ),
    "grounds": ("contract_with_individual", "hr_management", "emergency", "statutory_duty"),
}
INTEGERS = ("handler.processed_individuals", "volumes.non_sensitive", "volumes.sensitive")
TEXTS = (
    "as_of",
    "handler.ftz",
    "handler.gba_city",
    "activity.mode",
    "activity.recipient_region",
    "existing.mechanism",
    "existing.valid_from",
    "existing.projected_growth",
    *INTEGERS,
)
CHOICES = {
    "modes": typing.get_args(export_facts.Mode),
    "mechanisms": typing.get_args(export_facts.Mechanism),
    "changes": typing.get_args(export_facts.Change),
    "gba_cities": export_facts.GBA_CITIES,
}


def _defaults() -> dict[str, Any]:
    return {
        "as_of": dt.date.today().isoformat(),
        "activity.mode": "transmit",
        "activity.recipient_region": "US",
        "data.personal_information": True,
        "volumes.non_sensitive": "0",
        "volumes.sensitive": "0",
        "existing.material_changes": [],
    }


def _number(value: str, kind: type[int] | type[float]) -> int | float | str:
    """The number typed, or the text itself so the facts parser names the key that is wrong."""
    try:
        return kind(value)
    except ValueError:
        return value


def _facts_from_form(form: FormData) -> tuple[dict[str, Any], dict[str, Any]]:
    """The facts mapping of the JSON contract in the README from the form (every flag set
    explicitly: an unticked box is false) and the values to show the form again with."""
    values: dict[str, Any] = {name: _text(form, name) for name in TEXTS}
    raw: dict[str, Any] = {}
    for section, names in BOOLEANS.items():
        part = raw.setdefault(section, {})
        for name in names:
            ticked = bool(form.get(f"{section}.{name}"))
            values[f"{section}.{name}"] = ticked
            part[name] = ticked
    changes = [c for c in form.getlist("existing.material_changes") if isinstance(c, str)]
    values["existing.material_changes"] = changes
    for name, value in values.items():
        if name not in TEXTS or not value:
            continue
        if name in INTEGERS:
            converted: Any = _number(value, int)
        elif name == "existing.projected_growth":
            converted = _number(value, float)
        elif name == "activity.recipient_region":
            converted = value.upper()
        else:
            converted = value
        section, _, key = name.rpartition(".")
        (raw.setdefault(section, {}) if section else raw)[key] = converted
    if changes:
        raw.setdefault("existing", {})["material_changes"] = changes
    return raw, values


def _pack_tabs(current: str) -> list[dict[str, Any]]:
    return [
        {"id": p.id, "title": p.title, "current": p.id == current} for p in packs.packs().values()
    ]


def _assess_page(
    request: Request,
    token: tokens.Token,
    pack_id: str,
    values: dict[str, Any],
    decision: dict[str, Any] | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The facts form of a pack (the export pack's own, the others built from their schema)
    beside the decision or the error."""
    if pack_id == "export":
        return _render(
            request,
            "assess.html",
            token,
            status=status,
            values=values,
            decision=decision,
            error=error,
            choices=CHOICES,
            tabs=_pack_tabs("export"),
        )
    pack = packs.get(pack_id)
    return _render(
        request,
        "assess_pack.html",
        token,
        status=status,
        pack=pack,
        fields=forms.fields(pack.facts_model),
        values=values,
        decision=decision,
        error=error,
        tabs=_pack_tabs(pack_id),
    )


def _pack_id(raw: str | None) -> str | None:
    """The pack a request names (export by default), or None if there is no such pack."""
    pack_id = raw or "export"
    return pack_id if pack_id in packs.packs() else None


@router.get("/assess")
def assess_form(request: Request) -> Response:
    """The facts form of a pack (?pack=frt; the export form by default)."""
    token = _signed_in(request)
    if token is None:
        return _to_login(request)
    pack_id = _pack_id(request.query_params.get("pack"))
    if pack_id is None:
        error = f"pack: unknown rule pack (known: {', '.join(packs.packs())})"
        return _assess_page(request, token, "export", _defaults(), error=error, status=404)
    if pack_id == "export":
        return _assess_page(request, token, "export", _defaults())
    defaults = {f.name: f.default for f in forms.fields(packs.get(pack_id).facts_model)}
    defaults["as_of"] = dt.date.today().isoformat()
    return _assess_page(request, token, pack_id, defaults)


@router.post("/assess")
def assess(request: Request, form: Form) -> Response:
    """Decide the facts in the form with its pack; nothing is stored (as POST /api/assess)."""
    token = _signed_in(request)
    if token is None:
        return _to_login(request)
    posted = form.get("pack")
    pack_id = _pack_id(posted if isinstance(posted, str) else None) or "export"
    if pack_id == "export":
        raw, values = _facts_from_form(form)
    else:
        raw, values = forms.facts(pack_id, forms.fields(packs.get(pack_id).facts_model), form)
    try:
        decision = engine.evaluate(packs.get(pack_id).parse(raw, "facts")).to_dict()
    except (FactsError, calendar.CalendarRangeError) as err:
        return _assess_page(request, token, pack_id, values, error=str(err), status=400)
    return _assess_page(request, token, pack_id, values, decision=decision)


# --- decisions and audit --------------------------------------------------------------------


@router.get("/decisions")
def decisions(request: Request) -> Response:
    """Stored decisions (one per export plan), newest first, filterable by pathway."""
    token = _signed_in(request)
    if token is None:
        return _to_login(request)
    pathway = request.query_params.get("pathway") or None
    return _render(
        request,
        "decisions.html",
        token,
        decisions=views.decisions(_store(request), pathway, LIST_LIMIT),
        pathway=pathway or "",
        pathways=tuple(packs.get("export").outcomes()),
    )


@router.get("/decisions/{decision_id}")
def decision(request: Request, decision_id: str) -> Response:
    """One stored decision: the facts it was made on and its trace."""
    token = _signed_in(request)
    if token is None:
        return _to_login(request)
    row_id = _row_id(decision_id)
    found = views.decision(_store(request), row_id) if row_id else None
    if found is None:
        return _not_found(request, token, "decision", decision_id)
    return _render(request, "decision.html", token, record=found, decision=found["decision"])


@router.get("/audit")
def audit(request: Request) -> Response:
    """The audit log, newest first, filterable by action prefix and by who."""
    token = _signed_in(request)
    if token is None:
        return _to_login(request)
    action = request.query_params.get("action", "").strip()
    who = request.query_params.get("who", "").strip()
    return _render(
        request,
        "audit.html",
        token,
        events=views.audit(_store(request), action or None, who or None, LIST_LIMIT),
        action=action,
        who=who,
    )


# --- AIGC -----------------------------------------------------------------------------------


@router.get("/aigc")
def aigc_form(request: Request) -> Response:
    token = _signed_in(request)
    if token is None:
        return _to_login(request)
    return _render(
        request, "aigc.html", token, result=None, error=None, as_platform=False, declared=False
    )


@router.post("/aigc")
def aigc_check(request: Request, form: Form) -> Response:
    """Check an uploaded file's AIGC labels: copied to a temporary file keeping its suffix
    (format detection looks at it), checked by services.aigc, deleted."""
    token = _signed_in(request)
    if token is None:
        return _to_login(request)
    upload = form.get("file")
    as_platform = bool(form.get("as_platform"))
    declared = bool(form.get("user_declared"))

    def page(status: int, result: Any = None, error: str | None = None) -> HTMLResponse:
        return _render(
            request,
            "aigc.html",
            token,
            status=status,
            result=result,
            error=error,
            as_platform=as_platform,
            declared=declared,
        )

    if not isinstance(upload, UploadFile) or not upload.filename:
        return page(400, error="aigc.no_file")
    options = aigc.CheckOptions(
        on=dt.date.today(), as_platform=as_platform, user_declared=as_platform and declared
    )
    try:
        shown = aigc.check_upload(upload.file, upload.filename, options)
    except aigc.UploadTooLargeError:
        return page(413, error="aigc.too_large")
    except aigc.AigcError as err:
        return page(400, error=str(err))
    return page(200, result=shown)
