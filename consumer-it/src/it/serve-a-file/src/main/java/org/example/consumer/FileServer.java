package org.example.consumer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.contrib.channel.aio.Aio;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioServerSocketChannel;

import java.io.File;
import java.net.InetSocketAddress;

/** Sends one file to every client that connects, then closes the connection: the smallest server on the transport. */
public final class FileServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel server;

    public FileServer(File file, InetSocketAddress address) throws InterruptedException {
        Aio.ensureAvailability();
        group = new AioEventLoopGroup(1);
        server = new ServerBootstrap()
                .group(group)
                .channel(AioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(new DefaultFileRegion(file, 0, file.length()))
                                .addListener(ChannelFutureListener.CLOSE);
                    }
                })
                .bind(address).sync().channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully().syncUninterruptibly();
    }

    public static void main(String[] args) throws Exception {
        try (FileServer s = new FileServer(new File(args[0]), new InetSocketAddress("127.0.0.1", 9000))) {
            System.out.println("serving " + args[0] + " on " + s.address());
            s.server.closeFuture().sync();
        }
    }
}
