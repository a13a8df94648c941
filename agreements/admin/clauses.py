from django.contrib import admin
from django.db.models import QuerySet
from django.db.models.fields import TextField
from django.forms import Textarea
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import BaseAdmin, BilingualFieldsMixin
from agreements.admin.tabular import TabularInline
from agreements.models import Clause, ClauseAccount, Obligation
from agreements.names import in_reader_language


class ClauseAccountInline(BilingualFieldsMixin, admin.StackedInline):
    model = ClauseAccount
    fields = (("source", "form", "is_working_text"), ("text_en", "text_ar"), "note")
    autocomplete_fields = ("source",)
    extra = 0
    verbose_name = _("account of the wording")
    verbose_name_plural = _("accounts of the wording (edit)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClauseAccount]:
        return super().get_queryset(request).select_related("clause", "source")


class ObligationInline(BilingualFieldsMixin, TabularInline):
    model = Obligation
    # What tells the obligations apart, so the table fits 1280 px with their status. The
    # beneficiary and the deadline are edited on the obligation's own page (its "Change"
    # link), where the deadline's date, precision and days after signature go together.
    fields = ("key", "obligor", "modality", "action_en", "deadline")
    readonly_fields = ("deadline",)
    autocomplete_fields = ("obligor", "beneficiary")
    show_change_link = True
    extra = 0
    formfield_overrides = {TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 24})}}

    @admin.display(description=_("deadline"))
    def deadline(self, obligation: Obligation) -> str:
        if obligation.due_on is not None:
            return f"{obligation.due_on:%Y-%m-%d} ({obligation.get_due_precision_display()})"
        if obligation.due_days_after_signature is not None:
            return _("%(days)d days after signature") % {
                "days": obligation.due_days_after_signature
            }
        return self.get_empty_value_display()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Obligation]:
        return (
            super()
            .get_queryset(request)
            .select_related("clause__agreement", "obligor", "beneficiary")
        )


@admin.register(Clause)
class ClauseAdmin(BaseAdmin):
    list_display = ("key", "label", "summary", "agreement", "topic", "is_retired")
    list_filter = ("agreement", "topic", ("retired_on", admin.EmptyFieldListFilter))
    list_select_related = ("agreement", "topic")
    search_fields = (
        "key",
        "label",
        "summary_en",
        "summary_ar",
        "agreement__code",
        "accounts__text_en",
        "accounts__text_ar",
    )
    autocomplete_fields = ("agreement", "parent", "topic")
    # The database refuses to change these; the form says so before anyone tries.
    permanent_fields = ("agreement", "key")
    readonly_fields = ("accounts_side_by_side",)
    inlines = (ClauseAccountInline, ObligationInline)

    def get_fieldsets(self, request: HttpRequest, obj: Clause | None = None):
        fieldsets = [
            (
                None,
                {
                    "fields": (
                        "agreement",
                        ("key", "label", "position"),
                        ("parent", "topic"),
                        ("summary_en", "summary_ar"),
                    )
                },
            ),
        ]
        if obj is not None:
            fieldsets.append((_("What the sources say"), {"fields": ("accounts_side_by_side",)}))
        fieldsets.append(
            (
                _("Retirement"),
                {
                    "fields": (("retired_on", "retired_reason"),),
                    "description": _(
                        "Clauses are never deleted, so their keys are never reused. When a "
                        "clause no longer applies, give the date and the reason here."
                    ),
                },
            )
        )
        return self.extended_fieldsets(request, obj, fieldsets)

    def has_delete_permission(self, request: HttpRequest, obj: Clause | None = None) -> bool:
        # The database refuses deletes too; hiding the button spares the analyst an error page.
        return False

    @admin.display(description=_("summary"), ordering="summary_en")
    def summary(self, clause: Clause) -> str:
        return in_reader_language(clause.summary_en, clause.summary_ar)

    @admin.display(boolean=True, description=_("retired"), ordering="retired_on")
    def is_retired(self, clause: Clause) -> bool:
        return clause.retired_on is not None

    @admin.display(description=_("accounts side by side"))
    def accounts_side_by_side(self, clause: Clause) -> SafeString:
        """Every source's wording in its own column, so disagreements show at a glance."""
        return render_to_string(
            "admin/agreements/clause/accounts_side_by_side.html",
            {"accounts": clause.accounts.select_related("source")},
        )


@admin.register(ClauseAccount)
class ClauseAccountAdmin(BaseAdmin):
    list_display = ("clause", "source", "form", "is_working_text", "agreement")
    list_filter = ("is_working_text", "form", "source__reliability", "clause__agreement")
    list_select_related = ("clause__agreement", "source")
    search_fields = (
        "clause__key",
        "clause__summary_en",
        "source__publisher",
        "source__title",
        "text_en",
        "text_ar",
    )
    autocomplete_fields = ("clause", "source")
    fieldsets = (
        (None, {"fields": ("clause", ("source", "form", "is_working_text"))}),
        (_("Wording"), {"fields": (("text_en", "text_ar"), "note")}),
    )

    @admin.display(description=_("agreement"), ordering="clause__agreement__signed_on")
    def agreement(self, account: ClauseAccount) -> str:
        return account.clause.agreement.code
