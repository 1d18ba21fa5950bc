"""Training mode material: the sample order and the printable sheet of practice labels."""
