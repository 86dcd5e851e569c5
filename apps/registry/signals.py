"""What the registry tells the contexts above it, which it must not import (they connect
their receivers in their ``AppConfig.ready``).

``person_transferred`` is sent by ``services.transfer_decide`` when a transfer of access is
granted, inside its transaction and after the person has moved, with ``actor`` (who granted),
``person``, ``from_community_id``, ``from_organisation_id``, ``to_community_id`` and
``to_organisation_id``. A receiver moves what it holds of the person in that same transaction;
an exception it raises rolls the whole grant back, so the person never moves without it.

``person_merged`` is sent by ``services.person_merge`` inside its transaction, after the
duplicate points to the kept record and the registry's own rows have moved, with ``actor`` (who
merged), ``person`` (the kept record) and ``duplicate`` (the merged one). A receiver moves what
it holds of the duplicate to the kept person in that same transaction; an exception it raises
rolls the whole merge back.

``consent_withdrawn`` is sent by ``services.consent_withdraw`` inside its transaction, with the
person's row locked and the consent already marked withdrawn, with ``actor`` (who withdrew it),
``person`` and ``consent``. A receiver stops sharing what the consent no longer covers in that
same transaction; an exception it raises rolls the withdrawal back.
"""

from django.dispatch import Signal

person_transferred = Signal()
person_merged = Signal()
consent_withdrawn = Signal()
