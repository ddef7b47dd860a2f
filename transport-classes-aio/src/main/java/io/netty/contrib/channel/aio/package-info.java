/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
/**
 * The transport: {@link io.netty.contrib.channel.aio.Aio} (availability), the event loop driven by AIO
 * completions and by readiness from its epoll set, and the channels registered on it. The loop and the channels
 * share this package, as in Netty's epoll transport; files and handlers use only its public extension API.
 */
package io.netty.contrib.channel.aio;
