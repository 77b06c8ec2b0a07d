"""One module per question type; each exposes a ``QuestionType`` (``base.py``) named
``TYPE``."""
