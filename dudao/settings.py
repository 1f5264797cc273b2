"""Django settings, read from the environment (see .env.example).

With no environment at all, Dudao runs on an embedded SQLite database in ./var/.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from dudao.lib.env import env_bool, env_int, env_list, env_str
from dudao.lib.secret import secret_key_in

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("DUDAO_VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("DUDAO_DEBUG", False)
# No key lives in the source: without DUDAO_SECRET_KEY one is generated on first start and
# kept in $DUDAO_VAR_DIR/secret_key (mode 0600).
SECRET_KEY = env_str("DUDAO_SECRET_KEY", "").strip() or secret_key_in(VAR_DIR)
ALLOWED_HOSTS = env_list("DUDAO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DUDAO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "dudao.regions",
    "dudao.accounts",
    "dudao.audit",
    "dudao.rectification",
    "dudao.documents",
    "dudao.evaluation",
    "dudao.supervision",
    "dudao.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dudao.urls"
WSGI_APPLICATION = "dudao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "dudao.sqlite3"),
            # Keep each server thread's connection between requests: opening one and
            # running the PRAGMAs below cost more than a small page's queries.
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # WAL lets readers proceed while one writer writes; the busy timeout makes
                # a second writer wait instead of failing with "database is locked".
                # case_sensitive_like makes `startswith` case-sensitive as Django documents
                # it, and lets SQLite use the index on Region.path for subtree queries.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA case_sensitive_like=ON;"
                ),
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's own validators; their messages are translated by Django's zh_Hans catalogue.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "dudao.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("DUDAO_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account or address before any password check.
    "dudao.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes): after DUDAO_LOGIN_FAILURES wrong passwords for one account, or from
# one address, further logins are refused for DUDAO_LOCKOUT_HOURS, or until a supervisor
# unlocks the account (用户管理 → 解除锁定). A right password resets the count.
AXES_FAILURE_LIMIT = env_int("DUDAO_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("DUDAO_LOCKOUT_HOURS", 1) or None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dudao.accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "dudao.accounts.lockout.client_address"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Only needed for `collectstatic` in a deployment; the app serves from the packages otherwise.
STATIC_ROOT = env_str("DUDAO_STATIC_ROOT", "") or None
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files straight from the apps, so the demo needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Deployment behind TLS --------------------------------------------------------------
# DUDAO_HTTPS=1: the site is served over HTTPS by a reverse proxy that sets
# X-Forwarded-Proto; cookies are then Secure, plain HTTP is redirected and HSTS is sent.
HTTPS = env_bool("DUDAO_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env_int("DUDAO_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("DUDAO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("DUDAO_HSTS_PRELOAD", True)
SESSION_COOKIE_AGE = env_int("DUDAO_SESSION_SECONDS", 12 * 3600)
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts, styles and everything else from this site
# only; no inline script, style element or style attribute, no eval. The charts are inline
# SVG, whose presentation attributes (fill=…) the policy does not govern.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Evidence uploads (佐证材料).
DUDAO_EVIDENCE_MAX_BYTES = env_int("DUDAO_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# The largest request `dudao serve` accepts: the largest upload (indicator data, 200 MB,
# dudao.engine.sheet.MAX_BYTES) and the form around it. waitress answers a larger one
# with 413 as soon as its Content-Length arrives, before receiving it (a browser user never
# meets that: upload.js refuses a file past its form's limit before sending it).
DUDAO_MAX_REQUEST_BYTES = max(200 << 20, DUDAO_EVIDENCE_MAX_BYTES) + (1 << 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A round's assign form lists every problem and every county below the evaluated region
# (a province: ~130 counties; the whole country: 2,850) as checkboxes: Django's default of
# 1,000 fields refused a large selection. Past this limit the 400 page says what happened.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DUDAO_MAX_FORM_FIELDS", 10_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

DUDAO_DEMO_PASSWORD = env_str("DUDAO_DEMO_PASSWORD", "dudao2024")

# E-mail (督查督办 digests): SMTP when DUDAO_EMAIL_HOST is set, else printed on the console.
EMAIL_HOST = env_str("DUDAO_EMAIL_HOST", "")
EMAIL_PORT = env_int("DUDAO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DUDAO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("DUDAO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DUDAO_EMAIL_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("DUDAO_EMAIL_FROM", "dudao@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "dudao.lib.logs.StderrHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DUDAO_LOG_LEVEL", "WARNING")},
}
AUTH_USER_MODEL = "accounts.User"
