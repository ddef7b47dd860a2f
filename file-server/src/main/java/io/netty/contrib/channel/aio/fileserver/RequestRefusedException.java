/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the server answers with an error status instead of a file: the status to send and, for the access log
 * and tests, why. Thrown by the path resolver and caught by the request handler; never crosses threads.
 */
final class RequestRefusedException extends Exception {
    private final HttpResponseStatus status;

    RequestRefusedException(HttpResponseStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    HttpResponseStatus status() {
        return status;
    }
}
