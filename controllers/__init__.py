from . import portal
from . import alerts
