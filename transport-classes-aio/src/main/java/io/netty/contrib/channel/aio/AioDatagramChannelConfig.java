/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramChannelConfig;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.contrib.channel.aio.core.NativeSockets;
import io.netty.util.internal.ObjectUtil;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Enumeration;
import java.util.Map;

/**
 * The configuration of an {@link AioDatagramChannel}: Netty's {@link DatagramChannelConfig} plus the Linux options
 * epoll's datagram channel has — {@link UnixChannelOption#SO_REUSEPORT}, {@link AioChannelOption#IP_FREEBIND},
 * {@link AioChannelOption#IP_TRANSPARENT}, {@link AioChannelOption#IP_RECVORIGDSTADDR},
 * {@link AioChannelOption#UDP_GRO} and {@link AioChannelOption#MAX_DATAGRAM_PAYLOAD_SIZE}. Options go to the
 * socket at once; setters may be called from any thread. The default receive allocator hands out fixed
 * 2048-byte buffers, as the other transports' datagram channels do.
 */
public final class AioDatagramChannelConfig extends AioChannelConfig implements DatagramChannelConfig {
    private final AioDatagramChannel datagramChannel;
    private volatile int maxDatagramSize;
    private volatile boolean gro;
    private volatile NetworkInterface networkInterface;

    AioDatagramChannelConfig(AioDatagramChannel channel) {
        super(channel, new FixedRecvByteBufAllocator(2048));
        datagramChannel = channel;
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), ChannelOption.SO_BROADCAST, ChannelOption.SO_RCVBUF,
                ChannelOption.SO_SNDBUF, ChannelOption.SO_REUSEADDR, ChannelOption.IP_MULTICAST_LOOP_DISABLED,
                ChannelOption.IP_MULTICAST_ADDR, ChannelOption.IP_MULTICAST_IF, ChannelOption.IP_MULTICAST_TTL,
                ChannelOption.IP_TOS, ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION,
                UnixChannelOption.SO_REUSEPORT, AioChannelOption.IP_FREEBIND, AioChannelOption.IP_TRANSPARENT,
                AioChannelOption.IP_RECVORIGDSTADDR, AioChannelOption.UDP_GRO,
                AioChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE);
    }

    @SuppressWarnings({ "unchecked", "deprecation" })
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option == ChannelOption.SO_BROADCAST) {
            return (T) Boolean.valueOf(isBroadcast());
        }
        if (option == ChannelOption.SO_RCVBUF) {
            return (T) Integer.valueOf(getReceiveBufferSize());
        }
        if (option == ChannelOption.SO_SNDBUF) {
            return (T) Integer.valueOf(getSendBufferSize());
        }
        if (option == ChannelOption.SO_REUSEADDR) {
            return (T) Boolean.valueOf(isReuseAddress());
        }
        if (option == ChannelOption.IP_MULTICAST_LOOP_DISABLED) {
            return (T) Boolean.valueOf(isLoopbackModeDisabled());
        }
        if (option == ChannelOption.IP_MULTICAST_ADDR) {
            return (T) getInterface();
        }
        if (option == ChannelOption.IP_MULTICAST_IF) {
            return (T) getNetworkInterface();
        }
        if (option == ChannelOption.IP_MULTICAST_TTL) {
            return (T) Integer.valueOf(getTimeToLive());
        }
        if (option == ChannelOption.IP_TOS) {
            return (T) Integer.valueOf(getTrafficClass());
        }
        if (option == ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION) {
            return (T) Boolean.valueOf(datagramChannel.isActiveOnOpen());
        }
        if (option == UnixChannelOption.SO_REUSEPORT) {
            return (T) Boolean.valueOf(isReusePort());
        }
        if (option == AioChannelOption.IP_FREEBIND) {
            return (T) Boolean.valueOf(getIpOption(NativeSockets.IP_FREEBIND) != 0);
        }
        if (option == AioChannelOption.IP_TRANSPARENT) {
            return (T) Boolean.valueOf(getIpOption(NativeSockets.IP_TRANSPARENT) != 0);
        }
        if (option == AioChannelOption.IP_RECVORIGDSTADDR) {
            return (T) Boolean.valueOf(getIpOption(NativeSockets.IP_RECVORIGDSTADDR) != 0);
        }
        if (option == AioChannelOption.UDP_GRO) {
            return (T) Boolean.valueOf(gro);
        }
        if (option == AioChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE) {
            return (T) Integer.valueOf(maxDatagramSize);
        }
        return super.getOption(option);
    }

    @SuppressWarnings("deprecation")
    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == ChannelOption.SO_BROADCAST) {
            setBroadcast((Boolean) value);
        } else if (option == ChannelOption.SO_RCVBUF) {
            setReceiveBufferSize((Integer) value);
        } else if (option == ChannelOption.SO_SNDBUF) {
            setSendBufferSize((Integer) value);
        } else if (option == ChannelOption.SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == ChannelOption.IP_MULTICAST_LOOP_DISABLED) {
            setLoopbackModeDisabled((Boolean) value);
        } else if (option == ChannelOption.IP_MULTICAST_ADDR) {
            setInterface((InetAddress) value);
        } else if (option == ChannelOption.IP_MULTICAST_IF) {
            setNetworkInterface((NetworkInterface) value);
        } else if (option == ChannelOption.IP_MULTICAST_TTL) {
            setTimeToLive((Integer) value);
        } else if (option == ChannelOption.IP_TOS) {
            setTrafficClass((Integer) value);
        } else if (option == ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION) {
            datagramChannel.setActiveOnOpen((Boolean) value);
        } else if (option == UnixChannelOption.SO_REUSEPORT) {
            setReusePort((Boolean) value);
        } else if (option == AioChannelOption.IP_FREEBIND) {
            setIpOption(NativeSockets.IP_FREEBIND, (Boolean) value ? 1 : 0);
        } else if (option == AioChannelOption.IP_TRANSPARENT) {
            setIpOption(NativeSockets.IP_TRANSPARENT, (Boolean) value ? 1 : 0);
        } else if (option == AioChannelOption.IP_RECVORIGDSTADDR) {
            setIpRecvOrigDestAddr((Boolean) value);
        } else if (option == AioChannelOption.UDP_GRO) {
            setUdpGro((Boolean) value);
        } else if (option == AioChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE) {
            setMaxDatagramPayloadSize((Integer) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    /** SO_REUSEPORT: several sockets may bind the same address and port; the kernel spreads datagrams over them. */
    public boolean isReusePort() {
        return read(() -> socket().isReusePort());
    }

    public AioDatagramChannelConfig setReusePort(boolean reusePort) {
        write(() -> socket().setReusePort(reusePort));
        return this;
    }

    /**
     * IP_RECVORIGDSTADDR (and IPV6_RECVORIGDSTADDR on an IPv6 socket): each received {@code DatagramPacket}'s
     * recipient is the address the datagram was sent to — for sockets bound to a wildcard address or receiving
     * redirected (TPROXY) traffic.
     */
    public AioDatagramChannelConfig setIpRecvOrigDestAddr(boolean enabled) {
        write(() -> {
            socket().setIntOpt(NativeSockets.IPPROTO_IP, NativeSockets.IP_RECVORIGDSTADDR, enabled ? 1 : 0);
            if (socket().isIpv6()) {
                socket().setIntOpt(NativeSockets.IPPROTO_IPV6, NativeSockets.IPV6_RECVORIGDSTADDR, enabled ? 1 : 0);
            }
        });
        return this;
    }

    /**
     * UDP_GRO: the kernel may coalesce datagrams of one flow into one read, which is split again into datagrams of
     * the reported segment size. Each read then uses one whole buffer, so make the receive allocator's buffers as
     * large as a coalesced read may be (up to 64 KiB), or the excess is reported as truncated.
     */
    public AioDatagramChannelConfig setUdpGro(boolean gro) {
        write(() -> socket().setIntOpt(NativeSockets.SOL_UDP, NativeSockets.UDP_GRO, gro ? 1 : 0));
        this.gro = gro;
        return this;
    }

    public boolean isUdpGro() {
        return gro;
    }

    /**
     * The largest datagram expected, or 0 (the default) for one datagram per receive buffer. When set, each
     * receive buffer is cut into slots of this size, filled by one {@code recvmmsg} call; a datagram longer than
     * this is reported as truncated.
     */
    public AioDatagramChannelConfig setMaxDatagramPayloadSize(int maxDatagramSize) {
        this.maxDatagramSize = ObjectUtil.checkPositiveOrZero(maxDatagramSize, "maxDatagramSize");
        return this;
    }

    public int getMaxDatagramPayloadSize() {
        return maxDatagramSize;
    }

    @Override
    public int getSendBufferSize() {
        return read(() -> socket().getSendBufferSize());
    }

    @Override
    public AioDatagramChannelConfig setSendBufferSize(int sendBufferSize) {
        write(() -> socket().setSendBufferSize(sendBufferSize));
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        return read(() -> socket().getReceiveBufferSize());
    }

    @Override
    public AioDatagramChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        write(() -> socket().setReceiveBufferSize(receiveBufferSize));
        return this;
    }

    @Override
    public int getTrafficClass() {
        return read(() -> socket().getTrafficClass());
    }

    @Override
    public AioDatagramChannelConfig setTrafficClass(int trafficClass) {
        write(() -> socket().setTrafficClass(trafficClass));
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return read(() -> socket().isReuseAddress());
    }

    @Override
    public AioDatagramChannelConfig setReuseAddress(boolean reuseAddress) {
        write(() -> socket().setReuseAddress(reuseAddress));
        return this;
    }

    @Override
    public boolean isBroadcast() {
        return read(() -> socket().isBroadcast());
    }

    @Override
    public AioDatagramChannelConfig setBroadcast(boolean broadcast) {
        write(() -> socket().setBroadcast(broadcast));
        return this;
    }

    @Override
    public boolean isLoopbackModeDisabled() {
        return read(() -> socket().getIntOpt(multicastLevel(),
                socket().isIpv6() ? NativeSockets.IPV6_MULTICAST_LOOP : NativeSockets.IP_MULTICAST_LOOP) == 0);
    }

    @Override
    public AioDatagramChannelConfig setLoopbackModeDisabled(boolean loopbackModeDisabled) {
        int loop = loopbackModeDisabled ? 0 : 1;
        write(() -> {
            // On an IPv6 socket both: its IPv4 (mapped) traffic follows the IPv4 option.
            socket().setIntOpt(NativeSockets.IPPROTO_IP, NativeSockets.IP_MULTICAST_LOOP, loop);
            if (socket().isIpv6()) {
                socket().setIntOpt(NativeSockets.IPPROTO_IPV6, NativeSockets.IPV6_MULTICAST_LOOP, loop);
            }
        });
        return this;
    }

    @Override
    public int getTimeToLive() {
        return read(() -> socket().getIntOpt(multicastLevel(),
                socket().isIpv6() ? NativeSockets.IPV6_MULTICAST_HOPS : NativeSockets.IP_MULTICAST_TTL));
    }

    @Override
    public AioDatagramChannelConfig setTimeToLive(int ttl) {
        write(() -> {
            socket().setIntOpt(NativeSockets.IPPROTO_IP, NativeSockets.IP_MULTICAST_TTL, ttl);
            if (socket().isIpv6()) {
                socket().setIntOpt(NativeSockets.IPPROTO_IPV6, NativeSockets.IPV6_MULTICAST_HOPS, ttl);
            }
        });
        return this;
    }

    private int multicastLevel() {
        return socket().isIpv6() ? NativeSockets.IPPROTO_IPV6 : NativeSockets.IPPROTO_IP;
    }

    /** An address of the multicast interface ({@link #getNetworkInterface()}) of this socket's family, or null. */
    @Override
    public InetAddress getInterface() {
        NetworkInterface iface = networkInterface;
        if (iface == null) {
            return null;
        }
        InetAddress first = null;
        Enumeration<InetAddress> addresses = iface.getInetAddresses();
        while (addresses.hasMoreElements()) {
            InetAddress address = addresses.nextElement();
            if (first == null) {
                first = address;
            }
            if (socket().isIpv6() == (address.getAddress().length == 16)) {
                return address;
            }
        }
        return first;
    }

    @Override
    public AioDatagramChannelConfig setInterface(InetAddress interfaceAddress) {
        NetworkInterface iface;
        try {
            iface = NetworkInterface.getByInetAddress(interfaceAddress);
        } catch (SocketException e) {
            throw new ChannelException(e);
        }
        if (iface == null) {
            throw new ChannelException("IP_MULTICAST_ADDR " + interfaceAddress
                    + " is the address of no interface of this host");
        }
        return setNetworkInterface(iface);
    }

    @Override
    public NetworkInterface getNetworkInterface() {
        return networkInterface;
    }

    @Override
    public AioDatagramChannelConfig setNetworkInterface(NetworkInterface networkInterface) {
        ObjectUtil.checkNotNull(networkInterface, "networkInterface");
        int res = NativeSockets.setMulticastIf0(socket().intValue(), socket().isIpv6(), networkInterface.getIndex());
        if (res < 0) {
            IOException cause = Errors.newIOException("setsockopt(IP_MULTICAST_IF " + networkInterface.getName() + ")",
                    res);
            throw new ChannelException(cause);
        }
        this.networkInterface = networkInterface;
        return this;
    }

    @Override
    @Deprecated
    public AioDatagramChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public AioDatagramChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public AioDatagramChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    public AioDatagramChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public AioDatagramChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public AioDatagramChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public AioDatagramChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    @Deprecated
    public AioDatagramChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    @Deprecated
    public AioDatagramChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public AioDatagramChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public AioDatagramChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    public AioDatagramChannelConfig setMaxMessagesPerWrite(int maxMessagesPerWrite) {
        super.setMaxMessagesPerWrite(maxMessagesPerWrite);
        return this;
    }
}
