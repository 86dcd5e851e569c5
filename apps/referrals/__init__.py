"""Closed-loop referrals: a hub refers a person to a service of its own or of a partner
organisation, the receiver answers and reports the outcome, deadlines are watched.

Decisions:

- A referral is held by two sides (the sending hub and the receiving organisation); the access
  policy scopes it by either (``models.Referral``), and the outgoing list and the partner inbox
  by one (the proxies). Partner staff see only referrals addressed to their organisation, with
  only the data the sender shared (copied at sending time, never read from the registry).
- Sending to another organisation than the sending hub needs the person's current consent for
  partners (``apps.registry.selectors.consent_allows``); a service that does not accept
  referrals needs the sender's explicit confirmation.
- Double submissions give the first referral back: the same ``Idempotency-Key`` of the same
  user, or the same person, service and need while that referral is still open.
- A completed referral records a service delivered (``apps.delivery``) with its outcome
  (need met, partly met, not met) in the same transaction.
- Overdue referrals are noticed by the scheduled task ``tasks.notify_overdue`` (also
  ``manage.py notify_overdue_referrals``): one e-mail per referral and missed deadline.
"""
