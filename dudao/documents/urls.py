from django.urls import path

from dudao.documents import reconciliation_views, views

urlpatterns = [
    path("", views.document_list, name="documents"),
    path("new/", views.document_new, name="document-new"),
    path("<int:document_id>/<slug:fmt>/", views.document_download, name="document-download"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger-xlsx"),
    path("ledger/import/", views.ledger_import, name="ledger-xlsx-import"),
    path(
        "rounds/<int:round_id>/reconciliation/",
        reconciliation_views.round_reconciliation_page,
        name="round-reconciliation",
    ),
    path("items/<int:item_id>/review/", reconciliation_views.item_review, name="item-review"),
]
