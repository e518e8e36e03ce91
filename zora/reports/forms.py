from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zora.reports.models import Branding, CustomSection, Format, Language, hex_colour


class RequestForm(forms.Form):
    """The parameters shared by every kind; each kind adds its own fields."""

    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, initial=Format.PDF)

    def params(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("language", "format") and v not in (None, "")
        }


class AssessmentRequestForm(RequestForm):
    campaign = forms.TypedChoiceField(label=_("Campaign"), coerce=int)
    subject = forms.TypedChoiceField(
        label=_("Organisation assessed"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty for a report on the whole campaign."),
    )

    def __init__(
        self,
        *args: Any,
        campaigns: list[tuple[int, str]],
        subjects: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = campaigns  # type: ignore[attr-defined]
        self.fields["subject"].choices = [("", _("The whole campaign")), *subjects]  # type: ignore[attr-defined]


class BenchmarkRequestForm(RequestForm):
    region = forms.CharField(
        label=_("Region code"),
        max_length=16,
        help_text=_("NUTS code or municipality code, e.g. BG344."),
    )
    peers = forms.ChoiceField(label=_("Compare with"), required=False)

    def __init__(self, *args: Any, peer_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peers"].choices = peer_choices  # type: ignore[attr-defined]


class CustomSectionForm(forms.ModelForm):
    class Meta:
        model = CustomSection
        fields = ["title_bg", "title_en", "body_bg", "body_en"]
        widgets = {
            "body_bg": forms.Textarea(attrs={"rows": 6}),
            "body_en": forms.Textarea(attrs={"rows": 6}),
        }


class BrandingForm(forms.Form):
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 1 MB. Without one, the organisation's logo is used."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    primary_colour = forms.CharField(
        label=_("Main colour"),
        max_length=7,
        validators=[hex_colour],
        initial=Branding.DEFAULT_PRIMARY,
        help_text=_("Headings, the cover and table headers, e.g. #1F4E79."),
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    accent_colour = forms.CharField(
        label=_("Accent colour"),
        max_length=7,
        validators=[hex_colour],
        initial=Branding.DEFAULT_ACCENT,
        help_text=_("Rules and highlights, e.g. #D55E00."),
        widget=forms.TextInput(attrs={"type": "color"}),
    )
