from django import forms
from django.utils.translation import gettext_lazy as _

from zora.organisations.models import Organisation, Role

ORGANISATION_FIELDS = [
    "name_bg",
    "name_en",
    "kind",
    "slug",
    "description_bg",
    "description_en",
    "country",
    "region_code",
    "website",
    "logo",
    "is_public",
]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = {
            "description_bg": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }

    def clean_country(self) -> str:
        country = (self.cleaned_data.get("country") or "").strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise forms.ValidationError(_("Enter a two-letter country code, e.g. BG or GR."))
        return country

    def clean_region_code(self) -> str:
        return (self.cleaned_data.get("region_code") or "").strip().upper()

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("name_bg") and not data.get("name_en"):
            raise forms.ValidationError(_("Enter the organisation's name in Bulgarian or English."))
        logo = data.get("logo")
        if logo and getattr(logo, "size", 0) > 2 * 1024 * 1024:
            self.add_error("logo", _("The logo is larger than 2 MB. Upload a smaller image."))
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
