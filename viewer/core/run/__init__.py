"""Running the methods: the streaming engine, the result cache, training, the device,
threads and interrupts."""
