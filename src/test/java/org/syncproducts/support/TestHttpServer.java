package org.syncproducts.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import okhttp3.mockwebserver.MockWebServer;

/**
 * A fresh MockWebServer for one test, with TCP_NODELAY on its connections: without it, its
 * separate writes of headers and body meet delayed ACKs and every answer takes about 40 ms on
 * loopback, which makes tests of hundreds of lookups slow for nothing.
 */
public final class TestHttpServer {
    private TestHttpServer() {
    }

    /** A server not yet started (set a dispatcher or enqueue answers, then {@code start()}). */
    public static MockWebServer create() {
        MockWebServer server = new MockWebServer();
        server.setServerSocketFactory(new NoDelayServerSockets());
        return server;
    }

    private static final class NoDelayServerSockets extends ServerSocketFactory {
        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new ServerSocket() {
                @Override
                public Socket accept() throws IOException {
                    Socket socket = super.accept();
                    socket.setTcpNoDelay(true);
                    return socket;
                }
            };
        }

        @Override
        public ServerSocket createServerSocket(int port) {
            throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) {
            throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
            throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
        }
    }
}
