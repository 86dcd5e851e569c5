"""Intake: requests for help (звернення) with needs from a configurable taxonomy, the triage
queue of a hub, and the primary consultation booked in a specialist's free slot.

Decisions (see ``rules`` for the numbers):

- A request is held by the hub of the worker who records it (``organisation``) and that hub's
  community: the access policy scopes it like a person. A person is read through the registry's
  selector first, so a request can only be recorded for a person the worker may see.
- Status goes new → triaged → in work → closed; a request may be closed from any open status
  (with a reason from a list; a note is required for "other"), and a closed one may be reopened
  back to triaged (a note is required). Every change leaves a ``RequestEvent`` — the history
  shown on the request — besides its audit event.
- ``version`` is the optimistic lock: a change sent with a stale version is refused with both
  values (``EditConflict``), nothing is overwritten silently.
- Appointments are minimal (the activities context will extend them): one specialist, one
  person, optionally a room, never overlapping a booked appointment of any of the three. The
  service checks under row locks of the specialist, the person and the room (taken in that
  order), so two concurrent bookings cannot both pass; PostgreSQL also has exclusion
  constraints as a safety net.
- Lists (triage queue, a person's requests) are scoped but not audited, like the registry's
  search; opening one request is an audited read.
"""
