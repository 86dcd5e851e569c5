"""Services delivered to persons: the fact dashboards count. Recorded by the contexts above
(a completed referral, with its outcome; later cases and activities), always
through ``services.record_delivery`` in the transaction of the change that delivered it."""
