from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import BaseAdmin, BilingualFieldsMixin
from agreements.admin.tabular import TabularInline
from agreements.models import Party, PartyAlias


class PartyAliasInline(BilingualFieldsMixin, TabularInline):
    model = PartyAlias
    fields = ("alias", "language", "note")
    extra = 0


@admin.register(Party)
class PartyAdmin(BaseAdmin):
    list_display = ("name_en", "name_ar", "kind", "parent", "also_known_as", "key")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    # Sources call parties by many names; searching by any of them finds the party.
    search_fields = ("key", "name_en", "name_ar", "aliases__alias")
    autocomplete_fields = ("parent",)
    permanent_fields = ("key",)
    fieldsets = (
        (None, {"fields": ("key", "kind", "parent")}),
        (_("Neutral names"), {"fields": (("name_en", "name_ar"), "description")}),
    )
    inlines = (PartyAliasInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Party]:
        # The list shows every alias; one prefetch query serves a whole page.
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description=_("also known as"))
    def also_known_as(self, party: Party) -> str:
        return ", ".join(alias.alias for alias in party.aliases.all())
