"""The resource indicators' findings words for a block of counties at once, for the writers.

At national scale some 24,000 county × level × indicator results have schools failing a
resource standard or within its allowance. Building each as an `IndicatorResult` with its
`SchoolValue`s, then wording it, was most of the writers' Python time. Here the numbers are
gathered and formatted column-wise (numpy, one `schools_at` per list, the evidence's school
lists JSON-encoded by orjson in a few calls and embedded as `orjson.Fragment`s), and each
result becomes a `findings.ResourceHit` worded by the same `findings.level_facts` and
`findings.listed` as the per-county path (`findings.resource_hit`), its evidence made by
`findings.resource_evidence`. The findings and risks are then drafted per county from those
hits by `findings.draft`, as for the web (`Evaluation.drafts`).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np
import orjson

from dudao.engine.compute import RESOURCE_QUANTITIES, Ranked, ResourceArrays, SchoolArrays
from dudao.engine.cv import FloatArray, IntArray
from dudao.engine.display import affixes, plain, shown_many, threshold_text
from dudao.engine.evaluation import Evaluation
from dudao.engine.findings import (
    NAMED,
    ResourceHit,
    gap_of,
    gap_unit,
    level_facts,
    listed,
    resource_evidence,
)
from dudao.engine.indicators import LEVEL_NAMES, SCHOOL_LEVELS, Indicator, framework


@dataclass(frozen=True)
class _Lists:
    """The worst schools of groups `g` under one ranking: group i's are entries
    bounds[i]:bounds[i + 1] of `ids`, `names` and `values`."""

    bounds: list[int]
    ids: list[str]
    names: list[str]
    values: FloatArray


def _lists(
    arrays: SchoolArrays,
    ranked: Ranked,
    res: ResourceArrays,
    g: IntArray,
    first: int,
    with_ids: bool = True,
) -> _Lists:
    """The `first` worst schools of each of groups `g` in `ranked` (without their ids
    unless `with_ids`)."""
    starts = ranked.start_array
    lens = np.minimum(starts[g + 1] - starts[g], first)
    bounds = np.concatenate(([0], np.cumsum(lens)))
    index = np.repeat(starts[g] - bounds[:-1], lens) + np.arange(int(bounds[-1]), dtype=np.int64)
    rows = ranked.rows[index]
    if with_ids:
        ids, names = arrays.schools_at(rows)
    else:
        ids, names = [], arrays.names_at(rows)
    return _Lists(bounds.tolist(), ids, names, res.x[rows] * res.scale)


def _named(ind: Indicator, lists: _Lists) -> tuple[list[str], list[int]]:
    """The first `NAMED` schools of each group as a statement names them, their name and
    value (`findings.school_list`), and the groups' bounds in that list."""
    bounds = np.asarray(lists.bounds, dtype=np.int64)
    lens = np.minimum(np.diff(bounds), NAMED)
    named = np.concatenate(([0], np.cumsum(lens)))
    index = np.repeat(bounds[:-1] - named[:-1], lens) + np.arange(int(named[-1]), dtype=np.int64)
    before, after = affixes(ind)
    texts = shown_many(lists.values[index], ind.decimals)
    if before or after:
        texts = [before + text + after for text in texts]
    names = [lists.names[i] for i in index.tolist()]
    return list(map(operator.add, names, texts)), named.tolist()


def _strings(texts: list[str]) -> list[bytes]:
    """Each text JSON-encoded as orjson encodes it, without its quotes. One call per text:
    splitting one encoded list on '","' would cut a name holding '",' (an escaped quote
    then a comma) in two."""
    dumps = orjson.dumps
    return [dumps(text)[1:-1] for text in texts]


def _objects(lists: _Lists) -> list[orjson.Fragment]:
    """Per group, its schools as the evidence lists them (`[{"id", "name", "value"}]`),
    JSON-encoded by orjson (a few calls for all, no Python dict per school)."""
    values = lists.values.tolist()
    numbers = orjson.dumps(values)[1:-1].split(b",") if values else []
    objects = [
        b'{"id":"%b","name":"%b","value":%b}' % school
        for school in zip(_strings(lists.ids), _strings(lists.names), numbers, strict=True)
    ]
    b = lists.bounds
    return [
        orjson.Fragment(b"[" + b",".join(objects[b[i] : b[i + 1]]) + b"]")
        for i in range(len(b) - 1)
    ]


def resource_hits(ev: Evaluation, counties: IntArray, named: int) -> dict[int, list[ResourceHit]]:
    """Per county (its index in `ev.school_arrays.county_codes`, for each of `counties`),
    its resource hits in level order, as `findings.hits` has them from `ev.drafts(code,
    named)`'s results: with schools failing or within the allowance, at most `named`
    schools in each evidence list."""
    arrays, fw, t = ev.school_arrays, framework(), ev.thresholds
    n = len(arrays.county_codes)
    out: dict[int, list[ResourceHit]] = {}
    if not n or not counties.size:
        return out
    for li, level in enumerate(SCHOOL_LEVELS):
        lname = LEVEL_NAMES[level]
        groups = np.asarray(counties, dtype=np.int64) + li * n
        groups = groups[(arrays.schools[groups] > 0) & (arrays.students[groups] > 0)]
        limit = t[fw.get("balance_cv").threshold_key(level)]
        limit_text = plain(limit)
        for key in RESOURCE_QUANTITIES:
            ind = fw.get(key)
            if not ind.applies_to(ev.year):
                continue
            res = arrays.resources[key]
            n_failing = arrays.counts(res.failing)[groups]
            n_allowed = arrays.counts(res.allowed)[groups]
            hit = (n_failing + n_allowed) > 0
            g = groups[hit]
            if not g.size:
                continue
            n_failing, n_allowed = n_failing[hit], n_allowed[hit]
            threshold = t[ind.threshold_key(level)]
            failing = _lists(arrays, arrays.ranked(res.failing, res.x, named, False), res, g, named)
            allowed = _lists(
                arrays, arrays.ranked(res.allowed, res.x, named, False), res, g, NAMED, False
            )
            # without schools within the allowance, those below standard are those failing
            ranked_below = arrays.ranked(res.below, res.x, named, False)
            below = _lists(arrays, ranked_below, res, g[n_allowed > 0], named)
            (failing_named, fnb), (allowed_named, ab) = _named(ind, failing), _named(ind, allowed)
            failing_objects, below_objects = _objects(failing), iter(_objects(below))
            # per group with schools failing: the worst value, its gap, as a statement has them
            fb = failing.bounds
            worst_at = np.asarray(fb[:-1], dtype=np.int64)[n_failing > 0]
            worst = failing.values[worst_at]
            before, after = affixes(ind)
            worst_texts = iter(
                [
                    before + w + after
                    for w in shown_many(worst, ind.decimals, threshold, ind.comparison)
                ]
            )
            gap_texts = iter(
                [w + gap_unit(ind) for w in shown_many(gap_of(ind, worst, threshold), ind.decimals)]
            )
            cv = res.cv[g]
            finite = np.isfinite(cv)
            cv_texts = iter(shown_many(cv[finite], 3, limit, "<="))
            standard = threshold_text(ind, threshold)
            values = res.value[g].tolist()
            schools = arrays.with_students[g].tolist()
            for i, (gg, nf, na, ok, c, value, s) in enumerate(
                zip(
                    g.tolist(),
                    n_failing.tolist(),
                    n_allowed.tolist(),
                    finite.tolist(),
                    cv.tolist(),
                    values,
                    schools,
                    strict=True,
                )
            ):
                allowed_listed = listed(allowed_named[ab[i] : ab[i + 1]], na) if na else ""
                facts = ""
                if nf:
                    facts = level_facts(
                        lname,
                        nf,
                        listed(failing_named[fnb[i] : fnb[i + 1]], nf),
                        next(worst_texts),
                        standard,
                        next(gap_texts),
                        na,
                        allowed_listed,
                        next(cv_texts) if ok else None,
                        ok and not c <= limit + 1e-12,
                        limit_text,
                    )
                elif ok:
                    next(cv_texts)
                evidence = resource_evidence(
                    value,
                    threshold,
                    ind.comparison,
                    ind.unit,
                    c if ok else None,
                    limit,
                    s,
                    nf + na,
                    next(below_objects) if na else failing_objects[i],
                    nf,
                    failing_objects[i],
                    na,
                )
                hit_ = ResourceHit(key, level, threshold, nf, na, facts, allowed_listed, evidence)
                out.setdefault(gg - li * n, []).append(hit_)
    return out
