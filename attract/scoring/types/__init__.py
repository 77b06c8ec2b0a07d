"""One module per question type; each exposes a ``QuestionType`` instance named ``TYPE``."""
