from django.urls import include, path

from progress import views

app_name = "progress"

# What a learner writes about one resource or one milestone (HTMX or a plain form post).
resource_writes = [
    path("status/", views.set_status, name="set_status"),
    path("note/", views.update_note, name="update_note"),
]
evidence_writes = [
    path("", views.submit_evidence, name="submit_evidence"),
    path("withdraw/", views.withdraw_evidence, name="withdraw_evidence"),
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("awards/<uuid:public_id>/sharing/", views.set_award_sharing, name="award_sharing"),
    path("resources/<slug:slug>/", include(resource_writes)),
    path("milestones/<slug:slug>/evidence/", include(evidence_writes)),
]
