/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
/**
 * Benchmarks: JMH micro-benchmarks (run through {@code target/benchmarks.jar}) and the drivers the scripts in
 * {@code benchmarks/} start. Sub-packages by suite: {@code loop}, {@code storage}, {@code echo}, {@code http}.
 * Every figure is reported as a ratio against an anchor measured in the same run.
 */
package io.netty.contrib.channel.aio.benchmarks;
