"""The registry of people served by a hub: who they are and which documents identify them.

So far the rules, pure Python and without models: ``identifiers`` (РНОКПП, УНЗР, passports,
certificates, phones) and ``names`` (the national transliteration and the search keys that
let spellings meet). The models and the app's registration come with the registry issue.
"""
