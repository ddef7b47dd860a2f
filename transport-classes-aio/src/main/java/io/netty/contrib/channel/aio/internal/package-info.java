/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
/**
 * Helpers the channel packages share (the socket channels of the root package and {@code fd}'s descriptor
 * channel): public so that both packages can reach them, not an API — they may change in any release.
 */
package io.netty.contrib.channel.aio.internal;
