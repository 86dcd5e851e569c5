from django.urls import path

from .views import editing, households, imports, merge, persons, transfers

app_name = "registry"

urlpatterns = [
    path("", persons.person_search_view, name="search"),
    path("new/", persons.person_register_view, name="register"),
    path("transfers/", transfers.transfer_list_view, name="transfers"),
    path("transfers/new/", transfers.transfer_request_view, name="transfer-request"),
    path(
        "transfers/<uuid:transfer_id>/decision/",
        transfers.transfer_decide_view,
        name="transfer-decide",
    ),
    path(
        "transfers/<uuid:transfer_id>/cancel/",
        transfers.transfer_cancel_view,
        name="transfer-cancel",
    ),
    path(
        "households/<uuid:household_id>/",
        households.household_detail_view,
        name="household-detail",
    ),
    path(
        "households/<uuid:household_id>/members/",
        households.household_member_add_view,
        name="household-member-add",
    ),
    path(
        "households/<uuid:household_id>/members/<int:member_id>/end/",
        households.household_member_end_view,
        name="household-member-end",
    ),
    path(
        "households/<uuid:household_id>/head/",
        households.household_head_change_view,
        name="household-head-change",
    ),
    path("<uuid:person_id>/", persons.person_detail_view, name="person-detail"),
    path("import/", imports.import_upload, name="import"),
    path("import/template.csv", imports.import_template_csv, name="import-template-csv"),
    path("import/template.xlsx", imports.import_template_xlsx, name="import-template-xlsx"),
    path("import/<int:job_id>/", imports.import_job_detail, name="import-job"),
    path("import/<int:job_id>/report.csv", imports.import_job_report, name="import-job-report"),
    path("<uuid:person_id>/edit/", editing.person_edit_view, name="person-edit"),
    path("<uuid:person_id>/merge/", merge.person_merge_view, name="person-merge"),
    path("<uuid:person_id>/documents/new/", editing.document_add_view, name="document-add"),
    path(
        "<uuid:person_id>/documents/<int:document_id>/delete/",
        editing.document_delete_view,
        name="document-delete",
    ),
    path(
        "<uuid:person_id>/documents/<int:document_id>/attachments/",
        editing.attachment_add_view,
        name="attachment-add",
    ),
    path(
        "<uuid:person_id>/documents/<int:document_id>/attachments/<int:attachment_id>/",
        editing.attachment_download_view,
        name="attachment-download",
    ),
    path(
        "<uuid:person_id>/documents/<int:document_id>/attachments/<int:attachment_id>/delete/",
        editing.attachment_delete_view,
        name="attachment-delete",
    ),
    path("<uuid:person_id>/consents/new/", editing.consent_record_view, name="consent-record"),
    path(
        "<uuid:person_id>/consents/<int:consent_id>/withdraw/",
        editing.consent_withdraw_view,
        name="consent-withdraw",
    ),
    path(
        "<uuid:person_id>/household/new/",
        households.household_create_view,
        name="household-create",
    ),
]
