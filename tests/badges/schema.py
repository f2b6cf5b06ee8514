"""The 1EdTech AchievementCredential JSON schema, read from the copy in tests/badges/specs/."""

import json
from pathlib import Path

from jsonschema import Draft201909Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT201909

SPECS = Path(__file__).parent / "specs"
SCHEMA = json.loads((SPECS / "ob_v3p0_achievementcredential_schema.json").read_text())
FULL_EXAMPLE = json.loads((SPECS / "ob_v3p0_example_full.json").read_text())

# Only local documents: a $ref to anything else fails instead of reaching the network.
REGISTRY = Registry().with_resource(
    SCHEMA["$id"], Resource.from_contents(SCHEMA, default_specification=DRAFT201909)
)


def schema_errors(credential):
    """Every way `credential` breaks the AchievementCredential schema, as readable strings."""
    validator = Draft201909Validator(SCHEMA, registry=REGISTRY)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(credential)
    ]
