from django.urls import include, path

urlpatterns = [
    path("", include("dudao.web.urls")),
    path("accounts/", include("dudao.accounts.urls")),
    path("ledger/", include("dudao.rectification.urls")),
    path("documents/", include("dudao.documents.urls")),
    path("imports/", include("dudao.documents.import_urls")),
    path("evaluation/", include("dudao.evaluation.urls")),
]
