from django.urls import include, path

urlpatterns = [
    path("", include("dudao.web.urls")),
    path("accounts/", include("dudao.accounts.urls")),
    path("ledger/", include("dudao.rectification.urls")),
    path("documents/", include("dudao.documents.urls")),
    path("imports/", include("dudao.documents.import_urls")),
    path("evaluation/", include("dudao.evaluation.urls")),
    path("supervision/", include("dudao.supervision.urls")),
]

# A refused request says why (too many fields, too large), not only "请求无效".
handler400 = "dudao.web.views.bad_request"
