from django.urls import path

from dudao.supervision import views

urlpatterns = [
    path("", views.overview, name="supervision-overview"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox-read"),
    path("preferences/", views.preferences, name="notification-preferences"),
    path("settings/", views.settings_page, name="supervision-settings"),
    path("urge/", views.urge, name="supervision-urge"),
    path("duban/", views.duban, name="supervision-duban"),
    path("tongbao/", views.tongbao, name="supervision-tongbao"),
    path("interview/", views.interview, name="supervision-interview"),
    path("documents/<int:document_id>/", views.document_download, name="supervision-document"),
    path(
        "documents/<int:document_id>/pdf/",
        views.document_pdf,
        name="supervision-document-pdf",
    ),
    path("items/<int:item_id>/extension/", views.extension_request, name="extension-request"),
    path("extensions/<int:extension_id>/decide/", views.extension_decide, name="extension-decide"),
    path("items/<int:item_id>/ongoing/", views.ongoing_plan, name="ongoing-plan"),
]
