"""Renderers that let ``?format=csv`` / ``?format=geojson`` reach the incident export.

The list view streams these formats itself (``tracker.exports.acled``); the renderers only
make DRF's content negotiation accept the format names and media types.
"""

from typing import Any

from rest_framework.renderers import BaseRenderer


class _StreamedRenderer(BaseRenderer):
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        # Reached only for error responses (e.g. 401): say it plainly in JSON.
        import json

        return json.dumps(data, ensure_ascii=False).encode("utf-8")


class AcledCsvRenderer(_StreamedRenderer):
    media_type = "text/csv"
    format = "csv"


class GeoJsonRenderer(_StreamedRenderer):
    media_type = "application/geo+json"
    format = "geojson"
