from catalog.models import Milestone, Resource
from progress.services import set_resource_status, submit_evidence


def complete(learner, *slugs, status="completed"):
    for slug in slugs:
        set_resource_status(
            learner=learner, resource=Resource.objects.get(slug=slug), status=status
        )


def give_evidence(learner, *milestone_slugs):
    for slug in milestone_slugs:
        submit_evidence(
            learner=learner,
            milestone=Milestone.objects.get(slug=slug),
            url=f"https://example.org/{learner.username}/{slug}",
            description=f"My work for {slug}.",
        )
