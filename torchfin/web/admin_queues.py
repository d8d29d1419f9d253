"""Admin page 任务队列: the job queues, their workers and failed jobs, with a requeue action."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from torchfin.services import job_queues
from torchfin.services.matching.scoring import recent_runs
from torchfin.web import web
from torchfin.web.session_user import session_user


@web.get("/admin/queues")
@login_required
def admin_queues():
    """Queue counts, registered workers, the newest failed jobs with their errors, and the
    latest matching rescores with their progress."""
    user = session_user()
    return render_template(
        "admin_queues.html", overview=job_queues.queue_overview(user), runs=recent_runs(user)
    )


@web.post("/admin/queues/<queue_name>/failed/<job_id>/requeue")
@login_required
def admin_queues_requeue(queue_name: str, job_id: str):
    """Run a failed job again: it goes back to the end of its queue."""
    job_queues.requeue_failed(session_user(), queue_name, job_id)
    flash(_("任务 %(id)s 已重新排队。", id=job_id), "success")
    return redirect(url_for("web.admin_queues"))
