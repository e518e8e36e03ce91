from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

FORMAT_CHOICES = [
    ("auto", _("Detect from the content")),
    ("eurostat-csv", _("Eurostat data-browser CSV")),
    ("sdmx-csv", _("SDMX-CSV 2.0")),
    ("tsv", _("Eurostat TSV")),
    ("jsonstat", _("JSON-stat 2.0")),
    ("egov-xlsx", _("eGovernment Benchmark XLSX")),
    ("mapped", _("Any CSV or XLSX (choose the columns next)")),
]
MAX_UPLOAD = 200 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="auto")
    dataset = forms.CharField(
        label=_("Dataset code"),
        required=False,
        max_length=40,
        help_text=_(
            "Only when the file does not name its dataset (TSV, XLSX, your own CSV), e.g. REG_AREA3."
        ),
    )
    strict = forms.BooleanField(
        label=_("Reject the whole file if a region code is unknown"),
        required=False,
        help_text=_("Otherwise rows with unknown region codes are skipped and counted."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("format") == "mapped" and not (data.get("dataset") or "").strip():
            self.add_error("dataset", _("Give a dataset code for your own file, e.g. MY_SURVEY."))
        return data


class MappingForm(forms.Form):
    dataset = forms.CharField(label=_("Dataset code"), max_length=40)
    region = forms.ChoiceField(label=_("Column with the region code"))
    period = forms.ChoiceField(label=_("Column with the period (year)"))
    value = forms.ChoiceField(label=_("Column with the value"))
    flags = forms.ChoiceField(label=_("Column with flags (optional)"), required=False)
    dimensions = forms.MultipleChoiceField(
        label=_("Other columns to keep as dimensions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    save_as = forms.CharField(
        label=_("Save this mapping as (optional)"), required=False, max_length=200
    )

    def __init__(self, *args: Any, columns: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(c, c) for c in columns]
        for name in ("region", "period", "value"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]
        self.fields["flags"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]
        self.fields["dimensions"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used = [data.get(k) for k in ("region", "period", "value") if data.get(k)]
        if len(set(used)) != len(used):
            raise forms.ValidationError(
                _("Region, period and value must be three different columns.")
            )
        return data


class PeerGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    region_codes = forms.CharField(
        label=_("Region codes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("NUTS codes separated by spaces or commas, e.g. BG34 BG41 EL52 RO22."),
    )

    def clean_region_codes(self) -> list[str]:
        raw = self.cleaned_data["region_codes"].replace(",", " ").replace(";", " ")
        return [c for c in raw.split() if c]
