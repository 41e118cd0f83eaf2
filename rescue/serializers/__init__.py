"""Serializers that write encrypted fields as their ciphertext (dumpdata, loaddata).

Django's own serializers read a field's Python value, which for an
`EncryptedTextField` is the plaintext: a JSON "backup" would carry every name. These
formats, registered in `SERIALIZATION_MODULES` under Django's own names, write the
ciphertext instead and decrypt it again on loading, so a dump holds no plaintext and
`dumpdata`/`loaddata` round-trip with the same `FIELD_ENCRYPTION_KEYS`. A dump made with
other keys refuses to load rather than storing a token as if it were text.
"""

from django.core.serializers import python

from rescue.crypto import EncryptedTextField, decrypt


class CiphertextSerializerMixin(python.Serializer):
    """Python-family serializers: the value of an encrypted field is its ciphertext."""

    def _value_from_field(self, obj, field):
        if isinstance(field, EncryptedTextField):
            return field.value_to_string(obj)
        # A private method of Django's python serializer that django-stubs does not list.
        return super()._value_from_field(obj, field)  # type: ignore[misc]


def decrypt_fields(deserialized):
    """The object read from a dump, with its encrypted fields' ciphertext decrypted."""
    instance = deserialized.object
    for field in instance._meta.concrete_fields:
        if isinstance(field, EncryptedTextField):
            value = getattr(instance, field.attname)
            if value:
                setattr(instance, field.attname, decrypt(value))
    return deserialized


class CiphertextDeserializerMixin(python.Deserializer):
    """Python-family deserializers (json, jsonl, yaml): decrypt each object's fields."""

    def _handle_object(self, obj):
        # A private method of Django's python deserializer that django-stubs does not list.
        for deserialized in super()._handle_object(obj):  # type: ignore[misc]
            yield decrypt_fields(deserialized)
