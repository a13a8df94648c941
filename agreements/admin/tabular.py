"""Tabular inlines whose inputs a screen reader can name.

A tabular inline prints each field's label once, as a column heading; the inputs in the rows
below have no <label> of their own, so assistive technology announces "edit text" or "combo
box" with no name (axe: label, select-name). Every visible input of every row, and the row's
Delete box, is named after its column here, in one place for all our tabular inlines.
"""

from typing import Any

from django.contrib import admin
from django.forms import BaseForm
from django.forms.models import BaseInlineFormSet


class LabelledCellsFormSet(BaseInlineFormSet):
    def add_fields(self, form: BaseForm, index: Any) -> None:
        # After super(): the formset adds the Delete box (and ordering) to the form here.
        super().add_fields(form, index)
        for field in form.fields.values():
            if field.label and not field.widget.is_hidden:
                # Each form holds its own copy of its fields, so this names one row's input.
                field.widget.attrs.setdefault("aria-label", str(field.label))


class TabularInline(admin.TabularInline):
    formset = LabelledCellsFormSet
