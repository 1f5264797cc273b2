from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "dudao.supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from dudao.supervision import hooks
        from dudao.supervision.demo import seed_supervision_demo
        from dudao.supervision.panel import home_panel, item_panel
        from dudao.web.demo_hooks import HOOKS
        from dudao.web.panels import register_home_panel, register_item_panel

        hooks.connect()
        register_item_panel(item_panel)
        register_home_panel(home_panel)
        if seed_supervision_demo not in HOOKS:
            HOOKS.append(seed_supervision_demo)
