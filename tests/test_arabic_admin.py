"""The admin in Arabic: right-to-left, with the project's own strings from locale/ar.

Django translates its own admin chrome; these tests check the project's catalogue
(locale/ar/LC_MESSAGES/django.mo) is found and used, and that English is left as it was.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from agreements.models import Agreement, Obligation
from tests import builders
from tests.admin_helpers import admin_url


@pytest.fixture
def agreement(db) -> Agreement:
    """An agreement with one clause and one obligation that nobody has assessed yet."""
    obligation = builders.obligation(action_en="Hand over light weapons")
    return obligation.clause.agreement


def _page(client: Client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _html_tag(page: str) -> str:
    match = re.search(r"<html[^>]*>", page)
    assert match, "the page has no <html> tag"
    return match.group(0)


def test_the_obligation_list_in_arabic_is_right_to_left_with_the_projects_column_headers(
    agreement: Agreement, lead: User, client_as
):
    page = _page(client_as(lead), admin_url(Obligation, "changelist"), "ar")

    assert 'lang="ar"' in _html_tag(page)
    assert 'dir="rtl"' in _html_tag(page)
    assert "متتبّع بنود الاتفاقات" in page  # site header
    assert "الحالة الحالية" in page  # "current status" column and filter
    assert "الموعد النهائي" in page  # "deadline" column
    assert "لم يُقيَّم بعد" in page  # "Not assessed yet"
    assert "ملزم بالقيام بـ" in page  # the modality choice "must do"
    assert "Current status" not in page
    assert "Not assessed yet" not in page


def test_the_obligation_list_in_english_is_left_to_right_with_the_english_strings(
    agreement: Agreement, lead: User, client_as
):
    page = _page(client_as(lead), admin_url(Obligation, "changelist"), "en")

    assert 'dir="ltr"' in _html_tag(page)
    assert "Agreement-clause tracker" in page
    assert "Current status" in page
    assert "Deadline" in page
    assert "Not assessed yet" in page
    assert "must do" in page
    assert "الحالة الحالية" not in page


def test_the_agreement_page_in_arabic_shows_translated_help_text_fieldsets_and_inline_titles(
    agreement: Agreement, lead: User, client_as
):
    page = _page(client_as(lead), admin_url(Agreement, "change", agreement.pk), "ar")

    assert 'dir="rtl"' in _html_tag(page)
    # help_text of signed_on
    assert "تاريخ توقيعه أو إعلانه، بقدر ما هو معروف." in page
    # verbose_name_plural of the links inline
    assert "صلات باتفاقات أخرى" in page
    # a fieldset title and an explicit verbose_name
    assert "المكان والملخص والنص" in page
    assert "العنوان (بالإنجليزية)" in page
    # the app's verbose_name, in the breadcrumbs
    assert "الاتفاقات" in page
    assert "When it was signed or announced, as far as known." not in page
    assert "Links to other agreements" not in page


def test_the_agreement_page_in_english_shows_the_english_help_text_and_inline_titles(
    agreement: Agreement, lead: User, client_as
):
    page = _page(client_as(lead), admin_url(Agreement, "change", agreement.pk), "en")

    assert 'dir="ltr"' in _html_tag(page)
    assert "When it was signed or announced, as far as known." in page
    assert "Links to other agreements" in page
    assert "Place, summary and text" in page
    assert "Title (English)" in page
    assert "تاريخ توقيعه أو إعلانه" not in page
    assert "صلات باتفاقات أخرى" not in page


def test_a_records_history_and_the_reports_read_in_arabic(
    agreement: Agreement, lead: User, client_as
):
    client = client_as(lead)

    history = _page(client, admin_url(Agreement, "history", agreement.pk), "ar")
    reports = _page(client, "/reports/", "ar")

    assert 'dir="rtl"' in _html_tag(history)
    assert "السبب" in history  # the "Reason" column of the audit history
    assert "التقارير" in history  # the header's link to the reports
    assert "التقارير" in reports
