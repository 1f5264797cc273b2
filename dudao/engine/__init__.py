"""Pure evaluation engine: indicator data in; indicator results, draft findings, re-checks
and claim checks out. Imports nothing from Django. See INDICATORS.md for the indicators."""

import importlib
from typing import TYPE_CHECKING, Any

from dudao.engine.cv import weighted_cv
from dudao.engine.errors import DataError, EngineError
from dudao.engine.evaluation import Evaluation, evaluate
from dudao.engine.export import evaluation_to_dict
from dudao.engine.indicators import (
    Indicator,
    Thresholds,
    default_thresholds,
    framework,
    resolve_thresholds,
)
from dudao.engine.keywords import indicators_for_statement

# `recheck` and `synth` name both a module and its function: imported here, so that the
# function, not the module, is what `from dudao.engine import recheck` gives.
from dudao.engine.recheck import ProblemRef, Recheck, recheck
from dudao.engine.results import CountyResult, Finding, IndicatorResult, LevelResult, SchoolValue
from dudao.engine.synth import synth
from dudao.engine.tables import CountyTable, SchoolTable, read_counties, read_schools

if TYPE_CHECKING:
    from dudao.engine.claims import ClaimCheck, ClaimFact, check_claims
    from dudao.engine.hegang import HEGANG_COUNTIES, hegang_demo
    from dudao.engine.template import write_template

# Imported when first asked for, not on `dudao evaluate`'s path: openpyxl (for the
# templates) takes ~0.5 s to import, the claim check and the demo data ~20 ms.
_LAZY = {
    "ClaimCheck": "claims",
    "ClaimFact": "claims",
    "check_claims": "claims",
    "HEGANG_COUNTIES": "hegang",
    "hegang_demo": "hegang",
    "write_template": "template",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    value = getattr(importlib.import_module(f"dudao.engine.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "HEGANG_COUNTIES",
    "ClaimCheck",
    "ClaimFact",
    "CountyResult",
    "CountyTable",
    "DataError",
    "EngineError",
    "Evaluation",
    "Finding",
    "Indicator",
    "IndicatorResult",
    "LevelResult",
    "ProblemRef",
    "Recheck",
    "SchoolTable",
    "SchoolValue",
    "Thresholds",
    "check_claims",
    "default_thresholds",
    "evaluate",
    "evaluation_to_dict",
    "framework",
    "hegang_demo",
    "indicators_for_statement",
    "read_counties",
    "read_schools",
    "recheck",
    "resolve_thresholds",
    "synth",
    "weighted_cv",
    "write_template",
]
