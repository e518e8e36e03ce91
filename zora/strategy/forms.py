"""Forms of the strategy pages (they validate input; the services do the writing)."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zora.core.steps import StrategyStep
from zora.organisations.models import Organisation
from zora.strategy.models import (
    Action,
    ActionStatus,
    Direction,
    EvidenceKind,
    Objective,
    Priority,
    Quadrant,
    Strategy,
    StrategyStatus,
    SwotItem,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _text(label: Any, *, required: bool = False, max_length: int = 300) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length)


def _area(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class StrategyForm(forms.Form):
    title_bg = _text(_("title (Bulgarian)"))
    title_en = _text(_("title (English)"))
    summary_bg = _area(_("summary (Bulgarian)"))
    summary_en = _area(_("summary (English)"))
    starts_on = forms.DateField(label=_("period from"), widget=DateInput())
    ends_on = forms.DateField(label=_("period to"), widget=DateInput())
    region_code = _text(_("territory (NUTS or municipality code)"), max_length=16)
    status = forms.ChoiceField(label=_("status"), choices=StrategyStatus.choices)
    current_step = forms.ChoiceField(label=_("current step"), choices=StrategyStep.choices)

    @classmethod
    def for_strategy(cls, strategy: Strategy, data: Any = None) -> "StrategyForm":
        initial = {name: getattr(strategy, name) for name in cls.base_fields}
        return cls(data, initial=initial)


class NewStrategyForm(forms.Form):
    title_bg = _text(_("title (Bulgarian)"))
    title_en = _text(_("title (English)"))
    starts_on = forms.DateField(label=_("period from"), widget=DateInput())
    ends_on = forms.DateField(label=_("period to"), widget=DateInput())
    region_code = _text(_("territory (NUTS or municipality code)"), max_length=16)
    with_defaults = forms.BooleanField(
        label=_("start with the five default priority areas"), required=False, initial=True
    )


class TemplateImportForm(forms.Form):
    file = forms.FileField(label=_("strategy template (JSON)"))


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("step"), choices=StrategyStep.choices)
    done = forms.BooleanField(label=_("done"), required=False)
    note_bg = _text(_("what was done (Bulgarian)"), max_length=500)
    note_en = _text(_("what was done (English)"), max_length=500)


class NodeForm(forms.Form):
    """A priority or an objective."""

    code = _text(_("code"), max_length=20)
    title_bg = _text(_("title (Bulgarian)"))
    title_en = _text(_("title (English)"))
    description_bg = _area(_("description (Bulgarian)"))
    description_en = _area(_("description (English)"))
    weight = forms.FloatField(label=_("weight"), min_value=0, initial=1.0)


class ObjectiveForm(NodeForm):
    priority = forms.ModelChoiceField(label=_("priority"), queryset=Priority.objects.none())

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(strategy=strategy)  # type: ignore[attr-defined]
        self.order_fields(["priority"])


class ActionForm(forms.Form):
    objective = forms.ModelChoiceField(label=_("objective"), queryset=Objective.objects.none())
    parent = forms.ModelChoiceField(
        label=_("part of action"), queryset=Action.objects.none(), required=False
    )
    external_id = _text(_("external ID"), max_length=60)
    title_bg = _text(_("title (Bulgarian)"))
    title_en = _text(_("title (English)"))
    description_bg = _area(_("description (Bulgarian)"))
    description_en = _area(_("description (English)"))
    owner_organisation = forms.ModelChoiceField(
        label=_("owner organisation"), queryset=Organisation.objects.none(), required=False
    )
    owner_organisation_name = _text(_("owner organisation (not on Zora)"), max_length=200)
    owner_person = _text(_("responsible person"), max_length=200)
    partners = _text(_("partners"), max_length=500)
    starts_on = forms.DateField(label=_("start"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("end"), required=False, widget=DateInput())
    status = forms.ModelChoiceField(
        label=_("status"), queryset=ActionStatus.objects.none(), required=False
    )
    progress = forms.FloatField(
        label=_("progress (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Leave empty to take the status's default progress."),
    )
    weight = forms.FloatField(label=_("weight"), min_value=0, initial=1.0)
    budget = forms.DecimalField(label=_("budget"), required=False, min_value=0, decimal_places=2)
    currency = _text(_("currency"), max_length=3)
    depends_on = forms.ModelMultipleChoiceField(
        label=_("prerequisite actions"), queryset=Action.objects.none(), required=False
    )
    swot_items = forms.ModelMultipleChoiceField(
        label=_("SWOT items"), queryset=SwotItem.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        strategy: Strategy,
        sources: list[Any],
        action: Action | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        others = Action.objects.filter(strategy=strategy)
        if action is not None:
            others = others.exclude(pk=action.pk)
        self.fields["objective"].queryset = Objective.objects.filter(strategy=strategy)  # type: ignore[attr-defined]
        self.fields["parent"].queryset = others  # type: ignore[attr-defined]
        self.fields["depends_on"].queryset = others  # type: ignore[attr-defined]
        self.fields["status"].queryset = ActionStatus.objects.filter(strategy=strategy)  # type: ignore[attr-defined]
        self.fields["swot_items"].queryset = SwotItem.objects.filter(  # type: ignore[attr-defined]
            strategy=strategy, state=SwotItem.State.ACCEPTED
        )
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            Q(is_public=True) | Q(pk=strategy.organisation_id)
        )
        self.sources = sources
        for source in sources:
            self.fields[f"funding_{source.code}"] = forms.DecimalField(
                label=_("funding: %(source)s") % {"source": source.name},
                required=False,
                min_value=0,
                decimal_places=2,
            )

    def funding(self) -> list[tuple[Any, Any]]:
        return [
            (s, self.cleaned_data[f"funding_{s.code}"])
            for s in self.sources
            if self.cleaned_data.get(f"funding_{s.code}")
        ]

    def action_fields(self) -> dict[str, Any]:
        names = [
            "objective",
            "parent",
            "external_id",
            "title_bg",
            "title_en",
            "description_bg",
            "description_en",
            "owner_organisation",
            "owner_organisation_name",
            "owner_person",
            "partners",
            "starts_on",
            "ends_on",
            "status",
            "progress",
            "weight",
            "budget",
            "currency",
        ]
        return {n: self.cleaned_data.get(n) for n in names}

    @staticmethod
    def initial_for(action: Action) -> dict[str, Any]:
        initial: dict[str, Any] = {
            n: getattr(action, n)
            for n in (
                "external_id",
                "title_bg",
                "title_en",
                "description_bg",
                "description_en",
                "owner_organisation_name",
                "owner_person",
                "partners",
                "starts_on",
                "ends_on",
                "progress",
                "weight",
                "budget",
                "currency",
            )
        }
        initial.update(
            objective=action.objective_id,
            parent=action.parent_id,
            owner_organisation=action.owner_organisation_id,
            status=action.status_id,
            depends_on=[a.pk for a in action.depends_on.all()],
            swot_items=[i.pk for i in action.swot_items.all()],
        )
        for f in action.funding.all():
            initial[f"funding_{f.source.code}"] = f.amount
        return initial


class MilestoneForm(forms.Form):
    title_bg = _text(_("title (Bulgarian)"))
    title_en = _text(_("title (English)"))
    due_on = forms.DateField(label=_("due on"), widget=DateInput())
    done_on = forms.DateField(label=_("done on"), required=False, widget=DateInput())


class KpiForm(forms.Form):
    name_bg = _text(_("name (Bulgarian)"))
    name_en = _text(_("name (English)"))
    objective = forms.ModelChoiceField(
        label=_("objective"), queryset=Objective.objects.none(), required=False
    )
    action = forms.ModelChoiceField(
        label=_("action"), queryset=Action.objects.none(), required=False
    )
    unit = _text(_("unit"), max_length=60)
    direction = forms.ChoiceField(label=_("direction"), choices=Direction.choices)
    baseline_value = forms.FloatField(label=_("baseline value"), required=False)
    baseline_on = forms.DateField(label=_("baseline date"), required=False, widget=DateInput())
    target_value = forms.FloatField(label=_("target value"), required=False)
    target_on = forms.DateField(label=_("target date"), required=False, widget=DateInput())
    indicator: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("indicator (its observations count as measurements)"),
        queryset=None,
        required=False,
    )
    region_code = _text(_("region code"), max_length=16)

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        from zora.indicators.models import Indicator

        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(strategy=strategy)  # type: ignore[attr-defined]
        self.fields["action"].queryset = Action.objects.filter(strategy=strategy)  # type: ignore[attr-defined]
        self.fields["indicator"].queryset = Indicator.objects.all()  # type: ignore[attr-defined]


class MeasurementForm(forms.Form):
    value = forms.FloatField(label=_("value"))
    measured_on = forms.DateField(label=_("date"), widget=DateInput())
    source = _text(_("source"))
    note = _text(_("note"), max_length=500)


class SwotItemForm(forms.Form):
    quadrant = forms.ChoiceField(label=_("quadrant"), choices=Quadrant.choices)
    text_bg = forms.CharField(
        label=_("text (Bulgarian)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    text_en = forms.CharField(
        label=_("text (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.IntegerField(label=_("weight (1–5)"), min_value=1, max_value=5, initial=3)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=EvidenceKind.choices)
    label = _text(_("what it shows"), required=True, max_length=500)
    value = forms.FloatField(label=_("value"), required=False)
    unit = _text(_("unit"), max_length=100)
    observed = _text(_("date or period"), max_length=20)
    url = forms.URLField(label=_("link"), required=False, max_length=500)


class VisionForm(forms.Form):
    vision_bg = forms.CharField(
        label=_("vision (Bulgarian)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    vision_en = forms.CharField(
        label=_("vision (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    ambition_bg = forms.CharField(
        label=_("ambition (Bulgarian)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    ambition_en = forms.CharField(
        label=_("ambition (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    note = _text(_("what changed"))


class StatusForm(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=40)
    name_bg = _text(_("name (Bulgarian)"), max_length=100)
    name_en = _text(_("name (English)"), max_length=100)
    progress = forms.IntegerField(
        label=_("default progress (%)"), min_value=0, max_value=100, required=False
    )
    is_done = forms.BooleanField(label=_("counts as done"), required=False)
    is_cancelled = forms.BooleanField(label=_("counts as cancelled"), required=False)


class FundingSourceForm(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=40)
    name_bg = _text(_("name (Bulgarian)"), max_length=200)
    name_en = _text(_("name (English)"), max_length=200)
    is_eu = forms.BooleanField(label=_("EU funding"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("spreadsheet (CSV or XLSX)"))


class ProposalLinkForm(forms.Form):
    proposal = forms.IntegerField(
        label=_("proposal number"),
        min_value=1,
        help_text=_("The number in the proposal's address, e.g. 123 in /proposals/123/."),
    )
