package org.syncproducts.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 that forwards to another local server and slows what clients send to a
 * fixed rate per connection, so a test can catch an upload in flight.
 */
public final class ThrottlingProxy implements AutoCloseable {
    private static final int CHUNK = 8_192;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final long bytesPerSecond;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private ThrottlingProxy(ServerSocket listener, InetSocketAddress target, long bytesPerSecond) {
        this.listener = listener;
        this.target = target;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Forwards to {@code target} (an http://127.0.0.1:port URI), client bytes at {@code bytesPerSecond}. */
    public static ThrottlingProxy start(URI target, long bytesPerSecond) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ThrottlingProxy proxy = new ThrottlingProxy(listener,
                new InetSocketAddress(target.getHost(), target.getPort()), bytesPerSecond);
        Thread acceptor = new Thread(proxy::accept, "throttling-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                pump(client, server, bytesPerSecond);
                pump(server, client, 0);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, long rate) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[CHUNK];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                    if (rate > 0) {
                        Thread.sleep(read * 1000L / rate);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // The other side went away: close both.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "throttling-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }
}
