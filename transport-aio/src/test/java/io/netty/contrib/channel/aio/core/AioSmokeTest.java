package io.netty.contrib.channel.aio.core;

import io.netty.contrib.channel.aio.Aio;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;

class AioSmokeTest {
    @Test
    void available() {
        Throwable t = Aio.unavailabilityCause();
        if (t != null) {
            t.printStackTrace();
        }
        assertNull(t);
    }
}
