"""What the window does, apart from how it looks: one controller per job (runs, datasets,
inputs, export) and the table of actions. Qt-free: each talks to its views and to the
worker through small Protocols, so it is tested with fake views and no Qt (as ndv's
controllers are). The Qt adapters and widgets live in viewer/ui/.
"""
