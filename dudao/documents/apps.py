from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "dudao.documents"
    verbose_name = "公文"

    def ready(self) -> None:
        from dudao.documents.generation import demo_documents
        from dudao.web.demo_hooks import HOOKS

        if demo_documents not in HOOKS:
            HOOKS.append(demo_documents)
