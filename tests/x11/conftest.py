from devices.fixtures import (  # noqa: F401
    any_xserver,
    print_queue,
    sound_sink,
    wm_xserver,
    xserver,
)

from .app import bedside_x, bedside_xx  # noqa: F401
