"""Serializers of repository memberships (who has which role on a repository)."""
from rest_framework import serializers

from metrics.choices import Role


class RepositoryMemberOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)


class RepositoryMemberInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
