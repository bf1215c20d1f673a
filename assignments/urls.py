"""URLs of the register's own pages: Swedish, stable and bookmarkable."""

from django.urls import path

from .views import decisions, detail, exports, listing, meetings, workflow

app_name = "assignments"

urlpatterns = [
    path("uppdrag/", listing.assignment_list, name="list"),
    path("uppdrag/nytt/", workflow.create_assignment, name="create"),
    path("uppdrag/export.<str:fmt>", exports.export_assignments, name="export"),
    # Tables build their rows' links as the list's address plus the id (links.py).
    path("uppdrag/<int:pk>/", detail.assignment_detail, name="detail"),
    path("uppdrag/<int:pk>/andra/", workflow.edit_assignment, name="edit"),
    path("uppdrag/<int:pk>/status/", workflow.change_status, name="change_status"),
    path("uppdrag/<int:pk>/lagesrapport/", workflow.add_status_report, name="add_report"),
    path("uppdrag/<int:pk>/behandling/", workflow.add_treatment, name="add_treatment"),
    path("uppdrag/<int:pk>/deadline/", workflow.move_deadline, name="move_deadline"),
    path("uppdrag/<int:pk>/ateroppna/", workflow.reopen, name="reopen"),
    path("sammantraden/", meetings.meeting_list, name="meetings"),
    path("sammantraden/ny/", meetings.create_meeting, name="create_meeting"),
    path("sammantraden/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("sammantraden/<int:pk>/beslut/", decisions.record_decisions, name="meeting_decisions"),
]
