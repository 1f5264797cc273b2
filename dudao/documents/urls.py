from django.urls import path

from dudao.documents import views

urlpatterns = [
    path("", views.document_list, name="documents"),
    path("new/", views.document_new, name="document-new"),
    path("<int:document_id>/<slug:fmt>/", views.document_download, name="document-download"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger-xlsx"),
    path("ledger/import/", views.ledger_import, name="ledger-xlsx-import"),
]
