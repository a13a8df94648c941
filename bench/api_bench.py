#!/usr/bin/env python3
"""Time the API lists and the admin's incident list on generated data, against a floor and a
naive baseline.

    .venv/bin/python bench/api_bench.py --incidents 100000 --obligations 5000
    .venv/bin/python bench/api_bench.py --keep      # time again on the data already generated

``make bench`` runs it after the reports (bench/reports_bench.py, which builds the data and
calls ``api_lines``). Each list is a page of 100, without and with each filter, timed three
ways in one run:

- ours: the request through the URL the router maps (resolve() of the real path), DRF's
  authentication, permissions, throttles, filters, pagination, serializer and JSON renderer;
- floor: the same page by hand-written SQL and ``json.dumps`` (the least any implementation
  pays: the same rows, related names and, where the page carries one, the count);
- naive: what a first version would write, a DRF ``ModelViewSet`` with ``ModelSerializer``s,
  page numbers (a count of every match), ``DISTINCT`` filters through joins and ``icontains``
  search, on the same indexed database.

The admin's incident list and its search are timed through the Django test client (a signed-in
admin): the page as an analyst gets it, HTML included.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGE = 100
RUNS = 7
AGREEMENT = "bench-agreement"

INCIDENT_CASES: dict[str, dict[str, str]] = {
    "no filter": {},
    "date range": {"occurred_after": "2020-03-01", "occurred_before": "2020-03-31"},
    "actor": {"actor": "<party>"},
    "agreement": {"agreement": AGREEMENT},
    "q=": {"q": "incident 4242"},
}
OBLIGATION_CASES: dict[str, dict[str, str]] = {
    "no filter": {},
    "due date range": {"due_after": "2021-01-01", "due_before": "2021-12-31"},
    "obligor": {"obligor": "<party>"},
    "agreement": {"agreement": AGREEMENT},
    "q=": {"q": "action 4242"},
    "status": {"status": "disputed"},
}
PLAIN_STATIC_FILES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ADMIN_SEARCHES = ("incident 4242", "<party name>", "Unidentified")


def best_of(work: Callable[[], Any], runs: int = RUNS) -> tuple[float, Any]:
    """(best seconds, last result): the best run is the one least disturbed by the machine."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def bench_party() -> tuple[str, str]:
    """(key, English name) of a party that acts in generated incidents and owes obligations."""
    from agreements.models import Party

    return Party.objects.order_by("id").values_list("key", "name_en")[1]


def with_party(cases: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    key, _ = bench_party()
    return {
        name: {field: key if value == "<party>" else value for field, value in query.items()}
        for name, query in cases.items()
    }


def bench_user(group: str) -> Any:
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.get_or_create(username=f"bench-{group}", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)


def ours(user: Any, path: str, query: dict[str, str]) -> Callable[[], bytes]:
    """GET ``path`` through the view the URL resolves to, rendered to JSON bytes."""
    from django.urls import resolve
    from rest_framework.test import APIRequestFactory, force_authenticate

    view = resolve(path).func

    def run() -> bytes:
        request = APIRequestFactory().get(
            path, {**query, "page_size": PAGE}, HTTP_ACCEPT="application/json"
        )
        force_authenticate(request, user=user)
        response = view(request)
        response.render()
        assert response.status_code == 200, response.content[:300]
        return response.content

    return run


def run_naive(viewset: type, path: str, query: dict[str, str]) -> Callable[[], bytes]:
    from rest_framework.test import APIRequestFactory

    view = viewset.as_view({"get": "list"})

    def run() -> bytes:
        response = view(APIRequestFactory().get(path, query))
        response.render()
        assert response.status_code == 200, response.content[:300]
        return response.content

    return run


def naive_viewset(serializer: type, filterset: type, search: list[str]) -> type:
    from django_filters.rest_framework import DjangoFilterBackend
    from rest_framework import filters, pagination, viewsets
    from rest_framework.permissions import AllowAny
    from rest_framework.renderers import JSONRenderer

    class Pages(pagination.PageNumberPagination):
        page_size = PAGE

    class NaiveViewSet(viewsets.ModelViewSet):
        serializer_class = serializer
        filterset_class = filterset
        filter_backends = [DjangoFilterBackend, filters.SearchFilter]
        search_fields = search
        pagination_class = Pages
        permission_classes = [AllowAny]
        authentication_classes: list = []
        renderer_classes = [JSONRenderer]
        throttle_classes: list = []

    return NaiveViewSet


def naive_incidents(query: dict[str, str]) -> Callable[[], bytes]:
    import django_filters
    from rest_framework import serializers

    from tracker.models import Incident, IncidentActor

    class ActorSerializer(serializers.ModelSerializer):
        class Meta:
            model = IncidentActor
            fields = ["id", "party", "name_as_reported", "side", "is_associate"]

    class IncidentSerializer(serializers.ModelSerializer):
        actor_roles = ActorSerializer(many=True, read_only=True)

        class Meta:
            model = Incident
            fields = "__all__"

    class IncidentFilter(django_filters.FilterSet):
        occurred_after = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
        occurred_before = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte")
        actor = django_filters.CharFilter(field_name="actors__key", distinct=True)
        agreement = django_filters.CharFilter(
            field_name="breach_claims__obligation__clause__agreement__code", distinct=True
        )

        class Meta:
            model = Incident
            fields = ["event_type"]

    viewset = naive_viewset(
        IncidentSerializer,
        IncidentFilter,
        ["key", "description_en", "description_ar", "location"],
    )
    viewset.queryset = Incident.objects.prefetch_related("actor_roles").order_by(
        "-occurred_on", "-id"
    )
    return run_naive(viewset, "/incidents/", query)


def naive_obligations(query: dict[str, str]) -> Callable[[], bytes]:
    """Obligations with their latest judgement's status found per row (a query each, as a
    SerializerMethodField does), and the status filter as a correlated subquery."""
    import django_filters
    from django.db.models import OuterRef, Subquery
    from rest_framework import serializers

    from agreements.models import Obligation
    from tracker.models import ComplianceAssessment

    latest = ComplianceAssessment.objects.exclude(review_state="rejected").order_by(
        "-valid_from", "-recorded_at", "-id"
    )

    class ObligationSerializer(serializers.ModelSerializer):
        agreement = serializers.CharField(source="clause.agreement.code")
        current_status = serializers.SerializerMethodField()

        class Meta:
            model = Obligation
            fields = "__all__"

        def get_current_status(self, obligation: Obligation) -> str | None:
            found = latest.filter(obligation=obligation).first()
            return found.status if found else None

    class ObligationFilter(django_filters.FilterSet):
        agreement = django_filters.CharFilter(field_name="clause__agreement__code")
        obligor = django_filters.CharFilter(field_name="obligor__key")
        due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")
        due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
        status = django_filters.CharFilter(method="filter_status")

        class Meta:
            model = Obligation
            fields = ["modality"]

        def filter_status(self, queryset: Any, name: str, value: str) -> Any:
            status = latest.filter(obligation=OuterRef("pk")).values("status")[:1]
            return queryset.annotate(status_now=Subquery(status)).filter(status_now=value)

    viewset = naive_viewset(
        ObligationSerializer, ObligationFilter, ["key", "action_en", "action_ar", "note"]
    )
    viewset.queryset = Obligation.objects.order_by("id")
    return run_naive(viewset, "/obligations/", query)


def words_condition(
    query: dict[str, str], alias: str, columns: tuple[str, ...]
) -> tuple[list[str], list]:
    """``q=``: each word a case-insensitive substring of one of ``columns``."""
    conditions, params = [], []
    for word in query.get("q", "").split():
        conditions.append(
            "("
            + " OR ".join(f"upper({alias}.{column}::text) LIKE upper(%s)" for column in columns)
            + ")"
        )
        params += [f"%{word}%"] * len(columns)
    return conditions, params


def floor_incidents(query: dict[str, str]) -> Callable[[], bytes]:
    """One SELECT with the same conditions, order and LIMIT, one for the page's actors and one
    for its sources, json.dumps of the rows."""
    from django.db import connection

    conditions, params = ["true"], []
    if "occurred_after" in query:
        conditions.append("i.occurred_on >= %s")
        params.append(query["occurred_after"])
    if "occurred_before" in query:
        conditions.append("i.occurred_on <= %s")
        params.append(query["occurred_before"])
    if "actor" in query:
        conditions.append(
            "EXISTS (SELECT 1 FROM tracker_incidentactor AS a JOIN agreements_party AS p"
            " ON p.id = a.party_id WHERE a.incident_id = i.id AND p.key = %s)"
        )
        params.append(query["actor"])
    if "agreement" in query:
        conditions.append(
            "EXISTS (SELECT 1 FROM tracker_breachclaim AS b"
            " JOIN agreements_obligation AS o ON o.id = b.obligation_id"
            " JOIN agreements_clause AS c ON c.id = o.clause_id"
            " JOIN agreements_agreement AS g ON g.id = c.agreement_id"
            " WHERE b.incident_id = i.id AND g.code = %s)"
        )
        params.append(query["agreement"])
    words, word_params = words_condition(
        query, "i", ("key", "location", "description_en", "description_ar")
    )
    sql = (
        "SELECT i.* FROM tracker_incident AS i WHERE "
        + " AND ".join(conditions + words)
        + f" ORDER BY i.occurred_on DESC, i.id DESC LIMIT {PAGE}"
    )
    params += word_params

    def run() -> bytes:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column.name for column in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            ids = [row["id"] for row in rows]
            cursor.execute(
                "SELECT a.incident_id, p.id, p.key, p.name_en, a.name_as_reported,"
                " a.side, a.is_associate FROM tracker_incidentactor AS a"
                " LEFT JOIN agreements_party AS p ON p.id = a.party_id"
                " WHERE a.incident_id = ANY(%s) ORDER BY a.incident_id, a.side, a.id",
                [ids],
            )
            actors: dict[int, list] = {}
            for incident, *actor in cursor.fetchall():
                actors.setdefault(incident, []).append(actor)
            cursor.execute(
                "SELECT l.incident_id, s.id, s.key, s.publisher, l.credibility, l.excerpt FROM"
                " tracker_incidentsource AS l JOIN agreements_source AS s ON s.id = l.source_id"
                " WHERE l.incident_id = ANY(%s)",
                [ids],
            )
            sources: dict[int, list] = {}
            for incident, *source in cursor.fetchall():
                sources.setdefault(incident, []).append(source)
        for row in rows:
            row["actors"] = actors.get(row["id"], [])
            row["sources"] = sources.get(row["id"], [])
        return json.dumps({"results": rows}, default=str).encode()

    return run


def floor_obligations(query: dict[str, str]) -> Callable[[], bytes]:
    """The page's count and its rows in two SELECTs: names joined, the deadline resolved, the
    standing judgement as a LATERAL look-up of the newest non-rejected one (no supersession:
    the floor does less than the page), prerequisites as an array; json.dumps of the rows."""
    from django.db import connection

    conditions, params = ["true"], []
    for name, column in (("due_after", ">="), ("due_before", "<=")):
        if name in query:
            conditions.append(
                "coalesce(o.due_on, g.signed_on + o.due_days_after_signature) " + column + " %s"
            )
            params.append(query[name])
    if "obligor" in query:
        conditions.append("ob.key = %s")
        params.append(query["obligor"])
    if "agreement" in query:
        conditions.append("g.code = %s")
        params.append(query["agreement"])
    if "status" in query:
        conditions.append("latest.status = %s")
        params.append(query["status"])
    words, word_params = words_condition(query, "o", ("key", "action_en", "action_ar", "note"))
    params += word_params
    body = (
        " FROM agreements_obligation AS o"
        " JOIN agreements_clause AS c ON c.id = o.clause_id"
        " JOIN agreements_agreement AS g ON g.id = c.agreement_id"
        " JOIN agreements_party AS ob ON ob.id = o.obligor_id"
        " LEFT JOIN agreements_party AS be ON be.id = o.beneficiary_id"
        " LEFT JOIN LATERAL (SELECT a.id, a.status, a.level, a.valid_from"
        "   FROM tracker_complianceassessment AS a"
        "   WHERE a.obligation_id = o.id AND a.review_state <> 'rejected'"
        "   ORDER BY a.valid_from DESC, a.recorded_at DESC, a.id DESC LIMIT 1) AS latest ON true"
        " WHERE " + " AND ".join(conditions + words)
    )
    count_sql = "SELECT count(*)" + body
    page_sql = (
        "SELECT o.*, g.code AS agreement, c.key AS clause_key, ob.key AS obligor_key,"
        " ob.name_en AS obligor_name, be.key AS beneficiary_key, be.name_en AS beneficiary_name,"
        " coalesce(o.due_on, g.signed_on + o.due_days_after_signature) AS due_date,"
        " ARRAY(SELECT d.prerequisite_id FROM agreements_obligationdependency AS d"
        "   WHERE d.obligation_id = o.id) AS depends_on,"
        " latest.status, latest.level, latest.valid_from, latest.id AS assessment"
        + body
        + f" ORDER BY o.id LIMIT {PAGE}"
    )

    def run() -> bytes:
        with connection.cursor() as cursor:
            cursor.execute(count_sql, params)
            count = cursor.fetchone()[0]
            cursor.execute(page_sql, params)
            names = [column.name for column in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return json.dumps({"count": count, "results": rows}, default=str).encode()

    return run


def compare(title: str, ours_run: Callable[[], bytes], floor: Callable, naive: Callable) -> str:
    """The line (printed as soon as measured) comparing ours, the floor and naive."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ours_run()  # the first request also reads the user's permissions, once
    with CaptureQueriesContext(connection) as queries:
        body = ours_run()
    # Ours and the floor in turn, so a busy moment of the machine falls on both alike.
    ours_s = floor_s = float("inf")
    for _ in range(RUNS):
        ours_s = min(ours_s, best_of(ours_run, runs=1)[0])
        floor_s = min(floor_s, best_of(floor, runs=1)[0])
    # One run: at a million incidents each naive request takes most of a minute.
    naive_s, _ = best_of(naive, runs=1)
    shown = len(json.loads(body)["results"])
    return shown_now(
        f"{title} ({shown} rows): ours {ours_s * 1000:,.1f} ms in "
        f"{len(queries.captured_queries)} queries | floor {floor_s * 1000:,.1f} ms | "
        f"naive {naive_s * 1000:,.1f} ms\n"
        f"    ours / floor = {ours_s / floor_s:.2f}x   naive / ours = {naive_s / ours_s:.1f}x"
    )


def shown_now(line: str) -> str:
    print(line, flush=True)
    return line


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def admin_lines() -> list[str]:
    """The admin's incident list, unfiltered and searched, as a signed-in admin gets it."""
    from django.contrib.admin import site
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    from tracker.admin.incidents import IncidentAdmin
    from tracker.models import Incident

    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(admin)
    _, party_name = bench_party()
    lines = []
    # The page's static files from the app directories: the bench has no collectstatic
    # manifest.
    with override_settings(STORAGES=PLAIN_STATIC_FILES):
        for term in ("", *ADMIN_SEARCHES):
            term = party_name if term == "<party name>" else term

            def run(term: str = term) -> Any:
                response = client.get(
                    reverse("admin:tracker_incident_changelist"),
                    {"q": term} if term else {},
                    secure=True,
                )
                assert response.status_code == 200, response.status_code
                return response

            step(f"timing the admin incident list, search {term!r}")
            # Counted as they run: the test client's request_started signal empties Django's
            # own log of them.
            statements: list[str] = []

            def counted(execute: Callable, sql: str, *rest: Any, seen: list = statements) -> Any:
                seen.append(sql)
                return execute(sql, *rest)

            with connection.execute_wrapper(counted):
                run()
            seconds, _ = best_of(run, runs=3)
            label = f"search {term!r}" if term else "no search"
            matches = (
                IncidentAdmin(Incident, site)
                .get_search_results(None, Incident.objects.all(), term)[0]
                .count()
            )
            lines.append(
                shown_now(
                    f"admin incident list, {label} ({matches:,} matches): "
                    f"{seconds * 1000:,.0f} ms in {len(statements)} queries"
                )
            )
    return lines


def api_lines() -> list[str]:
    """Every list case three ways, then the admin's list; one line (or two) each."""
    viewer = bench_user("viewer")
    lines = []
    for name, query in with_party(INCIDENT_CASES).items():
        step(f"timing the API incident list, {name}")
        lines.append(
            compare(
                f"API incidents, {name}",
                ours(viewer, "/api/v1/incidents/", query),
                floor_incidents(query),
                naive_incidents(query),
            )
        )
    for name, query in with_party(OBLIGATION_CASES).items():
        step(f"timing the API obligation list, {name}")
        lines.append(
            compare(
                f"API obligations, {name}",
                ours(viewer, "/api/v1/obligations/", query),
                floor_obligations(query),
                naive_obligations(query),
            )
        )
    return lines + admin_lines()


def main() -> None:
    import reports_bench

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=100_000, help="default 100,000")
    parser.add_argument("--obligations", type=int, default=5_000, help="default 5,000")
    parser.add_argument(
        "--keep", action="store_true", help="time on the bench database as it is (no rebuild)"
    )
    options = parser.parse_args()
    reports_bench.setup_environment()
    if not options.keep:
        reports_bench.rebuild(options.incidents, options.obligations)
    else:
        import django

        django.setup()
    lines = api_lines()
    print(f"\nResults (best of {RUNS} runs each, naive one run, admin best of 3, one run):")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
