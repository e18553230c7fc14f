"""Pure-Python helpers with no Odoo dependency."""
