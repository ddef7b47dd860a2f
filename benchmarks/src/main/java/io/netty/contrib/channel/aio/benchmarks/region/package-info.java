/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
/**
 * The {@code region} suite: a plain Netty {@code DefaultFileRegion} server on one loop serving cold files while a
 * probe on the same loop measures how long every other connection waits, on AIO, epoll and io_uring.
 */
package io.netty.contrib.channel.aio.benchmarks.region;
