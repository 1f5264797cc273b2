from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "dudao.evaluation"
    verbose_name = "督导评估"

    def ready(self) -> None:
        from dudao.evaluation.demo import seed_evaluation_demo
        from dudao.evaluation.panel import item_panel
        from dudao.web.demo_hooks import HOOKS
        from dudao.web.panels import register_item_panel

        register_item_panel(item_panel)
        if seed_evaluation_demo not in HOOKS:
            HOOKS.append(seed_evaluation_demo)
