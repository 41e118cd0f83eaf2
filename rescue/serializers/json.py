"""Django's `json` format, with encrypted fields written and read as ciphertext."""

from django.core.serializers import json

from rescue.serializers import CiphertextDeserializerMixin, CiphertextSerializerMixin


class Serializer(CiphertextSerializerMixin, json.Serializer):
    pass


class Deserializer(CiphertextDeserializerMixin, json.Deserializer):
    pass
