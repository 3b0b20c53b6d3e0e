"""API permissions: everyone signed in reads; staff manage repositories and start scans."""
from rest_framework import permissions


class IsStaffForWrites(permissions.BasePermission):
    message = "Only staff may register repositories or start scans."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or bool(request.user.is_staff)
