"""The Qt side: the bedside window. The only package that imports PySide6; it holds no
clinical rule — every decision comes from the procedure engine."""
