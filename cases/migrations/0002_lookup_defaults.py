"""Default rows for the lookup lists admins manage: provinces, contact channels, partners."""

from django.db import migrations

# North Korea's nine provinces, then the capital and the special cities.
PROVINCES = [
    ("North Hamgyong", "함경북도"),
    ("Ryanggang", "량강도"),
    ("South Hamgyong", "함경남도"),
    ("Chagang", "자강도"),
    ("North Pyongan", "평안북도"),
    ("South Pyongan", "평안남도"),
    ("North Hwanghae", "황해북도"),
    ("South Hwanghae", "황해남도"),
    ("Kangwon", "강원도"),
    ("Pyongyang", "평양직할시"),
    ("Rason", "라선특별시"),
    ("Nampo", "남포특별시"),
    ("Kaesong", "개성특급시"),
]

CHANNELS = ["Phone", "Messenger app", "Partner NGO", "Church network", "Other"]


def load(apps, schema_editor):
    Province = apps.get_model("cases", "Province")
    ContactChannel = apps.get_model("cases", "ContactChannel")
    for order, (name, korean) in enumerate(PROVINCES, start=1):
        Province.objects.get_or_create(
            name=name, defaults={"korean_name": korean, "sort_order": order}
        )
    for order, name in enumerate(CHANNELS, start=1):
        ContactChannel.objects.get_or_create(name=name, defaults={"sort_order": order})


def unload(apps, schema_editor):
    apps.get_model("cases", "Province").objects.filter(
        name__in=[name for name, _ in PROVINCES], people__isnull=True
    ).delete()
    apps.get_model("cases", "ContactChannel").objects.filter(
        name__in=CHANNELS, cases__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
