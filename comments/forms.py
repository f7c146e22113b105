"""The reader's comment form, with its anti-spam fields.

Besides the fields a reader fills in, the form carries a honeypot (a text
field hidden from people, which only robots fill in) and a signed timestamp
that binds the form to its article: a form posted too quickly, too late, for
another article or tampered with is refused with a clear message.
"""

import unicodedata

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from comments.models import Comment

TIMESTAMP_SALT = "comments.form.timestamp"

MESSAGES = {
    "honeypot": _("Your comment could not be posted. Please try again."),
    "timestamp_invalid": _(
        "This form could not be verified. Please check your comment and post it again."
    ),
    "too_fast": _("That was quick! Please take a moment to read your comment, then post it again."),
    "expired": _("This form has expired. Your text is kept: please post it again."),
    "duplicate": _("You've already said that!"),
    "parent": _(
        "The comment you are replying to is not available any more. "
        "Your comment can be posted without it."
    ),
}

# Control characters kept in a multi-line text; the null character is kept
# everywhere so that Django's validator refuses it with a clear error.
_MULTILINE_CONTROLS = frozenset("\n\t\x00")
_SINGLE_LINE_CONTROLS = frozenset("\x00")


def make_timestamp(article):
    """A signed token naming ``article``, stamped with the current time."""
    return signing.TimestampSigner(salt=TIMESTAMP_SALT).sign(str(article.pk))


def check_timestamp(token, *, article):
    """Refuse a ``token`` that is not ours, for another article, too recent or too old."""
    signer = signing.TimestampSigner(salt=TIMESTAMP_SALT)
    if not token:
        raise forms.ValidationError(MESSAGES["timestamp_invalid"], code="timestamp_missing")
    try:
        value = signer.unsign(token, max_age=settings.COMMENTS_FORM_MAX_AGE)
    except signing.SignatureExpired:
        raise forms.ValidationError(MESSAGES["expired"], code="expired") from None
    except signing.BadSignature:
        raise forms.ValidationError(
            MESSAGES["timestamp_invalid"], code="timestamp_invalid"
        ) from None
    if value != str(article.pk):
        raise forms.ValidationError(MESSAGES["timestamp_invalid"], code="timestamp_invalid")
    if settings.COMMENTS_MIN_SECONDS > 0:
        # Still valid with the minimum age as its maximum: signed too recently.
        try:
            signer.unsign(token, max_age=settings.COMMENTS_MIN_SECONDS)
        except signing.SignatureExpired:
            return
        raise forms.ValidationError(MESSAGES["too_fast"], code="too_fast")


def strip_controls(text, *, keep):
    """``text`` without the control characters not in ``keep``."""
    return "".join(char for char in text if char in keep or unicodedata.category(char) != "Cc")


class PlainTextField(forms.CharField):
    """Plain text with line breaks as ``\\n`` and without stray control characters.

    A single-line field (a name) also folds every run of white space into one space.
    """

    def __init__(self, *, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")
        if self.multiline:
            return strip_controls(value, keep=_MULTILINE_CONTROLS).strip()
        return " ".join(strip_controls(value, keep=_SINGLE_LINE_CONTROLS).split())


class WebsiteField(forms.URLField):
    """A website address: http or https only, so no ``javascript:`` link is ever shown."""

    default_error_messages = {
        "invalid": _("Enter a website address starting with http:// or https://."),
    }
    default_validators = [URLValidator(schemes=["http", "https"])]


class CommentForm(forms.Form):
    body = PlainTextField(
        label=_("Comment"),
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        error_messages={"required": _("Please write your comment.")},
    )
    name = PlainTextField(
        label=_("Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Please enter your name."),
            "max_length": _("Please shorten your name to %(limit_value)d characters or fewer."),
        },
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Please enter your email address."),
            "invalid": _("Please enter a valid email address, such as name@example.org."),
        },
    )
    url = WebsiteField(
        label=_("Website"),
        max_length=200,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    remember = forms.BooleanField(
        label=_("Save my name, email, and website in this browser for the next time I comment."),
        required=False,
    )
    parent = forms.ModelChoiceField(
        queryset=Comment.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": MESSAGES["parent"]},
    )
    # The honeypot: hidden from people by CSS and from assistive technology.
    homepage = forms.CharField(
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "tabindex": "-1", "aria-hidden": "true"}
        ),
    )
    timestamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        body = self.fields["body"]
        body.max_length = settings.COMMENTS_MAX_LENGTH
        body.validators.append(MaxLengthValidator(body.max_length))
        body.error_messages["max_length"] = _(
            "Your comment is too long: %(show_value)d characters, "
            "at most %(limit_value)d are allowed."
        )
        body.widget.attrs["maxlength"] = str(body.max_length)
        self.fields["parent"].queryset = Comment.objects.filter(
            article=article, status=Comment.Status.APPROVED
        )

    def fresh_timestamp(self):
        """A new token for the form about to be shown: the clock starts when it is read."""
        return make_timestamp(self.article)

    def reply_to(self):
        """The comment this form answers, when it is a valid one."""
        if self.is_bound:
            return getattr(self, "cleaned_data", {}).get("parent")
        return self.initial.get("parent")

    def clean_timestamp(self):
        check_timestamp(self.cleaned_data["timestamp"], article=self.article)
        return self.cleaned_data["timestamp"]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("homepage"):
            raise forms.ValidationError(MESSAGES["honeypot"], code="honeypot")
        body, email = cleaned_data.get("body"), cleaned_data.get("email")
        if body and email and self.is_duplicate(body=body, email=email):
            self.add_error("body", forms.ValidationError(MESSAGES["duplicate"], code="duplicate"))
        return cleaned_data

    def is_duplicate(self, *, body, email):
        return (
            Comment.objects.filter(article=self.article, email__iexact=email, body=body)
            .exclude(status=Comment.Status.TRASH)
            .exists()
        )

    def build_comment(self):
        """The unsaved Comment, from the cleaned data."""
        data = self.cleaned_data
        return Comment(
            article=self.article,
            parent=data.get("parent"),
            name=data["name"],
            email=data["email"],
            url=data.get("url", ""),
            body=data["body"],
        )
