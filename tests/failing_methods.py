"""Operators that fail where no method's own forward does, for the tests of how a run
survives them."""

from viewer.core.methods import get_method


def probe_exploding(context):
    """An operator that upsamples the image, then raises on the second call (the engine's
    constant-image probe): a failure outside the method's own forward."""
    nearest = get_method("nearest").build(context)
    calls = []

    def operator(*tensors):
        calls.append(1)
        if len(calls) > 1:
            raise MemoryError("probe exploded")
        return nearest(*tensors)

    return operator
