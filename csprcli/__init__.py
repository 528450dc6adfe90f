"""csprcli: a partnership's record of serious child safeguarding incidents and their clocks."""

__version__ = "0.1.0"
