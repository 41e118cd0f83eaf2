"""The base every form of the app that takes free text is built on.

- No free text typed into the app stays in the browser: each text input and text area
  gets `autocomplete="off"` on the field itself (browsers ignore it on the `<form>`
  and keep what was typed in their autofill store otherwise).
- C0 control characters are removed from the submitted data before any field cleans
  it (`rescue.text`).
"""

from typing import TYPE_CHECKING

from django import forms

from rescue.text import clean_data

if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object

_TEXT_WIDGETS = (forms.TextInput, forms.Textarea)


def no_autofill(form: forms.BaseForm) -> None:
    """`autocomplete="off"` on every text field of the form that does not say otherwise."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, _TEXT_WIDGETS) and not isinstance(widget, forms.PasswordInput):
            widget.attrs.setdefault("autocomplete", "off")


class PrivateFormMixin(_FormBase):
    def __init__(self, data=None, *args, **kwargs):
        super().__init__(None if data is None else clean_data(data), *args, **kwargs)
        no_autofill(self)


class PrivateForm(PrivateFormMixin, forms.Form):
    """A form whose text the browser does not keep and whose input holds no control characters."""


class PrivateModelForm(PrivateFormMixin, forms.ModelForm):
    """`PrivateForm` for a model."""
