"""Django's `jsonl` format, with encrypted fields written and read as ciphertext."""

from django.core.serializers import jsonl

from rescue.serializers import CiphertextDeserializerMixin, CiphertextSerializerMixin


class Serializer(CiphertextSerializerMixin, jsonl.Serializer):
    pass


class Deserializer(CiphertextDeserializerMixin, jsonl.Deserializer):
    pass
