"""Campaign forms and the parsing of a questionnaire page's POST into the answer encoding."""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from zora.assessments.engine import NA
from zora.assessments.framework import ProfileField, Question
from zora.assessments.models import Campaign, Framework, Stage, Subject
from zora.organisations.models import Organisation


class CampaignForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("Framework"), queryset=Framework.objects.order_by("code", "-version")
    )
    name_bg = forms.CharField(label=_("Name (Bulgarian)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    stage = forms.CharField(
        label=_("Stage"),
        max_length=40,
        initial=Stage.T0,
        help_text=_(
            "T0 before the services, T1 after, T2 a follow-up — or a wave name of your own."
        ),
        widget=forms.TextInput(attrs={"list": "stages"}),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mode = forms.ChoiceField(
        label=_("Who answers"), choices=Campaign.Mode.choices, initial=Campaign.Mode.NAMED
    )
    anonymous = forms.BooleanField(label=_("Anonymous answers (open link only)"), required=False)
    aggregation = forms.ChoiceField(
        label=_("Combining several respondents of one organisation"),
        choices=Campaign.Aggregation.choices,
        initial=Campaign.Aggregation.MEAN,
    )
    subjects = forms.ModelMultipleChoiceField(
        label=_("Organisations assessed"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Leave empty to assess your own organisation."),
    )
    new_subjects = forms.CharField(
        label=_("New organisations to assess"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One name per line, e.g. a hub's new customers; they are created as private organisations."
        ),
    )

    def __init__(self, *args: Any, subjects_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if subjects_queryset is not None:
            self.fields["subjects"].queryset = subjects_queryset  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class RespondentForm(forms.Form):
    subject: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisation assessed"), queryset=Subject.objects.none()
    )
    name = forms.CharField(label=_("Respondent's name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Respondent's e-mail"),
        required=False,
        help_text=_("The invitation link is e-mailed when given; it is also shown to you once."),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = campaign.subjects.select_related("organisation")  # type: ignore[attr-defined]
        self.fields["subject"].label_from_instance = lambda s: s.organisation.name  # type: ignore[attr-defined]


def _number(raw: str) -> Any:
    raw = raw.strip().replace(",", ".")
    if raw == "":
        return None
    try:
        return float(raw) if any(c in raw for c in ".eE") else int(raw)
    except ValueError:
        return raw  # kept as typed; the engine reports "Expected a number."


def _scalar(raw: str | None, question: Question) -> Any:
    if raw is None or raw == "":
        return None
    if raw == NA:
        return NA
    if question.type == "scale_matrix":
        return _number(raw)
    return raw


def answers_from_post(
    questions: list[Question], profile: list[ProfileField], post: QueryDict
) -> dict[str, Any]:
    """The answer encoding of the questions on one page (see README: answer encoding)."""
    answers: dict[str, Any] = {}
    for field in profile:
        raw = post.get(field.code, "").strip()
        if field.input in {"number", "year"} and raw:
            answers[field.code] = _number(raw)
        else:
            answers[field.code] = raw or None
    for q in questions:
        code = q.code
        if q.type == "checklist":
            answers[code] = NA if post.get(f"{code}__na") else post.getlist(code)
        elif q.type == "checkbox_matrix":
            answers[code] = (
                NA
                if post.get(f"{code}__na")
                else {c.code: post.getlist(f"{code}__{c.code}") for c in q.columns}
            )
        elif q.type in {"scale_matrix", "tristate_matrix"}:
            values = {i.code: _scalar(post.get(f"{code}__{i.code}"), q) for i in q.items}
            answers[code] = {k: v for k, v in values.items() if v is not None} or None
        elif q.type == "single":
            answers[code] = _scalar(post.get(code), q)
        elif q.type == "yesno":
            answers[code] = {"yes": True, "no": False, NA: NA}.get(post.get(code) or "")
        elif q.type == "number":
            typed = post.get(code, "")
            answers[code] = NA if typed == NA or post.get(f"{code}__na") else _number(typed)
        else:
            answers[code] = post.get(code, "").strip() or None
    return answers
