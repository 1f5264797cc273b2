from django.urls import path

from dudao.evaluation import views

urlpatterns = [
    path("", views.index, name="evaluation"),
    path("templates/<slug:kind>.<slug:fmt>", views.template_download, name="evaluation-template"),
    path("upload/", views.upload, name="evaluation-upload"),
    path("datasets/<int:dataset_id>/", views.dataset_download, name="evaluation-dataset"),
    path("runs/", views.run_create, name="evaluation-run-new"),
    path("runs/<int:run_id>/", views.run_detail, name="evaluation-run"),
    path("runs/<int:run_id>/problems/", views.to_problems, name="evaluation-to-problems"),
    path("runs/<int:run_id>/<str:code>/", views.run_county, name="evaluation-county"),
    path("thresholds/", views.thresholds, name="evaluation-thresholds"),
]
