from django.urls import include, path

urlpatterns = [
    path("", include("dudao.web.urls")),
    path("ledger/", include("dudao.rectification.urls")),
]
