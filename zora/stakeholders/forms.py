from typing import Any

from django import forms
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from zora.stakeholders.importers import split_tags
from zora.stakeholders.models import (
    Code,
    Event,
    Guide,
    Quadrant,
    Registration,
    Stakeholder,
    StakeholderType,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class StakeholderForm(forms.ModelForm):
    tags_text = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas, e.g. “strategy board, broadband”."),
    )

    class Meta:
        model = Stakeholder
        fields = [
            "kind",
            "name",
            "type",
            "sector",
            "affiliation",
            "position",
            "email",
            "phone",
            "address",
            "website",
            "consent_on",
            "consent_purpose",
            "external_id",
            "notes",
        ]
        widgets = {"consent_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tags_text"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_tags_text(self) -> list[str]:
        return split_tags(self.cleaned_data.get("tags_text", ""))

    def validate_unique(self) -> None:  # the service checks uniqueness per organisation
        pass


class StakeholderFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *StakeholderType.choices]
    )
    tag = forms.CharField(label=_("Tag"), required=False)
    consent = forms.ChoiceField(
        label=_("Consent"),
        required=False,
        choices=[("", _("All")), ("yes", _("With consent")), ("no", _("Without consent"))],
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("At most 5 MB. The first row names the columns; see the manual."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class CodeForm(forms.ModelForm):
    class Meta:
        model = Code
        fields = ["name_bg", "name_en", "description_bg", "description_en"]
        widgets = {
            "description_bg": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }


class MergeForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Merge this code"), queryset=Code.objects.none())
    target = forms.ModelChoiceField(label=_("into this code"), queryset=Code.objects.none())

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = Code.objects.filter(organisation=organisation)
        self.fields["source"].queryset = codes  # type: ignore[attr-defined]
        self.fields["target"].queryset = codes  # type: ignore[attr-defined]


class GuideForm(forms.Form):
    title_bg = forms.CharField(label=_("Title (Bulgarian)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    questions_bg = forms.CharField(
        label=_("Questions in Bulgarian, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    questions_en = forms.CharField(
        label=_("Questions in English, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Line by line the same questions as in Bulgarian."),
    )


class InterviewForm(forms.Form):
    stakeholder = forms.ModelChoiceField(
        label=_("Stakeholder"), queryset=Stakeholder.objects.none()
    )
    guide = forms.ModelChoiceField(
        label=_("Interview guide"), queryset=Guide.objects.none(), required=False
    )
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = Stakeholder.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, erased_at__isnull=True
        ).order_by("name")
        self.fields["guide"].queryset = Guide.objects.filter(organisation=organisation)  # type: ignore[attr-defined]


class FindingForm(forms.Form):
    excerpt = forms.CharField(
        label=_("Excerpt"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The words of the note you are coding."),
    )
    code = forms.ModelChoiceField(label=_("Code"), queryset=Code.objects.none(), required=False)
    new_code = forms.CharField(label=_("or a new code"), max_length=120, required=False)
    quadrant = forms.ChoiceField(
        label=_("Suggested SWOT quadrant"),
        required=False,
        choices=[("", _("None")), *Quadrant.choices],
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = Code.objects.filter(organisation=organisation)  # type: ignore[attr-defined]


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "kind",
            "title_bg",
            "title_en",
            "description_bg",
            "description_en",
            "agenda_bg",
            "agenda_en",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "capacity",
            "is_public",
            "registration_open",
            "waiting_list",
            "strategy_step",
            "campaign",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description_bg": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "agenda_bg": forms.Textarea(attrs={"rows": 4}),
            "agenda_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from zora.assessments.models import Campaign

        self.fields["campaign"].queryset = Campaign.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    affiliation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that the organiser stores my name, e-mail and organisation to run this "
            "event, and may share my name and organisation with other participants."
        ),
        required=True,
    )
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This field must stay empty."))
        return ""


class EditorRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    affiliation = forms.CharField(label=_("Organisation"), max_length=200, required=False)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(label=_("or a link"), required=False)


class SlotsForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("From"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Until"), widget=DateTimeInput())
    minutes = forms.IntegerField(label=_("Minutes per meeting"), min_value=5, max_value=240)
    tables = forms.CharField(
        label=_("Tables"), help_text=_("Separate table names with commas, e.g. “1, 2, 3”.")
    )


class MeetingForm(forms.Form):
    first = forms.ModelChoiceField(label=_("Participant"), queryset=Registration.objects.none())
    second = forms.ModelChoiceField(label=_("meets"), queryset=Registration.objects.none())
    slot = forms.ChoiceField(label=_("Slot"))

    def __init__(
        self, *args: Any, event: Event, me: Registration | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        participants = event.registrations.filter(status=Registration.Status.REGISTERED).order_by(
            "name"
        )
        self.fields["first"].queryset = participants  # type: ignore[attr-defined]
        self.fields["second"].queryset = participants  # type: ignore[attr-defined]
        if me is not None:
            self.fields["first"].queryset = participants.filter(pk=me.pk)  # type: ignore[attr-defined]
            self.fields["first"].initial = me.pk
            self.fields["second"].queryset = participants.exclude(pk=me.pk)  # type: ignore[attr-defined]
            self.fields["first"].widget = forms.HiddenInput()
        from zora.stakeholders.selectors import free_slots

        self.fields["slot"].choices = [  # type: ignore[attr-defined]
            (s.pk, f"{localtime(s.starts_at):%H:%M}–{localtime(s.ends_at):%H:%M} · {s.table}")
            for s in free_slots(event=event)
        ]
