/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.IoEvent;
import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;

/**
 * Something registered on an {@link AioIoHandler} that submits {@link AioIoOps} and receives their completions
 * (channels, files, or your own code for a descriptor the transport does not know).
 *
 * <ul>
 *   <li>{@link #handle(IoRegistration, IoEvent)} runs on the loop thread with an {@link AioIoEvent}, exactly once per
 *   operation {@link AioIoRegistration#submit submit} accepted — also for operations cancelled, refused by the
 *   kernel, or ended by the registration's cancellation or the loop's shutdown. The event is a flyweight valid
 *   only during the call; the registration passed is the {@link AioIoRegistration} itself. It may submit (a POLL
 *   re-armed goes out in the loop's next {@code io_submit}) and cancel; an exception it throws is logged and the
 *   loop goes on.</li>
 *   <li>{@link #close()} is called once by the loop when it starts shutting down; it should cancel the
 *   registration (the loop cancels what is left afterwards anyway).</li>
 *   <li>{@link #unregistered()} is called once, after the registration was cancelled and its last operation has
 *   completed: from then on the kernel holds nothing of this handle's and its memory may be freed.</li>
 * </ul>
 */
public interface AioIoHandle extends IoHandle {
}
