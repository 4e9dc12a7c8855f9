"""Django settings of the regional workspace. Everything deployment-specific comes from the
environment (see :mod:`nabij.web.config`): ``NABIJ_DATA_DIR``, ``NABIJ_DATABASE_URL``,
``NABIJ_SECRET_KEY``, ``NABIJ_HTTPS`` (secure cookies + HSTS behind TLS), ``NABIJ_DEBUG``,
``NABIJ_ALLOWED_HOSTS`` (comma-separated)."""

from __future__ import annotations

import os
from pathlib import Path

from nabij.defaults import WEB_ACTIVATION_LINK_DAYS
from nabij.web import config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = config.secret_key(DATA_DIR)
DEBUG = os.environ.get("NABIJ_DEBUG", "") == "1"
HTTPS = os.environ.get("NABIJ_HTTPS", "") == "1"
ALLOWED_HOSTS = [h.strip() for h in
                 os.environ.get("NABIJ_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
                 if h.strip()] + ["testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules",
    "simple_history",
    "nabij.web.regio",
    "nabij.web.overleg",
]
# Apps of other modules (casework, monitor) add themselves here when their package exists.
for _app in ("nabij.web.casus", "nabij.web.monitor"):
    try:
        __import__(_app + ".apps")
    except ModuleNotFoundError:
        continue
    INSTALLED_APPS.append(_app)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "nabij.web.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "nabij.web.urls"
WSGI_APPLICATION = "nabij.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "nabij.web.regio.context.navigation",
    ]},
}]

DATABASES = {"default": config.parse_database_url(os.environ.get(config.DATABASE_ENV), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if os.environ.get("NABIJ_FAST_HASHER") == "1":  # tests and load tests only
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "nabij.web.security.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = WEB_ACTIVATION_LINK_DAYS * 24 * 3600  # one-time activation links
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (nabij.web.security): failures per user name or address in a window.
LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW_SECONDS = 15 * 60

# Sessions and cookies: stored in the database, read through a per-process memory cache
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": "nabij", "OPTIONS": {"MAX_ENTRIES": 5000}}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_NAME = "nabij_sessie"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True

# Security headers (CSP and Permissions-Policy in nabij.web.security)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'")

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Where `nabij web beheer atlas` keeps nothing: the atlas is read, regions are stored in the DB.
NABIJ_MAX_SEARCH_RESULTS = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
