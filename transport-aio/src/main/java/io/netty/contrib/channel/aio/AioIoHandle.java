/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.IoEvent;
import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;

/**
 * Something registered on an {@link AioIoHandler} that submits {@link AioIoOps} and receives their completions.
 * {@link #handle(IoRegistration, IoEvent)} is called on the loop thread with an {@link AioIoEvent}, exactly once
 * per submitted operation — also for operations cancelled, or ended by the registration's cancellation or the
 * loop's shutdown. {@link #close()} is called by the loop at shutdown; it should cancel the registration.
 * {@link #unregistered()} is called once the registration is cancelled and its last operation has completed:
 * from then on the kernel holds nothing of this handle's.
 */
public interface AioIoHandle extends IoHandle {
}
