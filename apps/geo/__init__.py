"""КАТОТТГ: the official codifier of administrative-territorial units (oblast → raion → hromada →
settlement → city district). Communities (hromadas) are the tenancy unit of Prostir."""
