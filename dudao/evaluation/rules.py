"""Who may do what with indicator data and evaluations. Built only from the access
module's grants, one condition per line, like the access module itself:

- upload data: a supervisor for its subtree; an officer for its own county (the county
  bureau fills in its schools' data); viewers never.
- run an evaluation, turn findings into problems: supervisors of the region.
- set thresholds: supervisors of a province or city, for that province or city.
- see a run: whoever sees its region; a county's page of a run: whoever sees the county.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from dudao.accounts import access
from dudao.accounts.models import Role
from dudao.regions.models import Level, Region

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dudao.accounts.models import User

    AnyUser = User | AnonymousUser


def ancestor_paths(path: str) -> list[str]:
    """ "230000/230400/230422/" -> ["230000/", "230000/230400/", "230000/230400/230422/"]."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def can_upload_for(user: AnyUser, region: Region) -> bool:
    for g in access.grants(user):
        if g.role == Role.SUPERVISOR and region.path.startswith(g.path):
            return True
        if g.role == Role.OFFICER and g.region_id == region.pk:
            return True
    return False


def upload_regions(user: AnyUser) -> QuerySet[Region]:
    q = Q(pk__in=[])
    for g in access.grants(user):
        if g.role == Role.SUPERVISOR:
            q |= Q(path__startswith=g.path)
        elif g.role == Role.OFFICER:
            q |= Q(pk=g.region_id)
    return Region.objects.filter(q)


def can_run_for(user: AnyUser, region: Region) -> bool:
    return any(
        g.role == Role.SUPERVISOR and region.path.startswith(g.path) for g in access.grants(user)
    )


def run_regions(user: AnyUser) -> QuerySet[Region]:
    return access.regions_user_can_evaluate_from(user)


def can_set_thresholds(user: AnyUser, region: Region) -> bool:
    if region.level not in {Level.PROVINCE, Level.CITY}:
        return False
    return any(
        g.role == Role.SUPERVISOR and region.path.startswith(g.path) for g in access.grants(user)
    )


def threshold_regions(user: AnyUser) -> QuerySet[Region]:
    return run_regions(user).filter(level__in=[Level.PROVINCE, Level.CITY])


def can_see_run_region(user: AnyUser, region: Region) -> bool:
    return access.can_see_region(user, region)


def runs_q(user: AnyUser) -> Q:
    """Runs the user may open: of a region it sees, or of an ancestor of its own region
    (an officer then sees its own county's page of that run)."""
    q = Q(region__in=access.regions_visible_to(user))
    paths = {p for g in access.grants(user) for p in ancestor_paths(g.path)}
    return q | Q(region__path__in=sorted(paths))
