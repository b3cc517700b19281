"""The Qt-free engine: loading, degrading, running upsamplers, measuring, writing results.

Nothing under this package may import Qt; the window in `viewer.ui` is only a view on it.
"""

import warnings

# Paddle warns on import that ccache (for C++ extensions) is missing; we build none.
warnings.filterwarnings("ignore", message="No ccache found")
