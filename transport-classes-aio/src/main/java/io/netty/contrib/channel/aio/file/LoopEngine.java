/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoRegistration;
import io.netty.contrib.channel.aio.AioIoEvent;
import io.netty.contrib.channel.aio.AioIoHandle;
import io.netty.contrib.channel.aio.AioIoOps;
import io.netty.contrib.channel.aio.AioIoRegistration;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.util.Arrays;

/**
 * The engine of an AIO event loop: each file registers its own {@link AioIoHandle} and submits {@link AioIoOps}
 * through the loop's public registration API — nothing else. When {@code ownedGroup} is set, the loop is a
 * dedicated completion thread this engine started and stops.
 */
final class LoopEngine extends AioFileEngine {
    private final IoEventLoop loop;
    private final IoEventLoopGroup ownedGroup;

    LoopEngine(IoEventLoop loop, IoEventLoopGroup ownedGroup) {
        this.loop = loop;
        this.ownedGroup = ownedGroup;
    }

    @Override
    public EventExecutor executor() {
        return loop;
    }

    @Override
    EngineLink link(EngineLink.Client client) throws IOException {
        Link link = new Link(client);
        Future<IoRegistration> registered = loop.register(link).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            throw new IOException("cannot register a file on " + loop + ": " + registered.cause(), registered.cause());
        }
        link.registration = registered.getNow();
        return link;
    }

    @Override
    public Future<?> shutdownGracefully() {
        return ownedGroup != null ? ownedGroup.shutdownGracefully() : super.shutdownGracefully();
    }

    @Override
    public String toString() {
        return "AioFileEngine(" + (ownedGroup != null ? "completion thread " : "AIO loop ") + loop + ')';
    }

    /**
     * One file's handle on the loop. Operations in flight sit in a slot table; the slot number is the
     * {@code userData} of their iocb, so a completion finds its operation without a map.
     */
    private static final class Link extends EngineLink implements AioIoHandle {
        private final Client client;
        private IoRegistration registration;
        private FileOp[] slots = new FileOp[16];
        private int[] freeSlots = new int[16];
        private int freeCount;
        private int used;

        Link(Client client) {
            this.client = client;
        }

        private int takeSlot(FileOp op) {
            int slot;
            if (freeCount > 0) {
                slot = freeSlots[--freeCount];
            } else {
                if (used == slots.length) {
                    slots = Arrays.copyOf(slots, used * 2);
                    freeSlots = Arrays.copyOf(freeSlots, used * 2);
                }
                slot = used++;
            }
            slots[slot] = op;
            op.slot = slot;
            return slot;
        }

        private FileOp releaseSlot(int slot) {
            FileOp op = slots[slot];
            slots[slot] = null;
            freeSlots[freeCount++] = slot;
            op.slot = -1;
            return op;
        }

        @Override
        void submit(FileOp op) {
            int slot = takeSlot(op);
            long id;
            try {
                id = registration.submit(toOps(op, slot));
            } catch (RuntimeException e) {
                releaseSlot(slot);
                throw e;
            }
            if (id == AioIoRegistration.INVALID_ID) {
                releaseSlot(slot);
                throw new IllegalStateException("the file's registration on " + registration + " is cancelled");
            }
        }

        private static AioIoOps toOps(FileOp op, int slot) {
            AioIoOps ops;
            if (op.opcode == Native.IOCB_CMD_PREAD) {
                ops = AioIoOps.pread(op.fd, op.buffers[0], op.offset, slot);
            } else if (op.opcode == Native.IOCB_CMD_PWRITE) {
                ops = AioIoOps.pwrite(op.fd, op.buffers[0], op.offset, slot);
            } else if (op.opcode == Native.IOCB_CMD_PREADV) {
                ops = AioIoOps.preadv(op.fd, op.offset, slot, op.buffers);
            } else if (op.opcode == Native.IOCB_CMD_PWRITEV) {
                ops = AioIoOps.pwritev(op.fd, op.offset, slot, op.buffers);
            } else if (op.opcode == Native.IOCB_CMD_FSYNC) {
                ops = AioIoOps.fsync(op.fd, slot);
            } else {
                ops = AioIoOps.fdsync(op.fd, slot);
            }
            if (op.rwFlags != 0) {
                ops = ops.withRwFlags(op.rwFlags);
            }
            if (op.ioPriorityClass != 0) {
                ops = ops.withIoPriority(op.ioPriorityClass, op.ioPriorityLevel);
            }
            return ops;
        }

        @Override
        void cancel() {
            registration.cancel();
        }

        @Override
        public void handle(IoRegistration registration, IoEvent ioEvent) {
            AioIoEvent event = (AioIoEvent) ioEvent;
            releaseSlot((int) event.userData()).complete(event.res());
        }

        @Override
        public void unregistered() {
            client.unlinked();
        }

        @Override
        public void close() {
            client.hostClosing();
        }
    }
}
