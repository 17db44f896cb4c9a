from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from campaigns.models import Period
from units.forms import NARRATIVE_MAX_LENGTH, FreeTextField


class RequestForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Period"), queryset=Period.objects.none())

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = (
            Period.objects.filter(campaign=campaign).select_related("campaign").order_by("opens_on")
        )


class NarrativeForm(forms.Form):
    strengths = FreeTextField(
        label=_("Strengths"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=NARRATIVE_MAX_LENGTH,
        required=True,
    )
    limitations = FreeTextField(
        label=_("Limitations and causes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=NARRATIVE_MAX_LENGTH,
        required=True,
    )
    next_tasks = FreeTextField(
        label=_("Tasks for the next period"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=NARRATIVE_MAX_LENGTH,
        required=True,
    )


class FinaliseForm(forms.Form):
    number = forms.CharField(
        label=_("Document number"),
        max_length=10,
        validators=[RegexValidator(r"^\d{1,6}$", _("Enter the number only, e.g. 125."))],
        help_text=_("The number given by the records office; it is printed as “125/BC-…”."),
    )
    issued_on = forms.DateField(
        label=_("Document date"), help_text=_("dd/mm/yyyy"), widget=forms.DateInput()
    )
    signer_name = FreeTextField(label=_("Signed by"), max_length=150)
