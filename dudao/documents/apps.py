from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "dudao.documents"
    verbose_name = "公文"
