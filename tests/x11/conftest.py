from devices.fixtures import print_queue, sound_sink, xserver  # noqa: F401

from .app import bedside_x  # noqa: F401
