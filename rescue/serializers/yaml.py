"""Django's `yaml` format (when PyYAML is installed), with encrypted fields as ciphertext."""

from django.core.serializers.base import SerializerDoesNotExist

from rescue.serializers import CiphertextDeserializerMixin, CiphertextSerializerMixin

try:
    from django.core.serializers import pyyaml
except ImportError:  # PyYAML is not a dependency; the format is then unavailable.
    pyyaml = None

if pyyaml is not None:

    class Serializer(CiphertextSerializerMixin, pyyaml.Serializer):
        pass

    class Deserializer(CiphertextDeserializerMixin, pyyaml.Deserializer):
        pass

else:

    class Serializer:
        def __init__(self, *args, **kwargs):
            raise SerializerDoesNotExist("yaml (PyYAML is not installed)")

    Deserializer = Serializer
