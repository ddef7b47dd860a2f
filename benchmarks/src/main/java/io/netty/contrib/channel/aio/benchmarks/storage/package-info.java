/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
/**
 * The Java driver of {@code benchmarks/storage.sh}: O_DIRECT reads at a fixed queue depth through
 * {@code AioFile} on one AIO event loop and through the JDK's {@code AsynchronousFileChannel}, measured beside fio.
 */
package io.netty.contrib.channel.aio.benchmarks.storage;
