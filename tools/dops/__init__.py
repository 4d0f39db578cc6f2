"""dops: the Delivery Operations Staff Management Policy (交付运营人员管理制度) as code."""

__version__ = "0.1.0"
