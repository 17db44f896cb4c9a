from django.urls import path

from campaigns import views
from campaigns.views import (
    acclamation,
    block_scoring,
    blocks,
    individuals,
    registration,
    review,
    submission,
)

app_name = "campaigns"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="list"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="detail"),
    # The unit's self-assessment
    path("periods/<int:period_pk>/mine/", submission.my_submission, name="my_submission"),
    path("submissions/<int:pk>/", submission.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/submit/", submission.submission_submit, name="submission_submit"),
    path(
        "submissions/<int:pk>/withdraw/", submission.submission_withdraw, name="submission_withdraw"
    ),
    path("submissions/<int:pk>/total/", submission.submission_total, name="submission_total"),
    path("answers/<int:pk>/", submission.answer_save, name="answer_save"),
    path("answers/<int:pk>/evidence/", submission.evidence_upload, name="evidence_upload"),
    path(
        "periods/<int:period_pk>/units/<int:unit_pk>/criteria/<int:criterion_pk>/answer/",
        submission.criterion_answer_save,
        name="criterion_answer_save",
    ),
    path(
        "periods/<int:period_pk>/units/<int:unit_pk>/criteria/<int:criterion_pk>/evidence/",
        submission.criterion_evidence_upload,
        name="criterion_evidence_upload",
    ),
    path(
        "periods/<int:period_pk>/units/<int:unit_pk>/total/",
        submission.unit_total,
        name="unit_total",
    ),
    path(
        "periods/<int:period_pk>/units/<int:unit_pk>/submit/",
        submission.unit_submit,
        name="unit_submit",
    ),
    path("evidence/<int:pk>/", submission.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", submission.evidence_delete, name="evidence_delete"),
    # Review by the Department of Organization and Personnel
    path("review/", review.queue, name="review_queue"),
    path("submissions/<int:pk>/review/", review.review, name="review"),
    path("submissions/<int:pk>/review/total/", review.review_total, name="review_total"),
    path("submissions/<int:pk>/history/", review.history, name="submission_history"),
    path("submissions/<int:pk>/return/", review.submission_return, name="submission_return"),
    path("submissions/<int:pk>/accept/", review.submission_accept, name="submission_accept"),
    path("submissions/<int:pk>/reopen/", review.submission_reopen, name="submission_reopen"),
    path("answers/<int:pk>/review/", review.answer_review, name="answer_review"),
    path(
        "submissions/<int:pk>/criteria/<int:criterion_pk>/review/",
        review.criterion_review,
        name="criterion_review",
    ),
    # The acclamation of a block or cluster at its year-end conference
    path(
        "periods/<int:period_pk>/blocks/<int:group_pk>/acclamation/",
        acclamation.acclamation_page,
        name="acclamation",
    ),
    path(
        "periods/<int:period_pk>/blocks/<int:group_pk>/acclamation/open/",
        acclamation.acclamation_open,
        name="acclamation_open",
    ),
    path(
        "periods/<int:period_pk>/blocks/<int:group_pk>/acclamation/vote/",
        acclamation.acclamation_vote,
        name="acclamation_vote",
    ),
    path(
        "periods/<int:period_pk>/blocks/<int:group_pk>/acclamation/close/",
        acclamation.acclamation_close,
        name="acclamation_close",
    ),
    path(
        "periods/<int:period_pk>/blocks/<int:group_pk>/acclamation/minutes/",
        acclamation.acclamation_minutes,
        name="acclamation_minutes",
    ),
    path("periods/<int:pk>/urging/", review.urging, name="urging"),
    # Block scoring of a member's sent sheet (campaigns.blocks.scoring)
    path("submissions/<int:pk>/block/", block_scoring.block_scoring_page, name="block_scoring"),
    path(
        "submissions/<int:pk>/block/confirm/",
        block_scoring.block_confirm_remaining,
        name="block_confirm",
    ),
    path("submissions/<int:pk>/block/total/", block_scoring.block_total, name="block_total"),
    path(
        "submissions/<int:pk>/criteria/<int:criterion_pk>/block/",
        block_scoring.criterion_block_score,
        name="criterion_block_score",
    ),
    path("periods/<int:pk>/remind/", review.remind, name="remind"),
    path("periods/<int:pk>/units/<int:unit_pk>/reopen/", review.reopen_unit, name="reopen_unit"),
    # The unit's year: registration at the start, its people's assessments at the end
    path(
        "<int:campaign_pk>/units/<int:unit_pk>/registration/",
        registration.RegistrationView.as_view(),
        name="registration",
    ),
    path(
        "<int:campaign_pk>/registrations/",
        registration.RegistrationListView.as_view(),
        name="registration_list",
    ),
    path(
        "<int:campaign_pk>/registrations/export/",
        registration.registrations_export,
        name="registrations_export",
    ),
    path(
        "periods/<int:period_pk>/units/<int:unit_pk>/individuals/",
        individuals.IndividualListView.as_view(),
        name="individuals",
    ),
    path(
        "periods/<int:period_pk>/units/<int:unit_pk>/individuals/<int:person_pk>/",
        individuals.individual_row,
        name="individual_row",
    ),
    path(
        "periods/<int:period_pk>/units/<int:unit_pk>/individuals/export/",
        individuals.individuals_export,
        name="individuals_export",
    ),
    path(
        "periods/<int:period_pk>/units/<int:unit_pk>/individuals/import/",
        individuals.individuals_import,
        name="individuals_import",
    ),
    # Blocks and clusters: the period's blocks, a block's page, its adjustments
    path("periods/<int:period_pk>/blocks/", blocks.block_list, name="blocks"),
    path("periods/<int:period_pk>/blocks/<int:group_pk>/", blocks.block_detail, name="block"),
    path(
        "submissions/<int:pk>/adjustments/<str:kind>/",
        blocks.adjustment_override,
        name="adjustment_override",
    ),
]
