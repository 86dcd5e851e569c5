"""Form helpers shared by every app's pages."""

from django import forms


class AccessibleFormMixin:
    """Ties each widget to its help text and errors (``aria-describedby``) and marks invalid
    fields with ``aria-invalid``, so screen readers announce what is wrong next to the field.
    Pairs with ``templates/includes/field.html``."""

    def full_clean(self):
        super().full_clean()
        self._mark_widgets()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._mark_widgets()

    def _mark_widgets(self):
        for name, field in self.fields.items():
            bound = self[name]
            described_by = []
            if field.help_text:
                described_by.append(f"{bound.auto_id}-help")
            attrs = field.widget.attrs
            if self.is_bound and hasattr(self, "_errors") and self._errors and name in self._errors:
                described_by.append(f"{bound.auto_id}-errors")
                attrs["aria-invalid"] = "true"
            else:
                attrs.pop("aria-invalid", None)
            if described_by:
                attrs["aria-describedby"] = " ".join(described_by)
            else:
                attrs.pop("aria-describedby", None)


class AccessibleForm(AccessibleFormMixin, forms.Form):
    pass
