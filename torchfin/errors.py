"""Turning domain errors into responses: JSON under /api, a page elsewhere."""

from flask import Flask, jsonify, render_template, request

from torchfin.services.errors import ServiceError


def register_errorhandlers(app: Flask) -> None:
    """Map ServiceError subclasses to their HTTP status for the API and the pages."""

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        if request.path.startswith("/api/"):
            body = {"code": error.status, "message": error.message}
            if error.errors:
                body["errors"] = {error.location: error.errors}
            return jsonify(body), error.status
        return render_template("error.html", error=error), error.status
