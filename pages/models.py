"""Static pages (About, Contact, imported WordPress pages) served at an address of their own.

A page answers at its ``url`` only where no other view does: the fallback
middleware looks for one when a request ends in a 404, as Django's flatpages
do. Unlike flatpages this needs no sites framework, so feeds and sitemaps keep
naming the host the reader asked for.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.markup import sanitize_html


def validate_page_url(value):
    if not (value.startswith("/") and value.endswith("/")):
        raise ValidationError(_("The address must start and end with a slash, e.g. /about/."))
    if "//" in value or "?" in value or "#" in value or any(char.isspace() for char in value):
        raise ValidationError(
            _("The address may not hold spaces, empty segments, a query or a fragment.")
        )


class Page(models.Model):
    url = models.CharField(
        _("address"),
        max_length=255,
        unique=True,
        validators=[validate_page_url],
        help_text=_("The page's path on this site, with slashes around it, e.g. /about/."),
    )
    title = models.CharField(_("title"), max_length=255)
    content = models.TextField(_("content"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["url"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return f"{self.url} – {self.title}"

    def save(self, *args, **kwargs):
        self.content = sanitize_html(self.content)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.url
