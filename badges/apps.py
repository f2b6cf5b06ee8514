from django.apps import AppConfig


class BadgesConfig(AppConfig):
    """Verifiable badges: share pages, badge images, Open Badges 2.0 and 3.0 documents."""

    name = "badges"
    verbose_name = "Verifiable badges"

    def ready(self):
        from django.db.models.signals import post_save

        from badges import checks  # noqa: F401  (registers the signing key check)
        from badges.models import award_recorded, awards_recorded
        from progress.signals import awards_recorded as bulk_awards_recorded

        # Every award gets its status list index in the transaction that records it.
        post_save.connect(award_recorded, sender="progress.DegreeAward", dispatch_uid="award-index")
        bulk_awards_recorded.connect(awards_recorded, dispatch_uid="awards-indexes")
