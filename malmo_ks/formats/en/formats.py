"""English pages write dates as Swedish ones do (2016-12-31): the register's data is Swedish."""

from malmo_ks.formats.sv.formats import *  # noqa: F403
