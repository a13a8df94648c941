"""Root URL configuration: the admin is the main interface, so `/` sends people there."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Not permanent: the landing page may become something else later, and browsers
    # cache 301s aggressively.
    path("", RedirectView.as_view(url="/admin/", permanent=False), name="home"),
]
