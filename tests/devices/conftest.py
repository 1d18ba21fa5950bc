from .fixtures import print_queue, sound_sink, xserver  # noqa: F401
