"""Every rule's fixtures, Terraform and live, run through the real pipeline.

Cases are discovered, not listed: `fixtures/<RULE-ID>/terraform/<case>/` (with
`expected.json`) and `fixtures/<RULE-ID>/live/<case>.json`. Each case runs only
its own rule and must give exactly the expected sets (and FAIL lines).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from surveyor.checks.base import Check
from surveyor.checks.loader import builtin_policy_dir, load_checks
from surveyor.engine import SOURCE_ERROR_RULE, run_checks
from surveyor.model import Result, Status
from surveyor.model.serialize import error_from_json, resource_from_json
from surveyor.model.types import KNOWN_TYPES
from surveyor.resourceset import ResourceSet

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
STATUSES = ("FAIL", "PASS", "UNKNOWN", "ERROR")


def terraform_cases() -> list[Path]:
    return sorted(p.parent for p in FIXTURES.glob("*/terraform/*/expected.json"))


def live_cases() -> list[Path]:
    return sorted(FIXTURES.glob("*/live/*.json"))


def case_id(path: Path) -> str:
    return str(path.relative_to(FIXTURES))


@lru_cache(maxsize=1)
def checks_by_id() -> dict[str, Check]:
    loaded = load_checks([builtin_policy_dir()], known_types=KNOWN_TYPES)
    return {item.meta.id: item.check for item in loaded}


def rule_of(case: Path) -> Check:
    rule_id = case.relative_to(FIXTURES).parts[0]
    check = checks_by_id().get(rule_id)
    if check is None:
        pytest.fail(f"{case_id(case)}: no loaded check has the id {rule_id}")
    return check


def observed(results: Iterable[Result], rule_id: str) -> dict[str, dict[str, str]]:
    """status -> {resource: "file:line" or message} for one rule's results."""
    found: dict[str, dict[str, str]] = {s: {} for s in STATUSES}
    for result in results:
        if result.rule_id == SOURCE_ERROR_RULE:
            found["ERROR"][result.resource] = f"input error: {result.message}"
            continue
        if result.rule_id != rule_id:
            continue
        if result.status is Status.FAIL and result.location is not None:
            where = f"{result.location.path}:{result.location.start_line}"
        else:
            where = result.message
        found[result.status.value][result.resource] = where
    return found


def compare(
    case: Path, expected: Mapping[str, Any], got: dict[str, dict[str, str]]
) -> None:
    problems: list[str] = []
    unknown_keys = set(expected) - set(STATUSES)
    if unknown_keys:
        problems.append(f"expected.json has unknown keys {sorted(unknown_keys)}")
    for status in STATUSES:
        want = expected.get(status, {} if status == "FAIL" else [])
        want_set = set(want)
        got_set = set(got[status])
        for address in sorted(want_set - got_set):
            actual = [s for s in STATUSES if address in got[s]]
            detail = (
                f"got {actual[0]}: {got[actual[0]][address]}" if actual else "no result"
            )
            problems.append(f"{address}: expected {status}, {detail}")
        for address in sorted(got_set - want_set):
            if any(address in expected.get(s, ()) for s in STATUSES if s != status):
                continue  # already reported above as a mismatch
            problems.append(f"{address}: unexpected {status}: {got[status][address]}")
        if status == "FAIL" and isinstance(want, Mapping):
            for address, line in sorted(want.items()):
                if address in got["FAIL"] and got["FAIL"][address] != line:
                    problems.append(
                        f"{address}: FAIL expected at {line}, reported at "
                        f"{got['FAIL'][address]}"
                    )
    if problems:
        pytest.fail(f"{case_id(case)}:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.mark.parametrize("case", terraform_cases(), ids=case_id)
def test_terraform_fixture_gives_expected_results(case: Path) -> None:
    check = rule_of(case)
    expected = json.loads((case / "expected.json").read_text())
    assert isinstance(expected.get("FAIL", {}), dict), (
        f"{case_id(case)}: FAIL must map address to file:line"
    )
    try:
        from surveyor.sources.terraform import TerraformOptions, load_terraform
    except ImportError as exc:  # the Terraform source is built in parallel
        pytest.fail(f"the Terraform source is not importable yet: {exc}")

    resources = load_terraform(
        TerraformOptions(
            targets=[case], root=case, var_files=[], variables={}, use_cache=False
        )
    )
    results = run_checks([check], resources)
    compare(case, expected, observed(results, check.meta.id))


@pytest.mark.parametrize("case", live_cases(), ids=case_id)
def test_live_fixture_gives_expected_results(case: Path) -> None:
    check = rule_of(case)
    data = json.loads(case.read_text())
    resources = ResourceSet(
        [resource_from_json(r) for r in data.get("resources", [])],
        collection_errors=[
            error_from_json(e) for e in data.get("collection_errors", [])
        ],
    )
    # Live results carry no file lines, so FAIL is a list of ARNs here.
    results = run_checks([check], resources)
    compare(case, data["expected"], observed(results, check.meta.id))
