"""RQ background work: the job functions (named in `torchfin.queues.Job`), the periodic jobs and
the worker entry point."""
