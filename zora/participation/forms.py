from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zora.participation.models import AnswerState, Category, Consultation, Phase


class HoneypotMixin(forms.Form):
    """A field people do not see (hidden with CSS and from screen readers); bots fill it."""

    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This field must stay empty."))
        return ""


class ProposalForm(HoneypotMixin):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("Say in one line what you propose.")
    )
    body = forms.CharField(
        label=_("Your proposal"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Plain text; empty lines start new paragraphs."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    location = forms.CharField(
        label=_("Place (optional)"),
        max_length=200,
        required=False,
        help_text=_("A district, street or village, if the proposal is about one."),
    )
    image = forms.ImageField(label=_("Image (optional)"), required=False)

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = consultation.categories.all()  # type: ignore[attr-defined]

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and image.size > 3 * 1024 * 1024:
            raise forms.ValidationError(_("The image is larger than 3 MB."))
        return image


class CommentForm(HoneypotMixin):
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Why should a moderator look at this?"), max_length=300)


class AnswerForm(forms.Form):
    state = forms.ModelChoiceField(label=_("State"), queryset=AnswerState.objects.none())
    text_bg = forms.CharField(
        label=_("Answer (Bulgarian)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    text_en = forms.CharField(
        label=_("Answer (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    cost = forms.DecimalField(
        label=_("Estimated cost (EUR, optional)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = consultation.answer_states.all()  # type: ignore[attr-defined]


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "title_bg",
            "title_en",
            "description_bg",
            "description_en",
            "phase",
            "is_published",
            "support_threshold",
            "support_limit",
            "edit_minutes",
            "auto_hide_reports",
        ]
        widgets = {
            "description_bg": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("title_bg") and not data.get("title_en"):
            raise forms.ValidationError(_("Give the consultation a title in Bulgarian or English."))
        return data


PHASE_CHOICES = Phase.choices
