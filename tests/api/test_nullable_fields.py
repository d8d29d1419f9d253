"""Every field a response shows from a column that may be NULL is documented as nullable.

Schemathesis finds such a mismatch only when its random example happens to reach a record with
the NULL (a draft project's published_at, a match nobody viewed yet); this check is exhaustive.
"""

import importlib
import inspect
import pkgutil

from marshmallow import Schema
from sqlalchemy import inspect as inspect_mapper

import schemas
from torchfin.models import Base

# Response schemas whose name is not "<Model>Schema".
RECORD_OF = {
    "DocumentSchema": "DealDocument",
    "DownloadSchema": "DocumentDownload",
    "FinancialSchema": "EnterpriseFinancial",
    "QualificationSchema": "EnterpriseQualification",
    "ExitSchema": "PlacementExit",
    "PoolSchema": "RiskPool",
    "ClaimSchema": "PoolClaim",
    "StageSchema": "PipelineStage",
    "RewardSchema": "PolicyApplication",
    "ApplicationSchema": "PolicyApplication",
    "BatchSchema": "ReadinessBatch",
    "TokenInfoSchema": "ApiToken",
}


def _may_be_null(model: type, attribute: str) -> bool | None:
    """Whether `attribute` (a dotted path through many-to-one relations) can be None; None when
    it is not a column or single relation of the model."""
    nullable = False
    for part in attribute.split("."):
        mapper = inspect_mapper(model)
        if part in mapper.columns:
            return nullable or mapper.columns[part].nullable
        relation = mapper.relationships.get(part)
        if relation is None or relation.uselist:
            return None
        nullable = nullable or any(column.nullable for column in relation.local_columns)
        nullable = nullable or relation.direction.name != "MANYTOONE"
        model = relation.mapper.class_
    return nullable


def _response_schemas() -> list[tuple[str, type[Schema], type]]:
    models = {mapper.class_.__name__: mapper.class_ for mapper in Base.registry.mappers}
    found = []
    for info in pkgutil.iter_modules(schemas.__path__):
        module = importlib.import_module(f"schemas.{info.name}")
        for name, schema in inspect.getmembers(module, inspect.isclass):
            if not issubclass(schema, Schema) or schema.__module__ != module.__name__:
                continue
            model = models.get(RECORD_OF.get(name, name.removesuffix("Schema")))
            if model is not None:
                found.append((name, schema, model))
    return found


def test_nullable_columns_are_nullable_in_the_api_document():
    checked = 0
    wrong = []
    for name, schema, model in _response_schemas():
        for field_name, field in schema._declared_fields.items():
            if field.load_only:
                continue
            may_be_null = _may_be_null(model, field.attribute or field_name)
            checked += may_be_null is not None
            if may_be_null and not field.allow_none:
                wrong.append(f"{name}.{field_name} ({model.__name__} may hold NULL)")
    assert checked > 150, "the schemas no longer map onto the models"
    assert not wrong, "documented as never null:\n" + "\n".join(wrong)
