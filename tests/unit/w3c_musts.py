"""The W3C Web Annotation test suite's MUST assertions, run as its harness runs them.

The schemas are those of w3c/web-annotation-tests (commit adedd9a, 2019; licence in its
license.md), unchanged: annotations/annotationMusts.test, the 54 assertion files it lists, and
definitions/*.json. Its harness (annotation-model/scripts/
JSONtest.js in web-platform-tests) compiles each assertion of a `.test` file with Ajv
(draft-04, `allErrors`, the definitions/*.json added as shared schemas), validates the
annotation, and compares with the assertion's `expectedResult` (default `valid`); an
unexpected result then continues, skips or aborts the rest by `onUnexpectedResult`; an object
with `compareWith` (`and`/`or`) combines its nested `assertions`; a nested list recurses.

Formats are checked two ways: as Ajv checks them by default ("fast": a scheme, then no
white space, for `uri`), and strictly (RFC 3986 characters and percent escapes; RFC 3339 date
and time with its offset), the "strict validator" of issue #12. An assertion passes only when
it passes both.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4


def _suite() -> Path | None:
    """Where the suite's files are: `$READER_W3C_SUITE`, or the shared/ folder beside the
    repo (`shared/w3c-web-annotation-tests`, the one place the workplace lets fetched data
    files live; they are never committed here); None when neither has them (the tests using
    them are then skipped, and the export's shape is still checked by our own tests)."""
    repo = Path(__file__).resolve().parents[2]
    candidates = [Path(p) for p in [os.environ.get("READER_W3C_SUITE", "")] if p] + [
        repo.parent / "shared" / "w3c-web-annotation-tests",
    ]
    return next((c for c in candidates if (c / "annotations" / "annotationMusts.test").is_file()),
                None)  # fmt: skip


SUITE = _suite() or Path("/nonexistent")
MUSTS = SUITE / "annotations" / "annotationMusts.test"
BASE = "https://w3c.test/"

AJV_FAST_URI = re.compile(r"^(?:[a-z][a-z0-9+\-.]*:)(?:/?/)?[^\s]*$", re.I)
AJV_FAST_DATE_TIME = re.compile(
    r"^\d\d\d\d-[0-1]\d-[0-3]\d[t\s](?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?"
    r"(?:z|[+-]\d\d(?::?\d\d)?)?$",
    re.I,
)
_URI_CHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})"
STRICT_URI = re.compile(rf"^[A-Za-z][A-Za-z0-9+\-.]*:{_URI_CHAR}*(?:#{_URI_CHAR}*)?$")
STRICT_DATE_TIME = re.compile(
    r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)"
    r"(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$"
)


def _checker(uri: re.Pattern[str], date_time: re.Pattern[str]) -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(())
    checker.checks("uri")(lambda v: not isinstance(v, str) or bool(uri.match(v)))
    checker.checks("date-time")(lambda v: not isinstance(v, str) or bool(date_time.match(v)))
    return checker


CHECKERS = {
    "ajv": _checker(AJV_FAST_URI, AJV_FAST_DATE_TIME),
    "strict": _checker(STRICT_URI, STRICT_DATE_TIME),
}


def _load(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def _registry() -> Registry:
    """The definitions, each under its own `id` (what `annotations.json#/…` refers to)."""
    resources = []
    for path in sorted((SUITE / "definitions").glob("*.json")) if SUITE.is_dir() else []:
        schema = _load(path)
        resources.append((BASE + schema["id"], Resource(schema, DRAFT4)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


@dataclass
class Outcome:
    """What one assertion said of one annotation."""

    title: str
    file: str
    passed: bool
    skipped: bool = False
    errors: list[str] = field(default_factory=list)


def _schema(reference: Any) -> dict[str, Any]:
    if isinstance(reference, str):
        schema = _load(SUITE / reference)
        return schema | {"assertionFile": reference}
    if "assertionFile" in reference:
        return _load(SUITE / reference["assertionFile"]) | reference
    return dict(reference)


def _validate(schema: dict[str, Any], content: Any) -> tuple[bool, list[str]]:
    uri = BASE + str(schema.get("id", "inline.json"))
    registry = REGISTRY.with_resource(uri, Resource(schema, DRAFT4))
    errors: list[str] = []
    for name, checker in CHECKERS.items():
        validator = jsonschema.Draft4Validator(
            {"$ref": uri}, registry=registry, format_checker=checker
        )
        errors += [f"{name}: {e.message[:200]}" for e in validator.iter_errors(content)]
    return not errors, errors


def _action(schema: dict[str, Any], expected: bool) -> str:
    if expected:
        return "continue"
    wanted = schema.get("onUnexpectedResult", "failAndContinue")
    return {"failAndSkip": "skip", "failAndAbort": "abort", "passAndSkip": "skip",
            "passAndAbort": "abort"}.get(wanted, "continue")  # fmt: skip


def run_assertions(
    assertions: list[Any], content: Any, outcomes: list[Outcome], action: str = "continue"
) -> tuple[str, list[bool]]:
    """JSONtest.runTests: each assertion in order; returns the action left and the results."""
    results: list[bool] = []
    for reference in assertions:
        if isinstance(reference, list):
            sub_action, _ = run_assertions(reference, content, outcomes, action)
            action = "abort" if sub_action == "abort" else action
            continue
        if action == "abort":
            break
        schema = _schema(reference)
        title, file = str(schema.get("title", "")), str(schema.get("assertionFile", "inline"))
        if "compareWith" in schema and isinstance(schema.get("assertions"), list):
            sub_action, sub = run_assertions(schema["assertions"], content, [], action)
            result = any(sub) if schema["compareWith"] == "or" else all(sub)
            outcomes.append(Outcome(title, file, result))
            action = _action(schema, result)
            results.append(result)
            continue
        if action != "continue":
            outcomes.append(Outcome(title, file, False, skipped=True))
            continue
        valid, errors = _validate(schema, content)
        expected = schema.get("expectedResult", "valid")
        result = valid if expected == "valid" else not valid
        outcomes.append(Outcome(title, file, result, errors=[] if result else errors))
        results.append(result)
        action = _action(schema, result)
    return action, results


def must_outcomes(annotation: Any) -> list[Outcome]:
    """Every assertion of annotationMusts.test run on one annotation."""
    test = _load(MUSTS)
    outcomes: list[Outcome] = []
    run_assertions(test["assertions"], annotation, outcomes)
    return outcomes


def must_count(annotations: list[Any]) -> tuple[int, int, dict[str, list[str]]]:
    """(assertions passed by every annotation, assertions, failures: file to error lines)."""
    failed: dict[str, list[str]] = {}
    total = 0
    for annotation in annotations:
        outcomes = must_outcomes(annotation)
        total = len(outcomes)
        for outcome in outcomes:
            if not outcome.passed:
                failed.setdefault(outcome.file, []).extend(outcome.errors or ["skipped"])
    return total - len(failed), total, failed
