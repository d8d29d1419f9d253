"""The registry of jobs (`torchfin.queues.Job`): every name leads to a job function of `workers/`
on a queue a worker works, and every job function of `workers/*_jobs.py` has a name."""

import importlib
import inspect
from pathlib import Path

import pytest

from torchfin.queues import QUEUES, Job
from workers.periodic import PERIODIC_JOBS

WORKERS = Path(__file__).resolve().parents[2] / "workers"


@pytest.mark.parametrize("job", list(Job), ids=lambda job: job.name)
def test_a_registered_job_is_a_function_of_workers_on_a_known_queue(job):
    function = job.function()
    assert callable(function)
    assert function.__module__.startswith("workers.")
    assert f"{function.__module__}.{function.__qualname__}" == job.path
    assert job.queue_name in QUEUES


def test_every_job_function_of_the_job_modules_is_registered():
    registered = {job.path for job in Job}
    job_modules = sorted(WORKERS.glob("*_jobs.py"))
    assert job_modules
    for path in job_modules:
        module = importlib.import_module(f"workers.{path.stem}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                assert f"{module.__name__}.{name}" in registered


def test_no_two_names_share_a_job():
    # An Enum member with another's value is silently an alias of it, missing from `list(Job)`.
    assert len(Job.__members__) == len(Job)


def test_periodic_jobs_have_unique_names():
    names = [periodic.name for periodic in PERIODIC_JOBS]
    assert len(names) == len(set(names))
