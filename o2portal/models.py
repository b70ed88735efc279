"""Every table, imported here so that Alembic's metadata is complete: importing a
subject's models module registers its tables. Code imports a table from its subject's
models module, never from here."""

from o2portal.accounts import models as accounts
from o2portal.billing import models as billing
from o2portal.catalog import models as catalog
from o2portal.content import models as content
from o2portal.core import models as core
from o2portal.integrations import models as integrations
from o2portal.jobs import models as jobs
from o2portal.mail import models as mail
from o2portal.products import contact_models as product_contacts
from o2portal.products import models as products
from o2portal.support import models as support

# The subjects whose tables these are.
__all__ = [
    "accounts",
    "billing",
    "catalog",
    "content",
    "core",
    "integrations",
    "jobs",
    "mail",
    "products",
    "product_contacts",
    "support",
]
