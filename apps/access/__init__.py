"""Users, roles, memberships in communities and organisations, personal access tokens,
and THE access policy (``apps.access.policies``) every selector goes through."""
