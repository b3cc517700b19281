"""Running the methods: the run session (what runs on what, and why not), the streaming
engine, the result cache, progress, training, the device, threads and interrupts."""
