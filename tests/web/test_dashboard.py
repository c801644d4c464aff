"""The dashboard in a real browser: Debian's chromium driven by Playwright against a real
`chinacomply serve` process whose store the CLI populated (tests/web/server.py). What is checked
is what a DPO sees: the sign-in, the inventory with its sensitive marks, an assessment with its
pathway, citations and trace, the ledger gauge moving when an export is recorded, the AIGC check
of an uploaded image, and the page in Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from ..conftest import EXAMPLES
from .server import Server, running

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path("/tmp/ledger.png")
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running() as found:
        yield found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: make test installs Debian's chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


def new_page(browser: Browser, server: Server, **options: Any) -> tuple[BrowserContext, Page]:
    """A fresh browser context (no cookies), English unless `locale` says otherwise."""
    options.setdefault("locale", "en-GB")
    context = browser.new_context(base_url=server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    return context, context.new_page()


def sign_in(page: Page, token: str) -> None:
    page.goto("/login")
    page.fill("input[name=token]", token)
    page.click("button[type=submit]")
    expect(page.locator("header nav")).to_be_visible()


@pytest.fixture()
def page(browser: Browser, server: Server) -> Iterator[Page]:
    """A browser tab signed in with the write token, in English. Every request it makes must
    go to the server itself: no CDN, no external fonts or scripts."""
    context, tab = new_page(browser, server)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    sign_in(tab, server.write_token)
    yield tab
    context.close()
    elsewhere = [url for url in requested if not url.startswith(f"{server.url}/")]
    assert not elsewhere, f"the dashboard fetched from elsewhere: {elsewhere}"


def test_sign_in_refuses_a_wrong_token_and_admits_a_right_one(
    browser: Browser, server: Server
) -> None:
    context, page = new_page(browser, server)
    page.goto("/ledger")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fledger$"))
    page.fill("input[name=token]", "cc_not-a-token")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_have_text("Unknown or revoked token.")
    expect(page.locator("header nav")).to_have_count(0)

    page.fill("input[name=token]", server.read_token)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{server.url}/ledger")
    expect(page.locator(".who")).to_contain_text("viewer (read)")
    cookie = next(c for c in context.cookies() if c["name"] == "chinacomply_token")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict", cookie

    page.click("text=Log out")
    expect(page).to_have_url(f"{server.url}/login")
    page.goto("/")
    expect(page).to_have_url(f"{server.url}/login")
    context.close()


def test_inventory_lists_the_customer_table_and_its_sensitive_columns(page: Page) -> None:
    page.goto("/")
    row = page.locator("#datasets tr[data-dataset=customers]")
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(3)).to_have_text("1,600")  # individuals
    expect(cells.nth(4)).to_have_text("yes")  # sensitive
    expect(cells.nth(5)).to_contain_text("cn_resident_id")
    expect(cells.nth(5)).to_contain_text("bank_card")
    expect(row.locator(".sensitive-columns")).to_contain_text("银行卡号")
    expect(page.locator("#datasets tbody tr")).to_have_count(6)

    row.locator("a").click()
    expect(page.locator("h1")).to_contain_text("customers")
    card = page.locator("#columns tr[data-column=银行卡号]")
    expect(card.locator("td").nth(1)).to_have_text("bank_card")
    expect(card.locator("td").nth(2)).to_have_text("yes")
    expect(card.locator("td.evidence")).to_contain_text("Luhn")
    ident = page.locator("#columns tr[data-column=身份证号]")
    expect(ident.locator("td").nth(1)).to_have_text("cn_resident_id")


def fill_transfer(page: Page) -> None:
    """The form filled with the values of examples/transfer.yaml."""
    facts = yaml.safe_load((EXAMPLES / "transfer.yaml").read_text("utf-8"))
    page.goto("/assess")
    page.fill("input[name=as_of]", facts["as_of"].isoformat())
    page.set_checked("input[name='handler.ciio']", facts["handler"]["ciio"])
    page.select_option("select[name='activity.mode']", facts["activity"]["mode"])
    page.fill("input[name='activity.recipient_region']", facts["activity"]["recipient_region"])
    for flag, value in facts["data"].items():
        page.set_checked(f"input[name='data.{flag}']", value)
    for counter, value in facts["volumes"].items():
        page.fill(f"input[name='volumes.{counter}']", str(value))


def see_contract_decision(page: Page) -> None:
    result = page.locator("#result")
    expect(result.locator(".pathway-id")).to_have_text("standard_contract_or_certification")
    expect(result.locator(".decided-by .citation")).to_have_text("P24 Art. 8")
    expect(result.locator(".instrument-name")).to_have_text(
        "Provisions on Promoting and Regulating Cross-Border Data Flows"
    )
    decisive = result.locator("table.trace tr[data-rule='p24.8.contract']")
    expect(decisive.locator("td").nth(1)).to_have_text("P24 Art. 8")
    expect(decisive.locator(".outcome")).to_have_text("decides")
    assert result.locator("table.trace tbody tr").count() >= 10
    expect(result.locator(".deadlines")).to_contain_text("SCC23 Art. 7")
    expect(result.locator(".obligations")).to_contain_text("PIPL Art. 39")


def test_assess_form_shows_the_pathway_citation_and_trace(page: Page) -> None:
    assert page.evaluate("typeof htmx") == "object", "htmx did not load from /static"
    fill_transfer(page)
    page.evaluate("window.kept = true")
    page.click("form.facts-form button[type=submit]")
    see_contract_decision(page)
    expect(page).to_have_url(re.compile(r"/assess$"))
    assert page.evaluate("window.kept === true"), "htmx should swap the result in place"

    page.fill("input[name='volumes.sensitive']", "many")
    page.click("form.facts-form button[type=submit]")
    expect(page.locator("#result .error")).to_have_text(
        "facts: volumes.sensitive: expected a whole number"
    )
    expect(page.locator("#result .decision")).to_have_count(0)
    expect(page.locator("input[name='volumes.sensitive']")).to_have_value("many")


def test_assess_form_works_without_javascript(browser: Browser, server: Server) -> None:
    context, page = new_page(browser, server, java_script_enabled=False)
    sign_in(page, server.read_token)
    fill_transfer(page)
    page.click("form.facts-form button[type=submit]")
    see_contract_decision(page)
    context.close()


def test_the_incident_form_is_built_from_the_pack_and_decides_with_a_timestamp(
    page: Page,
) -> None:
    """Any pack's facts form comes from its schema: an untouched form is refused naming the
    first required fact; the example's facts give the 4-hour report to the provincial CAC."""
    page.goto("/assess")
    page.click("nav.pack-tabs >> text=Cybersecurity incident")
    expect(page).to_have_url(re.compile(r"pack=incident"))
    page.click("form.facts-form button[type=submit]")
    expect(page.locator("#result .error")).to_contain_text("required")
    facts = yaml.safe_load((EXAMPLES / "incident.yaml").read_text("utf-8"))
    for key, value in facts.items():
        if key == "pack":
            continue
        field = page.locator(f"[name='{key}']")
        text = (
            "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        )
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(text)
        else:
            field.fill(value.isoformat() if hasattr(value, "isoformat") else text)
    page.click("form.facts-form button[type=submit]")
    result = page.locator("#result .decision[data-pack=incident]")
    expect(result.locator(".pathway-id")).to_have_text("report_within_4_hours")
    expect(result.locator(".deadlines time")).to_have_attribute(
        "datetime", "2026-10-01T02:40:00+08:00"
    )
    expect(
        result.locator("table.trace tr[data-rule='inc25.annex.3.5.pi_leaked'] .outcome")
    ).to_have_text("decides")


def test_recording_the_planned_export_moves_the_ledger_gauge(
    browser: Browser, server: Server, page: Page
) -> None:
    reader, read_page = new_page(browser, server)
    sign_in(read_page, server.read_token)
    read_page.goto("/ledger")
    read_page.fill("input[name=plan_id]", server.plan_id)
    read_page.click("text=Record in the ledger")
    expect(read_page.locator("#ledger .error")).to_contain_text("needs a token with write scope")
    reader.close()

    page.goto("/ledger")
    gauge = page.locator(".gauge[data-counter=sensitive][data-threshold='10000']")
    expect(gauge.locator(".total")).to_have_text("0")
    expect(gauge.locator(".headroom")).to_have_text("10,000")
    expect(page.locator("#history")).to_have_count(0)

    page.fill("input[name=plan_id]", server.plan_id)
    page.click("text=Record in the ledger")
    expect(page.locator("#recorded")).to_contain_text(server.plan_id)
    expect(gauge.locator(".total")).to_have_text("1,600")
    expect(gauge.locator(".headroom")).to_have_text("8,400")
    expect(gauge.locator(".percent")).to_have_text("16.0%")
    contract = page.locator(".gauge[data-counter=non_sensitive][data-threshold='100000']")
    expect(contract.locator(".total")).to_have_text("1,600")
    expect(contract.locator(".headroom")).to_have_text("98,400")
    expect(page.locator("#history polyline.sensitive")).to_have_count(1)
    expect(page.locator("#history")).to_contain_text("1,600")

    page.reload()  # the gauge is the ledger's, not the page's memory
    expect(gauge.locator(".total")).to_have_text("1,600")
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.goto("/audit?action=record")
    expect(page.locator("#events tr[data-action=record]")).to_have_count(1)
    expect(page.locator("#events")).to_contain_text("token:dpo")
    page.goto("/decisions")
    page.select_option("select[name=pathway]", "no_new_filing")
    expect(page).to_have_url(re.compile(r"pathway=no_new_filing"))
    expect(page.locator("#decisions tbody tr")).to_have_count(1)
    page.locator("#decisions a").first.click()
    expect(
        page.locator("table.trace tr[data-rule='scc23.8.contract_covers'] .outcome")
    ).to_have_text("decides")


def test_aigc_page_reports_the_missing_implicit_label_of_an_uploaded_png(
    page: Page, tmp_path: Path
) -> None:
    image = tmp_path / "generated.png"
    Image.new("RGB", (96, 64), (40, 120, 200)).save(image)
    page.goto("/aigc")
    page.set_input_files("input[name=file]", str(image))
    page.check("input[name=as_platform]")
    page.click("form button[type=submit]")
    result = page.locator("#aigc-result")
    expect(result.locator("h2")).to_contain_text("generated.png")
    expect(result.locator("tr[data-part=implicit] .state")).to_have_text("absent")
    expect(result.locator("tr[data-part=explicit] .state")).to_have_text("unknown")
    expect(result.locator("tr[data-part=c2pa] .state")).to_have_text("none")
    missing = result.locator("tr[data-code='implicit.missing']")
    expect(missing.locator(".sev")).to_have_text("error")
    expect(missing).to_contain_text("LBL25 Art. 5")
    expect(missing).to_contain_text("GB45438 Art. 6.1")
    expect(result.locator(".platform .case")).to_have_text("undeclared")
    expect(result).not_to_contain_text(str(tmp_path))


def test_language_switch_shows_chinese_labels_and_legal_names(
    browser: Browser, server: Server, page: Page
) -> None:
    page.goto("/")
    page.click("header .lang >> text=中文")
    expect(page.locator("header nav")).to_contain_text("数据清单")
    expect(page.locator("h1")).to_have_text("数据清单")
    page.goto("/assess")  # the choice is kept in a cookie
    expect(page.locator("h1")).to_have_text("数据出境评估")
    fill_transfer(page)
    page.click("form.facts-form button[type=submit]")
    expect(page.locator("#result .instrument-name")).to_have_text("促进和规范数据跨境流动规定")
    expect(page.locator("#result .decided-by .citation")).to_have_text("P24 第8条")
    expect(page.locator("#result .obligations")).to_contain_text("个人信息保护法")
    page.click("header .lang >> text=English")
    expect(page.locator("h1")).to_have_text("Assess a transfer")

    context, chinese = new_page(browser, server, locale="zh-CN")
    chinese.goto("/login")
    expect(chinese.locator("h1")).to_have_text("登录")
    context.close()
