"""Django's `python` format, with encrypted fields written and read as ciphertext."""

from django.core.serializers import python

from rescue.serializers import CiphertextDeserializerMixin, CiphertextSerializerMixin


class Serializer(CiphertextSerializerMixin, python.Serializer):
    pass


class Deserializer(CiphertextDeserializerMixin, python.Deserializer):
    pass
