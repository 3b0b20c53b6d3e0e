"""The report of `debtboard check` in four shapes: a table, JSON, JUnit XML (GitLab), SARIF 2.1.0 (GitHub)."""
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from metrics.core.gate import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/debtboard/debtboard/blob/main/docs/ci.md"
_SARIF_LEVELS = {"fail": "error", "info": "warning"}  # improvements are good news, not code-scanning alerts


@dataclass(frozen=True)
class CheckReport:
    """What a change check found: the verdict, the files it looked at and the findings per file."""

    status: str  # pass, cleaner or fail
    mode: str  # server or local
    base: str  # the commit the change is compared from
    head: str  # the change's commit, or "index" for staged changes
    paths: tuple[str, ...]
    findings: tuple[Finding, ...]

    def file_verdict(self, path: str) -> str:
        severities = {finding.severity for finding in self.findings if finding.path == path}
        if "fail" in severities:
            return "fail"
        return "cleaner" if "improved" in severities else "pass"

    def of(self, path: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.path == path]


def findings_from_json(items: Any) -> tuple[Finding, ...]:
    """The findings of a server's verdict."""
    return tuple(
        Finding(str(item.get("path", "")), str(item.get("rule", "")), str(item.get("severity", "")),
                str(item.get("message", "")), item.get("before"), item.get("after"))
        for item in items or () if isinstance(item, dict)
    )


def _short(sha: str) -> str:
    return sha[:12]


def render_table(report: CheckReport) -> str:
    width = max((len(path) for path in report.paths), default=4)
    lines = [f"{'file':<{width}}  verdict", f"{'-' * width}  -------"]
    for path in report.paths:
        lines.append(f"{path:<{width}}  {report.file_verdict(path)}")
        lines += [f"    {finding.severity:<8} {finding.rule}: {finding.message}" for finding in report.of(path)]
    failing = sum(1 for path in report.paths if report.file_verdict(path) == "fail")
    lines.append("")
    lines.append(f"debtboard check ({report.mode}): {report.status.upper()} — {len(report.paths)} file(s), "
                 f"{failing} failing; {_short(report.base)}..{_short(report.head)}")
    return "\n".join(lines)


def render_json(report: CheckReport) -> str:
    return json.dumps({
        "status": report.status, "passed": report.status != "fail", "mode": report.mode,
        "base": report.base, "head": report.head,
        "files": [{"path": path, "verdict": report.file_verdict(path),
                   "findings": [{"rule": f.rule, "severity": f.severity, "message": f.message,
                                 "before": f.before, "after": f.after} for f in report.of(path)]}
                  for path in report.paths],
    }, indent=2)


def render_junit(report: CheckReport) -> str:
    """One test case per file: a failing file has a <failure> per blocking finding (GitLab's test report)."""
    failures = sum(1 for path in report.paths if report.file_verdict(path) == "fail")
    suites = ET.Element("testsuites", name="debtboard check", tests=str(len(report.paths)), failures=str(failures))
    suite = ET.SubElement(suites, "testsuite", name="debtboard check", tests=str(len(report.paths)),
                          failures=str(failures), errors="0", skipped="0")
    for path in report.paths:
        _testcase(suite, path, report.of(path))
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def _testcase(suite: ET.Element, path: str, findings: list[Finding]) -> None:
    case = ET.SubElement(suite, "testcase", classname="debtboard.check", name=path, file=path)
    blocking = [f for f in findings if f.severity == "fail"]
    if blocking:
        failure = ET.SubElement(case, "failure", message=blocking[0].message, type=blocking[0].rule)
        failure.text = "\n".join(f"{f.rule}: {f.message}" for f in blocking)
    others = [f for f in findings if f.severity != "fail"]
    if others:
        ET.SubElement(case, "system-out").text = "\n".join(f"{f.severity} {f.rule}: {f.message}" for f in others)


def _sarif_result(finding: Finding) -> dict[str, Any]:
    return {
        "ruleId": finding.rule,
        "level": _SARIF_LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"},
                                            "region": {"startLine": 1}}}],
    }


def render_sarif(report: CheckReport) -> str:
    """SARIF 2.1.0 for GitHub code scanning: blocking findings as errors, the rest of the bad news as warnings."""
    alerts = [finding for finding in report.findings if finding.severity in _SARIF_LEVELS]
    rules = sorted({finding.rule for finding in alerts})
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "debtboard", "informationUri": INFORMATION_URI, "semanticVersion": "0.1.0",
                "rules": [{"id": rule, "shortDescription": {"text": rule}, "helpUri": INFORMATION_URI}
                          for rule in rules],
            }},
            "results": [_sarif_result(finding) for finding in alerts],
            "properties": {"verdict": report.status, "base": report.base, "head": report.head},
        }],
    }
    return json.dumps(log, indent=2)


RENDERERS: dict[str, Callable[[CheckReport], str]] = {
    "table": render_table, "json": render_json, "junit": render_junit, "sarif": render_sarif,
}
