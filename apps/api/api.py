"""The one API of Prostir, mounted at ``/api/v1/`` (OpenAPI at ``openapi.json``, interactive
docs at ``docs``). Each context's router comes from that context's ``api.py``."""

from apps.access.api import router as access_router
from apps.directory.api import router as directory_router
from apps.intake.api import router as intake_router
from apps.referrals.api import router as referrals_router
from apps.registry.api import router as registry_router
from apps.registry.imports.api import router as registry_imports_router

from .auth import API_AUTH
from .base import ProstirAPI

DESCRIPTION = """
**Простір** — API платформи хабів соціальних послуг.
**Prostir** — the API of the social-services hubs platform.

### Автентифікація · Authentication
- `Authorization: Bearer prs_…` — персональний токен доступу (сторінка «Токени доступу» або
  `manage.py issue_token`) · a personal access token (the "Access tokens" page or
  `manage.py issue_token`).
- Сесія браузера: змінні запити (POST, PUT, PATCH, DELETE) — з заголовком `X-CSRFToken`; ролям,
  що бачать дані справ, потрібен другий фактор · The browser session: unsafe methods need the
  `X-CSRFToken` header; roles that see case data need the second factor.

Токен діє з правами свого власника · A token acts with its owner's permissions.

Довідник у форматі Open Referral HSDS 3.0 (`/hsds/…`) — публічний, без автентифікації ·
The directory in Open Referral HSDS 3.0 shapes (`/hsds/…`) is public, no authentication.

### Помилки · Errors
Кожна помилка — один JSON · Every error is one JSON shape:
`{"error": {"code", "message", "details", "request_id"}}`.
`code` — для програм (`not_authenticated`, `invalid_token`, `two_factor_required`,
`permission_denied`, `csrf_failed`, `not_found`, `method_not_allowed`, `conflict`,
`duplicate_suspected` (+ `duplicates`), `edit_conflict` (+ `version`; `details` — поля
`{field, yours, theirs}` · the fields both changed), `document_exists`,
`consent_already_withdrawn`, `transfer_already_requested`, `transfer_already_decided`,
`transition_not_allowed`, `slot_taken`, `not_booked`, `consent_required`,
`service_not_accepting_referrals`, `validation_error`,
`server_error`); `message` — для
людей, мовою користувача (типово українською) · for people, in the user's language (Ukrainian
by default); `details` — поля з помилками · fields in error (422);
`request_id` = заголовок `X-Request-ID`.
""".strip()

api = ProstirAPI(
    title="Prostir API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=API_AUTH,
)
api.add_router("", access_router)
# Imports first: "/persons/imports" would otherwise be taken for a person's id.
api.add_router("", registry_imports_router)
api.add_router("", registry_router)
api.add_router("", intake_router)
api.add_router("", directory_router)
api.add_router("", referrals_router)
