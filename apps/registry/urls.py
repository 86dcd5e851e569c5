from django.urls import path

from .views import imports, persons

app_name = "registry"

urlpatterns = [
    path("", persons.person_search_view, name="search"),
    path("new/", persons.person_register_view, name="register"),
    path("<uuid:person_id>/", persons.person_detail_view, name="person-detail"),
    path("import/", imports.import_upload, name="import"),
    path("import/template.csv", imports.import_template_csv, name="import-template-csv"),
    path("import/template.xlsx", imports.import_template_xlsx, name="import-template-xlsx"),
    path("import/<int:job_id>/", imports.import_job_detail, name="import-job"),
    path("import/<int:job_id>/report.csv", imports.import_job_report, name="import-job-report"),
]
