"""Django's `xml` format, with encrypted fields written and read as ciphertext.

The XML serializer writes `field.value_to_string()`, which for an encrypted field is
already the ciphertext; reading decrypts it again.
"""

from django.core.serializers import xml_serializer

from rescue.serializers import decrypt_fields


class Serializer(xml_serializer.Serializer):
    pass


class Deserializer(xml_serializer.Deserializer):
    def _handle_object(self, node):
        # A private method of Django's XML deserializer that django-stubs does not list.
        return decrypt_fields(super()._handle_object(node))  # type: ignore[misc]
