"""The dashboard's words in Chinese and English. Page chrome and labels live here, not in the
templates, so a page cannot be half translated: a key missing from one language fails the
import check in `_check()` rather than showing a blank. Legal instrument names come from the
rules data (rules/law.py), never from here, so they stay in step with the law as encoded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

LANGUAGES: Final = ("zh", "en")
COOKIE: Final = "lang"

# key: (zh, en)
_STRINGS: Final[dict[str, tuple[str, str]]] = {
    "app": ("chinacomply 合规看板", "chinacomply dashboard"),
    "nav.inventory": ("数据清单", "Inventory"),
    "nav.ledger": ("出境台账", "Ledger"),
    "nav.assess": ("出境评估", "Assess"),
    "nav.decisions": ("决定", "Decisions"),
    "nav.audit": ("审计日志", "Audit log"),
    "nav.aigc": ("AIGC 标识", "AIGC labels"),
    "nav.logout": ("退出", "Log out"),
    "lang.switch": ("语言", "Language"),
    "signed_in_as": ("当前令牌", "Signed in as"),
    "scope": ("权限", "scope"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "none": ("无", "none"),
    "submit": ("提交", "Submit"),
    "filter": ("筛选", "Filter"),
    "all": ("全部", "all"),
    "not_found": ("未找到", "Not found"),
    "error": ("错误", "Error"),
    "needs_write": (
        "此操作需要具有写入（write）权限的令牌；当前令牌只有读取（read）权限。",
        "This action needs a token with write scope; this token has read scope only.",
    ),
    # login
    "login.title": ("登录", "Sign in"),
    "login.token": ("API 令牌", "API token"),
    "login.help": (
        "使用 chinacomply token create --scope read|write 创建的令牌。",
        "A token made with chinacomply token create --scope read|write.",
    ),
    "login.button": ("登录", "Sign in"),
    "login.wrong": ("令牌无效或已被撤销。", "Unknown or revoked token."),
    "login.missing": ("请输入令牌。", "Enter a token."),
    # inventory
    "inventory.title": ("数据清单", "Data inventory"),
    "inventory.empty": (
        "清单为空：先运行 chinacomply inventory add。",
        "The inventory is empty: run chinacomply inventory add first.",
    ),
    "col.name": ("名称", "Name"),
    "col.source": ("来源", "Source"),
    "col.rows": ("行数", "Rows"),
    "col.individuals": ("个人数", "Individuals"),
    "col.minors": ("未满十四周岁", "Minors (<14)"),
    "col.sensitive": ("敏感", "Sensitive"),
    "col.pi_types": ("个人信息类型", "PI types"),
    "col.sensitive_columns": ("敏感列", "Sensitive columns"),
    "col.subject_key": ("主体标识列", "Subject key"),
    "col.profile": ("判定规则", "Profile"),
    "col.scanned_at": ("扫描时间", "Scanned at"),
    "col.column": ("列", "Column"),
    "col.type": ("类型", "Type"),
    "col.confidence": ("置信度", "Confidence"),
    "col.matched": ("命中/检查", "Matched/checked"),
    "col.evidence": ("依据", "Evidence"),
    "dataset.title": ("数据集", "Dataset"),
    "dataset.columns": ("列", "Columns"),
    "free_text": ("自由文本", "free text"),
    # ledger
    "ledger.title": ("出境台账", "Export ledger"),
    "ledger.window": ("计数窗口", "Counting window"),
    "ledger.as_of": ("日期", "As of"),
    "ledger.years": ("年度", "Years"),
    "window.current_year": ("当年 1 月 1 日起", "since 1 January of this year"),
    "window.previous_and_current_year": (
        "上一年 1 月 1 日起",
        "since 1 January of the previous year",
    ),
    "ledger.gauges": ("阈值", "Thresholds"),
    "ledger.counter.non_sensitive": ("一般个人信息", "Non-sensitive PI"),
    "ledger.counter.sensitive": ("敏感个人信息", "Sensitive PI"),
    "ledger.total": ("累计", "Total"),
    "ledger.threshold": ("阈值", "Threshold"),
    "ledger.headroom": ("余量", "Headroom"),
    "ledger.progress": ("进度", "of the way"),
    "ledger.reached": ("已达到", "reached"),
    "ledger.warning": ("已超过 80%", "past 80%"),
    "ledger.ok": ("正常", "below 80%"),
    "ledger.history": (
        "累计个人数（本窗口已记录的出境）",
        "Cumulative individuals (recorded exports)",
    ),
    "ledger.no_history": ("本窗口尚无已记录的出境。", "No export recorded in this window yet."),
    "ledger.no_thresholds": ("该日期无适用阈值。", "No thresholds in force on this date."),
    "ledger.record": ("记录已计划的出境", "Record a planned export"),
    "ledger.plan_id": ("计划编号", "Plan id"),
    "ledger.plan_id_missing": ("请输入计划编号。", "Enter a plan id."),
    "ledger.record_button": ("记录到台账", "Record in the ledger"),
    "ledger.force": ("缺少备案时仍记录（将被审计）", "Record even without the filing (audited)"),
    "ledger.recorded": ("已记录计划", "Recorded plan"),
    "ledger.recorded_before": (
        "此计划之前已记录，台账未变化：",
        "Recorded before; nothing changed:",
    ),
    "ledger.crossed": ("本次记录达到的阈值", "Thresholds this record reached"),
    "ledger.plan": ("计划出境", "Plan an export"),
    "ledger.dataset": ("数据集", "Dataset"),
    "ledger.recipient": ("接收方", "Recipient"),
    "ledger.region": ("接收方所在地区", "Recipient region"),
    "ledger.ground": ("必要性理由", "Ground"),
    "ledger.plan_button": ("计算并决定", "Count and decide"),
    "ledger.planned": ("已创建计划", "Planned"),
    "ledger.new": ("新增个人数（一般/敏感）", "New individuals (non-sensitive/sensitive)"),
    "ground.contract": ("订立、履行合同", "contract with the individual"),
    "ground.hr": ("人力资源管理", "HR management"),
    "ground.emergency": ("紧急情况", "emergency"),
    "ground.statutory": ("履行法定职责或者法定义务", "statutory duty"),
    # assess
    "assess.title": ("数据出境评估", "Assess a transfer"),
    "assess.handler": ("处理者", "Handler"),
    "assess.activity": ("出境活动", "Activity"),
    "assess.data": ("数据", "Data"),
    "assess.grounds": ("必要性理由（P24 第5条）", "Grounds (P24 Art. 5)"),
    "assess.volumes": ("计数窗口内出境个人数", "Individuals in the counting window"),
    "assess.existing": ("已有的批准或备案（可选）", "Existing approval or filing (optional)"),
    "assess.button": ("评估", "Assess"),
    "assess.packs": ("规则包", "Rule packs"),
    "assess.generic_help": (
        "带 * 的事实必须填写（可为空值的留空即为 null）；每项事实的含义见",
        "Facts marked * must be given (a blank nullable fact means null); "
        "each fact is described in",
    ),
    "assess.required": ("必填", "required"),
    "assess.yes": ("是", "yes"),
    "assess.no": ("否", "no"),
    "f.as_of": ("决定日期", "Decision date"),
    "f.handler.ciio": ("关键信息基础设施运营者", "Critical information infrastructure operator"),
    "f.handler.ftz": ("自贸试验区", "Pilot free trade zone"),
    "f.handler.gba_city": ("大湾区内地城市", "GBA mainland city"),
    "f.handler.processed_individuals": ("处理个人信息总数", "Individuals processed in all"),
    "f.activity.mode": ("方式", "Mode"),
    "f.activity.recipient_region": ("接收方地区（ISO 代码）", "Recipient region (ISO code)"),
    "f.data.personal_information": ("个人信息", "Personal information"),
    "f.data.sensitive_personal_information": ("敏感个人信息", "Sensitive personal information"),
    "f.data.important_data": ("重要数据", "Important data"),
    "f.data.core_data": ("核心数据", "Core data"),
    "f.data.foreign_origin_only": ("仅境外收集的个人信息", "Foreign-origin PI only"),
    "f.data.on_ftz_negative_list": ("列入自贸区负面清单", "On the FTZ negative list"),
    "f.grounds.contract_with_individual": (
        "订立、履行个人作为一方的合同",
        "Contract with the individual",
    ),
    "f.grounds.hr_management": ("跨境人力资源管理", "Cross-border HR management"),
    "f.grounds.emergency": ("紧急情况下保护生命健康和财产安全", "Emergency"),
    "f.grounds.statutory_duty": ("履行法定职责或者法定义务", "Statutory duty or obligation"),
    "f.volumes.non_sensitive": ("一般个人信息", "Non-sensitive"),
    "f.volumes.sensitive": ("敏感个人信息", "Sensitive"),
    "f.existing.mechanism": ("机制", "Mechanism"),
    "f.existing.valid_from": ("生效日期", "Valid from"),
    "f.existing.material_changes": ("重大变化", "Material changes"),
    "f.existing.projected_growth": ("三年预计增长（0.15 = 15%）", "Projected growth (0.15 = 15%)"),
    "mode.transmit": ("传输", "transmit"),
    "mode.remote_access": ("境外远程访问", "remote access"),
    "mode.onshore_access": ("境内访问", "onshore access"),
    "mode.offshore_processing": ("境外处理", "offshore processing"),
    "mech.security_assessment": ("安全评估", "security assessment"),
    "mech.standard_contract": ("标准合同", "standard contract"),
    "mech.certification": ("认证", "certification"),
    "mech.gba_standard_contract": ("大湾区标准合同", "GBA standard contract"),
    "result.pathway": ("路径", "Pathway"),
    "result.outcome_of": ("结论", "Outcome"),
    "result.decided_by": ("依据", "Decided by"),
    "result.alternatives": ("其他可行方式", "Also possible"),
    "result.obligations": ("义务", "Obligations"),
    "result.deadlines": ("期限", "Deadlines"),
    "result.trace": ("规则追踪", "Trace"),
    "result.rule": ("规则", "Rule"),
    "result.citation": ("条款", "Citation"),
    "result.outcome": ("结果", "Outcome"),
    "result.why": ("理由", "Why"),
    "result.ruleset": ("规则集", "Ruleset"),
    "result.law_of": ("适用法律日期", "Law in force on"),
    "result.facts": ("事实", "Facts"),
    "outcome.decides": ("决定", "decides"),
    "outcome.applies": ("适用", "applies"),
    "outcome.overridden": ("被覆盖", "overridden"),
    "outcome.not_applicable": ("不适用", "not applicable"),
    "outcome.not_in_force": ("未生效", "not in force"),
    "outcome.not_reached": ("未进行", "not reached"),
    "outcome.parameter": ("参数", "parameter"),
    "outcome.duty": ("义务", "duty"),
    "outcome.inventory": ("清单", "inventory"),
    "outcome.policy": ("政策设置", "policy"),
    # decisions and audit
    "decisions.title": ("出境决定", "Export decisions"),
    "decisions.empty": ("没有决定。", "No decisions."),
    "col.id": ("编号", "Id"),
    "col.created_at": ("时间", "Created"),
    "col.who": ("操作者", "Who"),
    "col.transfer": ("出境编号", "Transfer"),
    "col.summary": ("摘要", "Summary"),
    "audit.title": ("审计日志", "Audit log"),
    "audit.empty": ("没有事件。", "No events."),
    "audit.action": ("操作（前缀）", "Action (prefix)"),
    "col.at": ("时间", "At"),
    "col.action": ("操作", "Action"),
    "col.entity": ("对象", "Entity"),
    "col.detail": ("详情", "Detail"),
    # aigc
    "aigc.title": ("AIGC 标识检查", "AIGC label check"),
    "aigc.file": ("文件", "File"),
    "aigc.platform": ("以平台身份检查（LBL25 第6条）", "Check as a platform (LBL25 Art. 6)"),
    "aigc.user_declared": ("上传者声明为 AI 生成", "The uploader declared AI content"),
    "aigc.button": ("检查", "Check"),
    "aigc.no_file": ("请选择文件。", "Choose a file."),
    "aigc.too_large": ("文件过大。", "The file is too large."),
    "aigc.format": ("格式", "Format"),
    "aigc.implicit": ("隐式标识（元数据）", "Implicit label (metadata)"),
    "aigc.explicit": ("显式标识", "Explicit label"),
    "aigc.c2pa": ("C2PA 清单", "C2PA manifest"),
    "aigc.carrier": ("载体", "Carrier"),
    "aigc.fields": ("标识字段", "Label fields"),
    "aigc.findings": ("发现", "Findings"),
    "aigc.no_findings": ("没有发现。", "No findings."),
    "aigc.action": ("平台处置", "Platform action"),
    "aigc.case": ("情形", "Case"),
    "aigc.label_value": ("标识值", "Label value"),
    "aigc.notice": ("提示", "Notice"),
    "aigc.severity": ("级别", "Severity"),
    "aigc.message": ("说明", "Message"),
    "aigc.state": ("状态", "State"),
    "aigc.agrees": ("与隐式标识一致", "Agrees with the implicit label"),
}

# Pathway names (the English ones are the engine's own, rules/engine.py PATHWAY_TEXT).
PATHWAYS_ZH: Final[Mapping[str, str]] = {
    "not_an_export": "不构成数据出境",
    "exempt": "免于申报安全评估、订立标准合同和认证",
    "standard_contract_or_certification": "需订立标准合同（或通过认证）",
    "gba_standard_contract": "大湾区标准合同",
    "security_assessment": "需申报安全评估",
    "core_data_restricted": "核心数据：适用国家核心数据管理制度",
    "no_new_filing": "无需重新备案",
    "refile_standard_contract": "重新订立并备案标准合同",
    "extend_assessment": "申请延长安全评估结果有效期",
    "redeclare_assessment": "重新申报安全评估",
}


# What reaching a threshold means (the English is services/export.py THRESHOLDS).
MEANINGS_ZH: Final[Mapping[str, str]] = {
    "standard contract or certification (P24 Art. 8)": "标准合同或认证（P24 第8条）",
    "security assessment": "安全评估",
}


def _check() -> None:
    """Every string exists in both languages (a blank would silently hide a label)."""
    for key, pair in _STRINGS.items():
        if len(pair) != len(LANGUAGES) or not all(pair):
            raise ValueError(f"web/i18n.py: {key!r} lacks a translation")


_check()


def choose(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language: an explicit ?lang= wins, then the cookie it set, then the browser's
    Accept-Language (Chinese if it starts with zh, else English)."""
    for wanted in (query, cookie):
        if wanted in LANGUAGES:
            return str(wanted)
    return "zh" if (accept_language or "").strip().lower().startswith("zh") else "en"


class Translator:
    """`t("key")` in templates: the string in the page's language; an unknown key shows itself
    so a typo is visible on the page and in tests instead of vanishing."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else "en"
        self._index = LANGUAGES.index(self.lang)

    def __call__(self, key: str) -> str:
        pair = _STRINGS.get(key)
        return pair[self._index] if pair else key

    def pathway(self, pathway: str | None, english: Mapping[str, str]) -> str:
        if pathway is None:
            return ""
        if self.lang == "zh":
            return PATHWAYS_ZH.get(pathway, pathway)
        return english.get(pathway, pathway)

    def meaning(self, text: str) -> str:
        return MEANINGS_ZH.get(text, text) if self.lang == "zh" else text

    def cite(self, instrument: str, article: str) -> str:
        """ "P24 Art. 8" / "P24 第8条"; a Q&A item or clause number reads as it is ("QA2510 Q5")."""
        if not article or article[:1].isalpha():
            return f"{instrument} {article}".strip()
        if self.lang == "zh":
            if article.isdigit():
                return f"{instrument} 第{article}条"
            return f"{instrument} {article}"
        return f"{instrument} Art. {article}"
