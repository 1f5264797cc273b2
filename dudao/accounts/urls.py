from django.urls import path

from dudao.accounts import views

urlpatterns = [
    path("password/", views.password_change, name="password-change"),
    path("users/", views.user_list, name="users"),
    path("users/<int:user_id>/", views.user_detail, name="user"),
    path("users/<int:user_id>/active/", views.user_active, name="user-active"),
    path("users/<int:user_id>/reset-password/", views.user_reset_password, name="user-reset"),
    path("users/<int:user_id>/unlock/", views.user_unlock, name="user-unlock"),
    path("users/<int:user_id>/email/", views.user_email, name="user-email"),
    path(
        "users/<int:user_id>/memberships/<int:membership_id>/role/",
        views.membership_role,
        name="membership-role",
    ),
]
