/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
/**
 * Loopback echo benchmarks of the AIO socket channels against Netty's epoll, io_uring and NIO transports in one
 * process ({@link io.netty.contrib.channel.aio.benchmarks.echo.EchoBenchmark}, run by {@code benchmarks/echo.sh}).
 */
package io.netty.contrib.channel.aio.benchmarks.echo;
