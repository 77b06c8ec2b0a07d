"""Entry point: ``flask --app app ...`` and ``gunicorn app:app``."""

import gc

from attract import create_app

app = create_app()

# Everything loaded so far (modules, the content library, compiled patterns) lives as long
# as the process. Freezing it takes it out of the garbage collector's full passes, which
# otherwise walk ~96,000 objects at moments nobody chooses: in a gunicorn worker such a pass
# could land inside a submit's write transaction and keep every other worker waiting for
# SQLite's lock (bench/submit_attempts.py, max latency: 150-435 ms without, 18-45 ms with).
gc.collect()
gc.freeze()
