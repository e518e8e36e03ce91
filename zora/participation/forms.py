from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from zora.participation.models import (
    ACTION_LABELS,
    ACTIONS,
    Access,
    AnswerState,
    Category,
    Consultation,
    Phase,
)


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
        if consultation.locations:
            self.fields["location"] = forms.ChoiceField(
                label=_("Place (optional)"),
                required=False,
                choices=[("", _("None in particular"))] + [(p, p) for p in consultation.locations],
                help_text=_("The district or place the proposal is about, if it is about one."),
            )

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


class ConsultationSettingsForm(ConsultationForm):
    """The consultation's settings page: the creation form's fields and the places."""

    locations = forms.CharField(
        label=_("Places (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Districts, villages or other places a proposal may be about; people choose one. "
            "Leave empty to let them write the place."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reports = self.fields["auto_hide_reports"]
        reports.validators.append(MinValueValidator(1))
        reports.widget.attrs["min"] = 1
        if self.instance.pk and not self.is_bound:
            self.initial["locations"] = "\n".join(self.instance.locations or [])

    def location_lines(self) -> list[str]:
        return (self.cleaned_data.get("locations") or "").splitlines()


class PermissionsForm(forms.Form):
    """The grid phase × action; each cell says who may do it (nobody, an account, …)."""

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for phase in Phase:
            for action in ACTIONS:
                self.fields[self.name_for(phase.value, action)] = forms.ChoiceField(
                    label=_("%(action)s — %(phase)s")
                    % {"action": ACTION_LABELS[action], "phase": phase.label},
                    choices=Access.choices,
                    initial=consultation.access(action, phase.value),
                )

    @staticmethod
    def name_for(phase: str, action: str) -> str:
        return f"perm-{phase}-{action}"

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (str(phase.label), [self[self.name_for(phase.value, a)] for a in ACTIONS])
            for phase in Phase
        ]

    def columns(self) -> list[str]:
        return [str(ACTION_LABELS[a]) for a in ACTIONS]

    def permissions(self) -> dict[str, dict[str, str]]:
        return {
            phase.value: {a: self.cleaned_data[self.name_for(phase.value, a)] for a in ACTIONS}
            for phase in Phase
        }


class CategoryForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name_bg = forms.CharField(label=_("Name (Bulgarian)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        required=False,
        help_text=_("Used in links and open data; made from the name when empty."),
    )


class AnswerStateForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label_bg = forms.CharField(label=_("Label (Bulgarian)"), max_length=100, required=False)
    label_en = forms.CharField(label=_("Label (English)"), max_length=100, required=False)
    code = forms.SlugField(label=_("Code"), max_length=60, required=False)
    colour = forms.RegexField(
        label=_("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#e8eef5",
        widget=forms.TextInput(attrs={"type": "color"}),
        error_messages={"invalid": _("Write a colour as #rrggbb.")},
    )


CategoryFormSet = forms.formset_factory(CategoryForm, extra=2, can_delete=True, max_num=100)
AnswerStateFormSet = forms.formset_factory(AnswerStateForm, extra=1, can_delete=True, max_num=30)


def formset_rows(formset: Any) -> list[dict[str, Any]]:
    """The formset's rows for the service (`delete` for the ones marked for deletion)."""
    rows = []
    for form in formset.forms:
        data = dict(form.cleaned_data or {})
        if not data:
            continue
        data["delete"] = bool(data.pop("DELETE", False))
        rows.append(data)
    return rows
