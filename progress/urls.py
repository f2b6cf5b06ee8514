from django.urls import path

from progress import views

app_name = "progress"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("awards/<uuid:public_id>/sharing/", views.set_award_sharing, name="award_sharing"),
    path("resources/<slug:slug>/status/", views.set_status, name="set_status"),
    path("resources/<slug:slug>/note/", views.update_note, name="update_note"),
    path("milestones/<slug:slug>/evidence/", views.submit_evidence, name="submit_evidence"),
    path(
        "milestones/<slug:slug>/evidence/withdraw/",
        views.withdraw_evidence,
        name="withdraw_evidence",
    ),
]
