"""The one place that decides who may see or change what.

Rules (region subtree × role):
- supervisor (督导): sees its region's whole subtree; edits items there; signs off and sends
  back items of *lower* levels only; manages the rounds its region evaluates.
- items cascade (分解下发): the region holding an item (its supervisors and officers)
  passes it on to the regions directly below and to its own departments; a dispatched
  item is signed off (or sent back) by the supervisors of the region that dispatched it,
  one level at a time, never by a level further up.
- officer (经办人): sees and edits the items of its own region only.
- viewer (只读): sees its region's subtree, changes nothing.
Views, exports and commands never filter by region on their own: they call this module.
An object the user may not see is reported as not found (Http404), so a neighbouring county
cannot even learn that it exists.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from dudao.accounts.models import Role
from dudao.regions.models import Level, Region, ancestor_paths

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dudao.accounts.models import User
    from dudao.rectification.models import Item, ItemQuerySet, Round


class AccessDenied(PermissionDenied):
    """The user may see the object but not do this; the message says why, in Chinese
    (rendered by the 403 page)."""


@dataclass(frozen=True)
class Grant:
    role: str
    region_id: int
    path: str


def grants(user: User | AnonymousUser) -> tuple[Grant, ...]:
    """The user's memberships, read once per request and cached on the user object."""
    if not user.is_authenticated:
        return ()
    cached: tuple[Grant, ...] | None = getattr(user, "_dudao_grants", None)
    if cached is None:
        cached = tuple(
            Grant(role=role, region_id=region_id, path=path)
            for role, region_id, path in user.memberships.values_list(
                "role", "region_id", "region__path"
            )
        )
        setattr(user, "_dudao_grants", cached)  # noqa: B010 - a per-request cache on the user
    return cached


def _region_q(user: User | AnonymousUser, prefix: str, *, roles: set[str] | None = None) -> Q:
    """Regions the user sees, as a filter on the region relation `<prefix>` ("" for Region
    itself, "region__" for an item...)."""
    q = Q(pk__in=[])
    for g in grants(user):
        if roles is not None and g.role not in roles:
            continue
        if g.role == Role.OFFICER:
            q |= Q(**{f"{prefix}id": g.region_id})
        elif prefix:
            # `region_id IN (SELECT id FROM region WHERE path LIKE '…%')` lets the database
            # use the index on the referencing table instead of joining every row to regions.
            subtree = Region.objects.filter(path__startswith=g.path).values("id")
            q |= Q(**{f"{prefix}id__in": subtree})
        else:
            q |= Q(path__startswith=g.path)
    return q


def regions_visible_to(user: User | AnonymousUser) -> QuerySet[Region]:
    return Region.objects.filter(_region_q(user, ""))


def items_visible_to(user: User | AnonymousUser, *, archived: bool = False) -> ItemQuerySet:
    from dudao.rectification.models import Item

    qs = Item.objects.filter(_region_q(user, "region__"))
    return qs if archived else qs.active()


def rounds_visible_to(
    user: User | AnonymousUser, *, region_ids: Collection[int] | None = None
) -> QuerySet[Round]:
    """Rounds evaluating or evaluated by a region the user sees, or evaluating a region above
    the user's own (the county's items of its city's round). `region_ids`: the ids of
    `regions_visible_to(user)` when the caller has read them already (the same rule, with
    plain id lists instead of sub-queries)."""
    from dudao.rectification.models import Round

    above = sorted({p for g in grants(user) for p in ancestor_paths(g.path)})
    if region_ids is None:
        seen = _region_q(user, "evaluated_region__") | _region_q(user, "evaluating_region__")
    else:
        ids = list(region_ids)
        seen = Q(evaluated_region_id__in=ids) | Q(evaluating_region_id__in=ids)
    return Round.objects.filter(seen | Q(evaluated_region__path__in=above))


def item_for_user(user: User | AnonymousUser, item_id: int, *, write: bool = False) -> Item:
    """The item if the user may see it (and change it, with write=True); else Http404 /
    AccessDenied."""
    from dudao.rectification.models import Item

    try:
        item = Item.objects.select_related(
            "problem__round__evaluating_region", "region__parent", "parent__region"
        ).get(pk=item_id)
    except Item.DoesNotExist as exc:
        raise Http404("整改任务不存在") from exc
    # The same rule as items_visible_to, decided on the loaded item: one query fewer joins.
    if not can_see_region(user, item.region):
        raise Http404("整改任务不存在")
    if write and not can_edit_item(user, item):
        raise AccessDenied("您只能查看此整改任务，不能修改")
    return item


def round_for_user(user: User | AnonymousUser, round_id: int, *, manage: bool = False) -> Round:
    from dudao.rectification.models import Round

    try:
        rnd = (
            rounds_visible_to(user)
            .select_related("evaluating_region", "evaluated_region")
            .get(pk=round_id)
        )
    except Round.DoesNotExist as exc:
        raise Http404("评价不存在") from exc
    if manage and not can_manage_round(user, rnd):
        raise AccessDenied("只有评价方的督导人员才能管理此评价")
    return rnd


def _covers(g: Grant, region: Region) -> bool:
    return region.path.startswith(g.path)


def can_see_region(user: User | AnonymousUser, region: Region) -> bool:
    for g in grants(user):
        if g.role == Role.OFFICER and g.region_id == region.pk:
            return True
        if g.role != Role.OFFICER and _covers(g, region):
            return True
    return False


def can_edit_region_items(user: User | AnonymousUser, region: Region) -> bool:
    """Whether the user may change the items of `region` (its officers, supervisors above)."""
    for g in grants(user):
        if g.role == Role.OFFICER and g.region_id == region.pk:
            return True
        if g.role == Role.SUPERVISOR and _covers(g, region):
            return True
    return False


def can_edit_item(user: User | AnonymousUser, item: Item) -> bool:
    return item.archived_at is None and can_edit_region_items(user, item.region)


def items_user_can_sign_off(user: User | AnonymousUser) -> ItemQuerySet:
    """Items waiting for sign-off that the user may sign off: the same rule as
    can_sign_off, as one query (items its region dispatched; undispatched items of regions
    strictly below the user's supervisor grants)."""
    from dudao.rectification.models import Item, Status

    q = Q(pk__in=[])
    for g in grants(user):
        if g.role == Role.SUPERVISOR:
            # Both kinds lie in the grant's subtree (a dispatched item's region is the
            # dispatcher's or one directly below it): saying so lets the database start
            # from the subtree's items, not from every item waiting nationwide.
            subtree = Region.objects.filter(path__startswith=g.path)
            q |= Q(region_id__in=subtree.values("id")) & (
                (Q(parent__isnull=True) & ~Q(region_id=g.region_id))
                | Q(parent__region_id=g.region_id)
            )
    return Item.objects.active().filter(q, status=Status.SIGNOFF_REQUESTED)


def can_sign_off(user: User | AnonymousUser, item: Item) -> bool:
    """A dispatched item: only a supervisor of the region that dispatched it (one level at a
    time). An item assigned by its round: a supervisor of a strictly higher level. A county
    never signs off its own items."""
    if item.archived_at is not None:
        return False
    if item.parent_id is not None:
        dispatcher = item.parent.region_id if item.parent else None
        return any(g.role == Role.SUPERVISOR and g.region_id == dispatcher for g in grants(user))
    return any(
        g.role == Role.SUPERVISOR and _covers(g, item.region) and g.region_id != item.region_id
        for g in grants(user)
    )


def can_dispatch(user: User | AnonymousUser, item: Item) -> bool:
    """Whoever holds an item passes it on: the supervisors and officers of its own region.
    A department's item is not split further."""
    if item.archived_at is not None or item.unit:
        return False
    return any(
        g.role in (Role.SUPERVISOR, Role.OFFICER) and g.region_id == item.region_id
        for g in grants(user)
    )


def can_manage_round(user: User | AnonymousUser, rnd: Round) -> bool:
    return any(
        g.role == Role.SUPERVISOR and _covers(g, rnd.evaluating_region) for g in grants(user)
    )


def can_add_received_problems(user: User | AnonymousUser, rnd: Round) -> bool:
    """A round the region received from a sender outside Dudao (`round_receive`) is the
    region's own record: whoever may change the region's items may add its problems."""
    return bool(rnd.source_issuer) and can_edit_region_items(user, rnd.evaluated_region)


def supervises(user: User | AnonymousUser, region: Region) -> bool:
    """A supervisor of the region or of a region above it."""
    return any(g.role == Role.SUPERVISOR and _covers(g, region) for g in grants(user))


def can_create_round(user: User | AnonymousUser, evaluating_region: Region) -> bool:
    return supervises(user, evaluating_region)


# --- indicator data and evaluations ------------------------------------------------------
# Uploading data: a supervisor for its subtree, an officer for its own county (the county
# bureau fills in its schools' data); viewers never. Running an evaluation and turning
# findings into problems: supervisors. Thresholds: supervisors of a province or city.


def can_upload_data_for(user: User | AnonymousUser, region: Region) -> bool:
    return can_edit_region_items(user, region)


def regions_user_can_upload_for(user: User | AnonymousUser) -> QuerySet[Region]:
    return Region.objects.filter(_region_q(user, "", roles={Role.SUPERVISOR, Role.OFFICER}))


def can_run_evaluation_for(user: User | AnonymousUser, region: Region) -> bool:
    return supervises(user, region)


def can_set_thresholds(user: User | AnonymousUser, region: Region) -> bool:
    return region.level in {Level.PROVINCE, Level.CITY} and supervises(user, region)


def regions_user_can_set_thresholds_for(user: User | AnonymousUser) -> QuerySet[Region]:
    return regions_user_can_evaluate_from(user).filter(level__in=[Level.PROVINCE, Level.CITY])


def evaluation_runs_q(user: User | AnonymousUser) -> Q:
    """Runs the user may open: of a region it sees, or of a region above its own (an officer
    then sees its own county's page of that run)."""
    paths = {p for g in grants(user) for p in ancestor_paths(g.path)}
    return Q(region__in=regions_visible_to(user)) | Q(region__path__in=sorted(paths))


def regions_user_can_evaluate_from(user: User | AnonymousUser) -> QuerySet[Region]:
    return Region.objects.filter(_region_q(user, "", roles={Role.SUPERVISOR}))


def can_assign_to(user: User | AnonymousUser, rnd: Round, region: Region) -> bool:
    return can_manage_round(user, rnd) and region.path.startswith(rnd.evaluated_region.path)


def is_supervisor(user: User | AnonymousUser) -> bool:
    return any(g.role == Role.SUPERVISOR for g in grants(user))


def can_write_county_reports(user: User | AnonymousUser) -> bool:
    """Whether the user edits some region's items, so may write its 整改情况报告 (officers and
    supervisors; viewers never)."""
    return any(g.role in {Role.OFFICER, Role.SUPERVISOR} for g in grants(user))


def can_write_feedback(user: User | AnonymousUser) -> bool:
    """Whether the user supervises a province or a city, so signs off the items of the
    regions below it and may write their 整改通知 and 整改汇总报告 (a county never does)."""
    ids = [g.region_id for g in grants(user) if g.role == Role.SUPERVISOR]
    return (
        bool(ids)
        and Region.objects.filter(pk__in=ids, level__in=[Level.PROVINCE, Level.CITY]).exists()
    )


def describe(user: User | AnonymousUser) -> list[dict[str, Any]]:
    """Memberships for display (region name and role label)."""
    labels = dict(Role.choices)
    regions = {r.pk: r for r in Region.objects.filter(pk__in=[g.region_id for g in grants(user)])}
    return [
        {"region": regions[g.region_id], "role": g.role, "role_label": labels[g.role]}
        for g in grants(user)
    ]


# --- people -------------------------------------------------------------------------------
# A supervisor manages the users whose every membership lies in its subtree (its own region
# included), except itself; a user with a membership elsewhere belongs to someone else too.


def can_manage_users(user: User | AnonymousUser) -> bool:
    return is_supervisor(user)


def regions_user_can_manage_users_in(user: User | AnonymousUser) -> QuerySet[Region]:
    return Region.objects.filter(_region_q(user, "", roles={Role.SUPERVISOR}))


def users_manageable_by(user: User | AnonymousUser) -> QuerySet[User]:
    from dudao.accounts.models import Membership
    from dudao.accounts.models import User as UserModel

    if not can_manage_users(user):
        return UserModel.objects.none()
    inside = regions_user_can_manage_users_in(user).values("id")
    outside = Membership.objects.exclude(region_id__in=inside).values("user_id")
    return (
        UserModel.objects.filter(memberships__region_id__in=inside)
        .exclude(pk__in=outside)
        .exclude(pk=getattr(user, "pk", None) or 0)
        .distinct()
    )


def managed_user_for(user: User | AnonymousUser, user_id: int) -> User:
    """A user the supervisor may manage; anyone else is not found (Http404)."""
    from dudao.accounts.models import User as UserModel

    if not can_manage_users(user):
        raise Http404("用户不存在")
    try:
        return users_manageable_by(user).get(pk=user_id)
    except UserModel.DoesNotExist as exc:
        raise Http404("用户不存在") from exc


def can_manage_users_in(user: User | AnonymousUser, region: Region) -> bool:
    return supervises(user, region)
