from django.urls import path

from dudao.documents import import_views, sheet_views

urlpatterns = [
    path("", import_views.import_upload, name="import-upload"),
    path("sheet/", sheet_views.sheet_upload, name="import-sheet"),
    path("sheet/<slug:token>/", sheet_views.sheet_map, name="import-sheet-map"),
    path("sheet/<slug:token>/done/", sheet_views.sheet_done, name="import-sheet-done"),
    path("<slug:token>/", import_views.import_preview, name="import-preview"),
    path("<slug:token>/receive/", import_views.import_receive, name="import-receive"),
    path("<slug:token>/done/", import_views.import_done, name="import-done"),
    path("<slug:token>/page/<int:number>.png", import_views.import_page, name="import-page"),
]
