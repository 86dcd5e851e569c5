"""The registry's pages: thin views over ``selectors`` and ``services``."""
