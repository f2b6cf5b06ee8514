"""Fixtures for badge tests: a degree, a learner and their awards, shared or not; a key ring.

Two kinds of award: `degree`/`make_award` build an award directly; `ada_award` has ada earn the
seed's Practitioner degree for real, through her progress and evidence.
"""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from badges.signing import parse_key_ring
from catalog.models import Degree
from progress.models import DegreeAward
from tests.badges.keys import private_key_pem
from tests.factories import default_curriculum, earn_seed_practitioner


@pytest.fixture
def degree(db):
    return Degree.objects.create(
        curriculum=default_curriculum(),
        slug="practitioner",
        title="Practitioner",
        rank=1,
        summary="Can read and use the mathematics of machine learning.",
        description="Complete the calculus and linear algebra courses.",
    )


@pytest.fixture
def badge_learner(db):
    return get_user_model().objects.create_user(
        username="ada", email="Ada@Example.org", password="correct-horse-battery-staple-42"
    )


@pytest.fixture
def make_award(degree, badge_learner):
    def make(*, is_shared=True, learner=badge_learner, awarded_at=None):
        return DegreeAward.objects.create(
            learner=learner,
            degree=degree,
            awarded_at=awarded_at or timezone.now(),
            is_shared=is_shared,
        )

    return make


@pytest.fixture
def shared_award(make_award):
    return make_award(is_shared=True)


@pytest.fixture
def ada_award(seed_catalog, learner):
    """Ada's Practitioner award, earned through the seed catalog, still private."""
    return earn_seed_practitioner(learner)


@pytest.fixture
def ada_shared_award(ada_award):
    return ada_award.set_shared(True)


@pytest.fixture(scope="module")
def key_ring():
    """A signing key ring of one test key."""
    return parse_key_ring(private_key_pem(1))
