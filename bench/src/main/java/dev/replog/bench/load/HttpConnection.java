package dev.replog.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection, used by one load thread at a time. Deliberately minimal (a
 * request line, three headers, a body; Content-Length or chunked answers): the load generator
 * shares the machine's cores with the servers it measures, so every cycle it spends is taken from
 * them. A general client (the JDK's, Reactor Netty) costs several times more CPU per request.
 */
final class HttpConnection implements AutoCloseable {

    private final String host;
    private final int port;
    private final String hostHeader;
    private final int readTimeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(URI base) {
        this(base, 0);
    }

    /** With {@code readTimeoutMillis} > 0, a read that waits longer for an answer fails (0: waits for ever). */
    HttpConnection(URI base, int readTimeoutMillis) {
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : 80;
        this.hostHeader = host + ":" + port;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** One answer: the status, the body and the {@code Location} header (null when absent). */
    record Response(int status, byte[] body, String location) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Response post(String pathAndQuery, byte[] json) throws IOException {
        return post(pathAndQuery, json, "");
    }

    /**
     * As {@link #post(String, byte[])}, with {@code extraHeaders}: complete header lines, each ending
     * in CRLF (e.g. {@code "Idempotency-Key: k\r\n"}).
     */
    Response post(String pathAndQuery, byte[] json, String extraHeaders) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                ensureOpen();
                String head = "POST " + pathAndQuery + " HTTP/1.1\r\nHost: " + hostHeader
                        + "\r\nContent-Type: application/json\r\n" + extraHeaders + "Content-Length: " + json.length
                        + "\r\n\r\n";
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(json);
                out.flush();
                return readResponse();
            } catch (IOException e) {
                close();
                // a keep-alive connection the server closed while idle: reconnect once
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private void ensureOpen() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(readTimeoutMillis);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }
    }

    private Response readResponse() throws IOException {
        String status = readLine();
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        String location = null;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                closeAfter = true;
            } else if (name.equalsIgnoreCase("Location")) {
                location = value;
            }
        }
        byte[] body;
        if (chunked) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine();
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers
                    }
                    break;
                }
                all.write(readExactly(size));
                readLine();
            }
            body = all.toByteArray();
        } else if (length >= 0) {
            body = readExactly(length);
        } else {
            body = in.readAllBytes();
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Response(code, body, location);
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] buf = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(buf, off, n - off);
            if (r < 0) {
                throw new EOFException("connection closed mid-body");
            }
            off += r;
        }
        return buf;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            line.append((char) c);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }
}
