"""Create the five role groups with their capability permissions.

The mapping is frozen here as it was when this migration was written; a later
change to `rescue/roles.py` comes with a migration of its own, and
`tests/test_roles.py` fails until it does.
"""

from django.db import migrations

CAPABILITIES = {
    "log_request": "Log a new rescue request",
    "screen_case": "Screen a request against the decoy checks",
    "coordinate_case": "Verify, move stages, record outcomes, assign, refer",
    "view_all_cases": "See every case that is not restricted",
    "view_restricted_cases": "See restricted cases",
    "view_case_references": "See case references and stages only",
    "import_cases": "Import cases from a spreadsheet",
    "export_identifying": "Export identifying data of people in cases",
    "view_case_history": "Read the change history of cases and people",
    "view_ledger": "Read the rescue-fund ledger",
    "manage_ledger": "Record donations, expenses, transfers and exchanges",
    "commit_funds": "Commit reserve money to an approved operation",
    "override_reserve_minimum": "Commit below the reserve minimum",
    "view_readiness": "See the reserve's amounts and readiness",
    "view_readiness_band": "See the reserve's readiness band only",
    "view_reports": "See and download the annual report",
    "manage_users": "Manage users, roles and settings",
    "view_access_log": "Read the access log",
}

ROLES = {
    "intake": ["log_request", "screen_case", "view_readiness_band"],
    "coordinator": [
        "log_request",
        "screen_case",
        "coordinate_case",
        "view_all_cases",
        "import_cases",
        "export_identifying",
        "view_case_history",
        "view_ledger",
        "view_readiness",
        "view_readiness_band",
    ],
    "treasurer": [
        "view_case_references",
        "view_ledger",
        "manage_ledger",
        "commit_funds",
        "override_reserve_minimum",
        "view_readiness",
        "view_readiness_band",
    ],
    "admin": sorted(set(CAPABILITIES) - {"override_reserve_minimum"}),
    "board": ["view_reports"],
}


def create_roles(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="rescue", model="capability")
    permissions = {}
    for codename, name in CAPABILITIES.items():
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        permissions[codename] = permission
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([permissions[codename] for codename in codenames])


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rescue", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
