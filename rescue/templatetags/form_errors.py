"""`{% error_summary form formset ... %}`: every error of a failed submit, as links to fields."""

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class SummaryLine:
    """One error in the summary: the field's id (empty for a form-wide error) and its text."""

    target: str
    label: str
    message: str


def _target(bound) -> str:
    """The id of the control to put the cursor in: the first button of a set of radios."""
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        options = bound.subwidgets
        if options:
            return options[0].id_for_label
    return bound.id_for_label or bound.auto_id


def _form_lines(form: forms.BaseForm, heading: str = "") -> list[SummaryLine]:
    lines = [SummaryLine("", heading, str(message)) for message in form.non_field_errors()]
    for bound in form:
        for message in bound.errors:
            label = f"{heading}, {bound.label}" if heading else str(bound.label)
            lines.append(SummaryLine(_target(bound), label, str(message)))
    return lines


def summary_lines(*forms_or_formsets, row_label: str = "Person") -> list[SummaryLine]:
    lines: list[SummaryLine] = []
    for item in forms_or_formsets:
        if item is None or not item.is_bound:
            continue
        if isinstance(item, forms.BaseFormSet):
            lines += [SummaryLine("", "", str(message)) for message in item.non_form_errors()]
            for number, form in enumerate(item.forms, start=1):
                lines += _form_lines(form, f"{row_label} {number}")
        else:
            lines += _form_lines(item)
    return lines


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms_or_formsets, row_label: str = "Person"):
    return {"lines": summary_lines(*forms_or_formsets, row_label=row_label)}
