"""Settings for Tribune, read from the environment.

Every variable is documented in ``.env.example``. Only a local development run
(``DEBUG`` on) gets defaults for secrets; production must supply them.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
# Or a file holding the key (a Docker or Kubernetes secret; docker-compose.yml makes one).
SECRET_KEY_FILE = env.str("SECRET_KEY_FILE", default="")
if not SECRET_KEY and SECRET_KEY_FILE:
    try:
        SECRET_KEY = Path(SECRET_KEY_FILE).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"SECRET_KEY_FILE cannot be read: {error.strerror} ({SECRET_KEY_FILE})."
        ) from error
    if not SECRET_KEY:
        raise ImproperlyConfigured(f"SECRET_KEY_FILE is empty ({SECRET_KEY_FILE}).")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable or SECRET_KEY_FILE "
            "(or DEBUG=true for a local development run)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Django's refusal, except for a comment sent from a cached page by a browser that ran no
# script: that reader is asked to confirm it (comments/views.py).
CSRF_FAILURE_VIEW = "comments.views.csrf_failure"

SITE_NAME = env.str("SITE_NAME", default="Tribune")

# Where the admin lives: a path such as "admin/" or "office/editors/", ending with "/".
ADMIN_URL = env.str("ADMIN_URL", default="admin/")
if not re.fullmatch(r"([A-Za-z0-9._~-]+/)+", ADMIN_URL):
    raise ImproperlyConfigured(
        f"ADMIN_URL must be a relative path ending with '/', such as 'admin/'; got {ADMIN_URL!r}."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "django_ckeditor_5",
    "csp",
    "axes",
    "simple_history",
    "imagekit",
    # The project's apps, lowest layer first (see "Layout" in the README).
    "edge",
    "pagecache",
    "articles",
    "pages",
    "comments",
    "wordpress",
    # Last: its post_migrate gives the staff roles the permissions of every app above.
    "newsroom",
]

MIDDLEWARE = [
    # First, so that its line has the final status and every record the request's id.
    "edge.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "edge.middleware.SecurityHeadersMiddleware",
    "edge.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "edge.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Revisions record who made them; they are only made in the admin.
    "edge.middleware.AdminHistoryMiddleware",
    # Only on a 404: a static page at that address, or an old WordPress address (301).
    "pages.middleware.PageFallbackMiddleware",
    "wordpress.middleware.LegacyURLMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "edge.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tribune.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL := env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            # Django's RedisCache, keeping its client between calls (config/cache.py).
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tribune",
            # A cache that does not answer within half a second counts as down.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
# ImageKit remembers which renditions exist; each process may keep that for itself, so that
# an article with images never waits on (or fails with) the shared cache.
CACHES["imagekit"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
IMAGEKIT_CACHE_BACKEND = "imagekit"

# Whole public pages for readers without personal cookies, replaced the moment the content
# changes (pagecache/). Only with a cache every web process shares: local memory
# is per process, and one process could not tell the others of a change.
PAGE_CACHE = env.bool("PAGE_CACHE", default=bool(REDIS_URL))
PAGE_CACHE_TIMEOUT = 24 * 3600  # frees the memory of pages nobody asks for
# How long a web process trusts its last look at the shared counter of changes (seconds):
# a change made by another process reaches its pages within that time (its own at once).
PAGE_CACHE_FRESHNESS = env.float("PAGE_CACHE_FRESHNESS", default=0.05)
# Count the renders of each shared page in the cache (``make bench`` reads them).
PAGE_CACHE_COUNT_RENDERS = env.bool("PAGE_CACHE_COUNT_RENDERS", default=False)

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tribune <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [("Administrator", address) for address in env.list("ADMIN_EMAILS", default=[])]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused (429) for the cool-off time.
# Failures are kept in the database, so every web server sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so that a locked-out pair stops here
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# That address is the client's behind PROXY_COUNT proxies, found as for comments.
AXES_CLIENT_IP_CALLABLE = "edge.clientip.client_ip"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]


def default_search_config(language_code):
    """PostgreSQL's text search configuration for a site in ``language_code``: its language's
    Snowball stemmer (which leaves words of other scripts as written), else ``simple``."""
    stemmers = {
        "en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian",
        "pt": "portuguese", "nl": "dutch", "ru": "russian", "tr": "turkish", "ar": "arabic",
    }  # fmt: skip
    language = language_code.lower().replace("_", "-").split("-")[0]
    return stemmers.get(language, "simple")


# Full-text search on PostgreSQL (articles/search.py): the configuration of the stored vectors
# and of the readers' queries. After changing it, run `manage.py rebuild_search_index`.
SEARCH_CONFIG = env.str("SEARCH_CONFIG", default="") or default_search_config(LANGUAGE_CODE)
if not re.fullmatch(r"[a-z_]+", SEARCH_CONFIG):
    raise ImproperlyConfigured(
        "SEARCH_CONFIG must be the name of a PostgreSQL text search configuration, "
        f"in lower-case letters and underscores, such as 'english'; got {SEARCH_CONFIG!r}."
    )

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# whitenoise serves the hashed names of the manifest as immutable for ten years, and any
# other static URL for WHITENOISE_MAX_AGE (its default: 60 seconds).

# Uploaded images on S3-compatible storage, shared by every web server, once a bucket is
# named. boto3 reads the credentials itself from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
MEDIA_ORIGINS = []  # where images come from besides the site itself (for the CSP)
if _bucket := env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    _endpoint = env.str("AWS_S3_ENDPOINT_URL", default="")
    _custom_domain = env.str("AWS_S3_CUSTOM_DOMAIN", default="")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": _endpoint or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "custom_domain": _custom_domain or None,
            "location": env.str("AWS_LOCATION", default=""),
            # Public images at plain, lasting addresses: the bucket's policy lets anyone read
            # them, so no signed query string and no per-object ACL.
            "querystring_auth": False,
            "default_acl": None,
            # An upload never replaces an earlier file of the same name.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "max-age=86400, public"},
        },
    }
    if _custom_domain:
        MEDIA_ORIGINS = [f"https://{_custom_domain.split('/')[0]}"]
    elif _endpoint:
        MEDIA_ORIGINS = ["{0.scheme}://{0.netloc}".format(urlsplit(_endpoint))]
    else:
        MEDIA_ORIGINS = [f"https://{_bucket}.s3.amazonaws.com"]
        if _region := env.str("AWS_S3_REGION_NAME", default=""):
            MEDIA_ORIGINS.append(f"https://{_bucket}.s3.{_region}.amazonaws.com")

# --- HTTPS and security headers ---
# Behind a reverse proxy that sets X-Forwarded-Proto (see docker-compose.yml).
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies in front that each append to X-Forwarded-For: the reader's address is
# read from that header (edge/clientip.py) for the comment rate limit, the stored
# comments and the login lockout. 0 trusts no header: anyone could forge it.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"PROXY_COUNT must be 0 or more; got {PROXY_COUNT}.")
# With DEBUG off, plain HTTP is redirected to HTTPS and browsers are told to stay there.
# A plain-HTTP run (docker-compose.yml, the tests) turns both off from the environment.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # health checks come over plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Left readable by scripts on purpose: CKEditor 5 sends its image uploads with the token
# from this cookie (X-CSRFToken). The token is in every form's HTML anyway, so hiding the
# cookie would protect nothing; `check --deploy` does not ask for it.
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
)

# Content-Security-Policy (django-csp). The public site has no inline script or style at
# all; the admin (edge.middleware.SecurityHeadersMiddleware) gets its own policy,
# which also allows the inline styles CKEditor 5 injects and the images pasted into it.
_image_sources = ["'self'", "data:", *MEDIA_ORIGINS, *env.list("CSP_EXTRA_IMG_SRC", default=[])]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": _image_sources,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": [*_image_sources, "blob:"],
    },
}

# Uploads: images from the editor and featured images.
UPLOAD_MAX_IMAGE_BYTES = env.int("UPLOAD_MAX_IMAGE_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

# Rich text: CKEditor 5. The toolbar matches the sanitiser's allowlist (articles/markup.py).
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "articles:upload-image"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "gif", "webp"]
CKEDITOR_5_CONFIGS = {
    "default": {
        "toolbar": {
            "items": [
                "heading", "|", "bold", "italic", "link", "|",
                "bulletedList", "numberedList", "blockQuote", "|",
                "insertImage", "insertTable", "|", "undo", "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Paragraph", "class": "ck-heading_paragraph"},
                *(
                    {
                        "model": f"heading{level}",
                        "view": f"h{level}",
                        "title": f"Heading {level}",
                        "class": f"ck-heading_heading{level}",
                    }
                    for level in (2, 3, 4)
                ),
            ]
        },
        "image": {
            "toolbar": ["imageTextAlternative", "|", "toggleImageCaption"],
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        "link": {"defaultProtocol": "https://"},
    },
}  # fmt: skip

# Comments: the moderation policy (comments/policy.py) and the spam defences.
COMMENTS_HOLD_ALL = env.bool("COMMENTS_HOLD_ALL", default=True)
COMMENTS_AUTO_APPROVE_KNOWN = env.bool("COMMENTS_AUTO_APPROVE_KNOWN", default=True)
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
# Words, email addresses or IP addresses; a match sends the comment to spam.
COMMENTS_DISALLOWED = env.list("COMMENTS_DISALLOWED", default=[])
# Close comments this many days after publication; empty keeps them open.
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=None)
COMMENTS_THREAD_DEPTH = env.int("COMMENTS_THREAD_DEPTH", default=3)
COMMENTS_MAX_LENGTH = env.int("COMMENTS_MAX_LENGTH", default=5000)
COMMENTS_MIN_SECONDS = env.int("COMMENTS_MIN_SECONDS", default=3)
COMMENTS_FORM_MAX_AGE = env.int("COMMENTS_FORM_MAX_AGE", default=2 * 24 * 3600)
COMMENTS_RATE_LIMIT = env.int("COMMENTS_RATE_LIMIT", default=5)
COMMENTS_RATE_WINDOW = env.int("COMMENTS_RATE_WINDOW", default=600)
COMMENTS_NOTIFY_MODERATORS = env.bool("COMMENTS_NOTIFY_MODERATORS", default=True)
COMMENTS_NOTIFY_ON_APPROVAL = env.bool("COMMENTS_NOTIFY_ON_APPROVAL", default=True)
COMMENTS_IP_RETENTION_DAYS = env.int("COMMENTS_IP_RETENTION_DAYS", default=90)
AKISMET_API_KEY = env.str("AKISMET_API_KEY", default="")
AKISMET_SITE_URL = env.str("AKISMET_SITE_URL", default="")

# Listings
ARTICLES_PER_PAGE = env.int("ARTICLES_PER_PAGE", default=10)

# Only for `make bench`: serves /bench/ceiling, a trivial page that measures the server itself.
BENCHMARK_CEILING = env.bool("BENCHMARK_CEILING", default=False)

# On stdout: one line per request (tribune.request: method, path, status, duration) and one
# per error, each with the request's id (edge/logging.py). Tracebacks stay on one line,
# except in development.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "edge.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "class": "logging.Formatter" if DEBUG else "edge.logging.OneLineFormatter",
            "format": "{asctime} {levelname} {name} [{request_id}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Replaces Django's default, which would print DEBUG messages twice.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Its start-up banner would otherwise open the output of every management command.
        "axes.apps": {"level": "WARNING"},
    },
}

# Optional error reports to Sentry, without personal data: no user, cookies, addresses or
# request bodies (a comment's email address stays here).
if SENTRY_DSN := env.str("SENTRY_DSN", default=""):
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
    )
