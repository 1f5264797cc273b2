"""Indicator data, evaluation runs and their findings, and the thresholds they used.

Data files are kept as uploaded (default_storage, generated name, SHA-256) and re-read by
the engine when a run or a re-check needs them: the engine reads a city's files in
milliseconds, a parsed copy is cached per process (`tables.py`), and the file stays the one
source of truth an evaluator can download again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dudao.regions.models import Region


class Kind(models.TextChoices):
    SCHOOLS = "schools", "学校数据"
    COUNTIES = "counties", "区县数据"


class ThresholdOverride(models.Model):
    """A province's or city's own threshold for one key, from `valid_from` on. Rows are
    never edited: a later row with a later date replaces an earlier one for new runs, and
    each run keeps the thresholds it used."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name="适用地区"
    )
    key = models.CharField("阈值项", max_length=64)
    value = models.FloatField("阈值")
    valid_from = models.DateField("生效日期")
    note = models.CharField("依据/说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region__code", "key", "valid_from", "id"]
        verbose_name = "阈值调整"

    def __str__(self) -> str:
        return f"{self.region.name} {self.key}={self.value}（{self.valid_from}起）"


class Dataset(models.Model):
    """One uploaded, fully validated data file for a year and a region."""

    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("年度")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name="数据范围"
    )
    original_name = models.CharField("文件名", max_length=255)
    stored_name = models.CharField(max_length=255, unique=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    rows = models.PositiveIntegerField("行数")
    # county codes (and, for county data, years) the file holds: which file supplies a
    # county is decided from these without opening every file
    counties = models.JSONField(default=list)
    years = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "year"])]
        verbose_name = "指标数据"

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()}（{self.original_name}）"


class EvaluationRun(models.Model):
    """An evaluation of a region's counties for a year, frozen as it was computed:
    `thresholds` is {group region code: resolved thresholds} (a province's counties may
    sit under cities with different overrides); `summary` is {county code: {"name",
    "findings", "cells": {"key.level": {...}}}} for the overview page; each county's full
    result lives in RunCounty."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name="评估范围"
    )
    year = models.PositiveSmallIntegerField("数据年度")
    evaluated_on = models.DateField("阈值基准日")
    thresholds = models.JSONField(default=dict)
    summary = models.JSONField(default=dict)
    datasets = models.JSONField(default=list)  # ids of the files used
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "评估结果"

    def __str__(self) -> str:
        return f"{self.region.name}{self.year}年度督导评估"


class RunCounty(models.Model):
    """One county of a run: `entries` are its evaluation_to_dict entries (小学, 初中, 学前,
    县域), `schools` every school's value per indicator and level for the charts."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="counties")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    entries = models.JSONField(default=list)
    schools = models.JSONField(default=dict)
    group = models.CharField(max_length=6)  # the region code whose thresholds applied

    class Meta:
        ordering = ["region__code"]
        constraints = [models.UniqueConstraint(fields=["run", "region"], name="run_county_unique")]

    def __str__(self) -> str:
        return f"{self.run} · {self.region.name}"


class Finding(models.Model):
    """A draft problem the engine found for a county; `problem` is set once a supervisor
    has turned it into a problem of a round."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="findings")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=0)
    indicator = models.CharField(max_length=64)
    indicators = models.JSONField(default=list)
    dimension = models.CharField("维度", max_length=64)
    statement = models.TextField("问题")
    evidence = models.JSONField(default=dict)
    problem = models.ForeignKey(
        "rectification.Problem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )

    class Meta:
        ordering = ["run", "region__code", "order", "id"]
        verbose_name = "评估发现"

    def __str__(self) -> str:
        return self.statement[:40]
