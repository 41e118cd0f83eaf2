"""Django's `yaml` format, with encrypted fields as ciphertext (registered only when
PyYAML is installed: see SERIALIZATION_MODULES in the settings)."""

from django.core.serializers import pyyaml

from rescue.serializers import CiphertextDeserializerMixin, CiphertextSerializerMixin


class Serializer(CiphertextSerializerMixin, pyyaml.Serializer):
    pass


class Deserializer(CiphertextDeserializerMixin, pyyaml.Deserializer):
    pass
