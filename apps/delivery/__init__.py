"""Services delivered to persons: the fact dashboards count. Recorded by the contexts above
(a referral completed with its need met or partly met, later cases and activities), always
through ``services.record_delivery`` in the transaction of the change that delivered it."""
