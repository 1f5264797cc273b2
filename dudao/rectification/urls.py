from django.urls import path

from dudao.rectification import chain_views, views

urlpatterns = [
    path("", views.ledger_list, name="ledger"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:item_id>/progress/", views.item_progress, name="item-progress"),
    path("items/<int:item_id>/evidence/", views.item_evidence, name="item-evidence"),
    path("items/<int:item_id>/archive/", views.item_archive, name="item-archive"),
    path("items/<int:item_id>/panels/", views.item_panels, name="item-panels"),
    path("items/<int:item_id>/children/", chain_views.item_children, name="item-children"),
    path("items/<int:item_id>/<slug:action>/", views.item_transition, name="item-transition"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round-new"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/dispatch/", chain_views.round_dispatch, name="round-dispatch"),
]
