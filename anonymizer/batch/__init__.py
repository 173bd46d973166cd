"""Many files: discovery, a resumable state store, an audit log, local and Ray executors.

``run_batch(options, config)`` is what ``anonymizer batch`` calls. The driver (this process) is the
only writer of the state store, the audit log and the summary; workers only run the ``Pipeline``.
"""

from anonymizer.batch.runner import BatchOptions, BatchSummary, run_batch

__all__ = ["BatchOptions", "BatchSummary", "run_batch"]
