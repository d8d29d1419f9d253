"""Marshmallow schemas: the only place that parses and validates input and shapes output."""
