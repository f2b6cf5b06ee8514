"""Progress test fixtures: a small catalog of their own, shaped like the seed's degrees.

Progress tests build this catalog with the factories rather than loading the seed, so a
curator's edit to fixtures/catalog.json never breaks them (tests/catalog/test_fixtures.py checks
the seed itself). Slugs are chosen here, next to the tests that name them.
"""

from types import SimpleNamespace

import pytest

from tests.factories import (
    make_degree,
    make_milestone,
    make_requirement,
    make_resource,
    make_topic,
)


@pytest.fixture
def study_catalog(db):
    """Five topics (Signal Processing builds on Linear Algebra), ten resources, five milestones
    and three cumulative degrees:

    - Practitioner: complete Keras and XGboost; evidence for the Kaggle milestone.
    - Developer: one Calculus resource, all Linear Algebra, two of Statistics and probability;
      evidence for three milestones (perceptron, Keras layer, model from a paper).
    - Researcher: complete the Random Processes book; evidence for a new model.
    """
    calculus = make_topic(slug="calculus", title="Calculus", position=10)
    algebra = make_topic(slug="linear-algebra", title="Linear Algebra", position=20)
    statistics = make_topic(
        slug="statistics-and-probability", title="Statistics and probability", position=30
    )
    signals = make_topic(slug="signal-processing", title="Signal Processing", position=40)
    signals.prerequisites.add(algebra)
    degrees_topic = make_topic(
        slug="how-to-study-the-degrees", title='How to study, the "degrees"', position=70
    )

    def resource(topic, slug, title, position):
        return make_resource(topic, slug=slug, title=title, position=position)

    resources = SimpleNamespace(
        calculus=resource(calculus, "khan-academy-calculus", "Khan Academy Calculus", 10),
        algebra=resource(algebra, "khan-academy-linear-algebra", "Khan Academy Linear Algebra", 10),
        mit_algebra=resource(algebra, "mit-linear-algebra", "Linear Algebra MIT", 20),
        statistics=resource(
            statistics, "edx-introduction-to-statistics", "edx Introduction to Statistics", 10
        ),
        probability=resource(statistics, "edx-probability", "edx Probability", 20),
        random_processes=resource(
            statistics,
            "random-processes-for-engineers",
            "An exploration of Random Processes for Engineers",
            30,
        ),
        information_theory=resource(
            statistics, "information-theory", "Information Theory, Inference and Learning", 40
        ),
        signals=resource(
            signals, "edx-signals-and-systems-part-1", "edx Signals and Systems, part 1", 10
        ),
        keras=resource(degrees_topic, "keras", "Keras", 10),
        xgboost=resource(degrees_topic, "xgboost", "XGboost", 20),
    )

    def milestone(slug, title, position, evidence_hint="A link to your repository."):
        return make_milestone(
            slug=slug, title=title, position=position, evidence_hint=evidence_hint
        )

    milestones = SimpleNamespace(
        kaggle=milestone(
            "kaggle-keras-xgboost",
            "Use Keras and XGBoost in a Kaggle competition",
            10,
            "A link to your Kaggle notebook or competition profile.",
        ),
        perceptron=milestone("mlp-from-scratch", "Write a multilayer perceptron from scratch", 20),
        keras_layer=milestone(
            "new-keras-layer",
            "Contribute a new layer to Keras (or another deep-learning library)",
            30,
        ),
        paper=milestone("model-from-paper", "Implement a model from a paper", 40),
        new_field=milestone(
            "new-model-new-field", "Write a new type of model in a field new to you", 50
        ),
    )

    practitioner = make_degree(slug="practitioner", title="Practitioner", rank=1)
    developer = make_degree(slug="developer", title="Developer", rank=2)
    researcher = make_degree(slug="researcher", title="Researcher", rank=3)
    for degree, slug, position, target in [
        (practitioner, "keras", 10, {"resource": resources.keras}),
        (practitioner, "xgboost", 20, {"resource": resources.xgboost}),
        (practitioner, "kaggle-keras-xgboost", 110, {"milestone": milestones.kaggle}),
        (developer, "calculus", 10, {"topic": calculus}),
        (developer, "linear-algebra", 20, {"topic": algebra}),
        (developer, "statistics-and-probability", 30, {"topic": statistics, "min_count": 2}),
        (developer, "mlp-from-scratch", 120, {"milestone": milestones.perceptron}),
        (developer, "new-keras-layer", 130, {"milestone": milestones.keras_layer}),
        (
            developer,
            "model-from-paper",
            140,
            {
                "milestone": milestones.paper,
                "source_quote": "This means implementing models from papers in Theano or "
                "Tensorflow.",
            },
        ),
        (researcher, "random-processes", 10, {"resource": resources.random_processes}),
        (researcher, "new-model-new-field", 150, {"milestone": milestones.new_field}),
    ]:
        make_requirement(degree, slug=slug, position=position, **target)

    return SimpleNamespace(
        topics=SimpleNamespace(
            calculus=calculus,
            algebra=algebra,
            statistics=statistics,
            signals=signals,
            degrees=degrees_topic,
        ),
        resources=resources,
        milestones=milestones,
        degrees=SimpleNamespace(
            practitioner=practitioner, developer=developer, researcher=researcher
        ),
    )


@pytest.fixture
def resources(study_catalog):
    """The small catalog's resources by name: `resources.keras`, `resources.calculus`..."""
    return study_catalog.resources


@pytest.fixture
def milestones(study_catalog):
    """The small catalog's milestones by name: `milestones.kaggle`, `milestones.paper`..."""
    return study_catalog.milestones
